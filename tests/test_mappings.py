"""Checks made beside the SHACL shapes, and the mapping shapes: each break is reported, good data is not.

- Uberon/FMA mappings: the IRI shapes of shapes/myokg-shapes.ttl (well-formed, at most one of each per
  resource, a muscle without Uberon mapping is only a warning) and server/myokg/mappings.py (the id exists
  in data/reference/uberon/terms.tsv, an exact match shares a name with the Uberon term, an FMA id is the
  cross-reference of the Uberon class beside it; a close match needs only an existing id).
- File organisation, server/myokg/loading.py: syntax errors, triples outside a GRAPH block, undeclared
  graphs, undefined ontology terms, resources used but never typed.

Same method as test_shapes.py (whose helpers this module reuses): one targeted change to a private copy of
the repository's data, then the report must hold exactly the expected problems.
"""

from __future__ import annotations

import pytest
from rdflib import SKOS, URIRef

from conftest import copy_seed
from myokg.namespaces import ID, OBO
from myokg.problems import WARNING
from myokg.validation import validate
from test_shapes import (DELT, INFRA, REGIONS, SEGMENTS, Case, V, W, assert_exactly, assert_unbroken, case, negative,
                         positive, render, run_case)

LOWER_BACK = ":lower-back skos:exactMatch obo:UBERON_0005462 , obo:FMA_61681 ."
INFRA_MAPPING = "skos:exactMatch obo:UBERON_0001477 , obo:FMA_32546 ."
C1_MAPPING = ":c1-spinal-segment skos:closeMatch obo:UBERON_0006469 , obo:FMA_71179 ."


@pytest.fixture(scope="module")
def clean_report(tmp_path_factory):
    return validate(copy_seed(tmp_path_factory.mktemp("seed") / "source"))


def test_seed_mappings_and_files_have_no_problem(clean_report):
    assert clean_report.problems == [], render(clean_report.problems)


