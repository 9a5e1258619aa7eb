"""The served release: its read-only Oxigraph store and the summary queries pages need.

Queries see the union of MyoKG's source graphs as their default graph, as published: the build writes it
into the store's default graph. Imported ontologies are named graphs outside it.
"""

from __future__ import annotations

from pyoxigraph import Store

from .release import Release

CLASS_COUNTS = """
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?label (COUNT(DISTINCT ?s) AS ?n) WHERE {
    ?s a ?class .
    FILTER STRSTARTS(STR(?class), STR(myokg:))
    OPTIONAL { ?class rdfs:label ?label }
} GROUP BY ?class ?label ORDER BY DESC(?n) ?label
"""


class ReleaseStore:
    """A release opened for reading; safe to share between the server's threads."""

    def __init__(self, release: Release):
        self.release = release
        self.store = Store.read_only(str(release.store_path))
        self.union_triples: int = release.manifest["triples"]
        self.graph_triples: dict[str, int] = {
            row["g"].value: int(row["n"].value)
            for row in self.store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        }

    def query(self, sparql: str):
        return self.store.query(sparql)

    def class_counts(self) -> list[tuple[str, str, int]]:
        """(class IRI, label, number of instances) for each MyoKG class in use, largest first."""
        return [
            (row["class"].value, row["label"].value if row["label"] else row["class"].value, int(row["n"].value))
            for row in self.query(CLASS_COUNTS)
        ]
