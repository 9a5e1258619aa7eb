"""`myokg import`: other ontologies in their own named graphs of the release, kept across rebuilds, queried
with GRAPH or FROM and never in MyoKG's default graph or dumps."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Store

from myokg.cli import main
from myokg.release import current_release
from myokg.web import create_app

GRAPH = "http://example.org/other-ontology"
EX = "http://example.org/"
ASK_IMPORTED = f"ASK {{ GRAPH <{GRAPH}> {{ <{EX}thing> <{EX}says> ?o }} }}"
ASK_DEFAULT = f"ASK {{ <{EX}thing> <{EX}says> ?o }}"

FILES = {
    "other.ttl": f"@prefix ex: <{EX}> .\nex:thing ex:says \"hello\" .\n",
    "other.nt": f"<{EX}thing> <{EX}says> \"hello\" .\n",
    "other.owl": ("<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
                  f"xmlns:ex='{EX}'>\n<rdf:Description rdf:about='{EX}thing'><ex:says>hello</ex:says>"
                  "</rdf:Description>\n</rdf:RDF>\n"),
    "other.jsonld": json.dumps({"@id": f"{EX}thing", f"{EX}says": "hello"}),
}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (the build lock excepted), and every link with its target."""
    return {str(p.relative_to(root)): (str(p.readlink()).encode() if p.is_symlink() else p.read_bytes())
            for p in sorted(root.rglob("*")) if (p.is_file() or p.is_symlink()) and p.name != ".lock"}


def store_of(root: Path) -> Store:
    return Store.read_only(str(current_release(root).store_path))


@pytest.fixture
def imported(tmp_path, tree_copy):
    """A release of the seed data with the Turtle file imported: (source option, release root)."""
    source = tmp_path / "other.ttl"
    source.write_text(FILES["other.ttl"])
    root = tmp_path / "release"
    result = run("import", "--source", tree_copy.root, "--release", root, source, "--graph", GRAPH)
    assert result.exit_code == 0, result.output
    return tree_copy.root, root


@pytest.mark.parametrize("name", [*FILES, "other.ttl.gz"])
def test_each_format_goes_into_its_graph_only(tmp_path, tree_copy, name):
    source = tmp_path / name
    if name.endswith(".gz"):
        source.write_bytes(gzip.compress(FILES[name.removesuffix(".gz")].encode()))
    else:
        source.write_text(FILES[name])
    root = tmp_path / "release"
    result = run("import", "--source", tree_copy.root, "--release", root, source, "--graph", GRAPH)
    assert result.exit_code == 0, result.output
    store = store_of(root)
    assert store.query(ASK_IMPORTED)
    assert not store.query(ASK_DEFAULT), "an import must stay out of the default graph"
    assert "100%" in result.stderr, "progress is shown while the file loads"
    manifest = current_release(root).manifest
    assert [i["graph"] for i in manifest["imports"]] == [GRAPH]
    assert manifest["imports"][0]["triples"] == 1
    assert GRAPH not in manifest["graphs"]
    for dump in current_release(root).dumps_path.glob("myokg-0*"):
        text = (gzip.decompress(dump.read_bytes()) if dump.suffix == ".gz" else dump.read_bytes()).decode("utf-8")
        assert EX + "thing" not in text, f"{dump.name} holds imported data"


def test_void_lists_the_imported_graph_apart_from_myokg(imported):
    _, root = imported
    void = (current_release(root).dumps_path / "void.ttl").read_text(encoding="utf-8")
    assert f"<{GRAPH}>" in void
    from rdflib import Graph, URIRef

    graph = Graph().parse(data=void, format="turtle")
    assert (URIRef("https://w3id.org/myokg/dataset"), URIRef("http://rdfs.org/ns/void#subset"), URIRef(GRAPH)) not in graph
    assert (URIRef(GRAPH), URIRef("http://rdfs.org/ns/void#triples"), None) in graph


def test_a_rebuild_keeps_the_import(imported):
    source, root = imported
    result = run("build", "--source", source, "--out", root)
    assert result.exit_code == 0, result.output
    assert store_of(root).query(ASK_IMPORTED)


