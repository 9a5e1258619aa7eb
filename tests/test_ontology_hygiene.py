"""OWL and RDF hygiene of the ontology and the data: every term of our namespace is declared, labelled and
defined; every term we reuse from RO, BFO, IAO, schema.org, SKOS, Dublin Core or VANN carries its label in
our ontology; the version IRI follows the version; deprecated terms keep resolving and name their
replacement, and data still using one is warned."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from conftest import edit
from myokg.namespaces import MYOKG, ONTOLOGY_IRI
from myokg.problems import VIOLATION, WARNING
from myokg.release import build_release
from myokg.validation import validate

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, OWL.NamedIndividual}
# The W3C languages themselves: RDF, RDFS, OWL and XSD terms need no declaration of ours.
BUILT_IN = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
            "http://www.w3.org/2002/07/owl#", "http://www.w3.org/2001/XMLSchema#")
# Where a term is used as a vocabulary term (not as a resource described by the data).
TERM_POSITIONS = (RDFS.subClassOf, RDFS.subPropertyOf, OWL.equivalentClass, OWL.equivalentProperty, RDFS.domain,
                  RDFS.range)


@pytest.fixture(scope="module")
def content(repo_tree):
    report = validate(repo_tree)
    assert report.ok
    return report.content


def _everything(content) -> Graph:
    graph = Graph()
    graph += content.ontology
    for quad in content.data.quads((None, None, None, None)):
        graph.add(quad[:3])
    return graph


def _vocabulary_terms(graph: Graph) -> set[URIRef]:
    """Every property used, every class instantiated, every term the ontology relates terms to."""
    terms = set(graph.predicates())
    terms |= {o for o in graph.objects(None, RDF.type) if isinstance(o, URIRef)}
    for position in TERM_POSITIONS:
        terms |= {o for o in graph.objects(None, position) if isinstance(o, URIRef)}
    return terms


def test_every_term_of_our_namespace_is_declared_labelled_and_defined(content):
    graph = _everything(content)
    ours = {t for triple in graph for t in triple if isinstance(t, URIRef) and str(t).startswith(str(MYOKG))}
    assert len(ours) > 80
    undeclared = sorted(t for t in ours if not DECLARATIONS & set(content.ontology.objects(t, RDF.type)))
    unlabelled = sorted(t for t in ours if content.ontology.value(t, RDFS.label) is None)
    undefined = sorted(t for t in ours if content.ontology.value(t, SKOS.definition) is None)
    assert (undeclared, unlabelled, undefined) == ([], [], [])


def test_reused_terms_are_declared_and_labelled(content):
    graph = _everything(content)
    reused = {t for t in _vocabulary_terms(graph)
              if not str(t).startswith((str(MYOKG), *BUILT_IN))}
    # RO, BFO, BSPO, SKOS, Dublin Core, schema.org and VANN terms are all among them.
    assert {URIRef("http://purl.obolibrary.org/obo/RO_0002372"), URIRef("http://purl.obolibrary.org/obo/BFO_0000050"),
            SKOS.exactMatch, URIRef("http://purl.org/dc/terms/source"), URIRef("https://schema.org/Book")} <= reused
    unlabelled = sorted(t for t in reused if content.ontology.value(t, RDFS.label) is None)
    undeclared = sorted(t for t in reused if not DECLARATIONS & set(content.ontology.objects(t, RDF.type)))
    assert (unlabelled, undeclared) == ([], [])


def test_version_iri_follows_the_version(content):
    ontology = URIRef(ONTOLOGY_IRI)
    version = str(content.ontology.value(ontology, OWL.versionInfo))
    assert content.ontology.value(ontology, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{version}")


def test_a_build_refuses_a_version_iri_that_does_not_follow_the_version(tree_copy, tmp_path):
    edit(tree_copy.ontology_file, "owl:versionInfo \"0.1.0\"", "owl:versionInfo \"0.2.0\"")
    with pytest.raises(ValueError, match=r"owl:versionIRI <https://w3id.org/myokg/ontology/0\.1\.0> does not "
                                         r"match owl:versionInfo \"0\.2\.0\": make it "
                                         r"<https://w3id.org/myokg/ontology/0\.2\.0>"):
        build_release(tree_copy, tmp_path / "release")
    assert not (tmp_path / "release" / "0.2.0").exists()


DEPRECATE_TRIANGULAR = """myokg:TriangularShape owl:deprecated true ;
    obo:IAO_0100001 myokg:FanShape ;
    dct:isReplacedBy myokg:FanShape .
"""


def test_data_using_a_deprecated_term_is_warned_with_its_replacement(tree_copy):
    with tree_copy.ontology_file.open("a", encoding="utf-8") as ontology:
        ontology.write("\n" + DEPRECATE_TRIANGULAR)
    report = validate(tree_copy)
    assert report.ok, "a deprecated term is a warning, not a violation"
    # One warning per deprecated term, at its first user in IRI order (the seed has several).
    users = sorted(set(report.content.data.subjects(MYOKG.shape, MYOKG.TriangularShape)))
    assert len(users) > 1 and users[0] == URIRef("https://w3id.org/myokg/id/deltoid")
    assert [(p.severity, p.file, p.focus, p.value) for p in report.problems] == [
        (WARNING, "data/shoulder/deltoid.trig", "myokg.id:deltoid", "myokg:TriangularShape")]
    assert report.problems[0].message.startswith("This term is deprecated: use myokg:FanShape instead.")


@pytest.mark.parametrize("statement", [
    "myokg:TriangularShape owl:deprecated true .",
    "myokg:TriangularShape owl:deprecated true ; obo:IAO_0100001 myokg:FanShape .",
    "myokg:TriangularShape owl:deprecated true ; obo:IAO_0100001 myokg:FanShape ; dct:isReplacedBy myokg:Flexion .",
], ids=["no-replacement", "only-iao", "replacements-disagree"])
def test_a_deprecated_term_must_name_its_replacement(tree_copy, statement):
    with tree_copy.ontology_file.open("a", encoding="utf-8") as ontology:
        ontology.write("\n" + statement + "\n")
    report = validate(tree_copy)
    violations = [(p.file, p.focus) for p in report.problems if p.severity == VIOLATION]
    assert violations == [("ontology/myokg.ttl", "myokg:TriangularShape")]
    assert "names one replacement with both obo:IAO_0100001 (term replaced by) and dct:isReplacedBy" in \
        report.violations[0].message


def test_terms_of_our_namespace_in_the_shapes_are_defined(content):
    """The shapes use the ontology's terms, and one of their own (myokg:statedIn, computed by the validator
    and never published), which the shapes file itself declares, labels and describes."""
    used = {t for triple in content.shapes for t in triple
            if isinstance(t, URIRef) and str(t).startswith(str(MYOKG))}
    assert len(used) > 20
    for term in sorted(used):
        declared_in = content.ontology if (term, RDF.type, None) in content.ontology else content.shapes
        assert (term, RDF.type, None) in declared_in, term
        assert declared_in.value(term, RDFS.label) is not None, term
        assert (declared_in.value(term, SKOS.definition) or declared_in.value(term, RDFS.comment)) is not None, term
