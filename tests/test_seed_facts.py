"""The gluteus medius, as its two founding sources and the standard references state it, in the built store.

Every query runs on Oxigraph over the release, with the union of source graphs as default graph, exactly as
users query it; GRAPH clauses check that each claim sits in its own source's graph.
"""

from __future__ import annotations

import pytest

from myokg.store import ReleaseStore

PREFIXES = """
PREFIX : <https://w3id.org/myokg/id/>
PREFIX g: <https://w3id.org/myokg/graph/>
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
"""
ID = "https://w3id.org/myokg/id/"


@pytest.fixture(scope="module")
def store(release):
    return ReleaseStore(release)


def slugs(store, query: str, var: str = "x") -> set[str]:
    return {row[var].value.removeprefix(ID) for row in store.query(PREFIXES + query)}


def ask(store, query: str) -> bool:
    return bool(store.query(PREFIXES + query))


def test_the_muscle_is_named_and_mapped(store):
    (row,) = store.query(PREFIXES + """SELECT ?label ?latin ?def WHERE {
        :gluteus-medius a myokg:Muscle ; rdfs:label ?label ; myokg:latinName ?latin ; skos:definition ?def }""")
    assert (row["label"].value, row["label"].language) == ("gluteus medius", "en")
    assert (row["latin"].value, row["latin"].language) == ("musculus gluteus medius", "la")
    mappings = {r["m"].value for r in store.query(PREFIXES + "SELECT ?m WHERE { :gluteus-medius skos:exactMatch ?m }")}
    assert mappings == {"http://purl.obolibrary.org/obo/UBERON_0001371", "http://purl.obolibrary.org/obo/FMA_22315"}


def test_position_shape_and_covering_muscle(store):
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius obo:BFO_0000050 ?x }") == {"lateral-hip", "buttock"}
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius myokg:partlyCoveredBy ?x }") == {"gluteus-maximus"}
    assert ask(store, "ASK { GRAPH g:harris-2019-gluteus-medius { :gluteus-medius myokg:shape myokg:TriangularShape } }")


def test_origin_insertion_per_source(store):
    assert slugs(store, "SELECT ?x WHERE { GRAPH g:ilive-gluteus-medius { :gluteus-medius obo:RO_0002372 ?x } }") == {
        "gluteal-surface-of-ilium"}
    assert slugs(store, "SELECT ?x WHERE { GRAPH g:ilive-gluteus-medius { :gluteus-medius myokg:originBoundedBy ?x } }") == {
        "anterior-gluteal-line", "posterior-gluteal-line", "outer-lip-of-iliac-crest"}
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius obo:RO_0002373 ?x }") == {"greater-trochanter", "femur"}
    # The precise origin is part of the ilium, so "attached to the ilium" can be answered by part-of.
    assert ask(store, "ASK { :gluteus-medius obo:RO_0002372/obo:BFO_0000050* :ilium }")
    assert ask(store, "ASK { :outer-lip-of-iliac-crest obo:BFO_0000050+ :hip-bone }")


def test_innervation_and_the_segments_sources_disagree_on(store):
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius obo:RO_0002005 ?x }") == {"superior-gluteal-nerve"}
    assert ask(store, "ASK { :superior-gluteal-nerve obo:RO_0002380 :sacral-plexus . :sacral-plexus a myokg:NervePlexus }")
    segments = "SELECT ?x WHERE {{ GRAPH g:{g} {{ :gluteus-medius myokg:spinalSegment ?x }} }}"
    assert slugs(store, segments.format(g="ilive-gluteus-medius")) == {"l5-spinal-segment", "s1-spinal-segment"}
    assert slugs(store, segments.format(g="grays-anatomy-42")) == {
        "l4-spinal-segment", "l5-spinal-segment", "s1-spinal-segment"}
    # Which source says L4? Plain SPARQL over the graphs answers it.
    assert slugs(store, """SELECT ?x WHERE { GRAPH ?g { :gluteus-medius myokg:spinalSegment :l4-spinal-segment }
                                            ?g dct:source ?x }""") == {"grays-anatomy-42"}


def test_actions(store):
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius myokg:action ?x }") == {
        "hip-abduction", "hip-medial-rotation", "hip-stabilisation"}
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius myokg:primeMoverOf ?x }") == {"hip-abduction"}
    assert slugs(store, "SELECT ?x WHERE { ?x obo:BFO_0000050 :gluteus-medius ; myokg:action :hip-medial-rotation }") == {
        "gluteus-medius/anterior-fibres"}
    assert ask(store, "ASK { :hip-abduction myokg:atJoint :hip-joint ; myokg:movementType myokg:Abduction }")


