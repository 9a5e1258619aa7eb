"""Search: the ranking rules on the real data, the API's parameters and errors, the results page, and the
autocomplete in a real browser."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import time
import urllib.parse

import pytest
from markupsafe import escape

from conftest import copy_seed, edit, running_server
from myokg.release import build_release, current_release
from myokg.web import create_app

GLUTEUS_MEDIUS = "https://w3id.org/myokg/id/gluteus-medius"
OTHER_NAME_KINDS = ("synonym", "Latin name", "id")
# The ranking rules of the README, as a level per match_kind (lower comes first).
LEVEL = {"label exact": 0, "label prefix": 2, "label word prefix": 3, "label substring": 6}
LEVEL.update({f"{kind} {how}": level for kind in OTHER_NAME_KINDS
              for how, level in (("exact", 1), ("prefix", 4), ("word prefix", 5), ("substring", 7))})
MARKUP_LABEL = 'anterior fibres of <em>gluteus</em> medius & "<script>alert(1)</script>'


def search(client, **params) -> dict:
    response = client.get("/api/search?" + urllib.parse.urlencode(params))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    return response.get_json()["response"]


def first(client, q: str, **params) -> dict:
    docs = search(client, q=q, **params)["docs"]
    assert docs, f"nothing found for {q!r}"
    return docs[0]


# --- Ranking ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("q", ["trapezius", "gluteus medius", "superior gluteal nerve", "ilium"])
def test_an_exact_label_comes_first(client, q):
    docs = search(client, q=q, rows=100)["docs"]
    assert docs[0]["label"] == q and docs[0]["match_kind"] == "label exact"
    assert all(doc["match_kind"] != "label exact" for doc in docs[1:])


@pytest.mark.parametrize("q", ["glut", "trapezius", "nerve", "medius", "lat", "fibres of", "UBERON:00013", "point"])
def test_results_come_in_the_order_of_the_ranking_rules(client, q):
    """Match levels never go back up; within a level, muscles come before everything else and shorter labels
    before longer ones of the same type."""
    response = search(client, q=q, rows=100)
    docs = response["docs"]
    assert len(docs) == min(response["numFound"], 100) > 1
    levels = [LEVEL[doc["match_kind"]] for doc in docs]
    assert levels == sorted(levels)
    for before, after in zip(docs, docs[1:]):
        if LEVEL[before["match_kind"]] == LEVEL[after["match_kind"]]:
            assert not (after["type"] == "Muscle" and before["type"] != "Muscle")
            if before["type"] == after["type"]:
                assert len(before["label"]) <= len(after["label"])


def test_a_synonym_finds_its_resource(client):
    doc = first(client, "middle gluteal muscle")
    assert (doc["iri"], doc["match_kind"], doc["matched_text"]) == (GLUTEUS_MEDIUS, "synonym exact",
                                                                     "middle gluteal muscle")
    assert "mid gluteal muscle" in doc["synonyms"]
    doc = first(client, "middle glut")
    assert (doc["iri"], doc["match_kind"]) == (GLUTEUS_MEDIUS, "synonym prefix")


@pytest.mark.parametrize("q", ["musculus gluteus medius", "m. gluteus medius", "M. Gluteus Medius"])
def test_a_latin_name_finds_its_muscle_with_m_for_musculus(client, q):
    doc = first(client, q)
    assert (doc["iri"], doc["match_kind"]) == (GLUTEUS_MEDIUS, "Latin name exact")
    assert doc["latin_name"] == doc["matched_text"] == "musculus gluteus medius"


@pytest.mark.parametrize("q, matched", [
    ("UBERON:0001371", "UBERON:0001371"),
    ("UBERON_0001371", "UBERON:0001371"),
    ("uberon 0001371", "UBERON:0001371"),
    ("http://purl.obolibrary.org/obo/UBERON_0001371", "UBERON:0001371"),
    ("0001371", "UBERON:0001371"),
    ("FMA:22315", "FMA:22315"),
    ("fma_22315", "FMA:22315"),
])
def test_an_uberon_or_fma_id_finds_the_mapped_resource(client, q, matched):
    response = search(client, q=q)
    assert response["numFound"] == 1
    doc = response["docs"][0]
    assert (doc["iri"], doc["match_kind"], doc["matched_text"]) == (GLUTEUS_MEDIUS, "id exact", matched)
    assert {"UBERON:0001371", "FMA:22315"} <= set(doc["mappings"])


def test_our_own_iri_finds_its_resource(client):
    doc = first(client, GLUTEUS_MEDIUS)
    assert (doc["iri"], doc["match_kind"]) == (GLUTEUS_MEDIUS, "id exact")


@pytest.mark.parametrize("q, kind", [
    ("gluteus med", "label prefix"),
    ("glut med", "label word prefix"),
    ("medius gluteus", "label word prefix"),
    ("luteus medi", "label substring"),
    ("  GLUTEUS---Médius!  ", "label exact"),
])
def test_prefixes_words_and_substrings_of_the_label(client, q, kind):
    doc = first(client, q)
    assert (doc["iri"], doc["match_kind"]) == (GLUTEUS_MEDIUS, kind)


def test_the_first_words_of_a_nerve_find_the_nerve(client):
    doc = first(client, "superior gluteal")
    assert (doc["label"], doc["type"], doc["match_kind"]) == ("superior gluteal nerve", "Nerve", "label prefix")


def test_nothing_found_is_an_empty_answer(client):
    assert search(client, q="xylophone") == {"numFound": 0, "start": 0, "docs": []}


def test_a_doc_says_what_it_is_and_where_its_page_is(client):
    doc = first(client, "gluteus medius")
    assert doc == {
        "iri": GLUTEUS_MEDIUS, "label": "gluteus medius", "type": "Muscle", "type_label": "muscle",
        "matched_text": "gluteus medius", "match_kind": "label exact", "synonyms": doc["synonyms"],
        "latin_name": "musculus gluteus medius", "mappings": doc["mappings"],
        "page": "http://localhost/id/gluteus-medius",
    }
    assert {"middle gluteal muscle", "mid gluteal muscle", "gluteus medius muscle"} <= set(doc["synonyms"])


def test_pages_follow_the_configured_base_iri(release):
    app = create_app(release, workers=1, base_iri="https://example.org/kg")
    try:
        doc = app.test_client().get("/api/search?q=gluteus+medius").get_json()["response"]["docs"][0]
    finally:
        app.extensions["myokg.queries"].close()
    assert doc["page"] == "https://example.org/kg/id/gluteus-medius"


# --- Type filter and paging ---------------------------------------------------------------------------

def test_the_type_filter_keeps_that_type_and_its_subclasses(client):
    everything = search(client, q="glut", rows=100)
    nerves = search(client, q="glut", type="Nerve", rows=100)
    assert 0 < nerves["numFound"] < everything["numFound"]
    assert {doc["type"] for doc in nerves["docs"]} == {"Nerve"}
    assert "superior gluteal nerve" in [doc["label"] for doc in nerves["docs"]]
    # A cranial nerve is a nerve.
    assert first(client, "facial nerve", type="Nerve")["type"] == "CranialNerve"
    both = search(client, q="glut", type="Muscle,Nerve", rows=100)
    assert {doc["type"] for doc in both["docs"]} == {"Muscle", "Nerve"}
    repeated = client.get("/api/search?q=glut&type=Muscle&type=Nerve&rows=100").get_json()["response"]
    assert repeated == both


def test_paging_walks_through_the_same_ranking(client):
    all_six = search(client, q="glut", rows=6)
    pages = [search(client, q="glut", rows=3, start=start) for start in (0, 3)]
    assert [page["start"] for page in pages] == [0, 3]
    assert pages[0]["docs"] + pages[1]["docs"] == all_six["docs"]
    assert {page["numFound"] for page in pages} == {all_six["numFound"]}
    past_the_end = search(client, q="glut", start=all_six["numFound"])
    assert past_the_end["docs"] == [] and past_the_end["numFound"] == all_six["numFound"]
    count_only = search(client, q="glut", rows=0)
    assert count_only["docs"] == [] and count_only["numFound"] == all_six["numFound"]
    assert len(search(client, q="glut")["docs"]) == 10


# --- Errors ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, says", [
    ("", "q is missing"),
    ("q=", "q is empty"),
    ("q=%20%20", "q is empty"),
    ("q=!%3F-", "q is empty"),
    ("q=" + "a" * 201, "at most 200"),
    ("q=glut&rows=101", "rows is '101'; it must be a whole number from 0 to 100"),
    ("q=glut&rows=-1", "rows is '-1'"),
    ("q=glut&rows=ten", "rows is 'ten'"),
    ("q=glut&rows=", "rows is ''"),
    ("q=glut&start=-3", "start is '-3'; it must be a whole number from 0 to 1000000"),
    ("q=glut&start=1.5", "start is '1.5'"),
    ("q=glut&start=99999999", "start is '99999999'"),
    ("q=glut&start=%C2%B2", "start is '²'"),
    ("q=glut&start=" + "9" * 5000, "start is '99999999999999999999…'; it must be a whole number"),
    ("q=glut&type=Musle", "Unknown type Musle"),
    ("q=glut&type=Muscle,Bogus", "Unknown type Bogus"),
])
def test_bad_parameters_get_a_400_that_says_what_to_fix(client, query, says):
    for path in ("/api/search", "/search"):
        response = client.get(f"{path}?{query}", headers={"Accept": "application/json"})
        assert response.status_code == 400, (path, query)
        assert response.mimetype == "application/json"
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert says in response.get_json()["error"]["msg"]


def test_an_unknown_type_lists_the_known_ones(client):
    message = client.get("/api/search?q=glut&type=Musle").get_json()["error"]["msg"]
    for name in ("Muscle", "MusclePart", "TriggerPoint", "Nerve", "Bone", "BoneLandmark", "BodyRegion"):
        assert f" {name}," in message or f" {name}." in message


def test_the_results_page_shows_a_bad_parameter_as_a_400_page(client):
    response = client.get("/search?q=glut&rows=1000", headers={"Accept": "text/html"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "The parameter rows is &#39;1000&#39;; it must be a whole number from 0 to 100." in page
    assert 'value="glut"' in page[page.index('<header class="site">'):page.index("</header>")]


# --- The results page ---------------------------------------------------------------------------------

def test_the_results_page_lists_the_ranking_with_type_and_what_matched(client):
    response = client.get("/search?q=m.+gluteus+medius", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Vary"] == "Accept"
    page = response.get_data(as_text=True)
    assert '<a href="http://localhost/id/gluteus-medius">gluteus medius</a>' in page
    assert '<span class="type">(muscle)</span>' in page
    assert "matched Latin name “musculus gluteus medius” (exact)" in page
    # The header's search box keeps the query.
    assert 'value="m. gluteus medius"' in page[page.index('<header class="site">'):page.index("</header>")]


def test_the_results_page_pages_through_results(client):
    found = search(client, q="glut")["numFound"]
    page = client.get("/search?q=glut&rows=3&start=3").get_data(as_text=True)
    assert f"{found} results for <strong>glut</strong>, 4 to 6 shown." in page
    assert '<ol class="results" start="4">' in page
    assert 'href="/search?q=glut&amp;start=0&amp;rows=3" rel="prev"' in page
    assert 'href="/search?q=glut&amp;start=6&amp;rows=3" rel="next"' in page
    last = client.get(f"/search?q=glut&rows=3&start={found - 1}").get_data(as_text=True)
    assert 'rel="next"' not in last


def test_the_search_page_without_a_query_offers_the_form(client):
    response = client.get("/search")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<input type="search" id="search-page-q" name="q" value="" required>' in page
    assert '<option value="Muscle">muscle</option>' in page
    assert "results for" not in page


def test_the_search_page_answers_json_to_a_client_that_prefers_it(client):
    as_json = client.get("/search?q=glut&rows=4", headers={"Accept": "application/json"})
    assert as_json.mimetype == "application/json" and as_json.headers["Vary"] == "Accept"
    assert as_json.get_json() == client.get("/api/search?q=glut&rows=4").get_json()


def test_every_page_has_the_search_box_with_its_suggestions_script(client):
    page = client.get("/").get_data(as_text=True)
    assert '<form action="/search" method="get" role="search" data-suggest="/api/search">' in page
    assert '<script src="/static/search.js" defer></script>' in page
    script = client.get("/static/search.js")
    assert script.status_code == 200 and script.mimetype in ("text/javascript", "application/javascript")
    # Results are built with DOM APIs, never parsed as HTML.
    assert "innerHTML" not in script.get_data(as_text=True)


# --- A label with markup, on a private release -------------------------------------------------------

@pytest.fixture(scope="module")
def markup_release(tmp_path_factory):
    """A release of the seed where the anterior fibres of the gluteus medius have a label with markup."""
    root = tmp_path_factory.mktemp("markup")
    tree = copy_seed(root / "source")
    edit(tree.root / "data/pelvis-and-hip/gluteus-medius.trig", 'rdfs:label "anterior fibres of gluteus medius"@en',
         "rdfs:label " + json.dumps(MARKUP_LABEL) + "@en")
    build_release(tree, root / "release")
    return root / "release"


def test_a_label_with_markup_is_escaped_on_the_results_page(markup_release):
    app = create_app(current_release(markup_release), workers=1)
    try:
        client = app.test_client()
        page = client.get("/search?q=anterior+fibres+of+gluteus").get_data(as_text=True)
        doc = client.get("/api/search?q=anterior+fibres+of+gluteus").get_json()["response"]["docs"][0]
    finally:
        app.extensions["myokg.queries"].close()
    assert doc["label"] == MARKUP_LABEL
    assert "<script>alert(1)</script>" not in page and "<em>gluteus</em>" not in page
    assert f">{escape(MARKUP_LABEL)}</a>" in page


# --- Autocomplete in headless Chromium ----------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
KEYS = {"ArrowDown": 40, "ArrowUp": 38, "Enter": 13, "Escape": 27}


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: it reads
    commands on fd 3 and writes answers and events on fd 4, each a JSON message ending in a NUL byte)."""

    def __init__(self, profile):
        assert CHROMIUM, "Chromium is needed for this test: install the Debian package chromium (.ci/run does)."
        commands_read, commands_write = os.pipe()
        answers_read, answers_write = os.pipe()
        # Above 4, so that placing them on fds 3 and 4 in the child cannot overwrite one with the other.
        child_ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (commands_read, answers_write)]
        os.close(commands_read)
        os.close(answers_write)

        def place_pipes():
            os.dup2(child_ends[0], 3)
            os.dup2(child_ends[1], 4)

        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
             "--disable-background-networking", "--remote-debugging-pipe", f"--user-data-dir={profile}",
             "about:blank"],
            preexec_fn=place_pipes, close_fds=False, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for fd in child_ends:
            os.close(fd)
        self.commands = os.fdopen(commands_write, "wb", buffering=0)
        self.answers = os.fdopen(answers_read, "rb", buffering=0)
        self.buffer, self.last_id, self.session = b"", 0, None
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Emulation.setFocusEmulationEnabled", enabled=True)

    def send(self, method: str, **params) -> dict:
        self.last_id += 1
        message = {"id": self.last_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        self.commands.write(json.dumps(message).encode() + b"\0")
        while True:
            while b"\0" not in self.buffer:
                chunk = self.answers.read(65536)
                assert chunk, "Chromium closed the DevTools pipe"
                self.buffer += chunk
            raw, self.buffer = self.buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self.last_id:
                assert "error" not in answer, answer
                return answer["result"]

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, expression: str, what: str):
        """The value of ``expression`` once it is truthy; fails after 20 s."""
        deadline = time.monotonic() + 20
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            assert time.monotonic() < deadline, f"gave up waiting for {what}"
            time.sleep(0.05)

    def open(self, url: str):
        self.send("Page.navigate", url=url)
        self.wait_for(f"location.href === {json.dumps(url)} && document.readyState === 'complete'", url)

    def type(self, text: str):
        for char in text:
            self.send("Input.dispatchKeyEvent", type="keyDown", text=char, key=char, unmodifiedText=char)
            self.send("Input.dispatchKeyEvent", type="keyUp", key=char)

    def press(self, key: str):
        code = KEYS[key]
        extra = {"text": "\r"} if key == "Enter" else {}
        self.send("Input.dispatchKeyEvent", type="keyDown" if extra else "rawKeyDown", key=key, code=key,
                  windowsVirtualKeyCode=code, **extra)
        self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=key, windowsVirtualKeyCode=code)

    def close(self):
        self.commands.close()
        self.answers.close()
        self.process.terminate()
        self.process.wait(timeout=20)


