"""The resources that no Uberon or FMA mapping covers yet, so that the gaps are known.

Every anatomical resource (an instance of myokg:AnatomicalStructure or one of its subclasses, or a spinal
segment) may have a counterpart in Uberon; one with no skos:exactMatch, closeMatch, broadMatch or
narrowMatch to an Uberon or FMA class is listed here, grouped by its class. `myokg unmapped` prints the
report; every release carries it as unmapped.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Store

from .mappings import FMA_PREFIX, UBERON_PREFIX
from .namespaces import MYOKG, compact
from .sssom import MATCH_PREDICATES

FILE_NAME = "unmapped.md"
# The classes whose members Uberon can describe: anatomy, and the spinal segments (Uberon's cord segments).
MAPPABLE_ROOTS = (MYOKG.AnatomicalStructure, MYOKG.SpinalSegment)


@dataclass(frozen=True)
class ClassGaps:
    cls: str  # class name in the myokg namespace
    members: frozenset[str]  # CURIEs
    unmapped: list[tuple[str, str]]  # (CURIE, label), by label

    @property
    def total(self) -> int:
        return len(self.members)


def gaps(store: Store) -> list[ClassGaps]:
    """For each mappable class with instances, its unmapped members (each resource under its own class or
    classes: the tongue is both a soft tissue structure and a body region)."""
    roots = " ".join(f"<{r}>" for r in MAPPABLE_ROOTS)
    matches = "|".join(f"<{p}>" for p in MATCH_PREDICATES)
    rows = store.query(f"""
        SELECT ?c ?s (SAMPLE(?l) AS ?label) (MAX(?m) AS ?mapped) WHERE {{
            VALUES ?root {{ {roots} }}
            ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?root .
            ?s a ?c .
            FILTER NOT EXISTS {{ ?s a ?sub . ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?c }}
            OPTIONAL {{ ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(LANGMATCHES(LANG(?l), "en")) }}
            BIND(EXISTS {{ ?s {matches} ?o
                          FILTER(STRSTARTS(STR(?o), "{UBERON_PREFIX}") || STRSTARTS(STR(?o), "{FMA_PREFIX}")) }} AS ?m)
        }} GROUP BY ?c ?s""")
    by_class: dict[str, list] = {}
    for row in rows:
        by_class.setdefault(row["c"].value, []).append(
            (compact(row["s"].value), row["label"].value if row["label"] else "", row["mapped"].value == "true"))
    result = []
    for cls, members in by_class.items():
        unmapped = sorted(((curie, label) for curie, label, mapped in members if not mapped), key=lambda m: (m[1], m[0]))
        result.append(ClassGaps(cls.removeprefix(str(MYOKG)), frozenset(m[0] for m in members), unmapped))
    return sorted(result, key=lambda g: (-len(g.unmapped), g.cls))


def render(class_gaps: list[ClassGaps], version: str) -> str:
    """The report as Markdown: a table of counts per class, then the unmapped resources of each class."""
    total = len(frozenset().union(*(g.members for g in class_gaps)))
    missing = len({curie for g in class_gaps for curie, _ in g.unmapped})
    lines = [f"# Resources without an Uberon or FMA mapping, release {version}", "",
             f"{missing:,} of {total:,} anatomical resources have no skos:exactMatch, closeMatch, broadMatch or "
             "narrowMatch to an Uberon or FMA class.", "",
             "| class | resources | unmapped | share mapped |", "|---|---:|---:|---:|"]
    lines += [f"| {g.cls} | {g.total:,} | {len(g.unmapped):,} | {(g.total - len(g.unmapped)) / g.total:.0%} |"
              for g in class_gaps]
    for g in class_gaps:
        if g.unmapped:
            lines += ["", f"## {g.cls} ({len(g.unmapped):,})", ""]
            lines += [f"- {label or '(no label)'} `{curie}`" for curie, label in g.unmapped]
    return "\n".join(lines) + "\n"