CASES = [
    # --- Mapping shapes: shapes:OboMappingTarget, shapes:MappedAnatomy, shapes:MappedMuscle -----------
    case("uberon-iri-malformed",
         [(INFRA, "obo:UBERON_0001477", "obo:UBERON_001477")],
         V("obo:UBERON_001477", None, "An Uberon mapping is http://purl.obolibrary.org/obo/UBERON_ and seven digits",
           "obo:UBERON_001477"),
         # ... and it is of course not in the reference table either.
         V("myokg.id:infraspinatus", "skos:exactMatch", "This Uberon id is not in data/reference/uberon/terms.tsv",
           "obo:UBERON_001477"),
         before=["myokg.id:infraspinatus"]),
    case("fma-iri-malformed",
         [(INFRA, "obo:FMA_32546", "obo:FMA_32546a")],
         V("obo:FMA_32546a", None, "an FMA mapping is http://purl.obolibrary.org/obo/FMA_ and digits", "obo:FMA_32546a"),
         V("myokg.id:infraspinatus", "skos:exactMatch", "This FMA id is not a cross-reference of any Uberon class",
           "obo:FMA_32546a"),
         before=["myokg.id:infraspinatus"]),
    case("two-uberon-exact-matches",
         # The second class shares a name with the muscle, so only the count is wrong.
         [(INFRA, 'skos:altLabel "infraspinatus muscle"@en ;',
           'skos:altLabel "infraspinatus muscle"@en , "infraspinatus tendon"@en ;'),
          (INFRA, INFRA_MAPPING, "skos:exactMatch obo:UBERON_0001477 , obo:UBERON_0012118 , obo:FMA_32546 .")],
         V("myokg.id:infraspinatus", "skos:exactMatch", "A resource is an exact match of at most one Uberon class")),
    case("two-fma-exact-matches",
         # Without an Uberon class beside them, both FMA ids need only be known cross-references.
         [(REGIONS, LOWER_BACK, ":lower-back skos:exactMatch obo:FMA_61681 , obo:FMA_24228 .")],
         V("myokg.id:lower-back", "skos:exactMatch", "A resource is an exact match of at most one FMA class")),
    case("muscle-without-uberon-mapping-is-a-warning",
         [(INFRA, INFRA_MAPPING, "skos:exactMatch obo:FMA_32546 .")],
         W("myokg.id:infraspinatus", "skos:exactMatch", "This muscle has no Uberon mapping")),
    # --- mappings.py ---------------------------------------------------------------------------------
    case("unknown-uberon-id",
         [(INFRA, "obo:UBERON_0001477", "obo:UBERON_9999999")],
         V("myokg.id:infraspinatus", "skos:exactMatch", "This Uberon id is not in data/reference/uberon/terms.tsv",
           "obo:UBERON_9999999")),
    case("unknown-uberon-id-in-close-match",
         [(SEGMENTS, "obo:UBERON_0006469", "obo:UBERON_9999999")],
         V("myokg.id:c1-spinal-segment", "skos:closeMatch", "This Uberon id is not in data/reference/uberon/terms.tsv",
           "obo:UBERON_9999999")),
    case("obsolete-uberon-id-with-replacement",
         # UBERON:0000208 is in Uberon's OBO release as obsolete, replaced by UBERON:0000965.
         [(INFRA, "obo:UBERON_0001477", "obo:UBERON_0000208")],
         V("myokg.id:infraspinatus", "skos:exactMatch", "UBERON:0000208 (obsolete cellular lens) is obsolete in Uberon. "
           "Uberon replaces it by UBERON:0000965: map to that class instead.", "obo:UBERON_0000208")),
    case("obsolete-uberon-id-with-classes-to-consider",
         [(INFRA, "obo:UBERON_0001477", "obo:UBERON_0000360")],
         V("myokg.id:infraspinatus", "skos:exactMatch", "Uberon suggests considering UBERON:0004757, UBERON:0004758, "
           "UBERON:0004759, UBERON:0004760", "obo:UBERON_0000360")),
    case("obsolete-uberon-id-without-replacement-in-close-match",
         [(SEGMENTS, "obo:UBERON_0006469", "obo:UBERON_0000032")],
         V("myokg.id:c1-spinal-segment", "skos:closeMatch", "UBERON:0000032 (obsolete cranial structure) is obsolete in "
           "Uberon. Uberon names no replacement", "obo:UBERON_0000032")),
    case("exact-match-shares-no-name",
         # The subscapularis's Uberon class and its own FMA id: only the names disagree.
         [(INFRA, INFRA_MAPPING, "skos:exactMatch obo:UBERON_0001129 , obo:FMA_13413 .")],
         V("myokg.id:infraspinatus", "skos:exactMatch",
           "None of this resource's labels or synonyms matches the label or an exact synonym of UBERON:0001129",
           "obo:UBERON_0001129")),
    case("close-match-made-exact-shares-no-name",
         # The repository's close match of C1 is accepted although no name is shared; as an exact match it is not.
         [(SEGMENTS, C1_MAPPING, ":c1-spinal-segment skos:exactMatch obo:UBERON_0006469 , obo:FMA_71179 .")],
         V("myokg.id:c1-spinal-segment", "skos:exactMatch", "None of this resource's labels or synonyms matches",
           "obo:UBERON_0006469")),
    case("fma-id-not-an-uberon-xref",
         [(INFRA, "obo:FMA_32546", "obo:FMA_99999999")],
         V("myokg.id:infraspinatus", "skos:exactMatch", "This FMA id is not a cross-reference of any Uberon class",
           "obo:FMA_99999999")),
    case("fma-id-of-another-uberon-class",
         [(INFRA, "obo:FMA_32546", "obo:FMA_13413")],
         V("myokg.id:infraspinatus", "skos:exactMatch",
           "This FMA id is not the one Uberon gives for the Uberon class mapped beside it (UBERON:0001477)",
           "obo:FMA_13413")),
    case("fma-id-of-another-uberon-class-in-close-match",
         [(SEGMENTS, "obo:FMA_71179", "obo:FMA_71180")],
         V("myokg.id:c1-spinal-segment", "skos:closeMatch", "not the one Uberon gives for the Uberon class mapped beside it "
           "(UBERON:0006469)", "obo:FMA_71180")),
    # --- loading.py: file organisation ---------------------------------------------------------------
    case("syntax-error",
         # An unterminated string: nothing else can be checked, so this is the only problem.
         [(INFRA, '"musculus infraspinatus"@la .', '"musculus infraspinatus@la .')],
         V(None, None, "Cannot parse this file"),
         before=["myokg.id:infraspinatus"]),
    case("triple-outside-any-graph",
         [(INFRA, 'GRAPH g:terminologia-anatomica-2 {\n    :infraspinatus myokg:latinName "musculus infraspinatus"@la .\n}',
           ':infraspinatus myokg:latinName "musculus infraspinatus"@la .')],
         V(None, None, "1 triple(s) are outside any GRAPH block"),
         before=["myokg.id:infraspinatus"]),
    case("undeclared-graph",
         [(INFRA, "GRAPH g:terminologia-anatomica-2 {", "GRAPH g:terminologia-anatomica {")],
         V("graph:terminologia-anatomica", None, "Claims sit in a graph that is not declared as a source graph"),
         before=["graph:terminologia-anatomica-2"]),
    case("undefined-term-as-property",
         [(INFRA, ":infraspinatus myokg:latinName", ":infraspinatus myokg:Foo")],
         V("myokg.id:infraspinatus", None, "This term is not defined in the MyoKG ontology", "myokg:Foo")),
    case("undefined-term-as-value",
         [(INFRA, "myokg:shape myokg:TriangularShape", "myokg:shape myokg:Foo")],
         V("myokg.id:infraspinatus", None, "This term is not defined in the MyoKG ontology", "myokg:Foo"),
         # myokg:Foo is no muscle shape either.
         V("myokg.id:infraspinatus", "myokg:shape", "takes one of the myokg:MuscleShape values", "myokg:Foo")),
    case("resource-used-but-never-typed",
         [(INFRA, "obo:RO_0002005 :suprascapular-nerve", "obo:RO_0002005 :suprascapular-nerv")],
         V("myokg.id:infraspinatus", None, "This resource is used but never described", "myokg.id:suprascapular-nerv"),
         # An untyped resource is no myokg:Nerve for the shapes either.
         V("myokg.id:infraspinatus", "obo:RO_0002005", "A muscle needs at least one innervating nerve",
           "myokg.id:suprascapular-nerv")),
    case("subject-never-typed",
         [(INFRA, ":infraspinatus myokg:latinName", ":infraspinatis myokg:latinName")],
         V("myokg.id:infraspinatis", None, "This resource is used but never described", "myokg.id:infraspinatis"),
         before=["myokg.id:infraspinatus"]),
]


