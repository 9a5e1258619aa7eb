"""The ontology IRI: 303s by Accept, the OWL file in each format, and HTML documentation of every term with
its label, definition, axioms, mappings and usage counted in the served store."""

from __future__ import annotations

import html
import re

import pytest
from pyoxigraph import NamedNode, Store
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from conftest import copy_seed
from myokg.release import build_release
from myokg.web import create_app

MYOKG = "https://w3id.org/myokg/ontology#"
DEPRECATED_TERM = """
myokg:nerveSupply a owl:ObjectProperty ;
    rdfs:label "nerve supply"@en ;
    skos:definition "Links a muscle to its nerve. Use RO's innervated by instead."@en ;
    owl:deprecated true ;
    obo:IAO_0100001 obo:RO_0002005 ;
    dct:isReplacedBy obo:RO_0002005 .

myokg:Fascicle a owl:Class ;
    rdfs:label "fascicle <b>bundle</b>"@en ;
    skos:definition "A bundle of muscle fibres & its sheath."@en .
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed with a deprecated property and a class whose label holds markup, built and served."""
    base = tmp_path_factory.mktemp("ontology")
    tree = copy_seed(base / "source")
    with tree.ontology_file.open("a", encoding="utf-8") as ontology:
        ontology.write(DEPRECATED_TERM)
    release = build_release(tree, base / "releases")
    app = create_app(release, workers=1)
    yield tree, release, app.test_client()
    app.extensions["myokg.queries"].close()


@pytest.fixture(scope="module")
def client(built):
    return built[2]


@pytest.fixture(scope="module")
def docs_page(client) -> str:
    response = client.get("/doc/ontology.html")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def entries(page: str) -> dict[str, tuple[str, str]]:
    """Each term's entry on the page by its anchor: (class attribute, inner HTML)."""
    return {m.group(2): (m.group(1), m.group(3))
            for m in re.finditer(r'<article class="(term[^"]*)" id="([^"]+)">(.*?)</article>', page, re.S)}


@pytest.mark.parametrize("accept, target", [
    (None, "html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/rdf+xml, text/html;q=0.5", "rdf"),
])
def test_ontology_iri_redirects_by_accept(client, accept, target):
    response = client.get("/ontology", headers={"Accept": accept} if accept else {})
    assert response.status_code == 303
    assert response.headers["Location"] == f"http://localhost/doc/ontology.{target}"
    assert "Accept" in response.vary


