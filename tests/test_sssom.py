"""The SSSOM mapping set of a release: it loads and validates with the `sssom` package, its rows are the
store's Uberon/FMA mappings one for one, labelled from the reference table, and a broken mapping never
reaches it because validation refuses the build first."""

from __future__ import annotations

import csv
import logging
import urllib.parse

import pytest
import yaml
from pyoxigraph import Store
from rdflib import Graph, Literal, URIRef
from sssom.parsers import parse_sssom_table
from sssom.validators import validate as validate_sssom

from conftest import edit
from myokg.namespaces import PREFIX_MAP
from myokg.release import BuildRefused, build_release
from myokg.web import create_app

SKOS = "http://www.w3.org/2004/02/skos/core#"
OBO = "http://purl.obolibrary.org/obo/"
MYOKG = "https://w3id.org/myokg/ontology#"


def mapping_file(release):
    return release.dumps_path / f"myokg-mappings-{release.version}.sssom.tsv"


def read_table(path):
    """The metadata block (YAML after '#') and the rows of an SSSOM TSV, read without the sssom package."""
    lines = path.read_text(encoding="utf-8").splitlines()
    meta = yaml.safe_load("\n".join(line[1:] for line in lines if line.startswith("#")))
    rows = list(csv.DictReader([line for line in lines if not line.startswith("#")], delimiter="\t"))
    return meta, rows


@pytest.fixture(scope="module")
def table(release):
    return read_table(mapping_file(release))


def test_mapping_set_loads_and_validates_with_sssom(release, caplog):
    with caplog.at_level(logging.WARNING):
        msdf = parse_sssom_table(mapping_file(release))
    # sssom warns (rather than fails) on non-standard metadata and on redefined standard prefixes.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [r.getMessage() for r in caplog.records]
    reports = validate_sssom(msdf, fail_on_error=False)
    assert reports and all(report.results == [] for report in reports.values()), reports
    assert len(msdf.df) == len(read_table(mapping_file(release))[1])


def test_a_broken_table_fails_sssom_validation(release, tmp_path):
    """The validation above can fail: an object whose prefix the CURIE map lacks is reported."""
    broken = tmp_path / "broken.sssom.tsv"
    text = mapping_file(release).read_text(encoding="utf-8")
    broken.write_text(text.replace("\tUBERON:0001477\t", "\tNOPREFIX:0001477\t", 1), encoding="utf-8")
    assert "NOPREFIX" in broken.read_text()
    reports = validate_sssom(parse_sssom_table(broken), fail_on_error=False)
    assert any("NOPREFIX" in r.message for report in reports.values() for r in report.results)


def test_metadata(release, table):
    meta, _ = table
    assert meta["mapping_set_id"].startswith("https://w3id.org/myokg/")
    assert meta["mapping_set_id"].endswith(mapping_file(release).name)
    assert meta["mapping_set_version"] == release.version
    assert meta["mapping_date"] == release.manifest["built"][:10]
    # Uberon's licence, as the source graph of the mappings states it.
    assert meta["license"] == "https://creativecommons.org/licenses/by/3.0/"
    assert meta["creator_id"] == ["myokg.id:myokg-curation"]
    # The CURIE map is a part of the one prefix map, unchanged.
    assert meta["curie_map"].items() <= PREFIX_MAP.items()
    assert {"myokg.id", "UBERON", "FMA", "skos", "semapv"} <= set(meta["curie_map"])


def expand(curie_map, curie):
    prefix, local = curie.split(":", 1)
    return curie_map[prefix] + local


