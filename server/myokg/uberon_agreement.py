"""How MyoKG's muscle relations compare with Uberon's: the curation report of issue-level agreement.

For each origin, insertion, innervation or antagonist Uberon states for a muscle MyoKG maps to
(data/reference/uberon/muscle-relations.tsv), MyoKG either
- agrees: it states the relation to the structure mapped to Uberon's target, or to a part or branch of it
  (more precise: our "gluteal surface of ilium" for Uberon's "ilium"; a member muscle for Uberon's
  "quadriceps femoris"), or to a whole it is part of (less precise), the claim being made on the muscle or
  on one of its parts;
- adopts Uberon's claim: it is recorded in the Uberon graph and no other source says otherwise;
- disagrees explicitly: Uberon's claim is recorded in the Uberon graph beside a different claim of another
  source, with the curator's reasons in a comment of the data file;
- or leaves it unresolved: neither, which the report lists so that a curator settles it.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Store

RELATIONS = {
    "has_muscle_origin": "http://purl.obolibrary.org/obo/RO_0002372",
    "has_muscle_insertion": "http://purl.obolibrary.org/obo/RO_0002373",
    "innervated_by": "http://purl.obolibrary.org/obo/RO_0002005",
    "has_muscle_antagonist": "http://purl.obolibrary.org/obo/RO_0002568",
}
OBO = "http://purl.obolibrary.org/obo/"
UBERON_GRAPH = "https://w3id.org/myokg/graph/uberon"

# Each muscle's claims (on it or on its parts) outside the Uberon graph, with the structures those claims
# reach through part-of, branching-part-of or membership of a muscle group, either way.
# A structure stands for an Uberon class when it is mapped to it, exactly or as a narrower or broader class
# (our "distal phalanx of hand" has Uberon's "distal phalanx" as skos:broadMatch).
MAPPED = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?r ?u WHERE { ?r skos:exactMatch|skos:closeMatch|skos:broadMatch|skos:narrowMatch ?u
    FILTER STRSTARTS(STR(?u), "http://purl.obolibrary.org/obo/UBERON_") }"""
CONSISTENT = """
PREFIX obo: <http://purl.obolibrary.org/obo/>
ASK {
  VALUES (?muscle ?relation ?target) { (<%s> <%s> <%s>) }
  { ?part obo:BFO_0000050* ?muscle } 
  GRAPH ?g { ?part ?relation ?ours } FILTER (?g != <%s>)
  { ?ours (obo:BFO_0000050|obo:RO_0002380|^obo:RO_0002351)* ?target }
  UNION { ?target (obo:BFO_0000050|obo:RO_0002380|^obo:RO_0002351)+ ?ours }
}"""
EXPLICIT = "ASK { GRAPH <%s> { <%s> <%s> <%s> } }"
OTHERS = """ASK { ?part <http://purl.obolibrary.org/obo/BFO_0000050>* <%s> .
    GRAPH ?g { ?part <%s> ?other } FILTER (?g != <%s>) }"""


@dataclass(frozen=True)
class Comparison:
    muscle: str  # MyoKG IRI
    relation: str  # Uberon's relation name
    uberon_target: str  # CURIE
    uberon_label: str
    ours: str | None  # the MyoKG resource mapped to Uberon's target, if any
    verdict: str  # "agrees", "adopted from Uberon", "explicit disagreement", "unresolved", "target not in MyoKG"


def compare(store: Store, relations_tsv: Path) -> list[Comparison]:
    """Every Uberon muscle relation on a muscle MyoKG maps to, with MyoKG's verdict."""
    mapped: dict[str, list[str]] = {}
    for row in store.query(MAPPED):
        curie = row["u"].value.removeprefix(OBO).replace("_", ":", 1)
        mapped.setdefault(curie, []).append(row["r"].value)
    muscles = {r["m"].value for r in store.query(
        "SELECT ?m WHERE { ?m a <https://w3id.org/myokg/ontology#Muscle> }")}
    comparisons = []
    with relations_tsv.open(encoding="utf-8") as table:
        for row in csv.DictReader(table, delimiter="\t"):
            if row["relation"] not in RELATIONS:
                continue
            for muscle in [m for m in mapped.get(row["subject_id"], []) if m in muscles]:
                relation = RELATIONS[row["relation"]]
                targets = mapped.get(row["object_id"], [])
                if not targets:
                    verdict, ours = "target not in MyoKG", None
                else:
                    ours = targets[0]
                    if any(store.query(CONSISTENT % (muscle, relation, t, UBERON_GRAPH))
                           for t in targets):
                        verdict = "agrees"
                    elif any(store.query(EXPLICIT % (UBERON_GRAPH, muscle, relation, t)) for t in targets):
                        # Recorded from Uberon: a disagreement if another source gives something else instead.
                        contradicted = row["relation"] != "has_muscle_antagonist" and bool(
                            store.query(OTHERS % (muscle, relation, UBERON_GRAPH)))
                        verdict = "explicit disagreement" if contradicted else "adopted from Uberon"
                    else:
                        verdict = "unresolved"
                comparisons.append(Comparison(muscle, row["relation"], row["object_id"], row["object_label"],
                                              ours, verdict))
    return comparisons


def summary(comparisons: list[Comparison]) -> dict[str, int]:
    return dict(Counter(c.verdict for c in comparisons))


def agreement(comparisons: list[Comparison]) -> float:
    """The share of comparable claims (Uberon's target is in MyoKG) that MyoKG states too."""
    comparable = [c for c in comparisons if c.verdict != "target not in MyoKG"]
    agreeing = sum(c.verdict in ("agrees", "adopted from Uberon") for c in comparable)
    return agreeing / len(comparable) if comparable else 1.0


def report(comparisons: list[Comparison]) -> str:
    """The curation report as Markdown: the figures, then every claim that is not plain agreement."""
    counts = summary(comparisons)
    lines = ["# MyoKG and Uberon: muscle relations compared", "",
             f"{len(comparisons)} Uberon claims on muscles MyoKG maps to; agreement {agreement(comparisons):.1%} "
             "of those whose target MyoKG has.", ""]
    lines += [f"- {verdict}: {n}" for verdict, n in sorted(counts.items())]
    for verdict in ("explicit disagreement", "unresolved", "target not in MyoKG"):
        rows = [c for c in comparisons if c.verdict == verdict]
        if rows:
            lines += ["", f"## {verdict.capitalize()} ({len(rows)})", "", "| muscle | Uberon relation | Uberon target |",
                      "|---|---|---|"]
            lines += [f"| {c.muscle.rsplit('/', 1)[-1]} | {c.relation} | {c.uberon_label} ({c.uberon_target}) |"
                      for c in sorted(rows, key=lambda c: (c.muscle, c.relation))]
    return "\n".join(lines) + "\n"
