"""Every constraint of shapes/myokg-shapes.ttl: a crafted break is reported, the good data is accepted.

Each negative case takes a private copy of the repository's data (which validates with no problem at all),
makes one targeted change, validates, and checks that the report holds exactly the expected problems:
every expected problem is there (severity, focus node, path, value when given, file, message fragment) and
every problem reported is one of them, so nothing unrelated broke. The positive side: the repository's own
data, and a small file of crafted but valid additions (``GOOD_EXTRA``), have no problem at all, in
particular none on the focus nodes the negative cases break.

The mapping shapes (Uberon/FMA IRIs) are tested with the mapping checks in test_mappings.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rdflib import URIRef

from conftest import copy_seed, edit
from myokg.content import SourceTree
from myokg.namespaces import shorten
from myokg.problems import VIOLATION, WARNING, Problem
from myokg.validation import Report, validate

# ---------------------------------------------------------------------------------------------------
# Helpers (test_mappings.py imports them too)
# ---------------------------------------------------------------------------------------------------

INFRA = "data/shoulder/infraspinatus.trig"
DELT = "data/shoulder/deltoid.trig"
SH_SKELETON = "data/shoulder/skeleton.trig"
SH_NERVES = "data/shoulder/nerves.trig"
SH_MOVEMENTS = "data/shoulder/movements.trig"
GMED = "data/pelvis-and-hip/gluteus-medius.trig"
GMAX = "data/pelvis-and-hip/gluteus-maximus.trig"
REGIONS = "data/body-regions.trig"
SEGMENTS = "data/spinal-segments.trig"
SOURCES = "data/sources.trig"
EXTRA = "data/extra.trig"

PREFIXES = """\
@prefix :      <https://w3id.org/myokg/id/> .
@prefix g:     <https://w3id.org/myokg/graph/> .
@prefix myokg: <https://w3id.org/myokg/ontology#> .
@prefix rdfs:  <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:  <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:   <http://purl.org/dc/terms/> .
@prefix obo:   <http://purl.obolibrary.org/obo/> .
"""

# Crafted additions that satisfy every rule; negative cases marked ``extra`` start from this file and
# break one thing in it. The trigger point's IRI is written through its own prefix so that one edit of
# the prefix line moves it.
GOOD_EXTRA = PREFIXES + """\
@prefix newtp: <https://w3id.org/myokg/id/gluteus-medius/> .

