"""The release's mapping set in SSSOM (Simple Standard for Sharing Ontological Mappings): a TSV whose YAML
metadata block opens with ``#``, one row per mapping.

Generated from the built store, never kept by hand: one row per skos:exactMatch, closeMatch, broadMatch or
narrowMatch that a MyoKG resource or ontology term states to an Uberon or FMA class, labelled from the
Uberon reference table. An inexact row's comment is the myokg:mappingNote of its subject, else of the
subject's class (why a muscle group is only a close match); an FMA row also names the Uberon class whose
cross-reference the FMA id is, since FMA ids come to MyoKG only that way.
"""

from __future__ import annotations

import json
from dataclasses import astuple, dataclass, fields
from datetime import date
from pathlib import Path

from pyoxigraph import Store

from .mappings import FMA_PREFIX, UBERON_PREFIX, UberonTerm
from .namespaces import BASE, MYOKG, PREFIX_MAP, compact

SKOS = PREFIX_MAP["skos"]
MATCH_PREDICATES = tuple(SKOS + name for name in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch"))
EXACT = MATCH_PREDICATES[0]
JUSTIFICATION = "semapv:ManualMappingCuration"
AUTHOR = "https://w3id.org/myokg/id/myokg-curation"  # MyoKG's curators, as the source of their own statements
# The prefixes the file uses, from the one prefix map.
CURIE_PREFIXES = ("myokg.id", "myokg", "UBERON", "FMA", "obo", "skos", "semapv")


def file_name(version: str) -> str:
    return f"myokg-mappings-{version}.sssom.tsv"


@dataclass(frozen=True)
class Mapping:
    """One row of the mapping set; the field names are SSSOM's column names."""

    subject_id: str
    subject_label: str
    subject_type: str
    predicate_id: str
    object_id: str
    object_label: str
    object_type: str
    object_source: str
    object_source_version: str
    mapping_justification: str
    author_id: str
    author_label: str
    comment: str


COLUMNS = tuple(f.name for f in fields(Mapping))


def _query(store: Store, sparql: str):
    return store.query(sparql)


def _one_text(values: list[str]) -> str:
    """Several values joined in a stable order, each on one line (a TSV cell holds no tab or newline)."""
    return " ".join(" ".join(v.split()) for v in sorted(set(values)))


def mappings(store: Store, terms: dict[str, UberonTerm]) -> list[Mapping]:
    """Every Uberon/FMA mapping in ``store``, ordered by subject, predicate and object."""
    values = " ".join(f"<{p}>" for p in MATCH_PREDICATES)
    stated = [(r["s"].value, r["p"].value, r["o"].value) for r in _query(store, f"""
        SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o
            FILTER(STRSTARTS(STR(?o), "{UBERON_PREFIX}") || STRSTARTS(STR(?o), "{FMA_PREFIX}")) }}
        ORDER BY ?s ?p ?o""")]
    labels, notes, classes, class_notes = {}, {}, {}, {}
    for r in _query(store, 'SELECT ?s ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l '
                           'FILTER(LANGMATCHES(LANG(?l), "en")) }'):
        labels.setdefault(r["s"].value, []).append(r["l"].value)
    for r in _query(store, f"SELECT ?s ?n WHERE {{ ?s <{MYOKG}mappingNote> ?n }}"):
        notes.setdefault(r["s"].value, []).append(r["n"].value)
    for r in _query(store, "SELECT ?s ?c WHERE { ?s a ?c }"):
        classes.setdefault(r["s"].value, set()).add(r["c"].value)
    owl_class = PREFIX_MAP["owl"] + "Class"
    for cls, cls_notes in notes.items():
        if owl_class in classes.get(cls, ()):
            class_notes[cls] = cls_notes
    xref_of = {}
    for term in sorted(terms.values(), key=lambda t: t.curie):
        for fma in term.fma:
            xref_of.setdefault(fma, term)
    by_subject = {}
    for s, p, o in stated:
        by_subject.setdefault((s, p), []).append(o)

    rows = []
    for s, p, o in stated:
        is_class = owl_class in classes.get(s, ())
        own = notes.get(s) or [n for c in sorted(classes.get(s, ())) if not is_class for n in class_notes.get(c, ())]
        comment = _one_text(own) if p != EXACT else ""
        if o.startswith(UBERON_PREFIX):
            term = terms[o]
            label, source, source_version = term.label, "obo:uberon.owl", term.release
        else:
            beside = [terms[u] for u in by_subject[(s, p)] if u in terms and o in terms[u].fma]
            via = beside[0] if beside else xref_of[o]
            label, source, source_version = "", "obo:fma.owl", ""
            comment = " ".join(filter(None, [comment, f"FMA id as Uberon cross-references it from {via.curie} ({via.label})."]))
        rows.append(Mapping(
            subject_id=compact(s), subject_label=_one_text(labels.get(s, [])),
            subject_type="owl class" if is_class else "owl named individual",
            predicate_id=compact(p), object_id=compact(o), object_label=label, object_type="owl class",
            object_source=source, object_source_version=source_version, mapping_justification=JUSTIFICATION,
            author_id=compact(AUTHOR), author_label=_one_text(labels.get(AUTHOR, [])), comment=comment))
    return rows


def _license(store: Store) -> str:
    """The licence of the source the mappings are taken from (Uberon's, CC BY 3.0): exactly one."""
    values = " ".join(f"<{p}>" for p in MATCH_PREDICATES)
    found = {r["l"].value for r in store.query(f"""
        SELECT DISTINCT ?l WHERE {{ GRAPH ?g {{ ?s ?p ?o VALUES ?p {{ {values} }} }}
                                    ?g <http://purl.org/dc/terms/source>/<http://purl.org/dc/terms/license> ?l }}""")}
    if len(found) != 1:
        raise ValueError(f"The graphs holding mappings must name exactly one licence through their source; found "
                         f"{sorted(found) or 'none'}. Give the mapping source a dct:license.")
    return found.pop()


def metadata(store: Store, version: str, day: date) -> dict:
    """The mapping set's metadata block."""
    return {
        "mapping_set_id": f"{BASE}downloads/{version}/{file_name(version)}",
        "mapping_set_version": version,
        "mapping_set_title": "MyoKG mappings to Uberon and FMA",
        "mapping_set_description": (
            "Every mapping MyoKG states from its muscles, bones, landmarks, nerves, regions and muscle groups "
            "to Uberon classes, and through Uberon's cross-references to FMA, generated from release "
            f"{version}. Derived from Uberon (Mungall et al., Uberon, an integrative multi-species anatomy "
            "ontology, Genome Biology 2012; http://obophenotype.github.io/uberon/), CC BY 3.0."),
        "license": _license(store),
        "mapping_date": day.isoformat(),
        "publication_date": day.isoformat(),
        "creator_id": [compact(AUTHOR)],
        "see_also": [f"{BASE}dataset"],
        "mapping_tool": "myokg",
        "mapping_tool_version": version,
        "curie_map": {prefix: PREFIX_MAP[prefix] for prefix in CURIE_PREFIXES},
    }


def _yaml(value, indent: str = "") -> list[str]:
    """A small YAML writer for the metadata block: strings as JSON (a subset of YAML), lists, maps."""
    lines = []
    for key, item in value.items():
        if isinstance(item, dict):
            lines.append(f"{indent}{key}:")
            lines += _yaml(item, indent + "  ")
        elif isinstance(item, list):
            lines.append(f"{indent}{key}:")
            lines += [f"{indent}  - {json.dumps(x)}" for x in item]
        else:
            lines.append(f"{indent}{key}: {json.dumps(item)}")
    return lines


def write_mapping_set(store: Store, terms: dict[str, UberonTerm], path: Path, *, version: str, day: date) -> int:
    """Write the SSSOM TSV of ``store`` to ``path``; returns the number of mappings."""
    rows = mappings(store, terms)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.writelines(f"#{line}\n" for line in _yaml(metadata(store, version, day)))
        out.write("\t".join(COLUMNS) + "\n")
        out.writelines("\t".join(astuple(row)) + "\n" for row in rows)
    return len(rows)
