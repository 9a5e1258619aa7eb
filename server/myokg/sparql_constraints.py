"""SHACL-SPARQL constraints (sh:sparql) evaluated on Oxigraph.

pyshacl parses a constraint's query again for every focus node, with rdflib's SPARQL parser and evaluator:
about 20 ms a node, so a few hundred muscles took minutes. Here each constraint runs once for all its focus
nodes on Oxigraph, by joining the query with the shape's targets, which is what pre-binding $this means for
the queries SHACL allows. The shapes file stays standard SHACL; any SHACL engine can run it unchanged.

Supported: node shapes with sh:targetClass or sh:targetNode holding sh:sparql constraints that have sh:select,
sh:prefixes, sh:message ({?var} and {$var} placeholders) and the shape's sh:severity. Anything else raises
ValueError, so a shape this runner cannot honour is never silently skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import NamedNode, RdfFormat, Store
from rdflib import BNode, Graph, Namespace, URIRef

from .namespaces import shorten

SH = Namespace("http://www.w3.org/ns/shacl#")
SUPPORTED_TARGETS = {SH.targetClass, SH.targetNode}
OTHER_TARGETS = {SH.targetSubjectsOf, SH.targetObjectsOf, SH.target}
PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")


@dataclass(frozen=True)
class SparqlConstraint:
    shape: URIRef | BNode
    node: URIRef | BNode  # the sh:sparql node itself
    query: str
    message: str
    severity: str


@dataclass(frozen=True)
class SparqlResult:
    constraint: SparqlConstraint
    focus: str  # the focus node's IRI
    value: str  # the offending value, as shown to a curator
    message: str


def split_off(shapes: Graph) -> tuple[Graph, list[SparqlConstraint]]:
    """The shapes without their sh:sparql constraints (for pyshacl), and those constraints, ready to run."""
    core = Graph()
    for triple in shapes:
        core.add(triple)
    constraints = []
    for shape, node in sorted(shapes.subject_objects(SH.sparql)):
        if shapes.value(node, SH.deactivated, default=False):
            continue
        if shapes.value(shape, SH.path) is not None:
            raise ValueError(f"sh:sparql on the property shape {shape} is not supported: put it on a node shape.")
        constraints.append(_constraint(shapes, shape, node))
        core.remove((shape, SH.sparql, node))
    return core, constraints


def _constraint(shapes: Graph, shape, node) -> SparqlConstraint:
    unsupported = [p for p in OTHER_TARGETS if shapes.value(shape, p) is not None]
    if unsupported:
        raise ValueError(f"Shape {shape}: targets {unsupported} are not supported with sh:sparql.")
    select = shapes.value(node, SH.select)
    if select is None:
        raise ValueError(f"Shape {shape}: a sh:sparql constraint without sh:select.")
    prefixes = "".join(
        f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
        for p in shapes.objects(node, SH.prefixes)
        for d in shapes.objects(p, SH.declare)
    )
    classes = " ".join(f"<{c}>" for c in sorted(shapes.objects(shape, SH.targetClass)))
    nodes = " ".join(f"<{n}>" for n in sorted(shapes.objects(shape, SH.targetNode)))
    targets = []
    if classes:
        targets.append(f"{{ VALUES ?target {{ {classes} }} ?this a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?target }}")
    if nodes:
        targets.append(f"{{ VALUES ?this {{ {nodes} }} }}")
    if not targets:
        raise ValueError(f"Shape {shape}: sh:sparql needs sh:targetClass or sh:targetNode.")
    inner = re.sub(r"\$this\b", "?this", str(select))
    query = f"{prefixes}SELECT DISTINCT * WHERE {{ {' UNION '.join(targets)} {{ {inner} }} }}"
    message = shapes.value(node, SH.message) or shapes.value(shape, SH.message) or "Fails a SPARQL constraint."
    severity = shapes.value(shape, SH.severity, default=SH.Violation)
    return SparqlConstraint(shape, node, query, str(message), str(severity).rsplit("#", 1)[-1])


def to_store(graph: Graph) -> Store:
    store = Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=RdfFormat.N_TRIPLES)
    return store


def run(constraints: list[SparqlConstraint], store: Store) -> list[SparqlResult]:
    results = []
    for constraint in constraints:
        solutions = store.query(constraint.query)
        names = [v.value for v in solutions.variables]
        for row in solutions:
            shown = {name: _show(row[name]) for name in names if row[name] is not None}
            message = PLACEHOLDER.sub(lambda m: shown.get(m.group(1), m.group(0)), constraint.message)
            # As SHACL says for node shapes: without a ?value binding, the value is the focus node.
            value = shown.get("value", shown["this"])
            results.append(SparqlResult(constraint, row["this"].value, value, message))
    return results


def _show(term) -> str:
    return shorten(term.value) if isinstance(term, NamedNode) else str(term)
