"""Check Uberon and FMA mappings against the reference table kept in data/reference/uberon.

A mapping is never guessed: the id must exist in the table and not be obsolete in Uberon (obsolete.tsv lists
Uberon's obsolete classes and their replacements), an exact match must name the same structure
(one of our labels or synonyms equals Uberon's label or one of its exact synonyms), and an FMA id must be
one Uberon gives as a cross-reference of the Uberon class mapped beside it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDFS, SKOS, URIRef

from .loading import LoadedContent
from .namespaces import OBO, shorten
from .problems import VIOLATION, Problem

UBERON_PREFIX = str(OBO) + "UBERON_"
FMA_PREFIX = str(OBO) + "FMA_"


@dataclass(frozen=True)
class UberonTerm:
    curie: str
    names: frozenset[str]
    fma: frozenset[str]
    label: str
    release: str


def read_terms(path: Path) -> dict[str, UberonTerm]:
    """The reference table, keyed by IRI."""
    terms = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            names = {row["label"], *filter(None, row["exact_synonyms"].split("|"))}
            fma = {x.replace("FMA:", FMA_PREFIX) for x in row["fma_xrefs"].split("|") if x}
            iri = row["id"].replace("UBERON:", UBERON_PREFIX)
            terms[iri] = UberonTerm(row["id"], frozenset(n.casefold() for n in names), frozenset(fma),
                                    row["label"], row["release"])
    return terms


@dataclass(frozen=True)
class ObsoleteTerm:
    curie: str
    label: str
    replaced_by: tuple[str, ...]
    consider: tuple[str, ...]

    def advice(self) -> str:
        if self.replaced_by:
            return f"Uberon replaces it by {' or '.join(self.replaced_by)}: map to that class instead."
        if self.consider:
            return f"Uberon suggests considering {', '.join(self.consider)}; choose from the reference table."
        return "Uberon names no replacement: choose another class from the reference table, or leave it out."


def read_obsolete(path: Path) -> dict[str, ObsoleteTerm]:
    """Uberon's obsolete classes, keyed by IRI."""
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["id"].replace("UBERON:", UBERON_PREFIX): ObsoleteTerm(
                    row["id"], row["label"], tuple(filter(None, row["replaced_by"].split("|"))),
                    tuple(filter(None, row["consider"].split("|"))))
                for row in csv.DictReader(handle, delimiter="\t")}


def check_mappings(content: LoadedContent) -> list[Problem]:
    missing = [p for p in (content.tree.uberon_terms, content.tree.uberon_obsolete) if not p.is_file()]
    if missing:
        return [Problem(VIOLATION, f"The Uberon reference table {content.tree.relative(path)} is missing; "
                        "mappings cannot be checked without it.") for path in missing]
    terms = read_terms(content.tree.uberon_terms)
    obsolete = read_obsolete(content.tree.uberon_obsolete)
    fma_known = {f for term in terms.values() for f in term.fma}
    problems = []
    for predicate in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch):
        for subject, target in sorted(set(content.data.subject_objects(predicate))):
            problem = _check_one(content, terms, obsolete, fma_known, subject, predicate, target)
            if problem:
                problems.append(problem)
    return problems


def _our_names(content: LoadedContent, subject: URIRef) -> set[str]:
    names = set(content.data.objects(subject, RDFS.label)) | set(content.data.objects(subject, SKOS.altLabel))
    return {str(n).casefold() for n in names}


def _check_one(content, terms, obsolete, fma_known, subject, predicate, target) -> Problem | None:
    where = dict(file=content.file_of(subject), focus=shorten(str(subject)),
                 path=shorten(str(predicate)), value=shorten(str(target)))
    iri = str(target)
    if iri in obsolete:
        gone = obsolete[iri]
        return Problem(VIOLATION, f"{gone.curie} ({gone.label}) is obsolete in Uberon. {gone.advice()}", **where)
    if iri.startswith(UBERON_PREFIX):
        term = terms.get(iri)
        if term is None:
            return Problem(VIOLATION, "This Uberon id is not in data/reference/uberon/terms.tsv (unknown or "
                           "obsolete). Take the id from the table, or leave the mapping out.", **where)
        if predicate == SKOS.exactMatch and not (_our_names(content, subject) & term.names):
            return Problem(VIOLATION, f"None of this resource's labels or synonyms matches the label or an "
                           f"exact synonym of {term.curie} in the reference table, so the exact match is "
                           "doubtful. Check the id, or add the shared name as a skos:altLabel if it is one.",
                           **where)
    elif iri.startswith(FMA_PREFIX):
        if iri not in fma_known:
            return Problem(VIOLATION, "This FMA id is not a cross-reference of any Uberon class in the "
                           "reference table. FMA ids come only from Uberon's cross-references.", **where)
        beside = [terms[str(u)] for u in content.data.objects(subject, predicate)
                  if str(u) in terms]
        if beside and not any(iri in term.fma for term in beside):
            return Problem(VIOLATION, "This FMA id is not the one Uberon gives for the Uberon class mapped "
                           f"beside it ({', '.join(t.curie for t in beside)}).", **where)
    return None