@pytest.mark.parametrize("c", negative(CASES))
def test_broken_rule_is_reported(tree_copy, c: Case):
    report = run_case(tree_copy, c)
    assert_exactly(report, c)
    assert report.ok == all(e.severity == WARNING for e in c.expect)


@pytest.mark.parametrize("c", positive(CASES))
def test_unbroken_focus_is_accepted(clean_report, c: Case):
    """Before the change the same resources and files have no problem: among them a close match that
    shares no name with its Uberon class, and FMA ids beside their Uberon classes."""
    assert_unbroken(clean_report, c)


def test_close_match_and_foreign_targets_need_no_shared_name(tree_copy):
    """A close match needs only an existing Uberon id; a mapping outside Uberon and FMA is not checked."""
    deltoid = "skos:exactMatch obo:UBERON_0001476 , obo:FMA_32521 ."
    c = Case(((DELT, deltoid,
               # "skeletal muscle tissue of deltoid" shares no name with the deltoid: fine for a close match.
               "skos:exactMatch obo:UBERON_0001476 , obo:FMA_32521 , <https://example.org/anatomy/Deltoid> ;\n"
               "        skos:closeMatch obo:UBERON_0004500 ."),), ())
    report = run_case(tree_copy, c)
    assert report.problems == [], render(report.problems)
    deltoid_node = ID["deltoid"]
    assert (deltoid_node, SKOS.closeMatch, OBO["UBERON_0004500"]) in report.content.data
    assert (deltoid_node, SKOS.exactMatch, URIRef("https://example.org/anatomy/Deltoid")) in report.content.data


def test_missing_obsolete_table_is_a_violation(tree_copy):
    """Without Uberon's list of obsolete classes, no mapping can be shown current: validation refuses."""
    tree_copy.uberon_obsolete.unlink()
    report = validate(tree_copy)
    assert not report.ok
    assert [p.message for p in report.problems] == [
        "The Uberon reference table data/reference/uberon/obsolete.tsv is missing; mappings cannot be checked without it."]
