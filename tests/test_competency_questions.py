"""Competency questions: what a clinician, an anatomy student or a data integrator asks MyoKG, each as a SPARQL
query on the built release, with the answer anatomy (Gray's Anatomy, Travell & Simons' Trigger Point Manual)
or the data's own contract gives.

Queries run as users run them: on the release's Oxigraph store, the union of the source graphs as default
graph, GRAPH ?g where the question is who says what. Answers are checked as "includes these, excludes those,
and stays within a sane size", except where the answer is a closed fact (the nerves of the rotator cuff, which
source gives which segments).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest

REPO = Path(__file__).resolve().parents[1]
ID = "https://w3id.org/myokg/id/"
OBO = "http://purl.obolibrary.org/obo/"
PREFIXES = """
PREFIX : <https://w3id.org/myokg/id/>
PREFIX g: <https://w3id.org/myokg/graph/>
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
"""


@pytest.fixture(scope="module")
def store(release):
    return pyoxigraph.Store.read_only(str(release.store_path))


def short(term):
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value.removeprefix(ID).replace(OBO, "obo:")
    return term.value


def rows(store, query: str) -> list[dict]:
    result = store.query(PREFIXES + query)
    names = [v.value for v in result.variables]
    return [{name: short(row[name]) for name in names} for row in result]


def slugs(store, query: str, var: str = "x") -> set[str]:
    return {row[var] for row in rows(store, query)}


def ask(store, query: str) -> bool:
    return bool(store.query(PREFIXES + query))


def includes(found: set, expected: set, what: str):
    missing = expected - found
    assert not missing, f"{what}: missing {sorted(missing)}; found {sorted(found)}"


def excludes(found: set, unexpected: set, what: str):
    wrong = found & unexpected
    assert not wrong, f"{what}: should not include {sorted(wrong)}"


def muscles_innervated_by(store, nerve: str) -> set[str]:
    """Muscles innervated by a nerve or by any of its branches."""
    return slugs(store, f"""SELECT DISTINCT ?x WHERE {{
        ?x obo:RO_0002005/obo:RO_0002380* :{nerve} ; a myokg:Muscle }}""")


def pain_guide(store, region: str) -> list[dict]:
    """Muscles whose trigger points refer pain to a region or a region inside it, essential zones first."""
    return rows(store, f"""
        SELECT ?muscle (MIN(?rank) AS ?best) WHERE {{
          ?region obo:BFO_0000050* :{region} .
          {{ ?tp myokg:refersPainTo ?region . BIND(1 AS ?rank) }}
          UNION
          {{ ?tp myokg:refersSpilloverPainTo ?region . BIND(2 AS ?rank) }}
          ?tp obo:RO_0001025 ?muscle . ?muscle a myokg:Muscle .
        }} GROUP BY ?muscle ORDER BY ?best ?muscle""")


def group_members(store, name: str) -> set[str]:
    """Members of the muscle group whose label or a synonym contains ``name`` as whole words (any case)."""
    members = slugs(store, f"""SELECT DISTINCT ?x WHERE {{
        ?group a myokg:MuscleGroup ; rdfs:label|skos:altLabel ?name ; obo:RO_0002351 ?x .
        FILTER REGEX(LCASE(STR(?name)), "(^|[^a-z]){name.lower()}") }}""")
    assert members, f"no muscle group named like {name!r}: the muscle groups data (myokg:MuscleGroup) is missing"
    return members


# --- Innervation -----------------------------------------------------------------------------------------


def test_muscles_innervated_by_the_superior_gluteal_nerve(store):
    # The superior gluteal nerve supplies the gluteus medius, the gluteus minimus and the tensor fasciae latae.
    assert muscles_innervated_by(store, "superior-gluteal-nerve") == {
        "gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"}


def test_the_gluteus_maximus_alone_has_the_inferior_gluteal_nerve(store):
    assert muscles_innervated_by(store, "inferior-gluteal-nerve") == {"gluteus-maximus"}


def test_the_rotator_cuff_and_its_nerves(store):
    members = group_members(store, "rotator cuff")
    assert members == {"supraspinatus", "infraspinatus", "teres-minor", "subscapularis"}
    nerves = defaultdict(set)
    for row in rows(store, """SELECT ?m ?n WHERE {
            ?group a myokg:MuscleGroup ; rdfs:label|skos:altLabel ?name ; obo:RO_0002351 ?m .
            FILTER CONTAINS(LCASE(STR(?name)), "rotator cuff")
            ?m obo:RO_0002005 ?n }"""):
        nerves[row["m"]].add(row["n"])
    assert nerves["supraspinatus"] == {"suprascapular-nerve"}
    assert nerves["infraspinatus"] == {"suprascapular-nerve"}
    assert nerves["teres-minor"] == {"axillary-nerve"}
    assert nerves["subscapularis"] == {"upper-subscapular-nerve", "lower-subscapular-nerve"}


def test_the_quadriceps_femoris_all_supplied_by_the_femoral_nerve(store):
    members = group_members(store, "quadriceps")
    assert members == {"rectus-femoris", "vastus-lateralis", "vastus-medialis", "vastus-intermedius"}
    assert members <= muscles_innervated_by(store, "femoral-nerve")


def test_the_hamstrings_are_supplied_by_the_sciatic_nerve(store):
    members = group_members(store, "hamstring")
    includes(members, {"semitendinosus", "semimembranosus", "biceps-femoris"}, "hamstrings")
    excludes(members, {"gracilis", "sartorius", "gluteus-maximus", "rectus-femoris"}, "hamstrings")
    assert len(members) <= 4  # the adductor magnus's hamstring part is counted by some
    includes(muscles_innervated_by(store, "sciatic-nerve"), {"semitendinosus", "semimembranosus",
                                                             "biceps-femoris"}, "sciatic nerve")


def test_the_gluteal_muscles_and_their_nerves(store):
    members = group_members(store, "gluteal muscles")
    assert members == {"gluteus-maximus", "gluteus-medius", "gluteus-minimus"}
    nerves = defaultdict(set)
    for row in rows(store, "SELECT ?m ?n WHERE { VALUES ?m { :gluteus-maximus :gluteus-medius :gluteus-minimus } "
                           "?m obo:RO_0002005 ?n }"):
        nerves[row["m"]].add(row["n"])
    assert nerves == {"gluteus-maximus": {"inferior-gluteal-nerve"}, "gluteus-medius": {"superior-gluteal-nerve"},
                      "gluteus-minimus": {"superior-gluteal-nerve"}}


def test_the_iliopsoas_and_its_nerve_supply(store):
    assert group_members(store, "iliopsoas") == {"iliacus", "psoas-major"}
    # The iliacus from the femoral nerve (L2-L3), the psoas major from the anterior rami of L1-L3.
    assert "iliacus" in muscles_innervated_by(store, "lumbar-plexus")
    segments = slugs(store, "SELECT DISTINCT ?x WHERE { :psoas-major myokg:spinalSegment ?x }")
    includes(segments, {"l1-spinal-segment", "l2-spinal-segment"}, "segments of the psoas major")
    excludes(segments, {"s1-spinal-segment", "c5-spinal-segment"}, "segments of the psoas major")


def test_the_pelvic_diaphragm(store):
    assert group_members(store, "pelvic diaphragm") == {"levator-ani", "coccygeus"}


def test_muscles_of_mastication_and_their_nerve(store):
    mastication = {"masseter", "temporalis", "medial-pterygoid", "lateral-pterygoid"}
    assert group_members(store, "mastication") == mastication
    # Each is supplied by a branch of the mandibular nerve (trigeminal, V3).
    for muscle in sorted(mastication):
        assert ask(store, f"ASK {{ :{muscle} obo:RO_0002005/obo:RO_0002380* :mandibular-nerve }}"), muscle
    # The muscles that close the jaw (elevate the mandible) are masseter, temporalis and medial pterygoid.
    closers = slugs(store, """SELECT DISTINCT ?x WHERE {
        ?mv myokg:atJoint :temporomandibular-joint ; myokg:movementType myokg:Elevation .
        ?x myokg:action ?mv ; a myokg:Muscle }""")
    assert closers == {"masseter", "temporalis", "medial-pterygoid"}
    # None of the muscles of facial expression is supplied by the mandibular nerve.
    excludes(muscles_innervated_by(store, "mandibular-nerve"), {"buccinator", "orbicularis-oris",
                                                                "zygomaticus-major"}, "mandibular nerve")


def test_the_rhomboids_and_the_dorsal_scapular_nerve(store):
    assert group_members(store, "rhomboid") == {"rhomboid-major", "rhomboid-minor"}
    assert muscles_innervated_by(store, "dorsal-scapular-nerve") >= {"rhomboid-major", "rhomboid-minor"}
    for muscle in ("rhomboid-major", "rhomboid-minor"):
        assert "c5-spinal-segment" in slugs(store, f"SELECT ?x WHERE {{ :{muscle} myokg:spinalSegment ?x }}")


def test_the_triceps_surae_plantar_flex_the_ankle_through_the_tibial_nerve(store):
    members = group_members(store, "triceps surae")
    includes(members, {"gastrocnemius", "soleus"}, "triceps surae")
    assert members <= {"gastrocnemius", "soleus", "plantaris"}
    assert members <= muscles_innervated_by(store, "tibial-nerve")
    assert members <= slugs(store, "SELECT ?x WHERE { ?x myokg:action :ankle-plantar-flexion }")


def test_the_thenar_muscles_are_supplied_by_the_median_nerve(store):
    members = group_members(store, "thenar")
    includes(members, {"abductor-pollicis-brevis", "flexor-pollicis-brevis", "opponens-pollicis"}, "thenar")
    excludes(members, {"adductor-pollicis", "abductor-digiti-minimi-of-hand"}, "thenar")
    assert members <= muscles_innervated_by(store, "median-nerve")


def test_the_erector_spinae_are_supplied_by_posterior_rami(store):
    members = group_members(store, "erector spinae")
    includes(members, {"iliocostalis-lumborum", "longissimus-thoracis", "spinalis-thoracis"}, "erector spinae")
    excludes(members, {"multifidus", "quadratus-lumborum", "latissimus-dorsi"}, "erector spinae")
    nerves = slugs(store, f"""SELECT DISTINCT ?x WHERE {{ ?m obo:RO_0002005 ?x .
        VALUES ?m {{ {" ".join(":" + m for m in sorted(members))} }} }}""")
    assert nerves and all(n.startswith("posterior-rami-of-") for n in nerves), nerves


def test_muscles_supplied_by_the_facial_nerve(store):
    facial = muscles_innervated_by(store, "facial-nerve")
    includes(facial, {"orbicularis-oculi", "orbicularis-oris", "buccinator", "zygomaticus-major", "platysma",
                      "occipitofrontalis", "stapedius", "stylohyoid", "digastric"}, "facial nerve")
    excludes(facial, {"masseter", "temporalis", "sternocleidomastoid", "genioglossus"}, "facial nerve")


def test_muscles_supplied_by_the_obturator_nerve(store):
    obturator = muscles_innervated_by(store, "obturator-nerve")
    includes(obturator, {"adductor-longus", "adductor-brevis", "adductor-magnus", "gracilis",
                         "obturator-externus"}, "obturator nerve")
    # Despite its name the obturator internus has its own nerve, from the sacral plexus.
    excludes(obturator, {"obturator-internus", "sartorius", "vastus-medialis"}, "obturator nerve")


def test_the_accessory_nerve_supplies_trapezius_and_sternocleidomastoid(store):
    includes(muscles_innervated_by(store, "accessory-nerve"), {"trapezius", "sternocleidomastoid"},
             "accessory nerve")


def test_which_plexus_supplies_the_gluteus_medius(store):
    assert slugs(store, """SELECT DISTINCT ?x WHERE {
        :gluteus-medius obo:RO_0002005/obo:RO_0002380+ ?x . ?x a myokg:NervePlexus }""") == {"sacral-plexus"}


def test_the_nerves_of_the_brachial_plexus(store):
    nerves = slugs(store, "SELECT DISTINCT ?x WHERE { ?x obo:RO_0002380+ :brachial-plexus }")
    includes(nerves, {"axillary-nerve", "radial-nerve", "median-nerve", "ulnar-nerve", "musculocutaneous-nerve",
                      "suprascapular-nerve", "long-thoracic-nerve", "thoracodorsal-nerve", "dorsal-scapular-nerve",
                      "upper-subscapular-nerve", "lower-subscapular-nerve", "medial-pectoral-nerve",
                      "lateral-pectoral-nerve", "posterior-interosseous-nerve", "anterior-interosseous-nerve"},
             "brachial plexus")
    excludes(nerves, {"phrenic-nerve", "femoral-nerve", "sciatic-nerve", "accessory-nerve", "intercostal-nerve"},
             "brachial plexus")
    assert len(nerves) <= 40


# --- Segments ----------------------------------------------------------------------------------------------


def test_muscles_supplied_by_c5(store):
    c5 = slugs(store, "SELECT DISTINCT ?x WHERE { ?x myokg:spinalSegment :c5-spinal-segment ; a myokg:Muscle }")
    includes(c5, {"deltoid", "supraspinatus", "infraspinatus", "teres-minor", "subscapularis", "biceps-brachii",
                  "brachialis", "brachioradialis", "supinator", "rhomboid-major", "rhomboid-minor",
                  "serratus-anterior", "diaphragm"}, "C5")
    excludes(c5, {"gluteus-medius", "adductor-pollicis", "flexor-carpi-ulnaris", "latissimus-dorsi", "masseter",
                  "dorsal-interossei-of-hand"}, "C5")
    assert len(c5) <= 60


def test_muscles_supplied_only_by_cranial_nerves_have_no_spinal_segment(store):
    cranial_only = slugs(store, """SELECT DISTINCT ?x WHERE {
        ?x a myokg:Muscle ; obo:RO_0002005 ?n .
        FILTER NOT EXISTS { ?x obo:RO_0002005 ?other . FILTER NOT EXISTS { ?other a myokg:CranialNerve } } }""")
    includes(cranial_only, {"masseter", "temporalis", "orbicularis-oculi", "buccinator", "lateral-rectus",
                            "genioglossus"}, "muscles supplied by cranial nerves only")
    with_segments = slugs(store, "SELECT DISTINCT ?x WHERE { ?x myokg:spinalSegment ?s }")
    assert not cranial_only & with_segments, sorted(cranial_only & with_segments)


def test_spinal_segments_are_the_closed_list(store):
    expected = ({f"c{i}" for i in range(1, 9)} | {f"t{i}" for i in range(1, 13)} | {f"l{i}" for i in range(1, 6)}
                | {f"s{i}" for i in range(1, 6)} | {"co1"})
    segments = slugs(store, "SELECT ?x WHERE { ?x a myokg:SpinalSegment }")
    assert segments == {f"{s}-spinal-segment" for s in expected}
    used = slugs(store, "SELECT DISTINCT ?x WHERE { ?m myokg:spinalSegment ?x }")
    assert used <= segments


def test_root_values_of_the_great_nerves(store):
    def segments(nerve):
        return slugs(store, f"SELECT ?x WHERE {{ :{nerve} myokg:spinalSegment ?x }}")
    assert segments("sciatic-nerve") == {f"{s}-spinal-segment" for s in ("l4", "l5", "s1", "s2", "s3")}
    assert segments("femoral-nerve") == {f"{s}-spinal-segment" for s in ("l2", "l3", "l4")}
    assert segments("axillary-nerve") == {"c5-spinal-segment", "c6-spinal-segment"}


# --- Sources and provenance -------------------------------------------------------------------------------


def test_which_source_states_the_gluteus_medius_segments_are_l4_to_s1(store):
    found = rows(store, """SELECT ?source ?title WHERE {
        GRAPH ?g { :gluteus-medius myokg:spinalSegment :l4-spinal-segment ,
                                                     :l5-spinal-segment , :s1-spinal-segment }
        ?g dct:source ?source . ?source dct:title ?title }""")
    assert [r["source"] for r in found] == ["grays-anatomy-42"]
    assert "Gray's Anatomy" in found[0]["title"]


def test_sources_disagree_on_the_gluteus_medius_segments(store):
    by_source = defaultdict(set)
    for row in rows(store, """SELECT ?source ?s WHERE {
            GRAPH ?g { :gluteus-medius myokg:spinalSegment ?s } ?g dct:source ?source }"""):
        by_source[row["source"]].add(row["s"].removesuffix("-spinal-segment"))
    assert dict(by_source) == {"ilive-gluteus-medius": {"l5", "s1"}, "grays-anatomy-42": {"l4", "l5", "s1"}}


def test_every_source_graph_names_a_described_source(store):
    graphs = slugs(store, "SELECT DISTINCT ?x WHERE { GRAPH ?x { ?s ?p ?o } }", "x")
    described = rows(store, """SELECT ?g ?source ?title ?kind WHERE {
        ?g a myokg:SourceGraph ; dct:source ?source .
        OPTIONAL { ?source dct:title ?title } OPTIONAL { ?source dct:type ?kind } }""")
    by_graph = {r["g"]: r for r in described}
    for graph in graphs - {"https://w3id.org/myokg/ontology"}:
        assert graph in by_graph, f"graph {graph} has no source"
        assert by_graph[graph]["title"] and by_graph[graph]["kind"], f"source of {graph} needs a title and kind"
    # Trigger Point Manual chapters say which volume they belong to.
    assert not rows(store, """SELECT ?s WHERE { ?s dct:type myokg:BookChapter .
                                             FILTER NOT EXISTS { ?s dct:isPartOf ?book } }""")


# --- Attachments -------------------------------------------------------------------------------------------


def test_muscles_inserting_on_the_greater_trochanter(store):
    found = slugs(store, """SELECT DISTINCT ?x WHERE {
        ?x obo:RO_0002373/obo:BFO_0000050* :greater-trochanter ; a myokg:Muscle }""")
    includes(found, {"gluteus-medius", "gluteus-minimus", "piriformis", "obturator-internus",
                     "superior-gemellus", "inferior-gemellus"}, "greater trochanter")
    excludes(found, {"gluteus-maximus", "vastus-lateralis", "iliacus", "psoas-major", "quadratus-femoris"},
             "greater trochanter")
    assert len(found) <= 10


def test_iliacus_and_psoas_major_insert_on_the_lesser_trochanter(store):
    found = slugs(store, """SELECT DISTINCT ?x WHERE {
        ?x obo:RO_0002373/obo:BFO_0000050* :lesser-trochanter ; a myokg:Muscle }""")
    includes(found, {"iliacus", "psoas-major"}, "lesser trochanter")
    excludes(found, {"gluteus-medius", "piriformis"}, "lesser trochanter")


def test_muscles_attached_anywhere_on_the_scapula(store):
    found = slugs(store, """SELECT DISTINCT ?x WHERE {
        ?x obo:RO_0002372|obo:RO_0002373 ?a . ?a obo:BFO_0000050* :scapula . ?x a myokg:Muscle }""")
    includes(found, {"supraspinatus", "infraspinatus", "teres-minor", "subscapularis", "teres-major", "deltoid",
                     "trapezius", "levator-scapulae", "rhomboid-major", "rhomboid-minor", "serratus-anterior",
                     "pectoralis-minor", "biceps-brachii", "coracobrachialis", "triceps-brachii", "omohyoid"},
             "scapula")
    excludes(found, {"pectoralis-major", "brachialis", "gluteus-medius", "subclavius"}, "scapula")
    assert len(found) <= 25


# --- Referred pain -----------------------------------------------------------------------------------------


def test_muscles_referring_pain_to_the_sacral_region_essential_before_spillover(store):
    answer = pain_guide(store, "sacral-region")
    best = {r["muscle"]: int(r["best"]) for r in answer}
    # The gluteus medius refers pain over the sacrum (essential zone) in both founding sources and the
    # Trigger Point Manual; the gluteus maximus to the sacrum and sacroiliac joint.
    assert best.get("gluteus-medius") == 1
    assert best.get("gluteus-maximus") == 1
    ranks = [int(r["best"]) for r in answer]
    assert ranks == sorted(ranks), "essential zones come before spillover"
    excludes(set(best), {"deltoid", "temporalis", "soleus"}, "sacral region")
    assert len(answer) <= 15


def test_muscles_referring_pain_to_the_temple(store):
    found = {r["muscle"] for r in pain_guide(store, "temple")}
    # Trigger Point Manual vol. 1: the temporalis and the upper trapezius are the classic sources of temple pain.
    includes(found, {"temporalis", "trapezius"}, "temple")
    excludes(found, {"gluteus-medius", "infraspinatus", "soleus"}, "temple")
    assert len(found) <= 15


def test_muscles_referring_pain_to_the_thumb(store):
    found = {r["muscle"] for r in pain_guide(store, "thumb")}
    includes(found, {"adductor-pollicis", "opponens-pollicis", "brachialis", "supinator", "brachioradialis"},
             "thumb")
    assert found & {"scalenus-anterior", "scalenus-medius", "scalenus-posterior"}, "the scalenes refer to the thumb"
    excludes(found, {"gluteus-medius", "temporalis", "abductor-digiti-minimi-of-hand"}, "thumb")
    assert len(found) <= 20


def test_muscles_referring_pain_to_the_heel(store):
    found = {r["muscle"] for r in pain_guide(store, "heel")}
    includes(found, {"soleus", "quadratus-plantae", "abductor-hallucis"}, "heel")
    excludes(found, {"tibialis-anterior", "deltoid", "gluteus-medius"}, "heel")
    assert len(found) <= 10


def test_muscles_referring_pain_to_the_lower_back(store):
    found = {r["muscle"] for r in pain_guide(store, "lower-back")}
    includes(found, {"quadratus-lumborum", "multifidus", "gluteus-medius", "iliocostalis-lumborum"}, "lower back")
    # The iliopsoas refers pain along the lumbar spine (Trigger Point Manual vol. 2).
    assert found & {"iliacus", "psoas-major"}, "the iliopsoas refers pain to the low back"
    excludes(found, {"deltoid", "temporalis", "soleus"}, "lower back")


def test_where_the_infraspinatus_refers_pain(store):
    essential = slugs(store, "SELECT DISTINCT ?x WHERE { :infraspinatus myokg:hasTriggerPoint/myokg:refersPainTo ?x }")
    assert "anterior-shoulder" in essential  # deep in the front of the shoulder joint
    excludes(essential, {"heel", "lower-back"}, "infraspinatus")


# --- Function ----------------------------------------------------------------------------------------------


def test_which_muscles_flex_the_elbow(store):
    movers = rows(store, """SELECT DISTINCT ?x (EXISTS { ?x myokg:primeMoverOf ?mv } AS ?prime) WHERE {
        ?mv myokg:atJoint :elbow-joint ; myokg:movementType myokg:Flexion .
        ?x myokg:action ?mv ; a myokg:Muscle }""")
    flexors = {r["x"] for r in movers}
    prime = {r["x"] for r in movers if r["prime"] == "true"}
    assert prime == {"biceps-brachii", "brachialis", "brachioradialis"}
    includes(flexors, {"pronator-teres"}, "elbow flexors")
    excludes(flexors, {"triceps-brachii", "anconeus"}, "elbow flexors")


def test_which_muscles_abduct_the_hip(store):
    abductors = slugs(store, """SELECT DISTINCT ?x WHERE {
        ?mv myokg:atJoint :hip-joint ; myokg:movementType myokg:Abduction . ?x myokg:action ?mv ; a myokg:Muscle }""")
    includes(abductors, {"gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"}, "hip abductors")
    excludes(abductors, {"adductor-longus", "gracilis", "pectineus"}, "hip abductors")
    assert "gluteus-medius" in slugs(store, "SELECT ?x WHERE { ?x myokg:primeMoverOf :hip-abduction }")


def test_the_quadriceps_are_the_prime_movers_of_knee_extension(store):
    assert slugs(store, "SELECT DISTINCT ?x WHERE { ?x myokg:primeMoverOf :knee-extension ; a myokg:Muscle }") == {
        "rectus-femoris", "vastus-lateralis", "vastus-medialis", "vastus-intermedius"}


def test_the_antagonists_of_the_tibialis_anterior(store):
    found = slugs(store, """SELECT DISTINCT ?x WHERE {
        { :tibialis-anterior obo:RO_0002568 ?x } UNION { ?x obo:RO_0002568 :tibialis-anterior } }""")
    # Dorsiflexion and inversion against plantar flexion and eversion.
    includes(found, {"gastrocnemius", "soleus", "fibularis-longus"}, "antagonists of the tibialis anterior")
    excludes(found, {"extensor-digitorum-longus", "extensor-hallucis-longus", "tibialis-anterior"},
             "antagonists of the tibialis anterior")


def test_the_antagonists_of_the_biceps_brachii(store):
    found = slugs(store, """SELECT DISTINCT ?x WHERE {
        { :biceps-brachii obo:RO_0002568 ?x } UNION { ?x obo:RO_0002568 :biceps-brachii } }""")
    assert "triceps-brachii" in found
    excludes(found, {"brachialis", "brachioradialis"}, "antagonists of the biceps")


def test_muscles_of_the_buttock(store):
    found = slugs(store, "SELECT DISTINCT ?x WHERE { ?x obo:BFO_0000050+ :buttock ; a myokg:Muscle }")
    includes(found, {"gluteus-maximus", "gluteus-medius", "gluteus-minimus", "piriformis"}, "buttock")
    excludes(found, {"deltoid", "biceps-brachii"}, "buttock")


# --- Mappings and labels (data integration) ----------------------------------------------------------------


def test_muscles_with_no_uberon_mapping(store):
    unmapped = slugs(store, """SELECT ?x WHERE { ?x a myokg:Muscle .
        FILTER NOT EXISTS { ?x skos:exactMatch ?u . FILTER STRSTARTS(STR(?u), STR(obo:UBERON_)) } }""")
    assert "sternalis" in unmapped
    excludes(unmapped, {"gluteus-medius", "deltoid", "infraspinatus"}, "unmapped muscles")
    total = len(slugs(store, "SELECT ?x WHERE { ?x a myokg:Muscle }"))
    assert len(unmapped) <= total // 4, "most muscles are mapped"


def test_look_up_a_muscle_by_its_uberon_id(store):
    assert slugs(store, "SELECT ?x WHERE { ?x skos:exactMatch obo:UBERON_0001371 }") == {"gluteus-medius"}
    assert slugs(store, "SELECT ?x WHERE { ?x skos:exactMatch obo:FMA_32546 }") == {"infraspinatus"}


def test_every_uberon_and_fma_id_used_is_in_the_reference_table(store):
    table = REPO / "data" / "reference" / "uberon" / "terms.tsv"
    with table.open(encoding="utf-8", newline="") as f:
        reference = list(csv.DictReader(f, delimiter="\t"))
    uberon = {row["id"] for row in reference}
    fma = {x for row in reference for x in row["fma_xrefs"].split("|") if x}
    used = {r["t"] for r in rows(store, """SELECT DISTINCT ?t WHERE { ?s skos:exactMatch|skos:closeMatch ?t .
        FILTER (STRSTARTS(STR(?t), STR(obo:UBERON_)) || STRSTARTS(STR(?t), STR(obo:FMA_))) }""")}
    used_uberon = {t.replace("obo:UBERON_", "UBERON:") for t in used if t.startswith("obo:UBERON_")}
    used_fma = {t.replace("obo:FMA_", "FMA:") for t in used if t.startswith("obo:FMA_")}
    assert used_uberon and used_fma
    assert not used_uberon - uberon, sorted(used_uberon - uberon)
    assert not used_fma - fma, sorted(used_fma - fma)


def test_no_two_resources_share_an_uberon_exact_match_unless_one_is_part_of_the_other(store):
    clashes = rows(store, """SELECT ?u ?a ?b WHERE {
        ?a skos:exactMatch ?u . ?b skos:exactMatch ?u .
        FILTER (STR(?a) < STR(?b) && STRSTARTS(STR(?u), STR(obo:UBERON_)))
        FILTER NOT EXISTS { ?a obo:BFO_0000050+ ?b }
        FILTER NOT EXISTS { ?b obo:BFO_0000050+ ?a } }""")
    assert not clashes, clashes


def test_no_two_resources_share_an_english_label(store):
    clashes = rows(store, f"""SELECT ?label (GROUP_CONCAT(STR(?s); separator=" ") AS ?resources) WHERE {{
        ?s rdfs:label ?label .
        FILTER (LANGMATCHES(LANG(?label), "en") && STRSTARTS(STR(?s), "{ID}")) }}
        GROUP BY ?label HAVING (COUNT(DISTINCT ?s) > 1)""")
    assert not clashes, clashes


def test_every_resource_has_exactly_one_english_label(store):
    wrong = rows(store, f"""SELECT ?s (COUNT(DISTINCT ?label) AS ?n) WHERE {{
        ?s a ?type . FILTER STRSTARTS(STR(?s), "{ID}")
        OPTIONAL {{ ?s rdfs:label ?label . FILTER LANGMATCHES(LANG(?label), "en") }} }}
        GROUP BY ?s HAVING (COUNT(DISTINCT ?label) != 1)""")
    assert not wrong, wrong[:20]


# --- Completeness (the contract every muscle and trigger point meets) ---------------------------------------


def test_every_muscle_has_origin_insertion_nerve_and_action(store):
    incomplete = rows(store, """SELECT ?m
        (EXISTS { ?m obo:RO_0002372 ?o } AS ?origin) (EXISTS { ?m obo:RO_0002373 ?i } AS ?insertion)
        (EXISTS { ?m obo:RO_0002005 ?n } AS ?nerve)
        ((EXISTS { ?m myokg:action ?a } || EXISTS { ?m myokg:actionUnknown true }) AS ?action)
        WHERE { ?m a myokg:Muscle }""")
    assert len(incomplete) >= 200, "the whole body is described"
    missing = [r for r in incomplete if "false" in (r["origin"], r["insertion"], r["nerve"], r["action"])]
    assert not missing, missing
    # The sternalis is the one muscle whose action Gray's says is unknown.
    assert ask(store, "ASK { :sternalis myokg:actionUnknown true }")


def test_every_trigger_point_is_in_exactly_one_muscle_and_refers_pain(store):
    counts = rows(store, """SELECT ?tp (COUNT(DISTINCT ?m) AS ?muscles) WHERE {
        ?tp a myokg:TriggerPoint .
        OPTIONAL { ?tp obo:RO_0001025 ?m . ?m a myokg:Muscle } } GROUP BY ?tp""")
    assert len(counts) >= 150
    assert [r for r in counts if r["muscles"] != "1"] == []
    assert slugs(store, """SELECT ?x WHERE { ?x a myokg:TriggerPoint .
        FILTER NOT EXISTS { ?x myokg:refersPainTo ?r . ?r a myokg:BodyRegion } }""") == set()


def test_has_trigger_point_and_located_in_agree(store):
    one_way = rows(store, """SELECT ?m ?tp WHERE {
        { ?m myokg:hasTriggerPoint ?tp . FILTER NOT EXISTS { ?tp obo:RO_0001025 ?m } }
        UNION
        { ?tp obo:RO_0001025 ?m . ?m a myokg:Muscle . FILTER NOT EXISTS { ?m myokg:hasTriggerPoint ?tp } } }""")
    assert not one_way, one_way[:20]