def test_reimporting_a_graph_replaces_it(imported, tmp_path):
    source, root = imported
    other = tmp_path / "second.nt"
    other.write_text(f"<{EX}thing> <{EX}says> \"goodbye\" .\n")
    result = run("import", "--source", source, "--release", root, other, "--graph", GRAPH)
    assert result.exit_code == 0, result.output
    said = {r["o"].value for r in store_of(root).query(f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")}
    assert said == {"goodbye"}
    listing = run("import", "--release", root, "--source", source, "--list")
    assert listing.output.count(GRAPH) == 1 and "second.nt" in listing.output
    assert len(list((root / "imports").glob("*.json"))) == 1
    assert len([p for p in (root / "imports").iterdir() if not p.name.endswith(".json")]) == 1, "old copy removed"


def test_list_and_remove(imported):
    source, root = imported
    listing = run("import", "--source", source, "--release", root, "--list")
    assert listing.exit_code == 0 and f"<{GRAPH}>  1 triples  turtle" in listing.output
    removed = run("import", "--source", source, "--release", root, "--remove", GRAPH)
    assert removed.exit_code == 0, removed.output
    assert not store_of(root).query(ASK_IMPORTED)
    assert list((root / "imports").iterdir()) == []
    assert "No imports" in run("import", "--source", source, "--release", root, "--list").output


def test_removing_an_unknown_graph_says_what_is_imported(imported):
    source, root = imported
    result = run("import", "--source", source, "--release", root, "--remove", EX + "never")
    assert result.exit_code == 1
    assert f"No import into <{EX}never>" in result.output and f"<{GRAPH}>" in result.output


def test_the_rebuild_needs_no_original_file(imported, tmp_path):
    source, root = imported
    (tmp_path / "other.ttl").unlink()
    assert run("build", "--source", source, "--out", root).exit_code == 0
    assert store_of(root).query(ASK_IMPORTED)


def test_a_parse_error_names_file_and_line_and_changes_nothing(imported, tmp_path):
    source, root = imported
    before = snapshot(root)
    broken = tmp_path / "broken.ttl"
    broken.write_text(f"@prefix ex: <{EX}> .\nex:a ex:b ex:c .\nex:a ex:b .\n")
    result = run("import", "--source", source, "--release", root, broken, "--graph", EX + "broken")
    assert result.exit_code == 1
    assert str(broken.resolve()) in result.output and "line 3" in result.output
    assert snapshot(root) == before, "the release root must stay byte for byte"


def test_an_rdfxml_error_gives_the_lines_it_lies_in(imported, tmp_path):
    source, root = imported
    broken = tmp_path / "broken.owl"
    broken.write_text("<?xml version='1.0'?>\n<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\n"
                      "<rdf:Description rdf:about='http://e/a'>\n</rdf:Descr>\n")
    result = run("import", "--source", source, "--release", root, broken, "--graph", EX + "broken")
    assert result.exit_code == 1
    assert "lines 1-5" in result.output and "rdf:Description" in result.output


@pytest.mark.parametrize("graph, message", [
    ("https://w3id.org/myokg/graph/uberon", "reserved for MyoKG's graphs"),
    ("not an iri", "is not an IRI"),
    ("relative/iri", "No scheme found"),
])
def test_bad_graph_names_are_refused(tmp_path, tree_copy, graph, message):
    source = tmp_path / "other.ttl"
    source.write_text(FILES["other.ttl"])
    root = tmp_path / "release"
    result = run("import", "--source", tree_copy.root, "--release", root, source, "--graph", graph)
    assert result.exit_code == 1 and message in result.output
    assert not root.exists(), "nothing is written"


@pytest.mark.parametrize("name, message", [
    ("uberon.obo", "robot convert"),
    ("data.nq", "N-Quads file names its own graphs"),
    ("data.trig", "TriG file names its own graphs"),
    ("data.txt", "give --format"),
])
def test_unsupported_files_say_what_to_do(tmp_path, tree_copy, name, message):
    source = tmp_path / name
    source.write_text("anything")
    result = run("import", "--source", tree_copy.root, "--release", tmp_path / "release", source, "--graph", GRAPH)
    assert result.exit_code == 1 and message in result.output


@pytest.mark.parametrize("args, message", [
    ([], "Give one of"),
    (["--list", "--remove", GRAPH], "Give one of"),
    (["some.ttl"], "--graph IRI is required"),
    (["missing.ttl", "--graph", GRAPH], "no such file"),
])
def test_command_line_mistakes(tmp_path, tree_copy, args, message):
    result = run("import", "--source", tree_copy.root, "--release", tmp_path / "release", *args)
    assert result.exit_code != 0 and message in result.output


def test_the_endpoint_reaches_the_import_by_graph_not_by_default(imported):
    _, root = imported
    app = create_app(current_release(root), workers=1)
    try:
        client = app.test_client()

        def ask(query, **params):
            response = client.get("/sparql", query_string={"query": query, **params},
                                  headers={"Accept": "application/sparql-results+json"}, buffered=True)
            assert response.status_code == 200, response.text
            return response.json["boolean"]

        assert ask(ASK_IMPORTED)
        assert not ask(ASK_DEFAULT)
        assert ask(f"ASK FROM <{GRAPH}> {{ <{EX}thing> <{EX}says> ?o }}")
        assert ask(ASK_DEFAULT, **{"default-graph-uri": GRAPH})
        assert ask("ASK { ?m a <https://w3id.org/myokg/ontology#Muscle> }"), "MyoKG stays the default graph"
        description = client.get("/sparql", headers={"Accept": "text/turtle"}).text
        assert f"<{GRAPH}>" in description, "the service description lists the imported graph"
        assert "UnionDefaultGraph" not in description, "the default graph does not merge the imported graph"
    finally:
        app.extensions["myokg.queries"].close()
