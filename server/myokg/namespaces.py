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
    "myokg.id": str(ID),
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

# OBO ontologies we map to or take relations from, in the OBO convention: UBERON:0001371 is
# http://purl.obolibrary.org/obo/UBERON_0001371.
OBO_PREFIXES = {name: f"{OBO}{name}_" for name in ("UBERON", "FMA", "RO", "BFO", "BSPO", "IAO")}

# Every prefix MyoKG uses anywhere (data, ontology, shapes, VoID, SSSOM, the query UI), as a simple prefix
# map in the Bioregistry / `curies` convention: served at /prefixes.json. The dumps use PREFIXES, its first
# part; the OBO-specific prefixes make CURIEs such as UBERON:0001371 and RO:0002372 resolvable.
PREFIX_MAP = {
    **PREFIXES,
    **OBO_PREFIXES,
    "shapes": BASE + "shapes#",
    "vann": "http://purl.org/vocab/vann/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "semapv": "https://w3id.org/semapv/vocab/",
    "sssom": "https://w3id.org/sssom/",
}


def shorten(iri: str) -> str:
    """A CURIE for ``iri`` when one of our prefixes covers it, else the IRI in angle brackets."""
    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>"
    prefix = next(p for p, ns in PREFIXES.items() if ns == best)
    return f"{prefix}:{iri[len(best):]}"


def compact(iri: str) -> str | None:
    """The CURIE of ``iri`` under PREFIX_MAP (longest matching URI prefix, e.g. UBERON:0001371), or None."""
    best = max((p for p, ns in PREFIX_MAP.items() if iri.startswith(ns)), key=lambda p: len(PREFIX_MAP[p]), default=None)
    return None if best is None else f"{best}:{iri[len(PREFIX_MAP[best]):]}"