def test_rows_are_the_stores_mappings_one_for_one(release, table):
    meta, rows = table
    curie_map = meta["curie_map"]
    in_file = [(expand(curie_map, r["subject_id"]), expand(curie_map, r["predicate_id"]),
                expand(curie_map, r["object_id"])) for r in rows]
    store = Store.read_only(str(release.store_path))
    in_store = {(r["s"].value, r["p"].value, r["o"].value) for r in store.query(f"""
        SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
            VALUES ?p {{ <{SKOS}exactMatch> <{SKOS}closeMatch> <{SKOS}broadMatch> <{SKOS}narrowMatch> }}
            FILTER(STRSTARTS(STR(?o), "{OBO}UBERON_") || STRSTARTS(STR(?o), "{OBO}FMA_")) }}""")}
    assert len(in_file) == len(set(in_file)), "a mapping is listed twice"
    assert set(in_file) == in_store
    assert {p for _, p, _ in in_file} == {SKOS + m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")}
    assert all(r["mapping_justification"] == "semapv:ManualMappingCuration" for r in rows)
    assert all(r["author_id"] == "myokg.id:myokg-curation" for r in rows)


def test_labels_come_from_the_store_and_the_uberon_table(release, repo_tree, table):
    _, rows = table
    with repo_tree.uberon_terms.open(encoding="utf-8") as handle:
        uberon_labels = {r["id"]: r["label"] for r in csv.DictReader(handle, delimiter="\t")}
    store = Store.read_only(str(release.store_path))
    for row in rows:
        if row["object_id"].startswith("UBERON:"):
            assert row["object_label"] == uberon_labels[row["object_id"]]
            assert row["object_source"] == "obo:uberon.owl"
        else:
            assert row["object_label"] == "" and row["object_source"] == "obo:fma.owl"
        subject = expand(PREFIX_MAP, row["subject_id"])
        labels = {r["l"].value for r in store.query(
            f'SELECT ?l WHERE {{ <{subject}> <http://www.w3.org/2000/01/rdf-schema#label> ?l }}')}
        assert row["subject_label"] in labels


def test_comments_explain_inexact_mappings(repo_tree, table):
    """A muscle group's close match carries the note the ontology states for muscle groups; a resource's own
    note wins over its class's; exact matches carry no note, only an FMA row's provenance."""
    _, rows = table
    ontology = Graph().parse(repo_tree.ontology_file)
    group_note = str(ontology.value(URIRef(MYOKG + "MuscleGroup"), URIRef(MYOKG + "mappingNote")))
    assert len(group_note) > 40
    by_key = {(r["subject_id"], r["predicate_id"], r["object_id"]): r for r in rows}
    assert by_key[("myokg.id:rotator-cuff", "skos:closeMatch", "UBERON:0003683")]["comment"] == group_note
    frontal = by_key[("myokg.id:frontal-bone", "skos:closeMatch", "UBERON:0000209")]["comment"]
    assert "tetrapod frontal bone" in frontal and frontal != group_note
    fma = by_key[("myokg.id:infraspinatus", "skos:exactMatch", "FMA:32546")]["comment"]
    assert fma == "FMA id as Uberon cross-references it from UBERON:0001477 (infraspinatus muscle)."
    assert by_key[("myokg.id:infraspinatus", "skos:exactMatch", "UBERON:0001477")]["comment"] == ""
    # The ontology's own class-level mapping is a row too, its subject an OWL class.
    muscle = by_key[("myokg:Muscle", "skos:closeMatch", "UBERON:0014892")]
    assert muscle["subject_type"] == "owl class" and muscle["comment"] == ""


def test_listed_and_served_like_the_other_files(release):
    name = mapping_file(release).name
    assert name in {f["name"] for f in release.manifest["files"]}
    assert name in (release.dumps_path / "SHA256SUMS").read_text()
    void = Graph().parse(release.dumps_path / "void.ttl")
    distribution = URIRef(f"https://w3id.org/myokg/downloads/{release.version}/{name}#distribution")
    assert (distribution, URIRef("http://purl.org/dc/terms/conformsTo"), URIRef("https://w3id.org/sssom/")) in void
    assert (None, URIRef("http://rdfs.org/ns/void#dataDump"),
            URIRef(f"https://w3id.org/myokg/downloads/{release.version}/{name}")) not in void
    client = create_app(release, workers=1).test_client()
    response = client.get(f"/downloads/{release.version}/{urllib.parse.quote(name)}")
    assert response.status_code == 200 and response.data == mapping_file(release).read_bytes()


def test_a_broken_mapping_never_reaches_the_file(tree_copy, tmp_path):
    """An exact match to an obsolete Uberon class is refused by validation, so no release (and no mapping
    set) is written."""
    edit(tree_copy.root / "data/shoulder/infraspinatus.trig", "obo:UBERON_0001477", "obo:UBERON_0000208")
    root = tmp_path / "release"
    with pytest.raises(BuildRefused) as refused:
        build_release(tree_copy, root)
    assert any("UBERON:0000208 (obsolete cellular lens) is obsolete" in p.message for p in refused.value.report.violations)
    assert not list(root.rglob("*.sssom.tsv"))