OPTIONS = ("JSON.stringify(Array.from(document.querySelectorAll('#site-search-suggestions [role=option]'))"
           ".map(o => o.textContent))")
BOX = "document.querySelector('header.site input[name=q]')"


@pytest.fixture(scope="module")
def server(markup_release):
    with running_server(markup_release, "--workers", "1") as (base, _):
        yield base


@pytest.fixture
def browser(tmp_path):
    browser = Browser(tmp_path / "profile")
    yield browser
    browser.close()


def suggestions(browser: Browser, typed: str, first: str) -> list[str]:
    """Type ``typed`` into the header's search box key by key; the suggestions once ``first`` heads them
    (a slow machine may show those for the first letters on the way)."""
    browser.evaluate(f"{BOX}.focus()")
    browser.type(typed)
    browser.wait_for(f"{OPTIONS}.startsWith({json.dumps(json.dumps([first])[:-2])})", f"{first!r} offered first")
    return json.loads(browser.evaluate(OPTIONS))


def test_typing_offers_suggestions_and_enter_opens_the_chosen_one(browser, server):
    browser.open(server + "/")
    assert browser.evaluate(f"{BOX}.getAttribute('role')") == "combobox"
    offered = suggestions(browser, "glut", "gluteus medius")
    assert offered[0] == "gluteus mediusmuscle"  # the label, then the type
    assert len(offered) <= 8
    assert browser.evaluate(f"{BOX}.getAttribute('aria-expanded')") == "true"
    assert browser.evaluate("document.getElementById('site-search-suggestions').getAttribute('role')") == "listbox"
    browser.press("ArrowDown")
    assert browser.evaluate(f"{BOX}.getAttribute('aria-activedescendant')") == "site-search-suggestions-0"
    assert browser.evaluate("document.getElementById('site-search-suggestions-0').getAttribute('aria-selected')") \
        == "true"
    browser.press("Enter")
    # The resource's IRI on this server, or the page it redirects to.
    path = browser.wait_for("location.pathname !== '/' && location.pathname", "the chosen resource's page")
    assert path in ("/id/gluteus-medius", "/doc/id/gluteus-medius.html")


def test_enter_without_a_choice_submits_the_search_and_escape_closes_the_list(browser, server):
    browser.open(server + "/")
    suggestions(browser, "glut", "gluteus medius")
    browser.press("Escape")
    assert browser.evaluate(f"{BOX}.getAttribute('aria-expanded')") == "false"
    assert browser.evaluate("document.getElementById('site-search-suggestions').hidden") is True
    browser.press("Enter")
    browser.wait_for("location.pathname === '/search' && document.readyState === 'complete'", "the results page")
    assert browser.evaluate("location.search") == "?q=glut"
    assert "gluteus medius" in browser.evaluate("document.querySelector('ol.results').textContent")


def test_a_label_with_markup_is_shown_as_text_in_the_suggestions(browser, server):
    browser.open(server + "/")
    offered = suggestions(browser, "anterior fibres of glut", MARKUP_LABEL)
    assert offered[0] == MARKUP_LABEL + "muscle part"
    assert browser.evaluate("document.querySelectorAll('#site-search-suggestions em, "
                            "#site-search-suggestions script').length") == 0
