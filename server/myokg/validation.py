"""Validate a source tree: file organisation, mappings, then the SHACL shapes over the whole graph."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph, Namespace, URIRef

from .content import SourceTree
from . import sparql_constraints
from .loading import LoadedContent, load
from .mappings import check_mappings
from .namespaces import CURATION_GRAPH, ID, MYOKG, shorten
from .problems import Problem

SH = Namespace("http://www.w3.org/ns/shacl#")


@dataclass
class Report:
    """The outcome of validation: every problem found, and the parsed content for building on."""

    content: LoadedContent
    problems: list[Problem]

    @property
    def violations(self) -> list[Problem]:
        return [p for p in self.problems if p.is_violation]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_violation]

    @property
    def ok(self) -> bool:
        return not self.violations


def validate(tree: SourceTree) -> Report:
    content = load(tree)
    problems = list(content.problems)
    if content.parsed:
        problems += check_mappings(content)
        problems += run_shapes(content)
    return Report(content, problems)


def validation_graph(content: LoadedContent) -> Graph:
    """The graph the shapes see: ontology, the union of all source graphs, and myokg:statedIn."""
    union = Graph()
    for triple in content.ontology:
        union.add(triple)
    for graph in content.data.graphs():
        for s, p, o in graph:
            union.add((s, p, o))
        if graph.identifier == CURATION_GRAPH:
            continue
        for node in set(graph.subjects()) | set(graph.objects()):
            if isinstance(node, URIRef) and node.startswith(str(ID)):
                union.add((node, MYOKG.statedIn, graph.identifier))
    return union


def run_shapes(content: LoadedContent) -> list[Problem]:
    """Core constraints on pyshacl, SPARQL-based ones on Oxigraph (see sparql_constraints)."""
    graph = validation_graph(content)
    core_shapes, sparql = sparql_constraints.split_off(content.shapes)
    _, results, _ = pyshacl.validate(
        graph,
        shacl_graph=core_shapes,
        inference="none",
        allow_warnings=True,
        abort_on_first=False,
    )
    problems = []
    # Only top-level results: those pyshacl nests under sh:detail (why an sh:node failed) would point a
    # curator at a node that is not wrong.
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        problems.append(
            Problem(
                severity.split("#")[-1],
                " ".join(messages) or "Fails shape " + shorten(str(results.value(result, SH.sourceShape))),
                file=content.file_of(focus),
                focus=_show(focus),
                path=_show(results.value(result, SH.resultPath)),
                value=_show(results.value(result, SH.value)),
            )
        )
    for result in sparql_constraints.run(sparql, sparql_constraints.to_store(graph)):
        problems.append(
            Problem(
                result.constraint.severity,
                result.message,
                file=content.file_of(URIRef(result.focus)),
                focus=shorten(result.focus),
                value=result.value,
            )
        )
    return sorted(problems, key=lambda p: (p.file or "", p.focus or "", p.path or "", p.message))


def _show(node) -> str | None:
    if node is None:
        return None
    if isinstance(node, URIRef):
        return shorten(str(node))
    return node.n3()
