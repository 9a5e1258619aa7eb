"""The home page (what MyoKG is, live counts, links, embedded schema.org Dataset) and /browse (by class,
by body region), over the session release."""

from __future__ import annotations

import html
import json
import re

import pytest
from pyoxigraph import NamedNode, Store
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from conftest import copy_seed, edit
from myokg.release import build_release
from myokg.web import create_app

MYOKG = "https://w3id.org/myokg/ontology#"
ID = "https://w3id.org/myokg/id/"
SCHEMA = "https://schema.org/"
TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PART_OF = NamedNode("http://purl.obolibrary.org/obo/BFO_0000050")


@pytest.fixture(scope="module")
def store(release):
    return Store.read_only(str(release.store_path))


def instances(store, cls: str) -> set[str]:
    return {q.subject.value for q in store.quads_for_pattern(None, TYPE, NamedNode(MYOKG + cls), None)}


def label(store, iri: str) -> str:
    return next(q.object.value for q in store.quads_for_pattern(NamedNode(iri), LABEL, None, None))


def embedded_jsonld(page: str) -> str:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return script


# --- Home page ---------------------------------------------------------------------------------------

def test_home_page_says_what_it_is_with_live_counts_and_links(client, release, store):
    response = client.get("/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "open knowledge graph of the human skeletal muscles" in page
    assert f"Release <strong>{release.version}</strong>" in page
    assert f"<strong>{release.manifest['triples']:,}</strong> triples" in page
    for cls in ("Muscle", "TriggerPoint", "Nerve", "BodyRegion"):
        count = len(instances(store, cls))
        assert re.search(rf'<a href="/browse/{cls}">[^<]+</a></td><td class="num">{count}</td>', page), cls
    for target in ("/sparql", "/pain", "/downloads/", "/ontology", "/browse", "/.well-known/void"):
        assert f'<a href="{target}">' in page


def test_home_page_embeds_the_dataset_in_schema_org(client, release, store):
    page = client.get("/").get_data(as_text=True)
    dataset = json.loads(embedded_jsonld(page))
    assert dataset["@type"] == "Dataset"
    assert dataset["version"] == release.version
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["url"] == "http://localhost/"
    assert dataset["sdPublisher"]["name"] == dataset["creator"]["name"] == "The MyoKG team"
    assert "trigger point" in " ".join(dataset["keywords"])
    assert dataset["size"]["value"] == release.manifest["triples"]
    measured = {v["name"]: v["value"] for v in dataset["variableMeasured"]}
    assert measured["muscle (instances)"] == len(instances(store, "Muscle"))
    downloads = {d["contentUrl"]: d for d in dataset["distribution"]}
    for entry in release.manifest["files"]:
        url = f"http://localhost/downloads/{release.version}/{entry['name']}"
        assert downloads[url]["sha256"] == entry["sha256"]
    assert downloads[f"http://localhost/downloads/{release.version}/myokg-{release.version}.ttl"]["encodingFormat"] == "text/turtle"

    # It is JSON-LD with its context inline: a reader needs no network to read it as RDF.
    graph = Graph().parse(data=embedded_jsonld(page), format="json-ld")
    dataset_iri = URIRef("https://w3id.org/myokg/dataset")
    assert (dataset_iri, RDF.type, URIRef(SCHEMA + "Dataset")) in graph
    assert (dataset_iri, URIRef(SCHEMA + "version"), Literal(release.version)) in graph
    assert len(list(graph.objects(dataset_iri, URIRef(SCHEMA + "distribution")))) == len(release.manifest["files"])


def test_markup_in_labels_cannot_break_out_of_the_script(tree_copy, tmp_path):
    hostile = '</script><script>alert(1)</script>'
    edit(tree_copy.ontology_file, 'rdfs:label "muscle"@en ;', f'rdfs:label "{hostile}"@en ;')
    app = create_app(build_release(tree_copy, tmp_path / "r"), workers=1)
    try:
        page = app.test_client().get("/").get_data(as_text=True)
    finally:
        app.extensions["myokg.queries"].close()
    assert hostile not in page
    assert page.count("<script") == page.count("</script>") == 2  # the JSON-LD and the search suggestions
    measured = {v["name"] for v in json.loads(embedded_jsonld(page))["variableMeasured"]}
    assert f"{hostile} (instances)" in measured
    assert html.escape(hostile) in page  # the table shows it as text


# --- Browse by class ------------------------------------------------------------------------------------

def test_browse_lists_every_class_with_its_count(client, store):
    response = client.get("/browse")
    assert response.status_code == 200
    assert "Accept" in response.vary
    page = response.get_data(as_text=True)
    classes = {q.subject.value for q in store.quads_for_pattern(
        None, TYPE, NamedNode("http://www.w3.org/2002/07/owl#Class"), NamedNode("https://w3id.org/myokg/ontology"))
        if q.subject.value.startswith(MYOKG)}
    assert len(classes) > 20
    for cls in classes:
        name = cls.removeprefix(MYOKG)
        count = len(instances(store, name))
        assert re.search(rf'<a href="http://localhost/browse/{name}">[^<]+</a></td><td class="num">{count}</td>', page), name


@pytest.mark.parametrize("path, headers", [("/browse/Nerve", {}), ("/browse/Nerve.json", {}),
                                           ("/browse/Nerve", {"Accept": "application/json"})])
def test_class_listing_is_alphabetical_with_links(client, store, path, headers):
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    nerves = instances(store, "Nerve")
    expected = sorted(((label(store, n), n) for n in nerves), key=lambda p: (p[0].casefold(), p[1]))
    if path.endswith(".json") or headers:
        body = response.get_json()
        assert body["class"]["name"] == "Nerve"
        assert [(i["label"], i["iri"]) for i in body["instances"]] == expected
        assert all(i["href"] == "http://localhost/id/" + i["iri"].removeprefix(ID) for i in body["instances"])
    else:
        links = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', response.get_data(as_text=True))
        assert [(href, html.unescape(text)) for href, text in links] == [
            ("http://localhost/id/" + iri.removeprefix(ID), name) for name, iri in expected]


def test_class_listing_follows_the_configured_base(release):
    app = create_app(release, workers=1, base_iri="https://w3id.org/myokg/")
    try:
        body = app.test_client().get("/browse/Muscle.json").get_json()
    finally:
        app.extensions["myokg.queries"].close()
    assert {"iri": ID + "gluteus-medius", "label": "gluteus medius", "href": ID + "gluteus-medius"} in body["instances"]


@pytest.mark.parametrize("path", ["/browse/muscle", "/browse/NoSuchClass", "/browse/NoSuchClass.json",
                                  "/browse/rdfs:Class"])
def test_unknown_class(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert "has no class" in text and "Muscle" in text


# --- Browse by body region ------------------------------------------------------------------------------

def walk(regions, depth=0):
    for region in regions:
        yield region, depth
        yield from walk(region["parts"], depth + 1)


def test_region_tree_holds_every_region_with_its_muscles(client, store):
    body = client.get("/browse.json").get_json()
    regions = instances(store, "BodyRegion")
    seen = {r["iri"] for r, _ in walk(body["regions"])}
    assert seen == regions
    assert body["region_count"] == len(regions)
    parents = {q.subject.value: q.object.value for q in store.quads_for_pattern(None, PART_OF, None, None)
               if q.subject.value in regions and q.object.value in regions}
    for root in body["regions"]:
        assert root["iri"] not in parents
    muscles = instances(store, "Muscle")
    for region, _ in walk(body["regions"]):
        direct = {q.subject.value for q in store.quads_for_pattern(None, PART_OF, NamedNode(region["iri"]), None)
                  if q.subject.value in muscles}
        assert {m["iri"] for m in region["muscles"]} == direct, region["iri"]
        below = set(direct)
        for part, _ in walk(region["parts"]):
            below |= {m["iri"] for m in part["muscles"]}
        assert region["total"] == len(below), region["iri"]
        for part in region["parts"]:
            assert parents.get(part["iri"]) == region["iri"] or (part["iri"], region["iri"]) in {
                (q.subject.value, q.object.value) for q in store.quads_for_pattern(NamedNode(part["iri"]), PART_OF, None, None)}


def test_region_tree_on_the_page(client):
    page = client.get("/browse").get_data(as_text=True)
    lateral_hip = page.index('<a href="http://localhost/id/lateral-hip">lateral hip</a>')
    hip = page.index('<a href="http://localhost/id/hip">hip</a>')
    assert hip < lateral_hip < page.index('<a href="http://localhost/id/gluteus-medius">gluteus medius</a>', lateral_hip)
    assert client.get("/browse", headers={"Accept": "application/json"}).get_json()["regions"]
