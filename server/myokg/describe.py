"""What one request about a resource needs: its description, read from the store in a few SPARQL queries.

A thing's description holds its own statements, the statements that point to it (a nerve's lists the
muscles it innervates), the full statements of the nodes it owns (a muscle's trigger points and parts,
blank nodes), and, for everything linked, its label, Latin name, type and the whole it branches from or
lies in (a nerve's plexus, a trigger point's muscle). Every statement is kept as a quad, so the graph of
the source that states each claim travels with it.

A source graph's description is its metadata (the graph, its source and the work that source is part of)
and a summary of what the graph holds (its size, its predicates, the resources it speaks about).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Quad, Store

from .namespaces import CURATION_GRAPH, DCT, ID, MYOKG, OBO, PREFIXES, VOID

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
LATIN_NAME = str(MYOKG.latinName)
# Statements about linked things that a page needs to name and place them (for a graph: its source).
CONTEXT_PREDICATES = (RDFS_LABEL, LATIN_NAME, RDF_TYPE, str(OBO.RO_0002380), str(OBO.RO_0001025), str(DCT.source))
NAMING_PREDICATES = (RDFS_LABEL, LATIN_NAME, RDF_TYPE)

_PREFIX_LINES = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

OWN_AND_INCOMING = _PREFIX_LINES + """
SELECT ?s ?p ?o ?g WHERE {
    { GRAPH ?g { $THIS ?p ?o } BIND($THIS AS ?s) }
    UNION
    { GRAPH ?g { ?s ?p $THIS } BIND($THIS AS ?o) }
}"""

# The nodes a resource owns: its trigger points, its named parts, and blank nodes it points to.
OWNED = _PREFIX_LINES + """
SELECT ?s ?p ?o ?g WHERE {
    { SELECT DISTINCT ?s WHERE {
        { $THIS myokg:hasTriggerPoint ?s }
        UNION { ?s obo:BFO_0000050 $THIS ; a myokg:MusclePart }
        UNION { $THIS ?any ?s FILTER isBlank(?s) }
    } }
    GRAPH ?g { ?s ?p ?o }
}"""

NAMES = """
SELECT ?s ?p ?o ?g WHERE { VALUES ?p { $PREDICATES } GRAPH ?g { ?s ?p ?o } }
"""


def _quads(store: Store, query: str) -> list[Quad]:
    return [Quad(row["s"], row["p"], row["o"], row["g"]) for row in store.query(query)]


def _linked(quads) -> set[NamedNode]:
    """The IRIs named anywhere in ``quads``: subjects, predicates, objects and graphs."""
    return {term for quad in quads for term in (quad.subject, quad.predicate, quad.object, quad.graph_name)
            if isinstance(term, NamedNode)}


class Names:
    """The statements that name and place every resource (label, Latin name, type, branching part of,
    located in), read once per release in one query: a page links to dozens of things, and looking each
    up in the store costs more than the rest of the page."""

    def __init__(self, store: Store):
        predicates = " ".join(str(NamedNode(p)) for p in CONTEXT_PREDICATES)
        by_subject: dict[NamedNode, list[Quad]] = defaultdict(list)
        for quad in _quads(store, NAMES.replace("$PREDICATES", predicates)):
            by_subject[quad.subject].append(quad)
        self.by_subject = dict(by_subject)

    def about(self, terms, predicates: tuple[str, ...] = CONTEXT_PREDICATES) -> list[Quad]:
        wanted = {NamedNode(p) for p in predicates}
        return [quad for term in terms for quad in self.by_subject.get(term, ()) if quad.predicate in wanted]

    def label(self, term) -> str:
        """The English label of ``term`` (else any label, else its IRI), for sorting."""
        labels = sorted((q.object.language != "en", q.object.value) for q in self.by_subject.get(term, ())
                        if q.predicate.value == RDFS_LABEL)
        return labels[0][1] if labels else term.value

    def kind(self, term):
        """One class of ``term`` (the same every time), or None."""
        kinds = sorted(q.object.value for q in self.by_subject.get(term, ()) if q.predicate.value == RDF_TYPE)
        return NamedNode(kinds[0]) if kinds else None

    def things(self) -> dict[str, str]:
        """Every thing under id/ with its English label (else another label, else "")."""
        found = {}
        for subject, quads in self.by_subject.items():
            if subject.value.startswith(str(ID)):
                labels = sorted((q.object.language != "en", q.object.value) for q in quads
                                if q.predicate.value == RDFS_LABEL and isinstance(q.object, Literal))
                found[subject.value] = labels[0][1] if labels else ""
        return found


def _tree():
    return defaultdict(lambda: defaultdict(lambda: defaultdict(list)))


@dataclass
class Claims:
    """Quads indexed both ways: subject -> predicate -> object -> graphs stating it, and object ->
    predicate -> subject -> graphs."""

    quads: list[Quad] = field(default_factory=list)
    forward: dict = field(default_factory=_tree)
    backward: dict = field(default_factory=_tree)

    def add(self, quads) -> None:
        for quad in quads:
            subject, predicate, obj, graph = quad  # each attribute read builds a new Python object
            graphs = self.forward[subject][predicate][obj]
            if graph in graphs:
                continue
            graphs.append(graph)
            self.backward[obj][predicate][subject].append(graph)
            self.quads.append(quad)

    def objects(self, subject, predicate: str) -> dict:
        """object -> graphs stating ``subject predicate object``."""
        return self.forward.get(subject, {}).get(NamedNode(predicate), {})

    def subjects(self, predicate: str, obj) -> dict:
        """subject -> graphs stating ``subject predicate obj``."""
        return self.backward.get(obj, {}).get(NamedNode(predicate), {})

    def literal(self, subject, predicate: str, language: str | None = None) -> str | None:
        """One value of a literal-valued property (the same one every time), in ``language`` if given."""
        values = sorted(o.value for o in self.objects(subject, predicate)
                        if isinstance(o, Literal) and (language is None or o.language == language))
        return values[0] if values else None

    def label(self, term) -> str:
        """A name for ``term`` fit to show a person: its English label, else the end of its IRI."""
        if isinstance(term, Literal):
            return term.value
        found = self.literal(term, RDFS_LABEL, "en") or self.literal(term, RDFS_LABEL)
        if found:
            return found
        if isinstance(term, NamedNode):
            return term.value.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return f"_:{term.value}"

    def types(self, term) -> set[str]:
        return {t.value for t in self.objects(term, RDF_TYPE)}


@dataclass
class Description(Claims):
    """The description of one resource; ``owned`` lists the nodes it owns (trigger points, parts)."""

    node: NamedNode | None = None
    owned: list = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return bool(self.forward.get(self.node)) or bool(self.backward.get(self.node))


def describe(store: Store, names: Names, iri: str) -> Description:
    """The description of ``iri``, empty if the store says nothing about it. ``iri`` must be a valid IRI."""
    node = NamedNode(iri)
    description = Description(node=node)
    this = str(node)
    description.add(_quads(store, OWN_AND_INCOMING.replace("$THIS", this)))
    if not description.exists:
        return description
    owned = _quads(store, OWNED.replace("$THIS", this))
    description.add(owned)
    description.owned = list(dict.fromkeys(q.subject for q in owned))
    named = _linked(description.quads)
    context = names.about(named)
    description.add(context)
    # The wholes and classes the context brought in need names too.
    description.add(names.about(_linked(context) - named, NAMING_PREDICATES))
    return description


# --- Source graphs -----------------------------------------------------------------------------------

GRAPH_METADATA = _PREFIX_LINES + """
SELECT ?s ?p ?o ?g WHERE {
    { SELECT DISTINCT ?s WHERE {
        { BIND($GRAPH AS ?s) }
        UNION { $GRAPH dct:source ?s }
        UNION { $GRAPH dct:source/dct:isPartOf+ ?s }
    } }
    GRAPH ?g { ?s ?p ?o }
}"""

GRAPH_SUBJECTS = "SELECT ?s (COUNT(*) AS ?n) WHERE { GRAPH $GRAPH { ?s ?p ?o } } GROUP BY ?s"
GRAPH_PREDICATES = "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH $GRAPH { ?s ?p ?o } } GROUP BY ?p"


@dataclass
class GraphDescription(Claims):
    """A source graph: its metadata, its size, and what it speaks about."""

    node: NamedNode | None = None
    triples: int = 0
    subjects: dict = field(default_factory=dict)  # subject -> number of statements about it in the graph
    predicates: dict = field(default_factory=dict)  # predicate -> number of statements using it
    # (class or None, how many of the graph's subjects are of it, the first few by name), largest first.
    kinds: list = field(default_factory=list)

    @property
    def exists(self) -> bool:
        return self.triples > 0 or bool(self.forward.get(self.node))

    @property
    def source(self):
        """The source whose claims the graph holds, if the data says."""
        return next(iter(self.objects(self.node, str(DCT.source))), None)

    def size_quad(self) -> Quad:
        """Its size as VoID states it, beside its metadata in the curation graph."""
        return Quad(self.node, NamedNode(str(VOID.triples)),
                    Literal(str(self.triples), datatype=NamedNode(PREFIXES["xsd"] + "integer")),
                    NamedNode(str(CURATION_GRAPH)))


def describe_graph(store: Store, names: Names, iri: str, sample_size: int = 40) -> GraphDescription:
    """The description of the source graph ``iri``, empty if there is no such graph; of the resources it
    speaks about, it names ``sample_size`` of each class."""
    node = NamedNode(iri)
    description = GraphDescription(node=node)
    graph = str(node)
    description.subjects = {row["s"]: int(row["n"].value) for row in store.query(GRAPH_SUBJECTS.replace("$GRAPH", graph))}
    description.predicates = {row["p"]: int(row["n"].value)
                              for row in store.query(GRAPH_PREDICATES.replace("$GRAPH", graph))}
    description.triples = sum(description.subjects.values())
    description.add(_quads(store, GRAPH_METADATA.replace("$GRAPH", graph)))
    groups: dict = {}
    for subject in description.subjects:
        groups.setdefault(names.kind(subject), []).append(subject)
    for kind, members in groups.items():
        sample = sorted(members, key=lambda m: _natural(names.label(m)))[:sample_size]
        description.kinds.append((kind, len(members), sample))
    description.kinds.sort(key=lambda row: (-row[1], names.label(row[0]) if row[0] else ""))
    # Names only for what the page shows: big graphs speak about thousands of resources.
    shown = {term for _, _, sample in description.kinds for term in sample} | set(groups) - {None}
    named = _linked(description.quads) | shown | set(description.predicates)
    description.add(names.about(named, NAMING_PREDICATES))
    return description


def _natural(text: str):
    """Sort key putting "trigger point 2" before "trigger point 10"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def graph_contents(store: Store, iri: str) -> list[Quad]:
    """Every statement in the graph ``iri``, kept in it."""
    return list(store.quads_for_pattern(None, None, None, NamedNode(iri)))
