"""Find resources by name: an in-memory index of every labelled resource of the served release.

Built once when the app starts (a few SPARQL queries on the release's store), then searched in pure Python:
the release is read-only, so the index never goes stale. Each resource is indexed under its label, its
synonyms (skos:altLabel), its Latin names (myokg:latinName) and its Uberon/FMA mappings
(skos:exactMatch/closeMatch, as CURIEs such as ``UBERON:0001371``).

Names and queries are compared after normalizing: case folded, accents dropped, apostrophes removed, other
punctuation made a space (so ``UBERON:0001371``, ``UBERON_0001371`` and ``uberon 0001371`` are the same
text). A query's anatomical abbreviations written with a period are spelled out (``m. gluteus medius`` is
``musculus gluteus medius``). A resource matches at the best of these levels over its names; the levels,
then the type's priority, then the shorter label, then the label alphabetically, give the order:

  0 the label is the query            4 a synonym, Latin name or id starts with the query
  1 a synonym, Latin name or id is    5 every word of the query starts a word of a synonym, Latin name or id
  2 the label starts with the query   6 the query occurs in the label
  3 every word of the query starts    7 the query occurs in a synonym, Latin name or id
    a word of the label
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from dataclasses import dataclass

from pyoxigraph import Store

from .namespaces import MYOKG, OBO

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL = "http://www.w3.org/2002/07/owl#"

# The order results of equal match level come in: what people most often look for first.
TYPE_PRIORITY = [str(MYOKG[name]) for name in (
    "Muscle", "MusclePart", "TriggerPoint", "Nerve", "CranialNerve", "NervePlexus", "SpinalSegment", "Bone",
    "BoneLandmark", "Joint", "BodyRegion", "MuscleGroup", "Movement", "ConnectiveTissueStructure",
    "SoftTissueStructure", "PerpetuatingFactor", "Source", "SourceGraph",
)]

# Names for the types that have no rdfs:label in the data.
TYPE_LABELS = {
    OWL + "Class": "class", OWL + "ObjectProperty": "object property", OWL + "DatatypeProperty": "datatype property",
    OWL + "AnnotationProperty": "annotation property", OWL + "FunctionalProperty": "functional property",
    OWL + "Ontology": "ontology",
}

# Abbreviations of anatomical Latin, spelled out when a query writes them with a period.
ABBREVIATIONS = {"m": "musculus", "mm": "musculi", "n": "nervus", "nn": "nervi", "r": "ramus", "rr": "rami",
                 "lig": "ligamentum", "ligg": "ligamenta", "proc": "processus", "art": "articulatio"}

MAPPED_PREFIXES = ("UBERON", "FMA")

# (how a name matches, whether it is a name other than the label) -> level; see above.
LEVELS = {("exact", False): 0, ("exact", True): 1, ("prefix", False): 2, ("word prefix", False): 3,
          ("prefix", True): 4, ("word prefix", True): 5, ("substring", False): 6, ("substring", True): 7}

INDEXED = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX myokg: <https://w3id.org/myokg/ontology#>
SELECT DISTINCT ?s ?p ?o WHERE {
    VALUES ?p { rdfs:label skos:altLabel myokg:latinName skos:exactMatch skos:closeMatch rdf:type }
    ?s ?p ?o .
    FILTER isIRI(?s)
}
"""

