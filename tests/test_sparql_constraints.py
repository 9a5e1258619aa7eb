"""The SHACL-SPARQL runner agrees with pyshacl, and refuses the shapes it cannot honour."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Namespace

from conftest import edit
from myokg import sparql_constraints
from myokg.loading import load
from myokg.namespaces import shorten
from myokg.validation import validation_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
GMED = "data/pelvis-and-hip/gluteus-medius.trig"
INFRA = "data/shoulder/infraspinatus.trig"
DELT = "data/shoulder/deltoid.trig"


def test_same_results_as_pyshacl(tree_copy):
    root = tree_copy.root
    # Break every SPARQL constraint at least once.
    edit(root / INFRA, "myokg:primeMoverOf :shoulder-lateral-rotation ;",
         "myokg:primeMoverOf :shoulder-lateral-rotation , :shoulder-abduction ;")
    edit(root / GMED, "myokg:hasTriggerPoint gmed:tp1 , gmed:tp2 , gmed:tp3 .",
         "myokg:hasTriggerPoint gmed:tp1 , gmed:tp2 .")
    edit(root / GMED, "gmed:tp3 obo:RO_0001025 gmed:anterior-fibres , :gluteus-medius ;",
         "gmed:tp3 obo:RO_0001025 <https://w3id.org/myokg/id/deltoid/acromial-part> , :gluteus-medius , :deltoid ;")
    edit(root / GMED, "gmed:tp2 obo:RO_0001025 :gluteus-medius ;\n        myokg:locationDescription \"In the middle",
         "gmed:tp2 obo:RO_0001025 :gluteus-medius , <https://w3id.org/myokg/id/deltoid/clavicular-part> ;\n"
         "        myokg:locationDescription \"In the middle")
    edit(root / DELT, "delt:spinal-part obo:BFO_0000050 :deltoid ;", "delt:spinal-part obo:BFO_0000050 :infraspinatus ;")
    edit(root / "data" / "spinal-segments.trig", 'skos:notation "C7"', 'skos:notation "C8"')
    content = load(tree_copy)
    graph = validation_graph(content)
    _, constraints = sparql_constraints.split_off(content.shapes)

    ours = {(r.focus, r.value, r.constraint.node)
            for r in sparql_constraints.run(constraints, sparql_constraints.to_store(graph))}

    _, report, _ = pyshacl.validate(graph, shacl_graph=content.shapes, inference="none", allow_warnings=True)
    theirs = set()
    for result in report.objects(None, SH.result):
        if report.value(result, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent:
            value = report.value(result, SH.value)
            theirs.add((str(report.value(result, SH.focusNode)), shorten(str(value)) if value is not None else None,
                        report.value(result, SH.sourceConstraint)))
    assert len(ours) == 7  # seven distinct breaks, every constraint among them
    assert ours == theirs


def _shapes(extra: str) -> Graph:
    return Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix ex: <http://example.org/> .
        """ + extra, format="turtle")


@pytest.mark.parametrize("shape, complaint", [
    ("ex:S sh:targetClass ex:C ; sh:path ex:p ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] .",
     "property shape"),
    ("ex:S sh:targetSubjectsOf ex:p ; sh:sparql [ sh:select 'SELECT $this WHERE { }' ] .", "not supported"),
    ("ex:S sh:targetClass ex:C ; sh:sparql [ sh:message 'no query' ] .", "without sh:select"),
    ("ex:S sh:sparql [ sh:select 'SELECT $this WHERE { }' ] .", "needs sh:targetClass or sh:targetNode"),
])
def test_unsupported_shapes_are_refused_not_skipped(shape, complaint):
    with pytest.raises(ValueError, match=complaint):
        sparql_constraints.split_off(_shapes(shape))


def test_deactivated_constraints_are_dropped():
    core, constraints = sparql_constraints.split_off(_shapes(
        "ex:S sh:targetClass ex:C ; sh:sparql [ sh:deactivated true ; sh:select 'SELECT $this WHERE { }' ] ."))
    assert constraints == []
