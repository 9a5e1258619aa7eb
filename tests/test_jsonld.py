"""JSON-LD for application developers: the context covers every term, documents read like plain JSON, and
PyLD and jsonld.js both read them back as exactly the graph the Turtle says, never fetching a context."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pyld import jsonld as pyld
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Store, Triple, serialize
from rdflib import OWL, RDF, Graph
from rdflib.compare import isomorphic

from conftest import REPO
from myokg import jsonld

VERSION = "0.1.0"
GLUTEUS_MEDIUS = "https://w3id.org/myokg/id/gluteus-medius"
NODE_CONVERTER = REPO / "tests" / "jsonld_to_nquads.js"
JSONLD_JS = REPO / "server" / "myokg" / "web" / "node_modules" / "jsonld"

# A muscle's description as the resource documents gather it: its own statements, its trigger points'
# statements, and the labels of everything either links to.
DESCRIPTION = """
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
CONSTRUCT { ?s ?p ?o . ?o rdfs:label ?label } WHERE {
    { BIND(<%(iri)s> AS ?s) ?s ?p ?o } UNION { <%(iri)s> myokg:hasTriggerPoint ?s . ?s ?p ?o }
    OPTIONAL { ?o rdfs:label ?label }
}"""


# --- Converting JSON-LD to RDF, offline ------------------------------------------------------------

def refuse(url, options=None):
    raise pyld.JsonLdError(f"refused to load {url}: documents must carry their context inline",
                           "loading document failed")


def graph_by_pyld(document: dict, loader=refuse) -> Graph:
    nquads = pyld.to_rdf(document, {"format": "application/n-quads", "documentLoader": loader})
    return Graph().parse(data=nquads, format="nt")


def run_jsonld_js(document: dict) -> subprocess.CompletedProcess:
    assert shutil.which("node"), "Node.js is needed to check JSON-LD with jsonld.js: install nodejs (CI has it)."
    assert JSONLD_JS.is_dir(), "jsonld.js is missing: run `npm ci --prefix server/myokg/web`."
    return subprocess.run(["node", str(NODE_CONVERTER)], input=json.dumps(document), capture_output=True,
                          text=True, timeout=120)


def graph_by_jsonld_js(document: dict) -> Graph:
    result = run_jsonld_js(document)
    assert result.returncode == 0, result.stderr
    return Graph().parse(data=result.stdout, format="nt")


def graph_of(triples) -> Graph:
    """``triples`` written as Turtle by Oxigraph and read back by rdflib: the reference to compare with."""
    return Graph().parse(data=serialize(triples, format=RdfFormat.TURTLE).decode(), format="turtle")


CONVERTERS = {"pyld": graph_by_pyld, "jsonld.js": graph_by_jsonld_js}


# --- Fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def store(release):
    return Store.read_only(str(release.store_path))


@pytest.fixture(scope="module")
def muscle_triples(store):
    return list(store.query(DESCRIPTION % {"iri": GLUTEUS_MEDIUS}))


@pytest.fixture(scope="module")
def muscle(muscle_triples):
    return jsonld.resource_document(GLUTEUS_MEDIUS, muscle_triples)


@pytest.fixture(scope="module")
def dump(release):
    return json.loads((release.dumps_path / f"myokg-{VERSION}.jsonld").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def turtle_dump(release):
    return Graph().parse(release.dumps_path / f"myokg-{VERSION}.ttl", format="turtle")


# --- The context ---------------------------------------------------------------------------------

def missing_keys(ontology: Graph, used: Graph) -> list[str]:
    """Terms with no key: ours declared in the ontology, or any used in the data as a property or a class.
    (Other vocabularies' terms the ontology declares only to label them, such as schema:Muscle, which MyoKG's
    classes are equivalent to, appear in documents as compact IRIs, not as keys.)"""
    declared = {s for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
                for s in ontology.subjects(RDF.type, kind) if str(s).startswith(str(jsonld.MYOKG))}
    properties = set(used.predicates()) - {RDF.type}
    classes = set(used.objects(None, RDF.type))
    keyed = set(jsonld.KEYS) | set(jsonld.CLASS_KEYS)
    return sorted(str(term) for term in declared | properties | classes if str(term) not in keyed)


def test_every_term_of_the_ontology_and_the_data_has_a_key(repo_tree, turtle_dump):
    ontology = Graph().parse(repo_tree.ontology_file)
    assert missing_keys(ontology, turtle_dump) == [], "add a key for each to PROPERTIES or CLASSES in jsonld.py"


def test_a_new_term_without_a_key_is_caught(repo_tree, turtle_dump):
    ontology = Graph().parse(repo_tree.ontology_file)
    ontology.parse(data="""@prefix myokg: <https://w3id.org/myokg/ontology#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        myokg:fibreDirection a owl:DatatypeProperty . myokg:Tendon a owl:Class .""", format="turtle")
    used = Graph().parse(data="""<https://w3id.org/myokg/id/x> a <https://schema.org/Drug> ;
        <http://purl.org/dc/terms/alternative> "x" .""", format="turtle")
    assert missing_keys(ontology, used) == [
        "http://purl.org/dc/terms/alternative", "https://schema.org/Drug",
        "https://w3id.org/myokg/ontology#Tendon", "https://w3id.org/myokg/ontology#fibreDirection"]