CLASSES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?class ?super ?label WHERE {
    { SELECT DISTINCT ?class WHERE { ?s a ?class } }
    ?class rdfs:subClassOf* ?super .
    FILTER isIRI(?super)
    OPTIONAL { ?super rdfs:label ?label }
}
"""

PROPERTIES = {
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "synonym",
    str(MYOKG.latinName): "Latin name",
    "http://www.w3.org/2004/02/skos/core#exactMatch": "id",
    "http://www.w3.org/2004/02/skos/core#closeMatch": "id",
    RDF_TYPE: "type",
}

_APOSTROPHES = re.compile(r"['\u2019\u02bc]")
_NOT_WORD = re.compile(r"[\W_]+")
_ABBREVIATION = re.compile(r"(?<![\w.])(" + "|".join(ABBREVIATIONS) + r")\.", re.IGNORECASE)


def normalize(text: str) -> str:
    """``text`` as names are compared: case folded, no accents or apostrophes, words separated by one space."""
    folded = text.casefold()
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", _APOSTROPHES.sub("", folded)).strip()


def normalize_query(text: str) -> str:
    """A query normalized as names are, with IRIs of mapped terms read as their ids and abbreviations like
    ``m.`` spelled out."""
    text = text.strip()
    if text.startswith(str(OBO)):
        text = text[len(str(OBO)):]
    return normalize(_ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1).lower()] + " ", text))


@lru_cache(maxsize=None)
def local_name(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def curie(iri: str) -> str | None:
    """``UBERON:0001371`` for an OBO IRI of a mapped ontology, else None."""
    if iri.startswith(str(OBO)):
        prefix, _, number = iri[len(str(OBO)):].partition("_")
        if prefix in MAPPED_PREFIXES and number:
            return f"{prefix}:{number}"
    return None


@dataclass(frozen=True)
class Name:
    field: str          # label, synonym, Latin name or id
    text: str           # as shown
    normalized: str


@dataclass(frozen=True)
class Entry:
    iri: str
    label: str
    type: str                  # local name of the asserted type shown (the one with the highest priority)
    type_label: str
    types: frozenset[str]      # local names of every asserted type and its superclasses, for filtering
    synonyms: tuple[str, ...]
    latin_names: tuple[str, ...]
    mappings: tuple[str, ...]  # CURIEs
    names: tuple[Name, ...]    # the label first
    priority: int


@dataclass(frozen=True)
class Hit:
    entry: Entry
    level: int
    how: str    # exact, prefix, word prefix or substring
    name: Name

    @property
    def match_kind(self) -> str:
        """What matched and how, e.g. ``label exact`` or ``synonym word prefix``."""
        return f"{self.name.field} {self.how}"


@dataclass(frozen=True)
class Results:
    found: int
    hits: list[Hit]


class _Sorted:
    """Keys in order, each with the number of the name it comes from, to find every key starting with a
    given text by bisection."""

    def __init__(self, pairs: list[tuple[str, int]]):
        pairs.sort()
        self.keys = [key for key, _ in pairs]
        self.names = [name for _, name in pairs]

    def starting_with(self, text: str) -> set[int]:
        return set(self.names[bisect_left(self.keys, text):bisect_left(self.keys, text + "\U0010ffff")])


class SearchIndex:
    """Every labelled resource of a store, searchable by name, synonym, Latin name and mapped id.

    Entries are numbered in the order ties are broken in (type priority, label length, label), so a level's
    matches come out in rank order by sorting their numbers. Names are numbered too, an entry's label with
    the entry's number, its other names after all the labels. Three sorted arrays of name texts answer
    every level: whole names (exact and prefix), the names from each word start (word prefix) and from each
    position within a word (with the former, substring)."""

    def __init__(self, entries: list[Entry], type_labels: dict[str, str]):
        self.entries = sorted(entries, key=lambda e: (e.priority, len(e.label), e.label, e.iri))
        self.by_iri = {entry.iri: number for number, entry in enumerate(self.entries)}
        self.of_type = {name: frozenset(n for n, e in enumerate(self.entries) if name in e.types)
                        for name in type_labels}
        # Local name -> label of each type an entry has, or a superclass of one: what a search may filter by.
        self.type_labels = {name: label for name, label in type_labels.items() if self.of_type[name]}
        count = len(self.entries)
        others = [(number, name) for number, entry in enumerate(self.entries) for name in entry.names[1:]]
        self.name_entry = list(range(count)) + [number for number, _ in others]
        texts = [entry.names[0].normalized for entry in self.entries] + [name.normalized for _, name in others]
        self.labels = count
        self.exact: dict[str, set[int]] = {}
        for name, text in enumerate(texts):
            self.exact.setdefault(text, set()).add(name)
        self.whole = _Sorted([(text, name) for name, text in enumerate(texts)])
        word_starts, inside_words = [], []
        for name, text in enumerate(texts):
            for position, char in enumerate(text):
                if char != " ":
                    at_start = position == 0 or text[position - 1] == " "
                    (word_starts if at_start else inside_words).append((text[position:], name))
        self.word_starts = _Sorted(word_starts)
        self.inside_words = _Sorted(inside_words)

    @classmethod
    def from_store(cls, store: Store) -> SearchIndex:
        supers: dict[str, set[str]] = {}
        class_labels = dict(TYPE_LABELS)
        for row in store.query(CLASSES):
            supers.setdefault(row["class"].value, set()).add(row["super"].value)
            if row["label"] is not None:
                class_labels.setdefault(row["super"].value, row["label"].value)
        facts: dict[str, dict[str, list[str]]] = {}
        for subject, predicate, value in store.query(INDEXED):
            values = facts.setdefault(subject.value, {kind: [] for kind in PROPERTIES.values()})
            values[PROPERTIES[predicate.value]].append(value.value)
        entries = [_entry(iri, values, supers, class_labels) for iri, values in facts.items() if values["label"]]
        type_labels = {local_name(iri): class_labels.get(iri, local_name(iri))
                       for above in supers.values() for iri in above}
        return cls(entries, type_labels)

    def search(self, query: str, types: frozenset[str] = frozenset(), start: int = 0, rows: int = 10) -> Results:
        """The resources matching ``query`` (of one of ``types``, local names, if any), best first; ``rows``
        of them from ``start``, and how many there are."""
        q = normalize_query(query)
        if not q:
            return Results(0, [])
        label_exact, other_exact = self._split(self.exact.get(q, set()))
        label_prefix, other_prefix = self._split(self.whole.starting_with(q))
        label_words, other_words = self._split(set.intersection(*map(self.word_starts.starting_with, q.split())))
        label_inside, other_inside = self._split(self.inside_words.starting_with(q) | self.word_starts.starting_with(q))
        iri = self.by_iri.get(query.strip())
        if iri is not None:
            other_exact.add(iri)
        by_level = [label_exact, other_exact, label_prefix, label_words, other_prefix, other_words, label_inside,
                    other_inside]
        allowed = frozenset().union(*(self.of_type[t] for t in types)) if types else None
        found, ranked, seen = 0, [], set()
        for level, numbers in enumerate(by_level):
            new = numbers - seen if allowed is None else (numbers & allowed) - seen
            seen |= new
            found += len(new)
            if len(ranked) < start + rows:
                ranked += [(level, number) for number in sorted(new)]
        return Results(found, [self._hit(self.entries[n], level, q, query.strip())
                               for level, n in ranked[start:start + rows]])

    def _split(self, names: set[int]) -> tuple[set[int], set[int]]:
        """The entries whose label is among ``names``, and those with another of their names among them."""
        return ({n for n in names if n < self.labels},
                {self.name_entry[n] for n in names if n >= self.labels})

    @staticmethod
    def _hit(entry: Entry, level: int, q: str, query: str) -> Hit:
        """Which name of ``entry`` matched at ``level``, and how."""
        if query == entry.iri and level == LEVELS["exact", True]:
            return Hit(entry, level, "exact", Name("id", entry.iri, q))
        for name in entry.names:
            how = _how(name.normalized, q)
            if how and LEVELS[how, name.field != "label"] == level:
                return Hit(entry, level, how, name)
        raise AssertionError(f"{entry.iri} does not match {q!r} at level {level}")


def _how(text: str, q: str) -> str | None:
    """How the normalized query ``q`` matches the normalized name ``text``, at best, if at all."""
    if text == q:
        return "exact"
    if text.startswith(q):
        return "prefix"
    padded = " " + text
    if all(" " + token in padded for token in q.split()):
        return "word prefix"
    return "substring" if q in text else None


def _entry(iri: str, facts: dict[str, list[str]], supers: dict[str, set[str]], class_labels: dict[str, str]) -> Entry:
    asserted = sorted(set(facts["type"]), key=_priority)
    shown = asserted[0] if asserted else None
    label = min(facts["label"])
    latin = tuple(sorted(set(facts["Latin name"])))
    synonyms = tuple(sorted(set(facts["synonym"]) - {label} - set(latin)))
    mappings = tuple(sorted({c for c in map(curie, facts["id"]) if c}))
    names = [Name("label", label, normalize(label))]
    names += [Name("synonym", s, normalize(s)) for s in synonyms]
    names += [Name("Latin name", s, normalize(s)) for s in latin]
    for c in mappings:
        names += [Name("id", c, normalize(c)), Name("id", c, normalize(c.partition(":")[2]))]
    return Entry(
        iri=iri, label=label,
        type=local_name(shown) if shown else "",
        type_label=class_labels.get(shown, local_name(shown)) if shown else "",
        types=frozenset(local_name(s) for t in asserted for s in supers.get(t, {t})),
        synonyms=synonyms, latin_names=latin, mappings=mappings, names=tuple(names),
        priority=_priority(shown)[0] if shown else len(TYPE_PRIORITY),
    )


def _priority(type_iri: str) -> tuple[int, str]:
    return (TYPE_PRIORITY.index(type_iri) if type_iri in TYPE_PRIORITY else len(TYPE_PRIORITY), type_iri)
