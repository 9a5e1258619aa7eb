"""Counts per class and completeness per property of a release, so that gaps in the data are visible.

Completeness is the share of a class's resources that have at least one value for a property, stated by
any source. The same figures go into the VoID description (property partitions of each class partition).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Store

MYOKG = "https://w3id.org/myokg/ontology#"
OBO = "http://purl.obolibrary.org/obo/"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
SKOS_CLOSE = "http://www.w3.org/2004/02/skos/core#closeMatch"

# For each class, the properties whose coverage curators watch: (name shown, property IRI).
TRACKED = {
    "Muscle": [
        ("origin", OBO + "RO_0002372"), ("insertion", OBO + "RO_0002373"), ("innervated by", OBO + "RO_0002005"),
        ("spinal segment", MYOKG + "spinalSegment"), ("action", MYOKG + "action"),
        ("prime mover of", MYOKG + "primeMoverOf"), ("antagonist", OBO + "RO_0002568"),
        ("body region", OBO + "BFO_0000050"), ("Latin name", MYOKG + "latinName"),
        ("Uberon/FMA mapping", SKOS_EXACT), ("trigger point", MYOKG + "hasTriggerPoint"),
    ],
    "TriggerPoint": [
        ("located in", OBO + "RO_0001025"), ("location", MYOKG + "locationDescription"),
        ("essential pain zone", MYOKG + "refersPainTo"), ("spillover zone", MYOKG + "refersSpilloverPainTo"),
        ("symptom", MYOKG + "symptom"), ("examination position", MYOKG + "examinationPosition"),
        ("palpation technique", MYOKG + "palpationTechnique"),
    ],
    "Nerve": [("branch of", OBO + "RO_0002380"), ("spinal segment", MYOKG + "spinalSegment"),
              ("Latin name", MYOKG + "latinName"), ("Uberon/FMA mapping", SKOS_EXACT)],
    "BoneLandmark": [("part of", OBO + "BFO_0000050"), ("Latin name", MYOKG + "latinName"),
                     ("Uberon/FMA mapping", SKOS_EXACT)],
    "Bone": [("Latin name", MYOKG + "latinName"), ("Uberon/FMA mapping", SKOS_EXACT)],
    "BodyRegion": [("part of", OBO + "BFO_0000050"), ("Uberon/FMA mapping", SKOS_EXACT)],
    # A group is a set of muscles, so it maps to Uberon's class of such muscles as a close match only.
    "MuscleGroup": [("has member", OBO + "RO_0002351"), ("Uberon/FMA close match", SKOS_CLOSE)],
}


@dataclass(frozen=True)
class Coverage:
    cls: str  # class name in the myokg namespace
    prop: str  # name shown
    prop_iri: str
    having: int
    total: int

    @property
    def share(self) -> float:
        return self.having / self.total if self.total else 0.0


def class_counts(store: Store) -> dict[str, int]:
    """Instances of each MyoKG class, with subclasses counted under their own class only."""
    rows = store.query(f"""SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a ?c FILTER STRSTARTS(STR(?c), "{MYOKG}") }}
                           GROUP BY ?c ORDER BY DESC(?n)""")
    return {row["c"].value.removeprefix(MYOKG): int(row["n"].value) for row in rows}


def coverage(store: Store) -> list[Coverage]:
    """Completeness of every tracked property of every tracked class (subclass instances included)."""
    result = []
    sub = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>*"
    for cls, properties in TRACKED.items():
        (total,) = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a/{sub} <{MYOKG}{cls}> }}")
        for name, iri in properties:
            (having,) = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a/{sub} <{MYOKG}{cls}> ; <{iri}> ?v }}")
            result.append(Coverage(cls, name, iri, int(having["n"].value), int(total["n"].value)))
    return result


def render(counts: dict[str, int], covered: list[Coverage]) -> str:
    """Both tables as Markdown, as `myokg stats` prints them and README quotes them."""
    lines = ["| class | resources |", "|---|---:|"] + [f"| {c} | {n:,} |" for c, n in counts.items()]
    lines += ["", "| class | property | with it | share |", "|---|---|---:|---:|"]
    lines += [f"| {c.cls} | {c.prop} | {c.having:,} of {c.total:,} | {c.share:.0%} |" for c in covered]
    return "\n".join(lines) + "\n"