def test_keys_are_unique_and_say_what_the_ontology_says(repo_tree):
    keys = [key for key, _, _ in jsonld.PROPERTIES] + list(jsonld.CLASS_KEYS.values()) + list(jsonld.NAMESPACES)
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert len(jsonld.KEYS) == len(jsonld.PROPERTIES), "an IRI has two keys"
    published = {  # keys applications already rely on: never change these
        "label": "rdfs:label", "altLabels": "skos:altLabel", "definition": "skos:definition",
        "latinName": "myokg:latinName", "origin": "obo:RO_0002372", "insertion": "obo:RO_0002373",
        "innervatedBy": "obo:RO_0002005", "segments": "myokg:spinalSegment", "actions": "myokg:action",
        "primeMoverOf": "myokg:primeMoverOf", "antagonists": "obo:RO_0002568", "partOf": "obo:BFO_0000050",
        "members": "obo:RO_0002351", "triggerPoints": "myokg:hasTriggerPoint", "locatedIn": "obo:RO_0001025",
        "refersPainTo": "myokg:refersPainTo", "spilloverTo": "myokg:refersSpilloverPainTo",
        "exactMatch": "skos:exactMatch", "closeMatch": "skos:closeMatch", "broadMatch": "skos:broadMatch",
        "narrowMatch": "skos:narrowMatch", "Muscle": "myokg:Muscle", "TriggerPoint": "myokg:TriggerPoint",
    }
    for key, curie in published.items():
        definition = jsonld.CONTEXT[key]
        assert (definition if isinstance(definition, str) else definition["@id"]) == curie, key
    ontology = Graph().parse(repo_tree.ontology_file)
    keyed = [prop for prop in ontology.subjects(RDF.type, OWL.ObjectProperty) if str(prop) in jsonld.KEYS]
    assert len(keyed) > 20
    for prop in keyed:
        assert jsonld.KEYS[str(prop)][1].link, f"{prop} links resources: its key needs \"@type\": \"@id\""
    for prop in ontology.subjects(RDF.type, OWL.DatatypeProperty):
        assert not jsonld.KEYS[str(prop)][1].link, f"{prop} holds literals: its key must not be \"@type\": \"@id\""


def test_the_context_fits_the_data(dump):
    """Every literal of the dump is written in its key's own form, and a key without a list is never given
    two values: so a client can rely on each key's JSON type."""
    singles = {key for key, _, kind in jsonld.PROPERTIES if not kind.many}
    misfits = []
    for node in dump["@graph"]:
        for key, values in node.items():
            assert ":" not in key, f"{node['id']} uses {key}, which has no key in the context"
            if key in singles:
                assert not isinstance(values, list), f"{node['id']} has several {key}"
            for value in values if isinstance(values, list) else [values]:
                if isinstance(value, dict) and ("@language" in value or "@type" not in value) and "id" not in value:
                    misfits.append((node["id"], key, value))
    assert misfits == []


def test_the_published_context_works_by_address(muscle):
    """A document that names the context by its address means the same as one that carries it, provided
    the application loads that address from its own copy, as it should."""
    def local_copy(url, options=None):
        assert url == jsonld.CONTEXT_URL, url
        return {"contextUrl": None, "documentUrl": url, "document": jsonld.context_document()}
    by_address = {**muscle, "@context": jsonld.CONTEXT_URL}
    assert isomorphic(graph_by_pyld(by_address, local_copy), graph_by_pyld(muscle))


