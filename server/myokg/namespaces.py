"""The IRIs MyoKG publishes under, and the vocabularies its data uses.

Public IRIs never change (they are documented in README.md); the server maps them to its own host.
"""

from rdflib import Namespace

BASE = "https://w3id.org/myokg/"
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
ONTOLOGY_IRI = BASE + "ontology"
MYOKG = Namespace(ONTOLOGY_IRI + "#")
CURATION_GRAPH = GRAPH["myokg-curation"]

OBO = Namespace("http://purl.obolibrary.org/obo/")
DCT = Namespace("http://purl.org/dc/terms/")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

# Prefixes written into Turtle and TriG dumps and used to shorten IRIs in messages.
PREFIXES = {
    "myokg": str(MYOKG),
    "id": str(ID),
    "graph": str(GRAPH),
    "obo": str(OBO),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": str(DCT),
    "schema": str(SCHEMA),
    "void": str(VOID),
    "dcat": str(DCAT),
    "sh": "http://www.w3.org/ns/shacl#",
}


def shorten(iri: str) -> str:
    """A CURIE for ``iri`` when one of our prefixes covers it, else the IRI in angle brackets."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"
