"""The ontology plus all the data is consistent OWL: HermiT (through owlready2, on Java) finds no
contradiction and no unsatisfiable class in a built release."""

from __future__ import annotations

import shutil

import owlready2
import pytest
from rdflib import OWL, RDF, Graph, URIRef

MYOKG = "https://w3id.org/myokg/ontology#"


def release_graph(release) -> Graph:
    graph = Graph()
    graph.parse(release.dumps_path / f"myokg-ontology-{release.version}.ttl")
    graph.parse(release.dumps_path / f"myokg-{release.version}.nt", format="nt")
    return graph


def reason(graph: Graph, folder) -> list:
    """Run HermiT on ``graph``; return the unsatisfiable classes, raise if it is inconsistent."""
    assert shutil.which("java"), "HermiT needs Java: install a JRE (apt-get install default-jre-headless; .ci/run does)."
    path = folder / "whole.owl"
    graph.serialize(path, format="xml")
    world = owlready2.World()
    ontology = world.get_ontology(path.as_uri()).load()
    with ontology:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    return list(world.inconsistent_classes())


def test_ontology_and_data_are_consistent_with_no_unsatisfiable_class(release, tmp_path):
    graph = release_graph(release)
    assert len(graph) > 10_000
    assert reason(graph, tmp_path) == []


def test_a_contradiction_in_the_data_is_found(release, tmp_path):
    """The same check fails on a release with one contradiction: a muscle declared a bone, bones and
    muscles being disjoint."""
    graph = release_graph(release)
    graph.add((URIRef(MYOKG + "Muscle"), OWL.disjointWith, URIRef(MYOKG + "Bone")))
    graph.add((URIRef("https://w3id.org/myokg/id/deltoid"), RDF.type, URIRef(MYOKG + "Bone")))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        reason(graph, tmp_path)
