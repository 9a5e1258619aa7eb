"""The pain guide at /pain: choose a region, get the muscles whose trigger points refer pain there."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import REPO, edit
from myokg.namespaces import ID
from myokg.release import build_release
from myokg.store import ReleaseStore
from myokg.web import create_app

QUERY_01 = REPO / "queries" / "01-muscles-referring-pain-to-a-region.rq"
BODY_REGIONS = """
PREFIX myokg: <https://w3id.org/myokg/ontology#>
SELECT ?region WHERE { ?region a myokg:BodyRegion }
"""


@pytest.fixture(scope="module")
def store(release):
    return ReleaseStore(release)


class Links(HTMLParser):
    """The href of every <a> in a page, and the scripts it loads besides the site-wide search suggestions
    (which only enhance the search box: the page works without them)."""

    def __init__(self, page: str):
        super().__init__()
        self.hrefs: list[str] = []
        self.scripts = 0
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href"))
        self.scripts += tag == "script" and not (dict(attrs).get("src") or "").endswith("/search.js")


def muscles(client, region: str) -> list[tuple[str, str]]:
    response = client.get(f"/pain.json?region={region}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [(m["label"], m["zone"]) for m in response.get_json()["muscles"]]


def svg_of(page: str) -> ET.Element:
    return ET.fromstring(re.search(r"<svg .*?</svg>", page, re.S).group(0))


def test_chooser_links_every_region_on_the_map_and_in_the_list_without_javascript(client, store):
    response = client.get("/pain")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    links = Links(page)
    assert links.scripts == 0
    regions = {row["region"].value[len(str(ID)):] for row in store.query(BODY_REGIONS)}
    assert {f"/pain?region={slug}" for slug in regions} <= set(links.hrefs)
    map_links = {a.get("href") for a in svg_of(page).iter("{http://www.w3.org/2000/svg}a")}
    assert {"/pain?region=sacral-region", "/pain?region=thumb", "/pain?region=upper-teeth", "/pain?region=heel"} <= map_links
    assert all(href.startswith("/pain?region=") for href in map_links)
    for head in ("head", "neck", "trunk", "upper limb", "lower limb"):
        assert f'<h3><a href="/pain?region={head.replace(" ", "-")}">{head}</a></h3>' in page


def test_a_link_on_the_map_leads_to_the_answer(client):
    page = client.get("/pain").get_data(as_text=True)
    href = next(a.get("href") for a in svg_of(page).iter("{http://www.w3.org/2000/svg}a")
                if a.get("href") == "/pain?region=lateral-hip")
    answer = client.get(href)
    assert answer.status_code == 200
    assert "<h1>Pain in the lateral hip</h1>" in answer.get_data(as_text=True)


@pytest.mark.parametrize("region, muscle", [
    ("sacral-region", "gluteus medius"),
    ("lateral-hip", "gluteus medius"),
    ("lateral-hip", "tensor fasciae latae"),
    ("temple", "temporalis"),
    ("temple", "trapezius"),
    ("heel", "soleus"),
    ("thumb", "adductor pollicis"),
    ("occiput", "sternocleidomastoid"),
])
def test_anatomy_essential_referrals(client, region, muscle):
    assert (muscle, "essential") in muscles(client, region)


def test_a_region_includes_the_regions_inside_it(client):
    thigh = client.get("/pain.json?region=thigh").get_json()
    zones = {r["region"] for m in thigh["muscles"] for tp in m["triggerPoints"] for r in tp["referrals"]}
    assert str(ID["posterior-thigh"]) in zones and str(ID["lateral-thigh"]) in zones
    assert {p["slug"] for p in thigh["parts"]} == {"anterior-thigh", "posterior-thigh", "lateral-thigh", "medial-thigh"}
    assert [w["slug"] for w in thigh["within"]] == ["lower-limb"]
    # gluteus minimus refers pain to the lateral and posterior thigh, never to "thigh" itself
    assert ("gluteus minimus", "essential") in muscles(client, "thigh")
    limb = dict(muscles(client, "lower-limb"))
    assert {label for label, _ in muscles(client, "thigh")} <= set(limb)


def test_essential_zones_come_first(client):
    zones = [zone for _, zone in muscles(client, "thigh")]
    assert "essential" in zones and "spillover" in zones
    assert zones == sorted(zones)  # "essential" < "spillover"
    body = client.get("/pain.json?region=sacral-region").get_json()
    for muscle in body["muscles"]:
        zones = {r["zone"] for tp in muscle["triggerPoints"] for r in tp["referrals"]}
        assert muscle["zone"] == ("essential" if "essential" in zones else "spillover")
        for tp in muscle["triggerPoints"]:
            ranks = [r["zone"] for r in tp["referrals"]]
            assert ranks == sorted(ranks)


@pytest.mark.parametrize("region", ["sacral-region", "thigh", "temple", "hand"])
def test_same_muscles_and_zones_as_the_published_example_query(client, store, region):
    query = QUERY_01.read_text().replace("VALUES ?painRegion { :thigh }", f"VALUES ?painRegion {{ :{region} }}")
    assert f":{region} }}" in query
    expected = {(row["label"].value, row["zone"].value) for row in store.query(query)}
    assert expected and set(muscles(client, region)) == expected


def test_answer_page_lists_trigger_points_with_their_zone_and_links(client):
    response = client.get("/pain?region=sacral-region", base_url="http://myokg.test/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    hrefs = set(Links(page).hrefs)
    assert {"http://myokg.test/id/gluteus-medius", "http://myokg.test/id/gluteus-medius/tp1",
            "http://myokg.test/id/sacral-region", "/pain?region=back"} <= hrefs
    entry = page[page.index('<a href="http://myokg.test/id/gluteus-medius/tp1">'):]
    entry = entry[:entry.index("</li>")]
    assert '<span class="zone essential">essential</span>' in entry and ">sacral region</a>" in entry
    assert page.index(">gluteus medius</strong>") < page.index(">coccygeus</strong>")  # essential, spillover
    selected = [e for e in svg_of(page).iter() if {"region", "selected"} <= set(e.get("class", "").split())]
    assert selected and {e.get("data-region") for e in selected} == {"sacral-region"}


def test_region_by_public_iri_this_servers_address_or_label(client):
    by_slug = client.get("/pain.json?region=sacral-region").get_json()
    assert client.get(f"/pain.json?region={ID}sacral-region").get_json() == by_slug
    assert client.get("/pain.json", query_string={"region": "Sacral Region"}).get_json() == by_slug
    local = client.get("/pain.json?region=http://myokg.test/id/sacral-region", base_url="http://myokg.test/")
    assert local.status_code == 200 and local.get_json()["region"]["iri"] == str(ID["sacral-region"])


def test_json_by_accept_header_or_extension(client):
    html = client.get("/pain?region=heel", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html" and "Accept" in html.headers["Vary"]
    assert html.headers["Link"] == '</pain.json?region=heel>; rel="alternate"; type="application/json"'
    negotiated = client.get("/pain?region=heel", headers={"Accept": "application/json"})
    assert negotiated.mimetype == "application/json"
    assert negotiated.get_json() == client.get("/pain.json?region=heel").get_json()
    assert negotiated.get_json()["region"] == {
        "iri": str(ID["heel"]), "label": "heel", "slug": "heel", "page": "http://localhost/id/heel",
        "painGuide": "http://localhost/pain?region=heel", "partOf": str(ID["foot"])}


def test_chooser_as_json_lists_every_region_with_its_parent(client, store):
    regions = client.get("/pain", headers={"Accept": "application/json"}).get_json()["regions"]
    assert {r["iri"] for r in regions} == {row["region"].value for row in store.query(BODY_REGIONS)}
    by_slug = {r["slug"]: r for r in regions}
    assert by_slug["upper-teeth"]["partOf"] == str(ID["teeth"]) and by_slug["head"]["partOf"] is None
    assert client.get("/pain.json").get_json()["regions"] == regions


def test_missing_or_empty_region_gives_the_chooser(client):
    chooser = client.get("/pain").get_data(as_text=True)
    empty = client.get("/pain?region=")
    assert empty.status_code == 200 and empty.get_data(as_text=True) == chooser
    assert "<h1>Pain guide</h1>" in chooser


def test_region_no_trigger_point_refers_to_says_so(client):
    response = client.get("/pain?region=pelvic-floor")
    assert response.status_code == 200
    assert "No trigger point in MyoKG refers pain to the pelvic floor yet." in response.get_data(as_text=True)
    assert client.get("/pain.json?region=pelvic-floor").get_json()["muscles"] == []


@pytest.mark.parametrize("value", ["sacrl", "gluteus-medius", "https://example.org/id/sacral-region", "<b>x</b>"])
def test_unknown_region_is_404_with_the_chooser_and_close_matches(client, value):
    response = client.get("/pain", query_string={"region": value})
    assert response.status_code == 404 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "No body region" in page and '<form action="/search"' in page
    assert '<a href="/pain?region=heel">heel</a>' in page  # the list to choose from
    assert "<b>x</b>" not in page
    as_json = client.get("/pain.json", query_string={"region": value})
    assert as_json.status_code == 404
    assert "region=" in as_json.get_json()["error"]


def test_close_matches_for_a_misspelt_region(client):
    page = client.get("/pain?region=sacrl").get_data(as_text=True)
    assert 'Did you mean:\n<a href="/pain?region=sacral-region">sacral region</a>' in page
    suggested = client.get("/pain.json?region=shin-bone").get_json()["closeMatches"]
    assert "shin" in [r["slug"] for r in suggested]


def test_unacceptable_media_type_is_406(client):
    response = client.get("/pain", headers={"Accept": "text/turtle"})
    assert response.status_code == 406
    assert "text/html or application/json" in response.get_data(as_text=True)


def test_labels_with_markup_are_escaped(tree_copy, tmp_path: Path):
    # the plain name stays a synonym, so the Uberon mapping check still finds it
    edit(tree_copy.root / "data" / "body-regions.trig", 'rdfs:label "sacral region"@en ;',
         'rdfs:label "sacral <script>alert(1)</script> region"@en ; skos:altLabel "sacral region"@en ;')
    root = tmp_path / "release"
    release = build_release(tree_copy, root)
    app = create_app(release, workers=1)
    try:
        client = app.test_client()
        for url in ("/pain", "/pain?region=sacral-region"):
            page = client.get(url).get_data(as_text=True)
            assert "<script>" not in page
            assert "sacral &lt;script&gt;alert(1)&lt;/script&gt; region" in page
        body = client.get("/pain.json?region=sacral-region").get_json()
        assert body["region"]["label"] == "sacral <script>alert(1)</script> region"
    finally:
        app.extensions["myokg.queries"].close()