# --- A resource document -------------------------------------------------------------------------

def test_a_muscle_reads_like_plain_json(muscle):
    assert muscle["@context"] == jsonld.CONTEXT  # inline, never an address
    assert list(muscle)[:5] == ["@context", "id", "type", "label", "altLabels"]
    assert muscle["id"] == "myokg.id:gluteus-medius"
    assert muscle["type"] == ["Muscle"]
    assert muscle["label"] == "gluteus medius"
    assert muscle["latinName"] == ["musculus gluteus medius"]
    assert {"id": "myokg.id:superior-gluteal-nerve", "label": "superior gluteal nerve"} in muscle["innervatedBy"]
    assert {"id": "myokg.id:greater-trochanter", "label": "greater trochanter"} in muscle["insertion"]
    assert {"id": "myokg.id:l5-spinal-segment", "label": "L5 spinal segment"} in muscle["segments"]
    assert {"id": "obo:UBERON_0001371"} in muscle["exactMatch"]
    assert all(":" not in key for key in muscle if key != "@context")


def test_a_muscle_embeds_its_trigger_points_and_their_pain_zones(muscle):
    points = muscle["triggerPoints"]
    assert [p["id"] for p in points] == [f"myokg.id:gluteus-medius/tp{n}" for n in (1, 2, 3)]
    second = points[1]
    assert second["type"] == ["TriggerPoint"] and second["label"] == "gluteus medius trigger point 2"
    assert {"id": "myokg.id:lateral-hip", "label": "lateral hip"} in second["refersPainTo"]
    assert {"id": "myokg.id:lateral-thigh", "label": "lateral thigh"} in second["spilloverTo"]
    # The muscle itself is mentioned, not written out again.
    assert {"id": "myokg.id:gluteus-medius", "label": "gluteus medius"} in second["locatedIn"]
    assert "@context" not in json.dumps(points)


def test_a_document_does_not_depend_on_the_order_of_its_triples(muscle_triples, muscle):
    shuffled = list(muscle_triples)
    random.Random(6).shuffle(shuffled)
    assert jsonld.dumps(jsonld.resource_document(GLUTEUS_MEDIUS, shuffled)) == jsonld.dumps(muscle)


@pytest.mark.parametrize("converter", CONVERTERS)
def test_a_muscle_document_is_the_same_graph_as_its_turtle(converter, muscle, muscle_triples):
    expected = graph_of(muscle_triples)
    assert len(expected) > 150
    assert isomorphic(CONVERTERS[converter](muscle), expected)


def iri(slug: str) -> NamedNode:
    return NamedNode("https://w3id.org/myokg/id/" + slug)


MYOKG = "https://w3id.org/myokg/ontology#"
RDFS_LABEL = NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
XSD = "http://www.w3.org/2001/XMLSchema#"

# Statements a resource document must carry whatever their shape: a node that links to the resource but is
# not reached from it, one unconnected to it, a blank node, literals in other languages and datatypes than
# their key expects, an IRI where a literal is expected, a property and a class without a key.
AWKWARD = [
    Triple(iri("m"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode(MYOKG + "Muscle")),
    Triple(iri("m"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), NamedNode("https://example.org/C")),
    Triple(iri("m"), NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), Literal("not a class")),
    Triple(iri("m"), RDFS_LABEL, Literal("m", language="en")),
    Triple(iri("m"), RDFS_LABEL, Literal("Muskel", language="de")),
    Triple(iri("m"), RDFS_LABEL, Literal("plain")),
    Triple(iri("m"), NamedNode(MYOKG + "latinName"), Literal("musculus", language="la")),
    Triple(iri("m"), NamedNode(MYOKG + "actionUnknown"), Literal("true", datatype=NamedNode(XSD + "boolean"))),
    Triple(iri("m"), NamedNode(MYOKG + "clinicalNote"), Literal("1", datatype=NamedNode(XSD + "integer"))),
    Triple(iri("m"), NamedNode(MYOKG + "clinicalNote"), iri("note")),
    Triple(iri("m"), NamedNode("http://purl.org/dc/terms/issued"), Literal("1992", datatype=NamedNode(XSD + "gYear"))),
    Triple(iri("m"), NamedNode("https://example.org/p"), Literal("x")),
    Triple(iri("m"), NamedNode(MYOKG + "refersPainTo"), Literal("not a link")),
    Triple(iri("m"), NamedNode(MYOKG + "hasTriggerPoint"), BlankNode("tp")),
    Triple(BlankNode("tp"), NamedNode("http://purl.obolibrary.org/obo/RO_0001025"), iri("m")),
    Triple(iri("group"), NamedNode("http://purl.obolibrary.org/obo/RO_0002351"), iri("m")),
    Triple(iri("group"), RDFS_LABEL, Literal("group", language="en")),
    Triple(iri("elsewhere"), RDFS_LABEL, Literal("elsewhere", language="en")),
]


