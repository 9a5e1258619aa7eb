"""Write the small Uberon extract the tests import in place of the full Uberon ext release.

The cross-ontology example queries in queries/ (marked ``# requires: uberon import``) need Uberon in the
store; the tests must not read ../shared, so they import this extract instead. It holds, from the full file,
exactly what those queries read: for every skeletal muscle organ and every Uberon class MyoKG maps anything
to, and for all their superclasses, the label, the named superclasses, the FMA cross-references, and the
restrictions on part of (BFO:0000050), has muscle origin (RO:0002372) and has muscle insertion (RO:0002373),
with the labels of what those restrictions point to.

    .venv/bin/python tools/uberon_extract.py ../shared/reference/uberon/uberon-ext-2016-05-11.owl.gz \\
        tests/data/uberon-extract.ttl

Uberon is distributed under CC BY 3.0 (http://obophenotype.github.io/uberon/; Mungall et al., "Uberon, an
integrative multi-species anatomy ontology", Genome Biology 2012); the extract keeps that licence and says so.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import sys
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, RdfFormat, Store, Triple, serialize

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "server"))

from myokg.content import find_source  # noqa: E402

UBERON = "http://purl.obolibrary.org/obo/uberon/ext.owl"
PREFIXES = {
    "obo": "http://purl.obolibrary.org/obo/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
}
HEADER = f"""# An extract of Uberon (ext release 2016-05-11, <{UBERON}>) for MyoKG's tests: the classes the
# cross-ontology example queries read. Made by tools/uberon_extract.py from the full release; do not edit.
# Uberon is licensed under CC BY 3.0 (https://creativecommons.org/licenses/by/3.0/):
# http://obophenotype.github.io/uberon/ - Mungall et al., "Uberon, an integrative multi-species anatomy
# ontology", Genome Biology 13:R5 (2012).
"""

# The classes to keep: skeletal muscle organs, the classes MyoKG maps anything to, and all their superclasses.
CLASSES = """
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?c WHERE {
  { GRAPH <%(g)s> { ?seed rdfs:subClassOf* obo:UBERON_0014892 } }
  UNION { ?ours skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?seed }
  GRAPH <%(g)s> { ?seed rdfs:subClassOf* ?c FILTER isIRI(?c) }
}"""
# What the queries read about one kept class.
CLASS_FACTS = """
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oboInOwl: <http://www.geneontology.org/formats/oboInOwl#>
CONSTRUCT {
  ?c a owl:Class ; rdfs:label ?label ; rdfs:subClassOf ?super ; oboInOwl:hasDbXref ?fma ;
     rdfs:subClassOf ?r . ?r a owl:Restriction ; owl:onProperty ?p ; owl:someValuesFrom ?v . ?v rdfs:label ?vl .
} WHERE { GRAPH <%(g)s> {
  VALUES ?c { %(classes)s }
  { ?c rdfs:label ?label } UNION { ?c rdfs:subClassOf ?super FILTER isIRI(?super) }
  UNION { ?c oboInOwl:hasDbXref ?fma FILTER STRSTARTS(STR(?fma), "FMA:") }
  UNION { ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:someValuesFrom ?v FILTER isIRI(?v)
          VALUES ?p { obo:BFO_0000050 obo:RO_0002372 obo:RO_0002373 }
          OPTIONAL { ?v rdfs:label ?vl } }
} }"""


def extract(uberon_file: Path) -> list[Triple]:
    store = Store()
    with gzip.open(uberon_file, "rb") if uberon_file.suffix == ".gz" else uberon_file.open("rb") as source:
        store.bulk_load(source, RdfFormat.RDF_XML, to_graph=NamedNode(UBERON), base_iri=UBERON)
    for path in find_source(REPO).data_files:
        store.bulk_load(path=str(path), format=RdfFormat.TRIG)
    classes = sorted(row["c"].value for row in store.query(CLASSES % {"g": UBERON}, use_default_graph_as_union=True))
    result = set(store.query(CLASS_FACTS % {"g": UBERON, "classes": " ".join(f"<{c}>" for c in classes)}))
    result |= set(store.query(f"CONSTRUCT {{ <{UBERON}> a ?t ; <http://www.w3.org/2002/07/owl#versionIRI> ?v }} "
                         f"WHERE {{ GRAPH <{UBERON}> {{ <{UBERON}> a ?t OPTIONAL {{ <{UBERON}> "
                         f"<http://www.w3.org/2002/07/owl#versionIRI> ?v }} }} }}"))
    return list(result)


def _stable_blank_nodes(triples: list[Triple]) -> list[Triple]:
    """The triples with each restriction's blank node named after what it says, so that a rerun writes the
    same file byte for byte."""
    facts: dict[BlankNode, list[str]] = {}
    for q in triples:
        for node in (q.subject, q.object):
            if isinstance(node, BlankNode):
                facts.setdefault(node, [])
        if isinstance(q.object, BlankNode):
            facts[q.object].append(str(q.subject))
        if isinstance(q.subject, BlankNode):
            facts[q.subject].append(f"{q.predicate} {q.object}")
    names = {b: BlankNode("r" + hashlib.sha256("|".join(sorted(f)).encode()).hexdigest()[:16]) for b, f in facts.items()}
    return [Triple(names.get(q.subject, q.subject), q.predicate, names.get(q.object, q.object)) for q in triples]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("uberon", type=Path, help="the Uberon ext release (RDF/XML, optionally .gz)")
    parser.add_argument("out", type=Path, help="the Turtle file to write")
    args = parser.parse_args()
    triples = sorted(_stable_blank_nodes(extract(args.uberon)),
                     key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    body = serialize(triples, format=RdfFormat.TURTLE, prefixes=PREFIXES)
    args.out.write_bytes(HEADER.encode() + body)
    print(f"{args.out}: {len(triples)} triples, {args.out.stat().st_size:,} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