GRAPH g:myokg-curation {
    :prolonged-sitting a myokg:PerpetuatingFactor ;
        rdfs:label "prolonged sitting"@en ;
        skos:definition "Sitting for hours without getting up."@en .

    :glenoid-cavity a myokg:BoneLandmark ;
        rdfs:label "glenoid cavity"@en ;
        skos:definition "The shallow socket on the lateral angle of the scapula that holds the head of the humerus."@en .

    newtp:tp4 a myokg:TriggerPoint ;
        rdfs:label "gluteus medius trigger point 4"@en ;
        skos:definition "A trigger point crafted for the tests, in the middle of the gluteus medius."@en .
    :gluteus-medius myokg:hasTriggerPoint newtp:tp4 .

    :test-atlas a myokg:Source ;
        rdfs:label "Test atlas"@en ;
        dct:title "An atlas made up for the tests"@en ;
        dct:publisher "Test press" ;
        dct:type myokg:Textbook ;
        skos:definition "A source that exists only in the tests."@en .
    g:test-atlas a myokg:SourceGraph ;
        rdfs:label "claims of the test atlas"@en ;
        dct:source :test-atlas .

    :test-atlas-chapter-1 a myokg:Source ;
        rdfs:label "Test atlas, chapter 1"@en ;
        dct:title "Chapter 1: the eyelid"@en ;
        dct:publisher "Test press" ;
        dct:type myokg:BookChapter ;
        dct:isPartOf :test-atlas ;
        skos:definition "A chapter of the test atlas, cited on its own."@en .
    g:test-atlas-chapter-1 a myokg:SourceGraph ;
        rdfs:label "claims of chapter 1 of the test atlas"@en ;
        dct:source :test-atlas-chapter-1 .

    :test-cranial-nerve a myokg:CranialNerve ;
        rdfs:label "test cranial nerve"@en ;
        skos:definition "A cranial nerve made up for the tests; it has no spinal segments."@en .
    :test-cuff a myokg:MuscleGroup ;
        rdfs:label "test cuff"@en ;
        skos:definition "A muscle group made up for the tests."@en .
    :test-eyelid a myokg:SoftTissueStructure ;
        rdfs:label "test eyelid"@en ;
        skos:definition "An eyelid made up for the tests."@en .
    :test-eyelid-closure a myokg:Movement ;
        rdfs:label "test eyelid closure"@en ;
        skos:definition "Closing the test eyelid, a movement at no joint."@en ;
        myokg:movedStructure :test-eyelid ; myokg:movementType myokg:Closure .
}
GRAPH g:test-atlas-chapter-1 {
    :test-cuff obo:RO_0002351 :infraspinatus , :subscapularis .
    :test-cranial-nerve myokg:locationDescription "Runs to the test eyelid."@en .
    :test-eyelid obo:BFO_0000050 :buttock .
}
GRAPH g:grays-anatomy-42 {
    :glenoid-cavity obo:BFO_0000050 :scapula .
}
GRAPH g:harris-2019-gluteus-medius {
    newtp:tp4 obo:RO_0001025 :gluteus-medius ;
        myokg:refersPainTo :buttock .
}
"""


@dataclass(frozen=True)
class Expect:
    """One problem the report must hold."""

    severity: str
    focus: str | None
    path: str | None
    fragment: str
    value: str | None = None  # checked only when given
    file: str | None = None  # defaults to the file of the case's first edit

    def matches(self, problem: Problem, default_file: str) -> bool:
        return (
            problem.severity == self.severity
            and problem.focus == self.focus
            and problem.path == self.path
            and self.fragment in problem.message
            and (self.value is None or problem.value == self.value)
            and problem.file == (self.file or default_file)
        )


def V(focus, path, fragment, value=None, file=None) -> Expect:
    return Expect(VIOLATION, focus, path, fragment, value, file)


def W(focus, path, fragment, value=None, file=None) -> Expect:
    return Expect(WARNING, focus, path, fragment, value, file)


@dataclass(frozen=True)
class Case:
    edits: tuple[tuple[str, str, str], ...]  # (file, old, new): old occurs exactly once in file
    expect: tuple[Expect, ...]
    extra: bool = False  # write GOOD_EXTRA to data/extra.trig before the edits
    before: tuple[str, ...] = ()  # the broken nodes before the change, when the change renames them
    id: str = ""
    bug: str | None = None  # a known bug that makes the negative test fail: it is marked xfail(strict)

    @property
    def default_file(self) -> str:
        return self.edits[0][0]

    @property
    def foci_before(self) -> set[str]:
        return set(self.before) or {e.focus for e in self.expect if e.focus}


def case(case_id, edits, *expect, extra=False, before=(), bug=None) -> Case:
    return Case(tuple(edits), tuple(expect), extra, tuple(before), case_id, bug)


def negative(cases: list[Case]):
    """Parameters for the negative tests: a case with a known bug is expected to fail, strictly."""
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.bug)] if c.bug else [])
            for c in cases]


def positive(cases: list[Case]):
    return [pytest.param(c, id=c.id) for c in cases]


def render(problems) -> str:
    return "\n".join(p.render() for p in problems) or "(no problem)"


def run_case(tree: SourceTree, c: Case) -> Report:
    if c.extra:
        (tree.root / EXTRA).write_text(GOOD_EXTRA, encoding="utf-8")
    for file, old, new in c.edits:
        edit(tree.root / file, old, new)
    return validate(tree)


def assert_exactly(report: Report, c: Case) -> None:
    """Every expected problem is reported, and every reported problem is an expected one."""
    for e in c.expect:
        assert any(e.matches(p, c.default_file) for p in report.problems), (
            f"expected {e} not reported; got:\n{render(report.problems)}"
        )
    unexpected = [p for p in report.problems if not any(e.matches(p, c.default_file) for e in c.expect)]
    assert not unexpected, f"unexpected problems:\n{render(unexpected)}"


def assert_unbroken(baseline: Report, c: Case) -> None:
    """In the data before the change, the nodes the case breaks exist and have no problem, and no file it
    edits has any."""
    foci = c.foci_before
    assert foci
    described = {shorten(str(node)) for node in baseline.content.files_of}
    assert foci <= described, f"{foci - described} not described in the data before the change"
    edited = {file for file, _, _ in c.edits}
    bad = [p for p in baseline.problems if p.focus in foci or p.file in edited]
    assert not bad, render(bad)


# ---------------------------------------------------------------------------------------------------
# Positive side: the repository and the crafted additions are clean
# ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def clean_report(tmp_path_factory) -> Report:
    return validate(copy_seed(tmp_path_factory.mktemp("seed") / "source"))


@pytest.fixture(scope="module")
def extra_report(tmp_path_factory) -> Report:
    tree = copy_seed(tmp_path_factory.mktemp("good-extra") / "source")
    (tree.root / EXTRA).write_text(GOOD_EXTRA, encoding="utf-8")
    return validate(tree)


def test_seed_data_has_no_problem(clean_report):
    assert clean_report.problems == [], render(clean_report.problems)
    assert clean_report.ok


def test_crafted_additions_have_no_problem(extra_report):
    assert extra_report.problems == [], render(extra_report.problems)
    # The additions were really read: the crafted trigger point is described in data/extra.trig.
    assert extra_report.content.file_of(URIRef("https://w3id.org/myokg/id/gluteus-medius/tp4")) == EXTRA


# ---------------------------------------------------------------------------------------------------
# Negative cases, one or more per constraint of the shapes
# ---------------------------------------------------------------------------------------------------

CASES = [
    # --- shapes:Resource ---------------------------------------------------------------------------
    case("resource-iri-not-lower-case-slug",
         [(EXTRA, ":prolonged-sitting a myokg:PerpetuatingFactor", ":Prolonged_Sitting a myokg:PerpetuatingFactor")],
         V("myokg.id:Prolonged_Sitting", None, "followed by a lower-case, hyphenated slug", "myokg.id:Prolonged_Sitting"),
         extra=True, before=["myokg.id:prolonged-sitting"]),
    case("label-missing",
         [(INFRA, '        rdfs:label "infraspinatus"@en ;\n', "")],
         V("myokg.id:infraspinatus", "rdfs:label", "Give exactly one rdfs:label, an English string tagged @en")),
    case("label-twice",
         [(INFRA, 'rdfs:label "infraspinatus"@en ;', 'rdfs:label "infraspinatus"@en , "infraspinatus muscle"@en ;')],
         V("myokg.id:infraspinatus", "rdfs:label", "Give exactly one rdfs:label")),
    case("label-not-english",
         [(INFRA, 'rdfs:label "infraspinatus"@en', 'rdfs:label "infraspinatus"@fr')],
         V("myokg.id:infraspinatus", "rdfs:label", "an English string tagged @en", '"infraspinatus"@fr')),
    case("definition-missing",
         [(SH_SKELETON,
           'rdfs:label "humerus"@en ;\n'
           '        skos:definition "The long bone of the upper arm, from the shoulder joint to the elbow."@en .',
           'rdfs:label "humerus"@en .')],
         V("myokg.id:humerus", "skos:definition", "Give exactly one skos:definition, in English")),
    case("definition-not-english",
         [(SH_SKELETON, 'from the shoulder joint to the elbow."@en', 'from the shoulder joint to the elbow."@de')],
         V("myokg.id:humerus", "skos:definition", "Give exactly one skos:definition, in English (@en)")),
    case("alt-label-not-english",
         [(INFRA, 'skos:altLabel "infraspinatus muscle"@en ;',
           'skos:altLabel "infraspinatus muscle"@en , "musculus infraspinatus"@la ;')],
         V("myokg.id:infraspinatus", "skos:altLabel", "Synonyms (skos:altLabel) are English strings tagged @en",
           '"musculus infraspinatus"@la')),
    case("latin-name-not-latin",
         [(INFRA, '"musculus infraspinatus"@la', '"musculus infraspinatus"@en')],
         V("myokg.id:infraspinatus", "myokg:latinName", "A Latin name (myokg:latinName) is a string tagged @la",
           '"musculus infraspinatus"@en')),
    # --- shapes:Sourced: the curation graph alone does not count -------------------------------------
    case("stated-in-curation-graph-only",
         [(EXTRA, "GRAPH g:grays-anatomy-42 {\n    :glenoid-cavity", "GRAPH g:myokg-curation {\n    :glenoid-cavity")],
         V("myokg.id:glenoid-cavity", "myokg:statedIn", "No source states anything about this resource"),
         extra=True),
    # --- shapes:Muscle: required properties ---------------------------------------------------------
    case("muscle-without-origin",
         [(INFRA, "        obo:RO_0002372 :infraspinous-fossa ;\n", "")],
         V("myokg.id:infraspinatus", "obo:RO_0002372", "A muscle needs at least one origin")),
    case("muscle-without-insertion",
         [(INFRA, "        obo:RO_0002373 :greater-tubercle-of-humerus ;\n", "")],
         V("myokg.id:infraspinatus", "obo:RO_0002373", "A muscle needs at least one insertion")),
    case("muscle-without-nerve",
         [(INFRA, "        obo:RO_0002005 :suprascapular-nerve ;\n", "")],
         V("myokg.id:infraspinatus", "obo:RO_0002005", "A muscle needs at least one innervating nerve")),
    case("muscle-without-spinal-segment",
         [(INFRA, "        myokg:spinalSegment :c5-spinal-segment , :c6-spinal-segment ;\n", "")],
         V("myokg.id:infraspinatus", None, "A muscle needs its segmental innervation", "myokg.id:suprascapular-nerve")),
    case("muscle-without-action",
         [(INFRA, "        myokg:primeMoverOf :shoulder-lateral-rotation ;\n"
                  "        myokg:action :shoulder-lateral-rotation , :shoulder-stabilisation ;\n", "")],
         V("myokg.id:infraspinatus", None, "A muscle needs at least one action")),
    case("muscle-with-unknown-action-stated-false",
         [(INFRA, "        myokg:primeMoverOf :shoulder-lateral-rotation ;\n"
                  "        myokg:action :shoulder-lateral-rotation , :shoulder-stabilisation ;\n",
           "        myokg:actionUnknown false ;\n")],
         V("myokg.id:infraspinatus", None, "A muscle needs at least one action"),
         V("myokg.id:infraspinatus", "myokg:actionUnknown", "only ever stated as true")),
    # --- shapes:Muscle: what its properties point to ------------------------------------------------
    case("origin-is-a-nerve",
         [(INFRA, "obo:RO_0002372 :infraspinous-fossa", "obo:RO_0002372 :suprascapular-nerve")],
         V("myokg.id:infraspinatus", "obo:RO_0002372", "a bone, bony landmark, connective tissue or soft tissue structure",
           "myokg.id:suprascapular-nerve")),
    case("associated-trigger-points-in-a-bone",
         [(INFRA, "obo:RO_0002568 :subscapularis", "obo:RO_0002568 :subscapularis ;\n        myokg:associatedTriggerPointsIn :scapula")],
         V("myokg.id:infraspinatus", "myokg:associatedTriggerPointsIn", "links to another muscle", "myokg.id:scapula")),
    case("muscle-group-of-one",
         [(EXTRA, ":test-cuff obo:RO_0002351 :infraspinatus , :subscapularis .", ":test-cuff obo:RO_0002351 :infraspinatus .")],
         V("myokg.id:test-cuff", "obo:RO_0002351", "A muscle group has at least two members"), extra=True),
    case("muscle-group-member-not-a-muscle",
         [(EXTRA, ":test-cuff obo:RO_0002351 :infraspinatus , :subscapularis .", ":test-cuff obo:RO_0002351 :infraspinatus , :scapula .")],
         V("myokg.id:test-cuff", "obo:RO_0002351", "A muscle group has at least two members", "myokg.id:scapula"), extra=True),
    case("innervated-by-a-bone",
         [(INFRA, "obo:RO_0002005 :suprascapular-nerve", "obo:RO_0002005 :scapula")],
         V("myokg.id:infraspinatus", "obo:RO_0002005", "a myokg:Nerve (or, for direct branches, a myokg:NervePlexus)", "myokg.id:scapula")),
    case("antagonist-not-a-muscle",
         [(INFRA, "obo:RO_0002568 :subscapularis", "obo:RO_0002568 :scapula")],
         V("myokg.id:infraspinatus", "obo:RO_0002568", "An antagonist (obo:RO_0002568) must be a muscle", "myokg.id:scapula")),
    case("partly-covered-by-not-a-muscle",
         [(GMED, "myokg:partlyCoveredBy :gluteus-maximus ;\n        obo:RO_0002372 :ilium ;",
           "myokg:partlyCoveredBy :iliotibial-tract ;\n        obo:RO_0002372 :ilium ;")],
         V("myokg.id:gluteus-medius", "myokg:partlyCoveredBy", "links to another muscle", "myokg.id:iliotibial-tract")),
    case("has-trigger-point-not-a-trigger-point",
         [(GMED, "myokg:hasTriggerPoint gmed:tp1 , gmed:tp2 , gmed:tp3 .",
           "myokg:hasTriggerPoint gmed:tp1 , gmed:tp2 , gmed:tp3 , :buttock .")],
         V("myokg.id:gluteus-medius", "myokg:hasTriggerPoint", "links to a myokg:TriggerPoint", "myokg.id:buttock"),
         # ... and the buttock is not located in the muscle either.
         V("myokg.id:gluteus-medius", None, "is not located in it", "myokg.id:buttock")),
    case("shape-not-a-muscle-shape",
         [(INFRA, "myokg:shape myokg:TriangularShape", "myokg:shape myokg:Abduction")],
         V("myokg.id:infraspinatus", "myokg:shape", "takes one of the myokg:MuscleShape values", "myokg:Abduction")),
    case("perpetuating-factor-not-one",
         [(GMED, "myokg:perpetuatingFactor :pronated-gait ,", "myokg:perpetuatingFactor :hip-abduction ,")],
         V("myokg.id:gluteus-medius", "myokg:perpetuatingFactor", "links to a myokg:PerpetuatingFactor",
           "myokg.id:hip-abduction")),
    case("muscle-part-of-a-bone",
         [(INFRA, "        obo:BFO_0000050 :shoulder ;\n", "        obo:BFO_0000050 :scapula ;\n")],
         V("myokg.id:infraspinatus", "obo:BFO_0000050", "A muscle is part of (obo:BFO_0000050) a body region, not of a bone",
           "myokg.id:scapula")),
    case("muscle-not-in-a-body-region-is-a-warning",
         [(INFRA, "        obo:BFO_0000050 :shoulder ;\n", "")],
         W("myokg.id:infraspinatus", "obo:BFO_0000050", "Place the muscle in a body region")),
    # --- shapes:Muscle: SPARQL constraints ----------------------------------------------------------
    case("prime-mover-without-action",
         [(INFRA, "myokg:primeMoverOf :shoulder-lateral-rotation ;",
           "myokg:primeMoverOf :shoulder-lateral-rotation , :shoulder-abduction ;")],
         V("myokg.id:infraspinatus", None, "must also be stated as its action", "myokg.id:shoulder-abduction")),
    case("has-trigger-point-not-located-in-it",
         [(GMAX, "myokg:action :hip-extension , :hip-lateral-rotation .",
           "myokg:action :hip-extension , :hip-lateral-rotation ;\n"
           "        myokg:hasTriggerPoint <https://w3id.org/myokg/id/gluteus-medius/tp3> .")],
         V("myokg.id:gluteus-maximus", None, "but the trigger point is not located in it", "myokg.id:gluteus-medius/tp3")),
    # --- shapes:MusclePart --------------------------------------------------------------------------
    case("muscle-part-of-no-muscle",
         [(DELT, "delt:clavicular-part obo:BFO_0000050 :deltoid ;\n        obo:RO_0002372 :clavicle ;",
           "delt:clavicular-part obo:RO_0002372 :clavicle ;")],
         V("myokg.id:deltoid/clavicular-part", "obo:BFO_0000050", "A muscle part is part of (obo:BFO_0000050) exactly one muscle")),
    case("muscle-part-of-two-muscles",
         [(DELT, "delt:clavicular-part obo:BFO_0000050 :deltoid ;",
           "delt:clavicular-part obo:BFO_0000050 :deltoid , :infraspinatus ;")],
         V("myokg.id:deltoid/clavicular-part", "obo:BFO_0000050", "exactly one muscle"),
         V("myokg.id:deltoid/clavicular-part", None, "IRI sits under its muscle's", "myokg.id:infraspinatus")),
    case("muscle-part-iri-not-under-its-muscle",
         [(DELT, "delt:clavicular-part obo:BFO_0000050 :deltoid ;",
           "delt:clavicular-part obo:BFO_0000050 :infraspinatus ;")],
         V("myokg.id:deltoid/clavicular-part", None,
           "A muscle part's IRI sits under its muscle's: myokg.id:infraspinatus/<part>",
           "myokg.id:infraspinatus")),
    case("muscle-part-action-not-a-movement",
         [(DELT, "obo:RO_0002372 :acromion ;\n        myokg:action :shoulder-abduction .",
           "obo:RO_0002372 :acromion ;\n        myokg:action :shoulder-joint .")],
         V("myokg.id:deltoid/acromial-part", "myokg:action", "A muscle part's action is a myokg:Movement", "myokg.id:shoulder-joint")),
    # --- shapes:TriggerPoint ------------------------------------------------------------------------
    case("trigger-point-in-no-muscle",
         [(GMED, 'gmed:tp2 obo:RO_0001025 :gluteus-medius ;\n        myokg:locationDescription "In the middle',
           'gmed:tp2 myokg:locationDescription "In the middle'),
          (GMED, 'gmed:tp2 obo:RO_0001025 :gluteus-medius ;\n        myokg:locationDescription "Below the iliac crest, about',
           'gmed:tp2 myokg:locationDescription "Below the iliac crest, about')],
         V("myokg.id:gluteus-medius/tp2", "obo:RO_0001025", "A trigger point is located in (obo:RO_0001025) exactly one muscle"),
         # The muscle still lists it.
         V("myokg.id:gluteus-medius", None, "is not located in it", "myokg.id:gluteus-medius/tp2")),
    case("trigger-point-in-two-muscles",
         [(GMED, 'gmed:tp1 obo:RO_0001025 :gluteus-medius ;\n        myokg:locationDescription "Near the sacrum."',
           'gmed:tp1 obo:RO_0001025 :gluteus-medius , :gluteus-maximus ;\n        myokg:locationDescription "Near the sacrum."')],
         V("myokg.id:gluteus-medius/tp1", "obo:RO_0001025", "exactly one muscle"),
         # Its IRI is not under the second muscle, which does not list it either.
         V("myokg.id:gluteus-medius/tp1", None, "it should sit under myokg.id:gluteus-maximus",
           "myokg.id:gluteus-maximus"),
         V("myokg.id:gluteus-medius/tp1", None, "does not list it with myokg:hasTriggerPoint", "myokg.id:gluteus-maximus")),
    case("trigger-point-in-a-region",
         [(GMED, "gmed:tp3 obo:RO_0001025 gmed:anterior-fibres , :gluteus-medius ;",
           "gmed:tp3 obo:RO_0001025 :buttock , :gluteus-medius ;")],
         V("myokg.id:gluteus-medius/tp3", "obo:RO_0001025", "located in a muscle, or additionally in a part of that muscle",
           "myokg.id:buttock")),
    case("trigger-point-in-a-part-of-another-muscle",
         [(GMED, "gmed:tp3 obo:RO_0001025 gmed:anterior-fibres , :gluteus-medius ;",
           "gmed:tp3 obo:RO_0001025 <https://w3id.org/myokg/id/deltoid/acromial-part> , :gluteus-medius ;")],
         V("myokg.id:gluteus-medius/tp3", None, "which is not part of the muscle the trigger point is located in",
           "myokg.id:deltoid/acromial-part")),
    case("trigger-point-refers-pain-nowhere",
         [(GMED, "myokg:refersPainTo :sacral-region , :lower-back .",
           "myokg:refersSpilloverPainTo :sacral-region , :lower-back ."),
          (GMED, "myokg:refersPainTo :iliac-crest-region ;", "myokg:refersSpilloverPainTo :iliac-crest-region ;")],
         V("myokg.id:gluteus-medius/tp1", "myokg:refersPainTo", "refers pain (myokg:refersPainTo, its essential zone)")),
    case("trigger-point-refers-pain-to-a-bone",
         [(GMED, "myokg:refersPainTo :lateral-hip ;\n        myokg:refersSpilloverPainTo :thigh .",
           "myokg:refersPainTo :greater-trochanter ;\n        myokg:refersSpilloverPainTo :thigh .")],
         V("myokg.id:gluteus-medius/tp2", "myokg:refersPainTo", "to at least one myokg:BodyRegion", "myokg.id:greater-trochanter")),
    case("trigger-point-spillover-to-a-bone",
         [(GMED, "myokg:refersSpilloverPainTo :thigh .", "myokg:refersSpilloverPainTo :femur .")],
         V("myokg.id:gluteus-medius/tp2", "myokg:refersSpilloverPainTo", "A spillover zone", "myokg.id:femur")),
    case("trigger-point-near-a-non-structure",
         [(GMED, "myokg:nearStructure :sacrum ;", "myokg:nearStructure :running ;")],
         V("myokg.id:gluteus-medius/tp1", "myokg:nearStructure", "links to an anatomical structure", "myokg.id:running")),
    case("trigger-point-palpation-not-a-technique",
         [(GMED, "myokg:palpationTechnique :flat-palpation ;", "myokg:palpationTechnique :sacrum ;")],
         V("myokg.id:gluteus-medius/tp1", "myokg:palpationTechnique", "links to a myokg:PalpationTechnique", "myokg.id:sacrum")),
    case("trigger-point-occurrence-not-one",
         [(GMED, "myokg:occurrence myokg:UncommonOccurrence ;", "myokg:occurrence myokg:FanShape ;")],
         V("myokg.id:gluteus-medius/tp3", "myokg:occurrence", "takes a myokg:TriggerPointOccurrence value", "myokg:FanShape")),
    case("trigger-point-location-description-not-english",
         [(GMED, '"Near the sacrum."@en', '"Near the sacrum."@de')],
         V("myokg.id:gluteus-medius/tp1", "myokg:locationDescription", "A location description is English text tagged @en")),
    case("trigger-point-examination-position-untagged",
         [(GMED, 'myokg:refersPainTo :iliac-crest-region ;\n        myokg:examinationPosition "Lying on the unaffected '
                 'side with a pillow between the knees, so the tender trigger points are not stretched."@en',
           'myokg:refersPainTo :iliac-crest-region ;\n        myokg:examinationPosition "Lying on the unaffected '
           'side with a pillow between the knees, so the tender trigger points are not stretched."')],
         V("myokg.id:gluteus-medius/tp1", "myokg:examinationPosition", "An examination position is English text")),
    case("trigger-point-examination-note-not-english",
         [(GMED, 'border of the gluteus maximus."@en', 'border of the gluteus maximus."@fr')],
         V("myokg.id:gluteus-medius/tp1", "myokg:examinationNote", "An examination note is English text")),
    case("trigger-point-symptom-untagged",
         [(EXTRA, "myokg:refersPainTo :buttock .", 'myokg:refersPainTo :buttock ;\n        myokg:symptom "Stiffness on rising."')],
         V("myokg.id:gluteus-medius/tp4", "myokg:symptom", "A symptom is English text tagged @en"), extra=True),
    case("trigger-point-iri-under-another-muscle",
         [(EXTRA, "@prefix newtp: <https://w3id.org/myokg/id/gluteus-medius/> .",
           "@prefix newtp: <https://w3id.org/myokg/id/gluteus-maximus/> .")],
         V("myokg.id:gluteus-maximus/tp4", None,
           "its muscle's IRI followed by /tp and a number: it should sit under myokg.id:gluteus-medius",
           "myokg.id:gluteus-medius"),
         extra=True, before=["myokg.id:gluteus-medius/tp4"]),
    case("trigger-point-iri-not-tp-and-number",
         [(EXTRA, "@prefix newtp: <https://w3id.org/myokg/id/gluteus-medius/> .",
           "@prefix newtp: <https://w3id.org/myokg/id/gluteus-medius/lateral-> .")],
         V("myokg.id:gluteus-medius/lateral-tp4", None, "followed by /tp and a number", "myokg.id:gluteus-medius"),
         extra=True, before=["myokg.id:gluteus-medius/tp4"]),
    case("trigger-point-not-listed-by-its-muscle",
         [(GMED, "myokg:hasTriggerPoint gmed:tp1 , gmed:tp2 , gmed:tp3 .",
           "myokg:hasTriggerPoint gmed:tp1 , gmed:tp2 .")],
         V("myokg.id:gluteus-medius/tp3", None, "but that muscle does not list it with myokg:hasTriggerPoint",
           "myokg.id:gluteus-medius")),
    # --- shapes:BoneLandmark ------------------------------------------------------------------------
    case("landmark-part-of-nothing",
         [(SH_SKELETON, "    :infraspinous-fossa obo:BFO_0000050 :scapula .\n", "")],
         V("myokg.id:infraspinous-fossa", "obo:BFO_0000050", "A bony landmark is part of (obo:BFO_0000050) its bone")),
    case("landmark-part-of-a-region",
         [(SH_SKELETON, ":acromion obo:BFO_0000050 :scapula .", ":acromion obo:BFO_0000050 :shoulder .")],
         V("myokg.id:acromion", "obo:BFO_0000050", "A bony landmark is part of", "myokg.id:shoulder")),
    # --- shapes:Nerve -------------------------------------------------------------------------------
    case("nerve-branches-from-a-bone",
         [(SH_NERVES, ":axillary-nerve obo:RO_0002380 :brachial-plexus ;", ":axillary-nerve obo:RO_0002380 :humerus ;")],
         V("myokg.id:axillary-nerve", "obo:RO_0002380", "A nerve branches from (obo:RO_0002380) a nerve or a nerve plexus",
           "myokg.id:humerus")),
    case("nerve-without-spinal-segment-is-a-warning",
         [(SH_NERVES, ":suprascapular-nerve obo:RO_0002380 :brachial-plexus ;\n"
                      "        myokg:spinalSegment :c5-spinal-segment , :c6-spinal-segment .",
           ":suprascapular-nerve obo:RO_0002380 :brachial-plexus .")],
         W("myokg.id:suprascapular-nerve", None, "Give the nerve's spinal segments")),
    case("cranial-nerve-with-a-spinal-nerve-muscle-still-needs-segments",
         [(INFRA, "        myokg:spinalSegment :c5-spinal-segment , :c6-spinal-segment ;\n",
           "        obo:RO_0002005 :test-cranial-nerve ;\n")],
         V("myokg.id:infraspinatus", None, "A muscle needs its segmental innervation", "myokg.id:suprascapular-nerve"),
         extra=True),
    # --- shapes:SegmentalSupply and shapes:SpinalSegment --------------------------------------------
    case("spinal-segment-outside-the-closed-list",
         [(SEGMENTS, '    :co1-spinal-segment a myokg:SpinalSegment ; skos:notation "Co1" ;',
           '    :l6-spinal-segment a myokg:SpinalSegment ; skos:notation "L6" ;\n'
           '        rdfs:label "L6 spinal segment"@en ;\n'
           '        skos:definition "A sixth lumbar segment, which the closed list does not have."@en .\n'
           '    :co1-spinal-segment a myokg:SpinalSegment ; skos:notation "Co1" ;'),
          (INFRA, "myokg:spinalSegment :c5-spinal-segment , :c6-spinal-segment ;",
           "myokg:spinalSegment :c5-spinal-segment , :c6-spinal-segment , :l6-spinal-segment ;")],
         V("myokg.id:l6-spinal-segment", None, "Spinal segments come from MyoKG's closed list", "myokg.id:l6-spinal-segment"),
         V("myokg.id:l6-spinal-segment", "skos:notation", "A spinal segment has one notation, C1 to C8", '"L6"'),
         before=["myokg.id:l5-spinal-segment", "myokg.id:co1-spinal-segment", "myokg.id:infraspinatus"]),
    case("spinal-segment-iri-not-its-notation",
         [(SEGMENTS, ':c2-spinal-segment a myokg:SpinalSegment ; skos:notation "C2" ;',
           ':c2-spinal-segment a myokg:SpinalSegment ; skos:notation "C3" ;')],
         V("myokg.id:c2-spinal-segment", None, "IRI is its notation in lower case followed by -spinal-segment")),
    # --- shapes:BodyRegion --------------------------------------------------------------------------
    case("body-region-part-of-a-bone",
         [(REGIONS, ":lateral-thigh obo:BFO_0000050 :thigh .", ":lateral-thigh obo:BFO_0000050 :femur .")],
         V("myokg.id:lateral-thigh", "obo:BFO_0000050", "A body region is part of (obo:BFO_0000050) another body region only",
           "myokg.id:femur")),
    # --- shapes:Movement ----------------------------------------------------------------------------
    case("movement-at-two-joints",
         [(SH_MOVEMENTS, "myokg:atJoint :shoulder-joint ; myokg:movementType myokg:Abduction .",
           "myokg:atJoint :shoulder-joint , :hip-joint ; myokg:movementType myokg:Abduction .")],
         V("myokg.id:shoulder-abduction", "myokg:atJoint", "A movement happens at one joint")),
    case("movement-at-a-joint-and-of-a-structure",
         [(EXTRA, "myokg:movedStructure :test-eyelid ;", "myokg:movedStructure :test-eyelid ; myokg:atJoint :hip-joint ;")],
         V("myokg.id:test-eyelid-closure", None, "A movement either happens at a joint (myokg:atJoint) or moves a structure"),
         extra=True),
    case("movement-at-no-joint-and-of-no-structure",
         [(EXTRA, "myokg:movedStructure :test-eyelid ;", "")],
         V("myokg.id:test-eyelid-closure", None, "A movement either happens at a joint (myokg:atJoint) or moves a structure"),
         extra=True),
    case("movement-of-a-non-structure",
         [(EXTRA, "myokg:movedStructure :test-eyelid ;", "myokg:movedStructure :prolonged-sitting ;")],
         V("myokg.id:test-eyelid-closure", "myokg:movedStructure", "A movement moves one structure", "myokg.id:prolonged-sitting"),
         extra=True),
    case("movement-without-type",
         [(SH_MOVEMENTS, "myokg:atJoint :shoulder-joint ; myokg:movementType myokg:Flexion .",
           "myokg:atJoint :shoulder-joint .")],
         V("myokg.id:shoulder-flexion", "myokg:movementType", "A movement has exactly one myokg:movementType")),
    # --- shapes:Source and shapes:SourceGraph -------------------------------------------------------
    case("source-without-title",
         [(SOURCES, '        dct:title "Mid gluteal muscle"@en ;\n', "")],
         V("myokg.id:ilive-gluteus-medius", "dct:title", "A source has exactly one title")),
    case("source-without-kind",
         [(SOURCES, '        dct:issued "2020"^^xsd:gYear ;\n        dct:type myokg:Textbook ;\n',
           '        dct:issued "2020"^^xsd:gYear ;\n')],
         V("myokg.id:grays-anatomy-42", "dct:type", "A source has exactly one kind (dct:type)")),
    case("source-without-creator-or-publisher",
         [(SOURCES, '        dct:creator "Federative International Programme for Anatomical Terminology (FIPAT)" ;\n', "")],
         V("myokg.id:terminologia-anatomica-2", None, "A source names its author (dct:creator) or its publisher")),
    case("book-chapter-without-its-book",
         [(EXTRA, "        dct:isPartOf :test-atlas ;\n", "")],
         V("myokg.id:test-atlas-chapter-1", None, "A book chapter (dct:type myokg:BookChapter) names the one book"),
         extra=True),
    case("book-chapter-part-of-a-non-source",
         [(EXTRA, "        dct:isPartOf :test-atlas ;\n", "        dct:isPartOf :buttock ;\n")],
         V("myokg.id:test-atlas-chapter-1", None, "A book chapter (dct:type myokg:BookChapter) names the one book"),
         extra=True),
    case("source-graph-without-source",
         [(SOURCES, 'rdfs:label "mappings taken from Uberon"@en ;\n        dct:source :uberon .',
           'rdfs:label "mappings taken from Uberon"@en .')],
         V("graph:uberon", "dct:source", "A source graph names exactly one myokg:Source")),
    case("source-graph-iri-not-a-slug",
         [(EXTRA, "g:test-atlas a myokg:SourceGraph", "g:Test_Atlas a myokg:SourceGraph")],
         V("graph:Test_Atlas", None, "A source graph's IRI is https://w3id.org/myokg/graph/ followed by",
           "graph:Test_Atlas"),
         extra=True, before=["graph:test-atlas"]),
]


@pytest.mark.parametrize("c", negative(CASES))
def test_broken_rule_is_reported(tree_copy, c: Case):
    report = run_case(tree_copy, c)
    assert_exactly(report, c)
    assert report.ok == all(e.severity == WARNING for e in c.expect)


def test_insertion_that_is_no_attachment_site_is_reported_on_the_muscle(tree_copy):
    """The AttachmentSite rule itself works (the case origin-is-a-nerve is xfail only for the extra problem)."""
    c = Case(((INFRA, "obo:RO_0002373 :greater-tubercle-of-humerus", "obo:RO_0002373 :upper-arm"),),
             (V("myokg.id:infraspinatus", "obo:RO_0002373", "A muscle needs at least one insertion (obo:RO_0002373, "
                "has muscle insertion): a bone, bony landmark, connective tissue or soft tissue structure", "myokg.id:upper-arm"),))
    report = run_case(tree_copy, c)
    assert any(c.expect[0].matches(p, INFRA) for p in report.problems), render(report.problems)
    assert {p.severity for p in report.problems} == {VIOLATION}
    assert {p.focus for p in report.problems} <= {"myokg.id:infraspinatus", "myokg.id:upper-arm"}, render(report.problems)


@pytest.mark.parametrize("c", positive(CASES))
def test_unbroken_focus_is_accepted(clean_report, extra_report, c: Case):
    """Before the change, the focus nodes the case breaks have no problem."""
    assert_unbroken(extra_report if c.extra else clean_report, c)


def test_a_muscle_whose_action_a_source_calls_unknown_is_complete(tree_copy):
    c = Case(((INFRA, "        myokg:primeMoverOf :shoulder-lateral-rotation ;\n"
                      "        myokg:action :shoulder-lateral-rotation , :shoulder-stabilisation ;\n",
               "        myokg:actionUnknown true ;\n"),), ())
    report = run_case(tree_copy, c)
    assert not [p for p in report.problems if p.focus == "myokg.id:infraspinatus"], render(report.problems)
