"""The example queries in queries/ (the ones the query UI offers): each parses, runs on the release and gives
the answer anatomy expects.

Every file in queries/ must have a check in CHECKS below, so a new example query cannot be added without one.
Expectations come from anatomy and from the sources MyoKG cites, not from the queries' output: most checks say
"the answer includes these and stays within a sane size"; where the data is a closed fact (which sources
disagree on the gluteus medius's segments) they ask for equality.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph
import pytest

QUERIES = Path(__file__).resolve().parents[1] / "queries"
FILES = sorted(QUERIES.glob("*.rq"))
ID = "https://w3id.org/myokg/id/"
GRAPH = "https://w3id.org/myokg/graph/"
KNOWN_PREFIXES = {
    "": ID,
    "g": GRAPH,
    "myokg": "https://w3id.org/myokg/ontology#",
    "obo": "http://purl.obolibrary.org/obo/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
}
# Queries whose header says "# requires: uberon import" run on a release with this extract of Uberon imported
# (made by tools/uberon_extract.py) under the graph IRI they name.
UBERON_EXTRACT = Path(__file__).resolve().parent / "data" / "uberon-extract.ttl"
UBERON_GRAPH = "http://purl.obolibrary.org/obo/uberon/ext.owl"
REQUIRES_UBERON = "# requires: uberon import"


@pytest.fixture(scope="module")
def plain_store(release):
    return pyoxigraph.Store.read_only(str(release.store_path))


@pytest.fixture(scope="module")
def uberon_store(tmp_path_factory, repo_tree):
    """A release of the repository's data with the Uberon extract imported, as `myokg import` makes it."""
    from myokg import imports
    from myokg.release import build_release

    root = tmp_path_factory.mktemp("release-with-uberon")
    staged = root / "staged"
    record = imports.stage(UBERON_EXTRACT, UBERON_GRAPH, None, staged)
    return pyoxigraph.Store.read_only(str(build_release(repo_tree, root, imported=[(record, staged)]).store_path))


@pytest.fixture
def store(request, path):
    """The store ``path`` runs on: with Uberon imported if its header requires it."""
    needs_uberon = REQUIRES_UBERON in path.read_text(encoding="utf-8").split("\nPREFIX", 1)[0]
    return request.getfixturevalue("uberon_store" if needs_uberon else "plain_store")


