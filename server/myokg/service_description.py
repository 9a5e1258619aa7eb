"""The SPARQL 1.1 Service Description of the endpoint: what it speaks, in which formats, over which data.

sd:endpoint is the URL the client used, so the description is right behind any proxy or host name.
"""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .formats import GRAPH_FORMATS, RESULT_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DCT = "http://purl.org/dc/terms/"
XSD_INTEGER = NamedNode("http://www.w3.org/2001/XMLSchema#integer")

# W3C's IRIs for the formats (https://www.w3.org/ns/formats/), by media type.
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF_XML",
    "application/ld+json": "JSON-LD",
    "application/n-quads": "N-Quads",
    "application/trig": "TriG",
}


def _count(n: int) -> Literal:
    return Literal(str(n), datatype=XSD_INTEGER)


def describe(endpoint: str, dataset_iri: str, union_triples: int, graph_triples: dict[str, int],
             union_graphs: list[str]) -> list[Triple]:
    """The description as triples. ``graph_triples`` maps each named graph to its number of triples; the
    default graph is the union of ``union_graphs`` (MyoKG's own, not the imported ones)."""
    service, dataset, default_graph = BlankNode(), BlankNode(), BlankNode()
    triples = [
        Triple(service, RDF_TYPE, NamedNode(SD + "Service")),
        Triple(service, NamedNode(SD + "endpoint"), NamedNode(endpoint)),
        Triple(service, NamedNode(SD + "supportedLanguage"), NamedNode(SD + "SPARQL11Query")),
        Triple(service, NamedNode(SD + "defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, NamedNode(SD + "Dataset")),
        Triple(dataset, NamedNode(DCT + "source"), NamedNode(dataset_iri)),
        Triple(dataset, NamedNode(SD + "defaultGraph"), default_graph),
        Triple(default_graph, RDF_TYPE, NamedNode(SD + "Graph")),
        Triple(default_graph, NamedNode(VOID + "triples"), _count(union_triples)),
    ]
    if set(graph_triples) <= set(union_graphs):  # sd:UnionDefaultGraph: the default graph merges every named one
        triples.append(Triple(service, NamedNode(SD + "feature"), NamedNode(SD + "UnionDefaultGraph")))
    for media_type in [f.media_type for f in RESULT_FORMATS + GRAPH_FORMATS]:
        triples.append(Triple(service, NamedNode(SD + "resultFormat"),
                              NamedNode("http://www.w3.org/ns/formats/" + FORMAT_IRIS[media_type])))
    for name, count in sorted(graph_triples.items()):
        named, graph = BlankNode(), BlankNode()
        triples += [
            Triple(dataset, NamedNode(SD + "namedGraph"), named),
            Triple(named, RDF_TYPE, NamedNode(SD + "NamedGraph")),
            Triple(named, NamedNode(SD + "name"), NamedNode(name)),
            Triple(named, NamedNode(SD + "graph"), graph),
            Triple(graph, RDF_TYPE, NamedNode(SD + "Graph")),
            Triple(graph, NamedNode(VOID + "triples"), _count(count)),
        ]
    return triples
