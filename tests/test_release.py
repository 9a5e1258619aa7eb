"""Building a release: what it contains, that it is atomic, and that a failed build loses nothing."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from pyoxigraph import Store
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from conftest import edit
from myokg.release import BuildRefused, build_release, current_release

VERSION = "0.1.0"
DATA_DUMPS = [f"myokg-{VERSION}.{ext}" for ext in ("ttl", "nt", "jsonld", "nq", "trig")]


def test_release_layout(release_root, release):
    assert (release_root / "current").is_symlink()
    assert os.readlink(release_root / "current") == VERSION
    assert release.version == VERSION
    names = {f["name"] for f in release.manifest["files"]}
    assert set(DATA_DUMPS) | {f"myokg-{VERSION}.nt.gz", f"myokg-ontology-{VERSION}.ttl", f"myokg-shapes-{VERSION}.ttl",
                              f"myokg-mappings-{VERSION}.sssom.tsv", "unmapped.md", "context.jsonld", "void.ttl",
                              "SHA256SUMS"} == names
    assert Store.read_only(str(release.store_path)).query("ASK { GRAPH ?g { ?s ?p ?o } }")


def test_checksums_match_files(release):
    sums = (release.dumps_path / "SHA256SUMS").read_text().splitlines()
    listed = dict(reversed(line.split("  ")) for line in sums)
    assert set(listed) == {f["name"] for f in release.manifest["files"]} - {"SHA256SUMS"}
    for entry in release.manifest["files"]:
        data = (release.dumps_path / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
        if entry["name"] != "SHA256SUMS":
            assert listed[entry["name"]] == entry["sha256"]


def test_dataset_dumps_keep_source_graphs(release, repo_tree):
    expected = Dataset()
    for path in repo_tree.data_files:
        expected.parse(path, format="trig")
    for name in (f"myokg-{VERSION}.nq", f"myokg-{VERSION}.trig"):
        dumped = Dataset()
        dumped.parse(release.dumps_path / name, format="nquads" if name.endswith(".nq") else "trig")
        graphs = {str(g.identifier) for g in dumped.graphs() if len(g)}
        assert set(release.manifest["graphs"]) == graphs
        for graph in expected.graphs():
            if len(graph):
                assert isomorphic(graph, dumped.graph(graph.identifier)), (name, graph.identifier)


def test_triple_dumps_are_the_union(release, repo_tree):
    union = Graph().parse(repo_tree.ontology_file)
    for path in repo_tree.data_files:
        for s, p, o, _ in Dataset().parse(path, format="trig").quads():
            union.add((s, p, o))
    assert release.manifest["triples"] == len(union)
    for name, fmt in ((f"myokg-{VERSION}.ttl", "turtle"), (f"myokg-{VERSION}.nt", "nt"),
                      (f"myokg-{VERSION}.jsonld", "json-ld")):
        dumped = Graph().parse(release.dumps_path / name, format=fmt)
        assert isomorphic(union, dumped), name


def test_turtle_dump_groups_each_resource(release):
    text = (release.dumps_path / f"myokg-{VERSION}.ttl").read_text()
    assert text.count("\nmyokg.id:gluteus-medius ") == 1


def test_void_counts_match_the_store(release):
    void = Graph().parse(release.dumps_path / "void.ttl")
    rows = {str(r.c).rsplit("#", 1)[-1]: int(r.n) for r in void.query("""
        PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?c ?n WHERE { <https://w3id.org/myokg/dataset> void:classPartition [ void:class ?c ; void:entities ?n ] }""")}
    store = Store.read_only(str(release.store_path))
    for name in ("Muscle", "TriggerPoint", "Nerve", "BodyRegion"):
        (row,) = store.query(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <https://w3id.org/myokg/ontology#{name}> }} }}")
        assert rows[name] == int(row["n"].value) > 0, name
    assert rows["SpinalSegment"] == 31
    (triples,) = void.query("""PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?n WHERE { <https://w3id.org/myokg/dataset> void:triples ?n }""")
    assert int(triples[0]) == release.manifest["triples"]
    subsets = {str(r.g): int(r.n) for r in void.query("""PREFIX void: <http://rdfs.org/ns/void#>
        SELECT ?g ?n WHERE { <https://w3id.org/myokg/dataset> void:subset ?g . ?g void:triples ?n }""")}
    assert set(subsets) == set(release.manifest["graphs"])
    assert sum(subsets.values()) == release.manifest["quads"]


def test_failed_build_leaves_previous_release(tree_copy, tmp_path):
    root = tmp_path / "releases"
    first = build_release(tree_copy, root)
    before = {p.name: p.read_bytes() for p in first.dumps_path.iterdir()}
    broken = tree_copy.root / "data" / "shoulder" / "deltoid.trig"
    edit(broken, "obo:RO_0002005 :axillary-nerve ;", "obo:RO_0002005 :axillary-nerve")  # syntax error

    with pytest.raises(BuildRefused) as refused:
        build_release(tree_copy, root)

    (problem,) = refused.value.report.violations
    assert problem.file == "data/shoulder/deltoid.trig"
    assert "Cannot parse" in problem.message
    after = current_release(root)
    assert after.manifest == first.manifest
    assert {p.name: p.read_bytes() for p in after.dumps_path.iterdir()} == before
    assert sorted(p.name for p in root.iterdir() if p.name != ".lock") == [VERSION, "current"]  # no staging left behind


def test_failure_while_writing_leaves_previous_release(tree_copy, tmp_path, monkeypatch):
    import myokg.release as release_module

    root = tmp_path / "releases"
    first = build_release(tree_copy, root)

    def broken_void(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(release_module, "describe_dataset", broken_void)
    with pytest.raises(OSError, match="disk full"):
        build_release(tree_copy, root)
    assert current_release(root).manifest == first.manifest
    assert sorted(p.name for p in root.iterdir() if p.name != ".lock") == [VERSION, "current"]


def test_rebuild_replaces_the_release_of_the_same_version(tree_copy, tmp_path):
    root = tmp_path / "releases"
    build_release(tree_copy, root)
    edit(tree_copy.root / "data" / "shoulder" / "deltoid.trig",
         'skos:altLabel "deltoid muscle"@en ,', 'skos:altLabel "deltoid muscle"@en , "shoulder muscle"@en ,')
    second = build_release(tree_copy, root)
    assert current_release(root).manifest == second.manifest
    turtle = (second.dumps_path / f"myokg-{VERSION}.ttl").read_text()
    assert '"shoulder muscle"@en' in turtle
    assert json.loads((root / "current" / "release.json").read_text())["built"] == second.manifest["built"]
