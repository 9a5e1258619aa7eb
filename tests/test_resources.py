"""Dereferenceable IRIs and resource documents, through Flask's test client over the real release:
content negotiation and its status codes, what a description holds, provenance, base-IRI rewriting,
escaping, the helpful 404 and path tricks."""

from __future__ import annotations

import json
import re

import pytest
from markupsafe import Markup
from pyoxigraph import NamedNode, Store
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS

from conftest import edit
from myokg.release import build_release
from myokg.web import create_app

ID = "https://w3id.org/myokg/id/"
GRAPH = "https://w3id.org/myokg/graph/"
OBO = "http://purl.obolibrary.org/obo/"
MYOKG = "https://w3id.org/myokg/ontology#"
GMED = URIRef(ID + "gluteus-medius")
NERVE = URIRef(ID + "superior-gluteal-nerve")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@pytest.fixture(scope="module")
def app(release):
    app = create_app(release, workers=1)
    yield app
    app.extensions["myokg.queries"].close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


# --- 303 See Other by content negotiation --------------------------------------------------------------

@pytest.mark.parametrize("accept, extension", [
    (BROWSER, "html"),
    ("text/html", "html"),
    ("application/xhtml+xml", "html"),
    (None, "html"),
    ("*/*", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("text/plain", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/trig", "trig"),
    ("application/n-quads", "nq"),
    ("text/turtle;q=0.5, application/ld+json", "jsonld"),
    ("text/html;q=0.1, text/turtle", "ttl"),
    ("text/*", "html"),
    ("application/*;q=0.9, text/html;q=0.2, application/xhtml+xml;q=0", "nt"),
    ("text/turtle, */*;q=0.1", "ttl"),
])
def test_thing_iri_redirects_to_the_negotiated_document(client, accept, extension):
    headers = {"Accept": accept} if accept is not None else {}
    response = client.get("/id/gluteus-medius", headers=headers)
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://localhost/doc/id/gluteus-medius.{extension}"
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize("accept, extension", [("text/html", "html"), ("text/turtle", "ttl"),
                                               ("application/n-quads", "nq")])
def test_graph_iri_redirects_to_the_negotiated_document(client, accept, extension):
    response = client.get("/graph/ilive-gluteus-medius", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://localhost/doc/graph/ilive-gluteus-medius.{extension}"
    assert response.headers["Vary"] == "Accept"


def test_slugs_with_slashes_resolve(client):
    response = client.get("/id/gluteus-medius/tp1", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/doc/id/gluteus-medius/tp1.ttl"


@pytest.mark.parametrize("accept", ["image/png", "text/turtle;q=0, text/html;q=0, */*;q=0", "application/pdf"])
def test_nothing_acceptable_is_406_listing_the_documents(client, accept):
    response = client.get("/id/gluteus-medius", headers={"Accept": accept})
    assert response.status_code == 406
    assert response.headers["Vary"] == "Accept"
    text = response.get_data(as_text=True)
    for extension in ("html", "ttl", "jsonld", "nt", "rdf", "trig", "nq"):
        assert f"http://localhost/doc/id/gluteus-medius.{extension}" in text


# --- The documents -------------------------------------------------------------------------------------

TRIPLE_FORMATS = [("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
                  ("nt", "application/n-triples", "nt"), ("rdf", "application/rdf+xml", "xml")]


@pytest.mark.parametrize("extension, media_type, rdflib_format", TRIPLE_FORMATS)
def test_nerve_document_holds_incoming_statements_and_labels(client, extension, media_type, rdflib_format):
    response = client.get(f"/doc/id/superior-gluteal-nerve.{extension}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    graph = Graph().parse(data=response.data, format=rdflib_format)
    # Its own statements, the muscles that point to it, and the names of what is linked.
    assert (NERVE, URIRef(OBO + "RO_0002380"), URIRef(ID + "sacral-plexus")) in graph
    assert (GMED, URIRef(OBO + "RO_0002005"), NERVE) in graph
    assert (URIRef(ID + "tensor-fasciae-latae"), URIRef(OBO + "RO_0002005"), NERVE) in graph
    assert (GMED, RDFS.label, Literal("gluteus medius", lang="en")) in graph
    assert (URIRef(ID + "sacral-plexus"), RDFS.label, Literal("sacral plexus", lang="en")) in graph
    # Data documents keep the canonical IRIs, whatever host served them.
    assert not any("localhost" in str(term) for triple in graph for term in triple)


def test_muscle_document_holds_its_trigger_points_and_their_pain_zones(client):
    graph = Graph().parse(data=client.get("/doc/id/gluteus-medius.ttl").data, format="turtle")
    tp1 = URIRef(ID + "gluteus-medius/tp1")
    assert (GMED, URIRef(MYOKG + "hasTriggerPoint"), tp1) in graph
    assert (tp1, URIRef(MYOKG + "refersPainTo"), URIRef(ID + "lower-back")) in graph
    assert (URIRef(ID + "lower-back"), RDFS.label, Literal("lower back", lang="en")) in graph
    assert (URIRef(ID + "gluteus-medius/anterior-fibres"), URIRef(MYOKG + "action"),
            URIRef(ID + "hip-medial-rotation")) in graph
    assert (GMED, URIRef(MYOKG + "latinName"), Literal("musculus gluteus medius", lang="la")) in graph


def test_json_ld_document_is_a_compact_tree_of_the_same_graph_as_the_turtle(client):
    """Applications read it like plain JSON (the muscle holds its trigger points under short keys), and it
    states exactly what the Turtle document states."""
    response = client.get("/doc/id/gluteus-medius.jsonld")
    document = response.get_json(force=True)
    assert isinstance(document["@context"], dict)  # inline: nothing to fetch
    assert document["id"] == "myokg.id:gluteus-medius" and document["label"] == "gluteus medius"
    tp1 = next(tp for tp in document["triggerPoints"] if tp["id"] == "myokg.id:gluteus-medius/tp1")
    lower_back = next(zone for zone in tp1["refersPainTo"] if zone["id"] == "myokg.id:lower-back")
    assert lower_back["label"] == "lower back"
    as_turtle = Graph().parse(data=client.get("/doc/id/gluteus-medius.ttl").data, format="turtle")
    assert isomorphic(Graph().parse(data=response.data, format="json-ld"), as_turtle)


@pytest.mark.parametrize("extension, rdflib_format", [("trig", "trig"), ("nq", "nquads")])
def test_quad_documents_keep_the_source_of_each_claim(client, extension, rdflib_format):
    dataset = Dataset().parse(data=client.get(f"/doc/id/gluteus-medius.{extension}").data, format=rdflib_format)
    segment = URIRef(MYOKG + "spinalSegment")

    def graphs_stating(segment_slug):
        return {str(g) for _, _, _, g in dataset.quads((GMED, segment, URIRef(ID + segment_slug), None))}

    # iLive says L5-S1, Gray's says L4, L5, S1: each claim stays in its source's graph.
    assert graphs_stating("l4-spinal-segment") == {GRAPH + "grays-anatomy-42"}
    assert graphs_stating("l5-spinal-segment") == {GRAPH + "grays-anatomy-42", GRAPH + "ilive-gluteus-medius"}
    # Which source each graph holds travels with it.
    assert (URIRef(GRAPH + "ilive-gluteus-medius"), URIRef("http://purl.org/dc/terms/source"),
            URIRef(ID + "ilive-gluteus-medius")) in set((s, p, o) for s, p, o, _ in dataset.quads())


def test_documents_list_their_alternates(client):
    response = client.get("/doc/id/gluteus-medius.ttl")
    links = response.headers["Link"]
    assert '<http://localhost/doc/id/gluteus-medius.html>; rel="alternate"; type="text/html"' in links
    assert '<http://localhost/doc/id/gluteus-medius.nq>; rel="alternate"; type="application/n-quads"' in links
    assert "gluteus-medius.ttl>" not in links
    html = page(client, "/doc/id/gluteus-medius.html")
    for extension, media_type in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                                  ("rdf", "application/rdf+xml"), ("trig", "application/trig")):
        assert (f'<link rel="alternate" type="{media_type}" href="http://localhost/doc/id/gluteus-medius.{extension}"'
                in html)


def test_graph_documents(client, release):
    store = Store.read_only(str(release.store_path))
    graph_iri = GRAPH + "ilive-gluteus-medius"
    in_store = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, NamedNode(graph_iri))}
    dataset = Dataset().parse(data=client.get("/doc/graph/ilive-gluteus-medius.trig").data, format="trig")
    in_document = {(s, p, o) for s, p, o, g in dataset.quads() if str(g) == graph_iri}
    assert len(in_document) == len(in_store) > 0
    summary = Graph().parse(data=client.get("/doc/graph/ilive-gluteus-medius.ttl").data, format="turtle")
    assert (URIRef(graph_iri), URIRef("http://rdfs.org/ns/void#triples"), Literal(len(in_store))) in summary
    assert (URIRef(ID + "ilive-gluteus-medius"), URIRef("http://purl.org/dc/terms/title"),
            Literal("Mid gluteal muscle", lang="en")) in summary
    html = page(client, "/doc/graph/ilive-gluteus-medius.html")
    assert "Mid gluteal muscle" in html and "iLive medical portal" in html
    assert f"{len(in_store)} statements" in html
    assert 'href="http://localhost/id/superior-gluteal-nerve"' in html


def test_a_chapter_graph_names_its_book(client):
    html = page(client, "/doc/graph/travell-simons-vol2-gluteus-medius.html")
    assert 'href="http://localhost/id/travell-simons-vol2"' in html


# --- The pages -----------------------------------------------------------------------------------------

def test_muscle_page_reads_like_an_anatomy_reference(client):
    html = page(client, "/doc/id/gluteus-medius.html")
    assert "<h1>gluteus medius</h1>" in html
    assert "musculus gluteus medius" in html and "middle gluteal muscle" in html
    assert 'href="http://localhost/id/superior-gluteal-nerve"' in html
    assert 'href="http://localhost/id/sacral-plexus"' in html  # the nerve's plexus
    assert 'href="http://localhost/id/l4-spinal-segment"' in html
    for slug in ("gluteus-medius/tp1", "gluteus-medius/tp2", "gluteus-medius/tp3", "lower-back", "hip-abduction"):
        assert f'href="http://localhost/id/{slug}"' in html
    # Mappings go to the OBO PURLs.
    assert '<a href="http://purl.obolibrary.org/obo/UBERON_0001371">UBERON:0001371</a>' in html
    assert '<a href="http://purl.obolibrary.org/obo/FMA_22315">FMA:22315</a>' in html
    # The segments the sources disagree on, side by side: Gray's column has L4, iLive's does not.
    differences = html[html.index("Where the sources differ"):]
    table = differences[differences.index("<caption>spinal segment</caption>"):]
    table = table[:table.index("</table>")]
    headers = re.findall(r'<th scope="col"><a href="[^"]+">([^<]+)</a></th>', table)
    cells = re.findall(r"<td>(.*?)</td>", table, re.S)
    by_source = dict(zip(headers, cells))
    assert "L4 spinal segment" in by_source["Gray&#39;s Anatomy, 42nd edition"]
    assert "L4 spinal segment" not in by_source["iLive, Mid gluteal muscle"]
    assert "L5 spinal segment" in by_source["iLive, Mid gluteal muscle"]


def test_each_claim_names_its_sources(client):
    html = page(client, "/doc/id/gluteus-medius.html")
    legend = dict(re.findall(r'<li value="(\d+)"><a href="[^"]+">([^<]+)</a></li>', html))
    numbers = {name: number for number, name in legend.items()}
    row = re.search(r"<th scope=\"row\">Spinal segments</th><td>(.*?)</td>", html, re.S).group(1)
    l4 = re.search(r'l4-spinal-segment">L4 spinal segment</a>(<sup class="src">.*?</sup>)', row).group(1)
    assert re.findall(r">(\d+)</a>", l4) == [numbers["Gray&#39;s Anatomy, 42nd edition"]]
    assert 'title="Gray&#39;s Anatomy, 42nd edition"' in l4


def test_nerve_page_lists_the_muscles_it_supplies(client):
    html = page(client, "/doc/id/superior-gluteal-nerve.html")
    supplied = html[html.index("Muscles it supplies"):]
    for slug in ("gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"):
        assert f'href="http://localhost/id/{slug}"' in supplied


def test_region_page_lists_trigger_points_essential_first(client):
    html = page(client, "/doc/id/lower-back.html")
    table = html[html.index("Trigger points referring pain here"):]
    zones = re.findall(r'<td class="(essential|spillover)">', table)
    assert "essential" in zones and "spillover" in zones
    assert zones == sorted(zones)  # every essential row before the first spillover row
    assert 'href="http://localhost/id/gluteus-medius/tp1"' in table


@pytest.mark.parametrize("slug, expected", [
    ("ilium", "Muscles arising here"),
    ("l5-spinal-segment", "Muscles it supplies"),
    ("hip-joint", "Movements at this joint"),
    ("hip-abduction", "Prime movers"),
    ("gluteal-muscles", "Members"),
    ("travell-simons-vol2", "Chapters"),
    ("grays-anatomy-42", "Its claims"),
    ("gluteus-medius/tp2", "Spillover zone"),
    ("flat-palpation", "Linked from"),
])
def test_every_kind_of_resource_has_its_page(client, slug, expected):
    assert expected in page(client, f"/doc/id/{slug}.html")


def test_pages_embed_schema_org(client):
    records = {}
    for slug in ("gluteus-medius", "superior-gluteal-nerve", "ilium", "gluteus-medius/tp1", "lower-back"):
        html = page(client, f"/doc/id/{slug}.html")
        (text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        records[slug] = json.loads(text)
    muscle = records["gluteus-medius"]
    assert muscle["@type"] == "Muscle" and muscle["name"] == "gluteus medius"
    assert "http://purl.obolibrary.org/obo/UBERON_0001371" in muscle["sameAs"]
    assert {"@id": str(NERVE), "name": "superior gluteal nerve"} in muscle["nerve"]
    assert muscle["url"] == "http://localhost/id/gluteus-medius"
    assert records["superior-gluteal-nerve"]["@type"] == "Nerve"
    assert records["ilium"]["@type"] == "Bone"
    assert records["gluteus-medius/tp1"]["@type"] == "MedicalSignOrSymptom"
    assert records["lower-back"]["@type"] == "AnatomicalStructure"


def _painted(page: str) -> dict[str, str]:
    """Region slug -> "essential" / "spillover" as the page's body map paints it."""
    svg = page[page.index('class="body-map"'):]
    svg = svg[:svg.index("</svg>")]
    return dict((region, zone) for zone, region in re.findall(
        r'class="region (essential|spillover)" data-region="([^"]+)"', svg))


@pytest.mark.parametrize("path", ["/doc/id/gluteus-medius.html", "/doc/id/gluteus-medius/tp2.html"])
def test_muscle_and_trigger_point_pages_draw_their_pain_zones(client, path):
    painted = _painted(client.get(path).get_data(as_text=True))
    assert painted["lateral-hip"] == "essential"  # trigger point 2's essential zone
    assert painted["posterior-thigh"] == "spillover"


def test_a_muscle_page_paints_every_trigger_points_zones_and_essential_wins(client):
    painted = _painted(client.get("/doc/id/gluteus-medius.html").get_data(as_text=True))
    assert painted["lower-back"] == "essential"  # trigger point 1, as Harris gives it
    assert painted["iliac-crest-region"] == "essential"  # trigger points 1 and 2, as iLive gives them
    assert set(painted.values()) == {"essential", "spillover"}


# --- Base IRI ------------------------------------------------------------------------------------------

def test_links_follow_the_configured_base_iri(release):
    app = create_app(release, workers=1, base_iri="https://example.org/staging/")
    try:
        client = app.test_client()
        response = client.get("/id/gluteus-medius", headers={"Accept": "text/turtle"})
        assert response.headers["Location"] == "https://example.org/staging/doc/id/gluteus-medius.ttl"
        html = page(client, "/doc/id/gluteus-medius.html")
        assert 'href="https://example.org/staging/id/superior-gluteal-nerve"' in html
        assert 'href="https://example.org/staging/graph/grays-anatomy-42"' in html
        assert 'href="https://example.org/staging/doc/id/gluteus-medius.ttl"' in html
        assert 'href="http://localhost/' not in html
        turtle = client.get("/doc/id/gluteus-medius.ttl").get_data(as_text=True)
        assert "example.org" not in turtle and "<https://w3id.org/myokg/id/>" in turtle
    finally:
        app.extensions["myokg.queries"].close()


def test_links_follow_the_request_host_by_default(client):
    response = client.get("/id/gluteus-medius", base_url="http://staging.example:8081",
                          headers={"Accept": "text/html"})
    assert response.headers["Location"] == "http://staging.example:8081/doc/id/gluteus-medius.html"
    html = client.get("/doc/id/gluteus-medius.html", base_url="http://staging.example:8081").get_data(as_text=True)
    assert 'href="http://staging.example:8081/id/superior-gluteal-nerve"' in html


# --- Escaping ------------------------------------------------------------------------------------------

def test_labels_with_markup_are_escaped_in_pages_and_embedded_json(tree_copy, tmp_path):
    hostile = '</script><script>alert(1)</script><b onmouseover="x">'
    muscle_file = tree_copy.root / "data" / "pelvis-and-hip" / "gluteus-medius.trig"
    edit(muscle_file, 'rdfs:label "gluteus medius"@en ;', f'rdfs:label "{hostile.replace(chr(34), chr(92) + chr(34))}"@en ;')
    # Keep Uberon's name as a synonym, so the mapping check still finds it.
    edit(muscle_file, 'skos:altLabel "middle gluteal muscle"@en', 'skos:altLabel "gluteus medius"@en , "middle gluteal muscle"@en')
    app = create_app(build_release(tree_copy, tmp_path / "r"), workers=1)
    try:
        client = app.test_client()
        for path in ("/doc/id/gluteus-medius.html", "/doc/id/superior-gluteal-nerve.html",
                     "/doc/id/gluteus-medius/tp1.html", "/doc/graph/ilive-gluteus-medius.html"):
            html = page(client, path)
            assert "<script>alert(1)" not in html and "<b onmouseover" not in html, path
        html = page(client, "/doc/id/gluteus-medius.html")
        assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
        (text,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert json.loads(text)["name"] == hostile
    finally:
        app.extensions["myokg.queries"].close()


# --- Unknown IRIs, documents and path tricks -----------------------------------------------------------

def test_unknown_iri_gets_a_helpful_page(client):
    response = client.get("/id/gluteus-medis", headers={"Accept": BROWSER})
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<form action="/search" method="get"' in html
    assert '<a href="http://localhost/id/gluteus-medius">gluteus medius</a>' in html
    # Close matches by label too: the slug reads "superior gluteal nerv".
    html = client.get("/doc/id/superior-gluteal-nerv.html").get_data(as_text=True)
    assert '<a href="http://localhost/id/superior-gluteal-nerve">superior gluteal nerve</a>' in html


def test_unknown_iri_is_plain_text_for_data_clients(client):
    response = client.get("/id/gluteus-medis", headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    assert response.mimetype == "text/plain"
    assert "<https://w3id.org/myokg/id/gluteus-medis> is not described" in response.get_data(as_text=True)


def test_unknown_graph_is_404(client):
    assert client.get("/graph/no-such-source", headers={"Accept": "text/turtle"}).status_code == 404
    response = client.get("/doc/graph/grays-anatomy.html")
    assert response.status_code == 404
    assert 'href="http://localhost/graph/grays-anatomy-42"' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/doc/id/gluteus-medius.xyz", "/doc/id/gluteus-medius", "/doc/id/gluteus-medius.",
                                  "/doc/graph/uberon.pdf"])
def test_unknown_extension_lists_the_documents_offered(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    for extension in (".html", ".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".nq"):
        assert extension in text


@pytest.mark.parametrize("path", [
    "/id/../../etc/passwd",
    "/id/..%2F..%2Fetc%2Fpasswd",
    "/id/%2e%2e/%2e%2e/pyproject.toml",
    "/doc/id/..%2F..%2F..%2Fpyproject.toml",
    "/doc/id/../../release.json.ttl",
    "/doc/id/%2e%2e%2f%2e%2e%2fetc%2fpasswd.html",
    "/doc/graph/..%2F..%2Fid%2Fgluteus-medius.ttl",
    "/id/gluteus-medius%00",
    "/id/a%3Eb",
    "/id/gluteus%20medius",
])
def test_path_tricks_are_not_found(client, path):
    response = client.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "root:" not in body and "[project]" not in body and "build-system" not in body
