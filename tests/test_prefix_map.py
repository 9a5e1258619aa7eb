"""The one prefix map: it loads with `curies`, expands and compacts our CURIEs as the data writes them,
covers every IRI of a release (but for the few listed below), and is served at /prefixes.json for any
origin and to the query editor."""

from __future__ import annotations

import json

import curies
from rdflib import Dataset, Graph, Literal, URIRef

from myokg.namespaces import BASE, PREFIX_MAP, PREFIXES
from myokg.sssom import CURIE_PREFIXES
from myokg.web import create_app

# IRIs of a release that are not terms of any vocabulary, so no prefix need cover them: the site's own
# documents (the dataset, its endpoint, the ontology and shapes documents, the ontology's versions, the
# download files), licences and IANA media types.
NOT_VOCABULARY = (BASE + "dataset", BASE + "sparql", BASE + "ontology", BASE + "shapes", BASE + "downloads/", BASE + "team",
                  "https://creativecommons.org/licenses/", "https://www.iana.org/assignments/media-types/")


def test_loads_with_curies_and_round_trips():
    converter = curies.Converter.from_prefix_map(PREFIX_MAP)
    for curie, iri in [("UBERON:0001371", "http://purl.obolibrary.org/obo/UBERON_0001371"),
                       ("FMA:22315", "http://purl.obolibrary.org/obo/FMA_22315"),
                       ("RO:0002372", "http://purl.obolibrary.org/obo/RO_0002372"),
                       ("BFO:0000050", "http://purl.obolibrary.org/obo/BFO_0000050"),
                       ("myokg.id:gluteus-medius", "https://w3id.org/myokg/id/gluteus-medius"),
                       ("myokg:Muscle", "https://w3id.org/myokg/ontology#Muscle"),
                       ("graph:uberon", "https://w3id.org/myokg/graph/uberon"),
                       ("semapv:ManualMappingCuration", "https://w3id.org/semapv/vocab/ManualMappingCuration")]:
        assert converter.expand(curie) == iri
        assert converter.compress(iri) == curie
    assert converter.compress("https://example.org/x") is None


def test_the_dump_prefixes_and_the_sssom_prefixes_come_from_it():
    assert PREFIXES.items() <= PREFIX_MAP.items()
    assert set(CURIE_PREFIXES) <= set(PREFIX_MAP)
    for prefix in ("myokg", "myokg.id", "graph", "UBERON", "FMA", "RO", "BFO", "IAO", "obo", "skos", "rdfs", "owl", "dct",
                   "schema", "void", "dcat", "sh", "semapv"):
        assert prefix in PREFIX_MAP


def _iris(graph):
    for quad in graph.quads() if isinstance(graph, Dataset) else graph:
        for term in quad:
            if isinstance(term, URIRef) and str(term) != "urn:x-rdflib:default":
                yield str(term)
            elif isinstance(term, Literal) and term.datatype is not None:
                yield str(term.datatype)


def test_every_iri_of_the_release_is_covered(release):
    converter = curies.Converter.from_prefix_map(PREFIX_MAP)
    dataset = Dataset()
    dataset.parse(release.dumps_path / f"myokg-{release.version}.nq", format="nquads")
    files = [Graph().parse(release.dumps_path / name)
             for name in ("void.ttl", f"myokg-ontology-{release.version}.ttl", f"myokg-shapes-{release.version}.ttl")]
    iris = set(_iris(dataset)).union(*(set(_iris(g)) for g in files))
    assert len(iris) > 1000
    uncovered = sorted(i for i in iris if converter.compress(i) is None and not i.startswith(NOT_VOCABULARY)
                       and i != BASE)  # the home page
    assert uncovered == []


def test_served_with_cors_and_read_by_the_query_editor(release):
    client = create_app(release, workers=1).test_client()
    response = client.get("/prefixes.json")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert json.loads(response.data) == PREFIX_MAP
    assert curies.Converter.from_prefix_map(json.loads(response.data)).expand("UBERON:0001371")
    page = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    config = json.loads(page.split('id="query-ui-config">', 1)[1].split("</script>", 1)[0])
    assert config["prefixes"] == "/prefixes.json"
    script = client.get("/static/query-ui.js").get_data(as_text=True)
    assert "prefixCcApi: config.prefixes" in script


def test_only_get_is_allowed(release):
    """The map is read-only: a POST is refused with 405 and the allowed methods named."""
    response = create_app(release, workers=1).test_client().post("/prefixes.json", data="{}")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
