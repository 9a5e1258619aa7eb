"""The report of resources without an Uberon or FMA mapping: `myokg unmapped` and unmapped.md in every
release list exactly the anatomical resources that have none, under their own class, with counts."""

from __future__ import annotations

import re

from click.testing import CliRunner
from pyoxigraph import Store

from conftest import edit
from myokg.cli import main
from myokg.release import build_release

MYOKG = "https://w3id.org/myokg/ontology#"
ID = "https://w3id.org/myokg/id/"
MATCHES = ("<http://www.w3.org/2004/02/skos/core#exactMatch>|<http://www.w3.org/2004/02/skos/core#closeMatch>|"
           "<http://www.w3.org/2004/02/skos/core#broadMatch>|<http://www.w3.org/2004/02/skos/core#narrowMatch>")


def run(*args):
    return CliRunner().invoke(main, list(args))


def listed(report: str) -> dict[str, set[str]]:
    """The resources listed under each class heading of the report."""
    sections, current = {}, None
    for line in report.splitlines():
        heading = re.match(r"## (\w+) \(([\d,]+)\)$", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
        elif line.startswith("- ") and current is not None:
            current.add(re.search(r"`myokg\.id:([^`]+)`$", line).group(1))
    return sections


def table(report: str) -> dict[str, tuple[int, int]]:
    return {m.group(1): (int(m.group(2).replace(",", "")), int(m.group(3).replace(",", "")))
            for m in re.finditer(r"^\| (\w+) \| ([\d,]+) \| ([\d,]+) \| \d+% \|$", report, re.M)}


def test_report_lists_exactly_the_unmapped_anatomy(release_root, release):
    result = run("unmapped", "--release", str(release_root))
    assert result.exit_code == 0, result.output
    report = result.output
    assert report == (release.dumps_path / "unmapped.md").read_text(encoding="utf-8")
    store = Store.read_only(str(release.store_path))
    anatomy = {r["s"].value.removeprefix(ID) for r in store.query(f"""
        SELECT DISTINCT ?s WHERE {{ ?s a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?root
                                   VALUES ?root {{ <{MYOKG}AnatomicalStructure> <{MYOKG}SpinalSegment> }} }}""")}
    mapped = {r["s"].value.removeprefix(ID) for r in store.query(f"""
        SELECT DISTINCT ?s WHERE {{ ?s {MATCHES} ?o FILTER(STRSTARTS(STR(?o), "http://purl.obolibrary.org/obo/UBERON_")
                                                          || STRSTARTS(STR(?o), "http://purl.obolibrary.org/obo/FMA_")) }}""")}
    sections = listed(report)
    everything_listed = set().union(*sections.values())
    assert everything_listed == anatomy - mapped
    assert everything_listed and anatomy & mapped
    missing, total = (int(n.replace(",", "")) for n in re.search(r"^([\d,]+) of ([\d,]+) anatomical", report, re.M).groups())
    assert (missing, total) == (len(anatomy - mapped), len(anatomy))
    counts = table(report)
    assert sum(n for n, _ in counts.values()) >= len(anatomy)
    for cls, members in sections.items():
        assert counts[cls][1] == len(members)
    # The data leaves the gluteal group unmapped on purpose (data/pelvis-and-hip/muscle-groups.trig).
    assert "gluteal-muscles" in sections["MuscleGroup"]


def test_removing_a_mapping_adds_the_resource(tree_copy, tmp_path):
    edit(tree_copy.root / "data/shoulder/infraspinatus.trig",
         "    :infraspinatus skos:exactMatch obo:UBERON_0001477 , obo:FMA_32546 .\n", "")
    root = tmp_path / "release"
    release = build_release(tree_copy, root)
    report = run("unmapped", "--release", str(root)).output
    assert "infraspinatus" in listed(report)["Muscle"]
    assert report == (release.dumps_path / "unmapped.md").read_text(encoding="utf-8")


def test_without_a_release_says_to_build_one(tmp_path):
    result = run("unmapped", "--release", str(tmp_path))
    assert result.exit_code == 1
    assert f"No release in {tmp_path}: run `myokg build` first." in result.output