def test_ontology_iri_refuses_what_it_cannot_give(client):
    response = client.get("/ontology", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "Accept" in response.vary
    assert "application/rdf+xml" in response.get_data(as_text=True)


def test_redirect_follows_the_configured_base(built):
    _, release, _ = built
    app = create_app(release, workers=1, base_iri="https://w3id.org/myokg")
    try:
        response = app.test_client().get("/ontology", headers={"Accept": "text/turtle"})
        assert response.headers["Location"] == "https://w3id.org/myokg/doc/ontology.ttl"
    finally:
        app.extensions["myokg.queries"].close()


def test_turtle_is_the_owl_file_as_written(client, built):
    tree, _, _ = built
    response = client.get("/doc/ontology.ttl")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert response.data == tree.ontology_file.read_bytes()
    assert client.get("/doc/ontology.ttl", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("extension, media_type, rdflib_format", [
    ("jsonld", "application/ld+json", "json-ld"), ("nt", "application/n-triples", "nt"),
    ("rdf", "application/rdf+xml", "xml"),
])
def test_other_formats_hold_the_same_graph(client, built, extension, media_type, rdflib_format):
    tree, _, _ = built
    response = client.get(f"/doc/ontology.{extension}")
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert isomorphic(Graph().parse(data=response.data, format=rdflib_format), Graph().parse(tree.ontology_file))
    links = response.headers["Link"]
    for other in ("ttl", "jsonld", "nt", "rdf"):
        assert f"<http://localhost/doc/ontology.{other}>; rel=\"alternate\"" in links


def test_unknown_document_format(client):
    response = client.get("/doc/ontology.owx")
    assert response.status_code == 404
    assert ".rdf" in response.get_data(as_text=True)


def test_every_term_has_an_entry_with_label_definition_and_usage(built, docs_page):
    tree, release, _ = built
    ontology = Graph().parse(tree.ontology_file)
    store = Store.read_only(str(release.store_path))
    found = entries(docs_page)
    kinds = {OWL.Class: "instances", OWL.ObjectProperty: "statements", OWL.DatatypeProperty: "statements",
             OWL.AnnotationProperty: "statements"}
    checked = 0
    for kind, unit in kinds.items():
        for term in ontology.subjects(RDF.type, kind):
            iri = str(term)
            anchor = iri.removeprefix(MYOKG) if iri.startswith(MYOKG) else ontology.namespace_manager.qname(term)
            assert anchor in found, f"no entry for {iri}"
            _, entry = found[anchor]
            text = html.unescape(entry)
            assert str(ontology.value(term, RDFS.label)) in text
            definition = ontology.value(term, URIRef("http://www.w3.org/2004/02/skos/core#definition"))
            if definition is not None:
                assert str(definition) in text
            if kind == OWL.Class:
                used = {q.subject for q in store.quads_for_pattern(
                    None, NamedNode(str(RDF.type)), NamedNode(iri), None)}
            else:
                used = {(q.subject, q.object) for q in store.quads_for_pattern(None, NamedNode(iri), None, None)}
            assert f'<data value="{len(used)}">' in entry and unit in entry, iri
            checked += 1
    assert checked >= 60


def test_table_of_contents_links_every_entry(docs_page):
    toc = docs_page[docs_page.index('<nav class="toc"'):docs_page.index("</nav>", docs_page.index('<nav class="toc"'))]
    for anchor in entries(docs_page):
        assert f'href="#{anchor}"' in toc


def test_hash_iris_land_on_their_entry(client, docs_page):
    found = entries(docs_page)
    for name in ("Muscle", "TriggerPoint", "refersPainTo", "latinName"):
        assert name in found
    assert client.get("/ontology").headers["Location"].endswith("/doc/ontology.html")


def test_axioms_and_mappings_are_shown(docs_page):
    found = entries(docs_page)
    at_joint = found["atJoint"][1]
    assert 'Domain</dt><dd><a href="#Movement"' in at_joint
    assert 'Range</dt><dd><a href="#Joint"' in at_joint
    assert "Characteristics</dt><dd>functional" in at_joint
    assert 'Subclass of</dt><dd><a href="#Nerve"' in found["CranialNerve"][1]
    assert 'Equivalent class</dt><dd><a href="#schema:Muscle"' in found["Muscle"][1]  # declared, with its label
    origin = found["obo:RO_0002372"][1]
    assert "has muscle origin" in origin and "Relation Ontology (RO)" in origin
    assert '<a href="#obo:RO_0002371" title="http://purl.obolibrary.org/obo/RO_0002371">attaches to</a>' in origin
    assert "Instance of</dt><dd><a href=\"#MovementType\"" in found["Abduction"][1]


def test_deprecated_term_is_marked_with_its_replacement(docs_page):
    css, entry = entries(docs_page)["nerveSupply"]
    assert "deprecated" in css
    assert '<span class="badge">deprecated</span>' in entry
    assert 'Replaced by <a href="#obo:RO_0002005"' in entry
    assert 'nerve supply</a> (deprecated)' in docs_page
    assert "deprecated" not in entries(docs_page)["Muscle"][0]


def test_markup_in_the_ontology_is_escaped(docs_page):
    assert "<b>bundle</b>" not in docs_page
    assert "fascicle &lt;b&gt;bundle&lt;/b&gt;" in docs_page
    assert "fibres &amp; its sheath" in docs_page