def test_three_trigger_points_with_their_zones(store):
    assert slugs(store, "SELECT ?x WHERE { :gluteus-medius myokg:hasTriggerPoint ?x . ?x obo:RO_0001025 :gluteus-medius }") == {
        "gluteus-medius/tp1", "gluteus-medius/tp2", "gluteus-medius/tp3"}
    zones = "SELECT ?x WHERE {{ GRAPH g:harris-2019-gluteus-medius {{ <{tp}> myokg:{p} ?x }} }}"
    tp = ID + "gluteus-medius/"
    assert slugs(store, zones.format(tp=tp + "tp1", p="refersPainTo")) == {"sacral-region", "lower-back"}
    assert slugs(store, zones.format(tp=tp + "tp2", p="refersPainTo")) == {"lateral-hip"}
    assert slugs(store, zones.format(tp=tp + "tp2", p="refersSpilloverPainTo")) == {"thigh"}
    assert slugs(store, zones.format(tp=tp + "tp3", p="refersPainTo")) == {"iliac-crest-region", "sacral-region"}
    ilive = "SELECT ?x WHERE {{ GRAPH g:ilive-gluteus-medius {{ <{tp}> myokg:{p} ?x }} }}"
    assert slugs(store, ilive.format(tp=tp + "tp2", p="refersSpilloverPainTo")) == {"posterior-thigh", "lateral-thigh"}
    assert slugs(store, "SELECT ?x WHERE { GRAPH g:harris-2019-gluteus-medius { ?x myokg:occurrence myokg:UncommonOccurrence } }") == {
        "gluteus-medius/tp3"}


def test_examination_of_the_trigger_points(store):
    ilive = "GRAPH g:ilive-gluteus-medius"
    assert slugs(store, f"SELECT ?x WHERE {{ {ilive} {{ <{ID}gluteus-medius/tp1> myokg:palpationTechnique ?x }} }}") == {
        "flat-palpation"}
    for n in (2, 3):
        assert slugs(store, f"SELECT ?x WHERE {{ {ilive} {{ <{ID}gluteus-medius/tp{n}> myokg:palpationTechnique ?x }} }}") == {
            "cross-fibre-palpation-against-bone"}
    rows = list(store.query(PREFIXES + f"SELECT ?pos WHERE {{ {ilive} {{ <{ID}gluteus-medius/tp1> myokg:examinationPosition ?pos }} }}"))
    assert len(rows) == 1 and "unaffected side" in rows[0]["pos"].value and "pillow" in rows[0]["pos"].value
    assert ask(store, f"ASK {{ <{ID}gluteus-medius/tp1> myokg:examinationNote ?n FILTER CONTAINS(?n, 'twitch') }}")


def test_perpetuating_factors_and_notes(store):
    assert slugs(store, "SELECT ?x WHERE { GRAPH g:harris-2019-gluteus-medius { :gluteus-medius myokg:perpetuatingFactor ?x } }") == {
        "pronated-gait", "running", "swimming", "intensive-leg-training"}
    assert ask(store, "ASK { :gluteus-medius myokg:treatmentNote ?n FILTER CONTAINS(LCASE(?n), 'deep tissue') }")
    assert ask(store, "ASK { GRAPH g:ilive-gluteus-medius { :gluteus-medius myokg:clinicalNote ?n FILTER CONTAINS(?n, 'overlooked') } }")


def test_pain_guide_which_muscles_refer_pain_to_the_sacrum(store):
    founding = """SELECT DISTINCT ?x WHERE { VALUES ?g { g:harris-2019-gluteus-medius g:ilive-gluteus-medius }
                  GRAPH ?g { ?tp myokg:refersPainTo :sacral-region ; obo:RO_0001025 ?x } ?x a myokg:Muscle }"""
    assert slugs(store, founding) == {"gluteus-medius"}
    everyone = "SELECT DISTINCT ?x WHERE { ?tp myokg:refersPainTo :sacral-region ; obo:RO_0001025 ?x . ?x a myokg:Muscle }"
    assert {"gluteus-medius", "gluteus-maximus"} <= slugs(store, everyone)


def test_what_the_superior_gluteal_nerve_innervates(store):
    # The nerve's whole territory, as every anatomy text gives it.
    assert slugs(store, "SELECT ?x WHERE { ?x obo:RO_0002005 :superior-gluteal-nerve }") == {
        "gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"}


def test_the_other_named_muscles_are_complete(store):
    for muscle in ("gluteus-maximus", "deltoid", "subscapularis", "infraspinatus"):
        for predicate in ("obo:RO_0002372", "obo:RO_0002373", "obo:RO_0002005", "myokg:spinalSegment", "myokg:action",
                          "skos:exactMatch", "myokg:latinName", "skos:definition"):
            assert ask(store, f"ASK {{ :{muscle} a myokg:Muscle ; {predicate} ?v }}"), (muscle, predicate)
    assert ask(store, "ASK { :subscapularis obo:RO_0002568 :infraspinatus . :infraspinatus obo:RO_0002568 :subscapularis }")


def test_every_source_is_described(store):
    rows = list(store.query(PREFIXES + """SELECT ?src ?title ?kind WHERE {
        ?g a myokg:SourceGraph ; dct:source ?src . ?src dct:title ?title ; dct:type ?kind }"""))
    assert {r["src"].value.removeprefix(ID) for r in rows} >= {
        "myokg-curation", "harris-2019-gluteus-medius", "ilive-gluteus-medius", "grays-anatomy-42",
        "terminologia-anatomica-2", "uberon"}
    graphs = {r["g"].value for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    described = {r["g"].value for r in store.query(PREFIXES + "SELECT ?g WHERE { ?g a myokg:SourceGraph ; dct:source ?s }")}
    assert graphs - {"https://w3id.org/myokg/ontology"} == described
    assert ask(store, "ASK { :harris-2019-gluteus-medius dct:creator ?c ; dct:issued '2019-08-05'^^<http://www.w3.org/2001/XMLSchema#date> }")
