"""Parse the ontology, shapes and data of a source tree, and check how the data files are organised.

Checks here are the ones SHACL cannot make because they need to know files and graphs: syntax, claims
left outside a source graph, graphs no source is declared for, ontology terms that do not exist or are
deprecated, and resources used but never described.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import OWL, RDF, Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .content import SourceTree, rdf_format
from .namespaces import DCT, ID, MYOKG, OBO, shorten
from .problems import VIOLATION, WARNING, Problem

TERM_REPLACED_BY = OBO.IAO_0100001


@dataclass
class LoadedContent:
    """Everything parsed from a source tree, with the problems found on the way."""

    tree: SourceTree
    ontology: Graph
    shapes: Graph
    data: Dataset
    files_of: dict[URIRef, set[str]] = field(default_factory=lambda: defaultdict(set))
    files_mentioning: dict[URIRef, set[str]] = field(default_factory=lambda: defaultdict(set))
    files_of_graph: dict[URIRef, set[str]] = field(default_factory=lambda: defaultdict(set))
    problems: list[Problem] = field(default_factory=list)
    unparsed: list[str] = field(default_factory=list)

    @property
    def parsed(self) -> bool:
        """True when every file parsed, so checks on the whole graph are meaningful."""
        return not self.unparsed

    def file_of(self, node) -> str | None:
        """The data file(s) where ``node`` is described (else mentioned), to point a curator at it."""
        files = self.files_of.get(node) or self.files_mentioning.get(node)
        return ", ".join(sorted(files)) if files else None


def _parse(target, path: Path, content: LoadedContent) -> bool:
    try:
        target.parse(path, format=rdf_format(path))
    except Exception as error:  # rdflib raises many types; each is a syntax error to report
        relative = content.tree.relative(path)
        content.unparsed.append(relative)
        content.problems.append(
            Problem(
                VIOLATION,
                f"Cannot parse this file: {error}. Fix the syntax at the position given.",
                file=relative,
            )
        )
        return False
    return True


def load(tree: SourceTree) -> LoadedContent:
    """Parse every file of ``tree``; never raises on bad content, reports it as problems instead."""
    content = LoadedContent(tree, Graph(), Graph(), Dataset(default_union=True))
    _parse(content.ontology, tree.ontology_file, content)
    _parse(content.shapes, tree.shapes_file, content)
    for path in tree.data_files:
        _load_data_file(content, path)
    if content.parsed:
        content.problems += _undeclared_graphs(content)
        content.problems += _undefined_terms(content)
        content.problems += _deprecated_terms(content)
        content.problems += _undescribed_resources(content)
    return content


def _load_data_file(content: LoadedContent, path: Path) -> None:
    tree = content.tree
    file_data = Dataset()
    if not _parse(file_data, path, content):
        return
    relative = tree.relative(path)
    stray = 0
    for s, p, o, graph in file_data.quads((None, None, None, None)):
        if graph == DATASET_DEFAULT_GRAPH_ID:
            stray += 1
            continue
        content.data.graph(graph).add((s, p, o))
        content.files_of_graph[graph].add(relative)
        if isinstance(s, URIRef):
            content.files_of[s].add(relative)
        if isinstance(o, URIRef):
            content.files_mentioning[o].add(relative)
    if stray:
        content.problems.append(
            Problem(
                VIOLATION,
                f"{stray} triple(s) are outside any GRAPH block. Every claim belongs to the graph of the "
                "source that makes it: wrap them in GRAPH g:<source> { ... } (see data/sources.trig).",
                file=relative,
            )
        )


def _data_graphs(content: LoadedContent) -> list[URIRef]:
    return [g.identifier for g in content.data.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]


def _undeclared_graphs(content: LoadedContent) -> list[Problem]:
    declared = set(content.data.subjects(RDF.type, MYOKG.SourceGraph))
    problems = []
    for graph in _data_graphs(content):
        if graph not in declared:
            problems.append(
                Problem(
                    VIOLATION,
                    "Claims sit in a graph that is not declared as a source graph. Declare it in "
                    "data/sources.trig (a myokg:SourceGraph with dct:source) or use an existing one.",
                    file=", ".join(sorted(content.files_of_graph[graph])),
                    focus=shorten(str(graph)),
                )
            )
    return problems


def _unknown_terms(content: LoadedContent, namespace: str, known: set, message: str) -> list[Problem]:
    """A problem for each IRI in ``namespace`` that the data uses but ``known`` lacks, at its first use."""
    first_use: dict[URIRef, URIRef] = {}
    for s, p, o, _ in content.data.quads((None, None, None, None)):
        for term in (s, p, o):
            if isinstance(term, URIRef) and term.startswith(namespace) and term not in known:
                first_use.setdefault(term, s)
    return [
        Problem(VIOLATION, message, file=content.file_of(subject), focus=shorten(str(subject)),
                value=shorten(str(term)))
        for term, subject in sorted(first_use.items())
    ]


def _undefined_terms(content: LoadedContent) -> list[Problem]:
    return _unknown_terms(
        content, str(MYOKG), set(content.ontology.subjects()),
        "This term is not defined in the MyoKG ontology: check its spelling, or declare it in "
        "ontology/myokg.ttl with a label and definition.",
    )


def _undescribed_resources(content: LoadedContent) -> list[Problem]:
    return _unknown_terms(
        content, str(ID), set(content.data.subjects(RDF.type, None)),
        "This resource is used but never described (it has no rdf:type in any graph): a typo in "
        "its slug, or a resource still to be added with its type, label and definition.",
    )


def _deprecated_terms(content: LoadedContent) -> list[Problem]:
    """A deprecated term stays in the ontology so that existing data and links resolve, and names its
    replacement: data still using it gets a warning naming the replacement (at the term's first use); a
    deprecated term without one, or with two different ones, is a violation in the ontology."""
    ontology, problems = content.ontology, []
    where = content.tree.relative(content.tree.ontology_file)
    replacement = {}
    for term, flag in sorted(ontology.subject_objects(OWL.deprecated)):
        if str(flag).lower() != "true":
            continue
        by_iao, by_dct = set(ontology.objects(term, TERM_REPLACED_BY)), set(ontology.objects(term, DCT.isReplacedBy))
        if not by_iao or by_iao != by_dct:
            problems.append(Problem(
                VIOLATION, "A deprecated term names one replacement with both obo:IAO_0100001 (term replaced by) "
                "and dct:isReplacedBy, so that data and links can move to it; this one gives "
                f"{', '.join(sorted(shorten(str(t)) for t in by_iao | by_dct)) or 'none'}.",
                file=where, focus=shorten(str(term))))
        replacement[term] = ", ".join(sorted(shorten(str(t)) for t in by_iao | by_dct)) or "(none named)"
    first_use: dict[URIRef, URIRef] = {}
    for s, p, o, _ in content.data.quads((None, None, None, None)):
        for term in (p, o):
            if term in replacement:
                first_use[term] = min(first_use.get(term, s), s)
    problems += [Problem(WARNING, f"This term is deprecated: use {replacement[term]} instead. It stays in the "
                         "ontology only so that existing data and links still resolve.",
                         file=content.file_of(subject), focus=shorten(str(subject)), value=shorten(str(term)))
                 for term, subject in sorted(first_use.items())]
    return problems