def short(term) -> str | None:
    """A resource under id/ as its slug, another IRI in prefixed form, a literal as its text."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        iri = term.value
        for prefix, namespace in sorted(KNOWN_PREFIXES.items(), key=lambda kv: -len(kv[1])):
            if iri.startswith(namespace):
                return iri.removeprefix(namespace) if prefix == "" else f"{prefix}:{iri.removeprefix(namespace)}"
        return iri
    return term.value


def run(store, path: Path):
    """The answer of one query file: a bool (ASK), a list of triples (CONSTRUCT) or a list of rows (SELECT)."""
    result = store.query(path.read_text(encoding="utf-8"))
    if isinstance(result, pyoxigraph.QueryBoolean):
        return bool(result)
    if isinstance(result, pyoxigraph.QueryTriples):
        return [(short(t.subject), short(t.predicate), short(t.object)) for t in result]
    variables = [v.value for v in result.variables]
    return [{name: short(row[name]) for name in variables} for row in result]


def column(rows, name: str) -> list:
    return [row[name] for row in rows]


def assert_includes(found, expected, what: str):
    missing = set(expected) - set(found)
    assert not missing, f"{what}: missing {sorted(missing)}; found {sorted(set(found))}"


def assert_excludes(found, unexpected, what: str):
    wrong = set(unexpected) & set(found)
    assert not wrong, f"{what}: should not include {sorted(wrong)}"


# --- One check per query file --------------------------------------------------------------------------


def check_pain_to_thigh(rows):
    muscles = column(rows, "muscle")
    assert len(muscles) == len(set(muscles)), "each muscle once"
    zone = {row["muscle"]: row["zone"] for row in rows}
    # Trigger Point Manual vol. 2: the vasti and adductors refer pain into the thigh itself; the gluteus
    # minimus down the lateral and posterior thigh; the gluteus medius only spills over into it.
    for muscle in ("vastus-lateralis", "vastus-medialis", "adductor-longus", "gluteus-minimus",
                   "tensor-fasciae-latae"):
        assert zone.get(muscle) == "essential", (muscle, zone.get(muscle))
    assert zone.get("gluteus-medius") == "spillover"
    assert_includes(muscles, {"piriformis"}, "muscles referring pain to the thigh")
    # Sub-regions are reached: no trigger point names :thigh itself for the vastus lateralis.
    vl = next(row for row in rows if row["muscle"] == "vastus-lateralis")
    assert "lateral thigh" in vl["regions"]
    # Essential zones first, then spillover.
    zones = column(rows, "zone")
    assert zones == sorted(zones, key=["essential", "spillover"].index)
    assert_excludes(muscles, {"deltoid", "temporalis", "soleus", "tibialis-anterior"}, "thigh pain")
    assert 10 <= len(rows) <= 60


def check_infraspinatus_pain(rows):
    zones = defaultdict(set)
    for row in rows:
        zones[row["zone"]].add(row["region"])
        assert row["triggerPoint"].startswith("infraspinatus/")
    # Travell & Simons: pain deep in the front of the shoulder, spilling down the front and side of the arm
    # to the radial forearm and hand; the medial point refers to the medial border of the scapula.
    assert "anterior-shoulder" in zones["essential"]
    assert_includes(zones["spillover"], {"lateral-arm", "radial-forearm"}, "infraspinatus spillover")
    assert "anterior-shoulder" not in zones["spillover"] or "anterior-shoulder" in zones["essential"]
    assert_excludes(zones["essential"] | zones["spillover"], {"heel", "temple", "lower-back"}, "infraspinatus")
    assert len({row["triggerPoint"] for row in rows}) >= 2


def check_superior_gluteal_nerve(rows):
    muscles = set(column(rows, "muscle"))
    assert muscles >= {"gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"}, muscles
    assert_excludes(muscles, {"gluteus-maximus", "piriformis"}, "superior gluteal nerve")
    assert len(muscles) <= 4


def check_c5(rows):
    muscles = set(column(rows, "muscle"))
    assert_includes(muscles, {"deltoid", "supraspinatus", "infraspinatus", "teres-minor", "subscapularis",
                              "biceps-brachii", "brachialis", "brachioradialis", "supinator",
                              "rhomboid-major", "rhomboid-minor", "serratus-anterior", "diaphragm"}, "C5")
    assert_excludes(muscles, {"gluteus-medius", "adductor-pollicis", "flexor-carpi-ulnaris", "temporalis",
                              "latissimus-dorsi", "abductor-digiti-minimi-of-hand"}, "C5")
    deltoid = next(row for row in rows if row["muscle"] == "deltoid")
    assert "axillary nerve" in deltoid["nerves"] and "C5 spinal segment" in deltoid["segments"]
    assert 13 <= len(rows) <= 60


def check_greater_trochanter(rows):
    muscles = set(column(rows, "muscle"))
    assert_includes(muscles, {"gluteus-medius", "gluteus-minimus", "piriformis", "obturator-internus"},
                    "insertions on the greater trochanter")
    # The gluteus maximus inserts on the gluteal tuberosity and iliotibial tract; the vastus lateralis only
    # arises from the trochanter.
    assert_excludes(muscles, {"gluteus-maximus", "vastus-lateralis", "iliacus", "psoas-major"}, "greater trochanter")
    gmed = next(row for row in rows if row["muscle"] == "gluteus-medius")
    assert "Gray's Anatomy, 42nd edition" in gmed["sources"]
    assert len(rows) <= 10


def check_femur(rows):
    by_end = defaultdict(set)
    for row in rows:
        by_end[row["end"]].add(row["muscle"])
    assert_includes(by_end["origin"], {"vastus-lateralis", "vastus-medialis", "vastus-intermedius",
                                       "gastrocnemius", "biceps-femoris"}, "origins on the femur")
    assert_includes(by_end["insertion"], {"gluteus-medius", "gluteus-minimus", "gluteus-maximus",
                                          "adductor-magnus", "adductor-longus", "iliacus", "psoas-major"},
                    "insertions on the femur")
    muscles = by_end["origin"] | by_end["insertion"]
    # The rectus femoris arises from the ilium; the hamstrings other than biceps' short head from the
    # ischial tuberosity; the sartorius from the anterior superior iliac spine.
    assert_excludes(muscles, {"rectus-femoris", "semitendinosus", "sartorius", "deltoid"}, "femur")
    assert 15 <= len(muscles) <= 45


def check_gluteus_medius_attachments_by_source(rows):
    claims = {(row["end"], row["attachment"], row["source"]) for row in rows}
    assert_includes(claims, {
        ("origin", "gluteal-surface-of-ilium", "grays-anatomy-42"),
        ("origin", "gluteal-surface-of-ilium", "ilive-gluteus-medius"),
        ("origin", "ilium", "harris-2019-gluteus-medius"),
        ("insertion", "greater-trochanter", "grays-anatomy-42"),
        ("insertion", "greater-trochanter", "ilive-gluteus-medius"),
        ("insertion", "femur", "harris-2019-gluteus-medius"),
    }, "gluteus medius attachments by source")
    assert {row["end"] for row in rows} == {"origin", "insertion"}
    # Origins before insertions.
    ends = column(rows, "end")
    assert ends == sorted(ends, key=["origin", "insertion"].index)
    assert all(row["title"] for row in rows)


def check_disagreements(rows):
    values = defaultdict(dict)
    for row in rows:
        values[(row["muscle"], row["property"])][row["source"]] = set(row["values"].split(", "))
    # A closed fact: only iLive and Gray's give the gluteus medius's segments, and they differ on L4.
    assert values[("gluteus-medius", "myokg:spinalSegment")] == {
        "ilive-gluteus-medius": {"L5 spinal segment", "S1 spinal segment"},
        "grays-anatomy-42": {"L4 spinal segment", "L5 spinal segment", "S1 spinal segment"},
    }
    # Harris's "upper head of the femur" against the greater trochanter of iLive and Gray's.
    assert values[("gluteus-medius", "obo:RO_0002373")]["harris-2019-gluteus-medius"] == {"femur"}
    # Every listed pair really has two sources that differ.
    for key, by_source in values.items():
        assert len(by_source) >= 2, key
        assert len({frozenset(v) for v in by_source.values()}) >= 2, key
    # Where all sources agree nothing is listed: the superior gluteal nerve of the gluteus medius.
    assert ("gluteus-medius", "obo:RO_0002005") not in values


def check_mappings(rows):
    mapping = {row["muscle"]: (row["uberon"], row["fma"]) for row in rows}
    assert mapping["gluteus-medius"] == ("obo:UBERON_0001371", "obo:FMA_22315")
    assert mapping["infraspinatus"] == ("obo:UBERON_0001477", "obo:FMA_32546")
    assert mapping["deltoid"][0] == "obo:UBERON_0001476"
    assert "sternalis" not in mapping
    assert all(row["uberon"].startswith("obo:UBERON_") for row in rows)
    assert all(row["fma"] is None or row["fma"].startswith("obo:FMA_") for row in rows)
    assert len(rows) >= 150


def check_unmapped(rows):
    muscles = set(column(rows, "muscle"))
    # Uberon has no class for the sternalis, an inconstant muscle.
    assert "sternalis" in muscles
    assert_excludes(muscles, {"gluteus-medius", "deltoid", "biceps-brachii", "infraspinatus"}, "unmapped")
    assert len(muscles) <= 60


def check_biceps_antagonists(rows):
    antagonists = set(column(rows, "antagonist"))
    assert "triceps-brachii" in antagonists
    assert_excludes(antagonists, {"brachialis", "biceps-brachii", "deltoid"}, "antagonists of the biceps")
    assert len(antagonists) <= 4


def check_elbow_flexion(rows):
    role = {row["muscle"]: row["role"] for row in rows}
    for muscle in ("biceps-brachii", "brachialis", "brachioradialis"):
        assert role.get(muscle) == "prime mover", (muscle, role.get(muscle))
    assert role.get("pronator-teres") == "assists"
    assert_excludes(role, {"triceps-brachii", "anconeus"}, "elbow flexors")
    roles = column(rows, "role")
    assert roles == sorted(roles, key=["prime mover", "assists"].index)
    assert len(rows) <= 12


def check_brachial_plexus(rows):
    nerves = set(column(rows, "nerve"))
    assert_includes(nerves, {"axillary-nerve", "radial-nerve", "median-nerve", "ulnar-nerve",
                             "musculocutaneous-nerve", "suprascapular-nerve", "long-thoracic-nerve",
                             "thoracodorsal-nerve", "dorsal-scapular-nerve", "posterior-interosseous-nerve",
                             "anterior-interosseous-nerve"}, "brachial plexus")
    assert_excludes(nerves, {"femoral-nerve", "phrenic-nerve", "sciatic-nerve", "accessory-nerve",
                             "brachial-plexus"}, "brachial plexus")
    parent = {row["nerve"]: row["parentLabel"] for row in rows}
    assert parent["posterior-interosseous-nerve"] == "deep branch of radial nerve"
    assert parent["axillary-nerve"] == "brachial plexus"


def check_describe_gluteus_medius(triples):
    triples = set(triples)
    gm = "gluteus-medius"
    assert_includes(triples, {
        (gm, "rdfs:label", "gluteus medius"),
        (gm, "rdf:type", "myokg:Muscle"),
        (gm, "obo:RO_0002005", "superior-gluteal-nerve"),
        ("superior-gluteal-nerve", "rdfs:label", "superior gluteal nerve"),
        (gm, "obo:RO_0002373", "greater-trochanter"),
        (gm, "myokg:primeMoverOf", "hip-abduction"),
        (gm, "skos:exactMatch", "obo:UBERON_0001371"),
        (gm, "myokg:hasTriggerPoint", "gluteus-medius/tp1"),
        ("gluteus-medius/tp1", "myokg:refersPainTo", "sacral-region"),
        ("gluteus-medius/tp2", "myokg:refersSpilloverPainTo", "posterior-thigh"),
        ("sacral-region", "rdfs:label", "sacral region"),
    }, "gluteus medius description")
    # Only the one muscle is described.
    subjects = {s for s, _, _ in triples if s and not s.startswith(("myokg:", "obo:"))}
    assert not any(s in {"gluteus-maximus", "deltoid"} for s in subjects)
    assert len(triples) <= 400


def check_ask_l4(answer):
    assert answer is True


def check_rotator_cuff(rows):
    assert rows, "no rotator cuff group: the muscle groups data (myokg:MuscleGroup) is missing"
    nerves = {row["member"]: set(row["nerves"].split(", ")) for row in rows}
    assert set(nerves) == {"supraspinatus", "infraspinatus", "teres-minor", "subscapularis"}, set(nerves)
    assert "suprascapular nerve" in nerves["supraspinatus"]
    assert "suprascapular nerve" in nerves["infraspinatus"]
    assert "axillary nerve" in nerves["teres-minor"]
    assert {"upper subscapular nerve", "lower subscapular nerve"} & nerves["subscapularis"]
    assert len({row["group"] for row in rows}) == 1


def check_claims_per_source(rows):
    claims = {row["source"]: int(row["claims"]) for row in rows}
    kind = {row["source"]: row["kindLabel"] for row in rows}
    assert_includes(claims, {"grays-anatomy-42", "harris-2019-gluteus-medius", "ilive-gluteus-medius",
                             "terminologia-anatomica-2", "uberon", "myokg-curation"}, "sources")
    assert kind["grays-anatomy-42"] == "reference textbook"
    assert kind["harris-2019-gluteus-medius"] == "practitioner blog article"
    # Gray's carries the anatomy: more claims than any other outside source.
    outside = {s: n for s, n in claims.items() if s != "myokg-curation"}
    assert max(outside, key=outside.get) == "grays-anatomy-42"
    counts = column(rows, "claims")
    assert [int(n) for n in counts] == sorted((int(n) for n in counts), reverse=True)
    assert all(n > 0 for n in claims.values())


def check_uberon_superclasses_and_wholes(rows):
    by_muscle = {row["muscle"]: row for row in rows}
    assert 150 <= len(rows) <= 300, len(rows)
    gmed = by_muscle["gluteus-medius"]
    assert gmed["uberon"] == "obo:UBERON_0001371"
    assert_includes(gmed["superclasses"].split(" | "), {"gluteal muscle", "skeletal muscle organ"}, "gluteus medius is a")
    assert_includes(gmed["partOf"].split(" | "), {"buttock", "pelvic girdle region"}, "gluteus medius is part of")
    deltoid = by_muscle["deltoid"]
    assert_includes(deltoid["superclasses"].split(" | "), {"muscle of shoulder"}, "the deltoid is a")
    organs = sum("muscle organ" in row["superclasses"].split(" | ") for row in rows)
    assert organs >= 0.9 * len(rows), f"only {organs} of {len(rows)} mapped muscles are muscle organs in Uberon"


def check_uberon_attachment_differences(rows):
    assert 1 <= len(rows) <= 60, len(rows)
    assert {row["relation"] for row in rows} <= {"obo:RO_0002372", "obo:RO_0002373"}
    found = {(row["muscle"], row["relation"]) for row in rows}
    # Uberon puts the rectus femoris's origin on the acetabular part of the hip bone; MyoKG on the anterior
    # inferior iliac spine and the groove above the acetabulum, which it does not make part of it.
    assert_includes(found, {("rectus-femoris", "obo:RO_0002372")}, "differences")
    assert_excludes({m for m, _ in found}, {"gluteus-medius", "deltoid"}, "muscles whose attachments agree")
    assert all(row["myokgSays"] for row in rows), "each difference says what MyoKG gives"


def check_uberon_muscles_not_covered(rows):
    labels = column(rows, "label")
    assert 1 <= len(rows) <= 150, len(rows)
    assert all(row["fma"].startswith("FMA:") for row in rows)
    assert_includes(labels, {"gluteal muscle", "muscle of back"}, "Uberon's muscle groups MyoKG has no class for")
    assert_excludes(labels, {"gluteus medius", "deltoid", "biceps brachii"},
                    "muscles MyoKG covers")


CHECKS = {
    "01-muscles-referring-pain-to-a-region.rq": check_pain_to_thigh,
    "02-where-a-muscle-refers-pain.rq": check_infraspinatus_pain,
    "03-muscles-innervated-by-a-nerve.rq": check_superior_gluteal_nerve,
    "04-muscles-supplied-by-a-spinal-segment.rq": check_c5,
    "05-muscles-inserting-on-a-landmark.rq": check_greater_trochanter,
    "06-muscles-attached-to-a-bone.rq": check_femur,
    "07-origins-and-insertions-with-sources.rq": check_gluteus_medius_attachments_by_source,
    "08-claims-sources-disagree-on.rq": check_disagreements,
    "09-uberon-and-fma-mappings.rq": check_mappings,
    "10-muscles-without-uberon-mapping.rq": check_unmapped,
    "11-antagonists-of-a-muscle.rq": check_biceps_antagonists,
    "12-prime-movers-of-a-movement.rq": check_elbow_flexion,
    "13-nerves-of-a-plexus.rq": check_brachial_plexus,
    "14-describe-a-muscle.rq": check_describe_gluteus_medius,
    "15-ask-does-a-source-state-a-segment.rq": check_ask_l4,
    "16-members-of-a-muscle-group.rq": check_rotator_cuff,
    "17-claims-per-source.rq": check_claims_per_source,
    "18-uberon-superclasses-and-wholes-of-muscles.rq": check_uberon_superclasses_and_wholes,
    "19-where-uberon-attachments-differ.rq": check_uberon_attachment_differences,
    "20-uberon-muscles-not-yet-covered.rq": check_uberon_muscles_not_covered,
}


# --- The tests -------------------------------------------------------------------------------------------


def test_there_are_enough_example_queries():
    assert len(FILES) >= 14


def test_every_query_file_has_a_check():
    names = {path.name for path in QUERIES.iterdir() if path.is_file()}
    assert not names - set(CHECKS), f"add a check to CHECKS for: {sorted(names - set(CHECKS))}"
    assert not set(CHECKS) - names, f"checks for files that do not exist: {sorted(set(CHECKS) - names)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_name_and_header(path):
    assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*\.rq", path.name), path.name
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and lines[0].endswith("?"), "first line: '# <title as a question>?'"
    header = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        header.append(line)
    assert header and all(line.startswith("# ") for line in header), "then '# ' lines saying what it shows"
    assert any("Adapt" in line for line in header), "say how to adapt the query"
    body = lines[1 + len(header):]
    prefixes = [line for line in body if line.startswith("PREFIX")]
    assert prefixes and body[:len(prefixes)] == prefixes, "PREFIX declarations come right after the comments"
    query = "\n".join(body[len(prefixes):])
    for line in prefixes:
        name, namespace = re.fullmatch(r"PREFIX (\w*): <([^>]+)>", line).groups()
        assert KNOWN_PREFIXES.get(name) == namespace, f"PREFIX {name}: should be <{KNOWN_PREFIXES.get(name)}>"
        assert re.search(rf"(?<![\w?$]){name}:", query), f"PREFIX {name}: is declared but never used"


def test_file_numbers_are_unique_and_consecutive():
    numbers = [int(path.name[:2]) for path in FILES]
    assert numbers == list(range(1, len(FILES) + 1))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_query_parses_and_runs(store, path):
    run(store, path)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_query_answer(store, path):
    assert path.name in CHECKS, f"{path.name} has no check in CHECKS"
    answer = run(store, path)
    CHECKS[path.name](answer)