@pytest.mark.parametrize("converter", CONVERTERS)
def test_every_kind_of_statement_survives(converter):
    document = jsonld.resource_document(iri("m").value, AWKWARD)
    assert document["@reverse"] == {"members": [{"id": "myokg.id:group", "label": "group"}]}
    assert document["@included"] == [{"id": "myokg.id:elsewhere", "label": "elsewhere"}]
    assert document["actionUnknown"] is True
    assert sorted(document["type"]) == ["Muscle", "https://example.org/C"]
    assert isomorphic(CONVERTERS[converter](document), graph_of(AWKWARD))


# --- The whole dump ------------------------------------------------------------------------------

def test_the_dump_is_compact_with_the_context_inline(dump):
    assert dump["@context"] == jsonld.CONTEXT
    node = next(n for n in dump["@graph"] if n["id"] == "myokg.id:gluteus-medius")
    assert node["label"] == "gluteus medius"
    assert "myokg.id:gluteus-medius/tp1" in node["triggerPoints"]
    assert "myokg.id:superior-gluteal-nerve" in node["innervatedBy"]


@pytest.mark.parametrize("converter", CONVERTERS)
def test_the_dump_is_the_same_graph_as_the_turtle_dump(converter, dump, turtle_dump):
    assert isomorphic(CONVERTERS[converter](dump), turtle_dump)


def test_the_release_carries_the_context(release):
    path = release.dumps_path / "context.jsonld"
    assert json.loads(path.read_text(encoding="utf-8")) == jsonld.context_document()
    assert "context.jsonld" in {f["name"] for f in release.manifest["files"]}
    assert any(line.endswith("  context.jsonld") for line in (release.dumps_path / "SHA256SUMS").read_text().splitlines())


# --- No document is fetched ----------------------------------------------------------------------

@pytest.fixture
def context_server():
    """A local HTTP server that would answer with a context, and counts the requests it gets."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            body = json.dumps({"@context": {"name": "https://schema.org/name"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/context.jsonld", requests
    server.shutdown()
    server.server_close()


def test_pyld_refuses_a_remote_context(context_server):
    url, requests = context_server
    with pytest.raises(pyld.JsonLdError) as refused:
        graph_by_pyld({"@context": url, "@id": "https://example.org/x", "name": "x"})
    causes, error = [], refused.value
    while error is not None:
        causes.append(str(error))
        error = error.__cause__
    assert any("refused to load " + url in cause for cause in causes), causes
    assert requests == []


def test_jsonld_js_refuses_a_remote_context(context_server):
    url, requests = context_server
    result = run_jsonld_js({"@context": url, "@id": "https://example.org/x", "name": "x"})
    assert result.returncode == 2
    assert "refused to load " + url in result.stderr
    assert requests == []


# --- /context.jsonld -----------------------------------------------------------------------------

def test_the_context_is_served_to_any_origin_with_a_validator(client, release):
    response = client.get("/context.jsonld")
    assert response.status_code == 200
    assert response.mimetype == "application/ld+json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.get_json(force=True) == jsonld.context_document()
    assert response.data == (release.dumps_path / "context.jsonld").read_bytes()
    again = client.get("/context.jsonld", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    stale = client.get("/context.jsonld", headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.data == response.data


def test_the_context_only_answers_reads(client):
    response = client.post("/context.jsonld", data="{}")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
