"""The myokg command as a curator and an operator use it."""

from __future__ import annotations

import json

import subprocess
import sys
import time
import urllib.request

from click.testing import CliRunner

from conftest import edit, free_port
from myokg.cli import main
from myokg.release import LAYOUT


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_validate_accepts_the_repository(repo_tree):
    result = run("validate", "--source", str(repo_tree.root))
    assert result.exit_code == 0, result.output
    assert "\n0 violation(s), " in result.output
    # The only warnings the published data may carry: structures Uberon has no class for.
    warnings = [line for line in result.output.splitlines() if ": Warning: " in line]
    assert all("has no Uberon mapping" in line for line in warnings), "\n".join(warnings)


def test_validate_reports_file_focus_path_and_message(tree_copy):
    edit(tree_copy.root / "data" / "shoulder" / "infraspinatus.trig",
         "obo:RO_0002005 :suprascapular-nerve ;", "obo:RO_0002005 :infraspinous-fossa ;")
    result = run("validate", "--source", str(tree_copy.root))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("data/shoulder/infraspinatus.trig: Violation:"))
    assert "innervating nerve" in lines[first]
    assert lines[first + 1:first + 4] == [
        "    focus: myokg.id:infraspinatus", "    path: obo:RO_0002005", "    value: myokg.id:infraspinous-fossa"]
    assert lines[-1] == "1 violation(s), 0 warning(s)."


def test_validate_warnings_do_not_fail(tree_copy):
    edit(tree_copy.root / "data" / "shoulder" / "infraspinatus.trig",
         ":infraspinatus skos:exactMatch obo:UBERON_0001477 , obo:FMA_32546 .", "")
    result = run("validate", "--source", str(tree_copy.root))
    assert result.exit_code == 0
    assert "data/shoulder/infraspinatus.trig: Warning: This muscle has no Uberon mapping" in result.output
    assert result.output.splitlines()[-1] == "0 violation(s), 1 warning(s)."


def test_validate_rejects_a_folder_without_content(tmp_path):
    result = CliRunner().invoke(main, ["validate", "--source", str(tmp_path)])
    assert result.exit_code == 2
    assert "is not a MyoKG source tree" in result.output


def test_build_failure_says_the_previous_release_is_kept(tree_copy, tmp_path):
    out = tmp_path / "out"
    assert run("build", "--source", str(tree_copy.root), "--out", str(out)).exit_code == 0
    edit(tree_copy.root / "data" / "body-regions.trig", ":hip a myokg:BodyRegion ;", ":hip a myokg:BodyRegion ")
    result = CliRunner().invoke(main, ["build", "--source", str(tree_copy.root), "--out", str(out)])
    assert result.exit_code == 1
    assert "data/body-regions.trig: Violation: Cannot parse this file" in result.output
    assert "Validation failed, so nothing was built; release 0.1.0 is still current." in result.output


def serve_once(source, root) -> tuple[str, str]:
    """Start `myokg serve`, fetch its home page, stop it; return the page and what the server printed."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "myokg.cli", "serve", "--source", str(source), "--release", str(root),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    page = response.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not answer within 60 s"
                time.sleep(0.2)
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert f"at http://127.0.0.1:{port}/" in output
    return page, output


def test_serve_builds_a_release_then_answers(tree_copy, tmp_path):
    root = tmp_path / "served"
    page, output = serve_once(tree_copy.root, root)
    assert "Release <strong>0.1.0</strong>" in page
    assert (root / "current" / "release.json").is_file()
    assert "No release in" in output and "building one" in output
    assert "has changed since" not in output


def test_serve_says_when_the_data_changed_since_the_release(tree_copy, tmp_path):
    root = tmp_path / "served"
    assert run("build", "--source", str(tree_copy.root), "--out", str(root)).exit_code == 0
    _, output = serve_once(tree_copy.root, root)
    assert "has changed since" not in output and "building one" not in output
    edit(tree_copy.root / "data" / "shoulder" / "deltoid.trig", '"deltoideus"@en', '"deltoides"@en')
    _, output = serve_once(tree_copy.root, root)
    assert "has changed since release 0.1.0 was built" in output
    assert "Run `myokg build` to publish the changes." in output


def test_serve_rebuilds_a_release_an_older_myokg_built(tree_copy, tmp_path):
    """Before layout 2 the store's default graph was empty: serving such a release would answer nothing."""
    root = tmp_path / "served"
    assert run("build", "--source", str(tree_copy.root), "--out", str(root)).exit_code == 0
    manifest = root / "current" / "release.json"
    old = json.loads(manifest.read_text())
    del old["layout"]
    manifest.write_text(json.dumps(old))
    page, output = serve_once(tree_copy.root, root)
    assert "was built by an older MyoKG" in output and "rebuilding it" in output
    assert json.loads(manifest.read_text())["layout"] == LAYOUT
    assert "Release <strong>0.1.0</strong>" in page


def test_build_without_an_ontology_version_says_how_to_fix_it(tree_copy, tmp_path):
    edit(tree_copy.ontology_file, '    owl:versionInfo "0.1.0" ;\n', "")
    result = CliRunner().invoke(main, ["build", "--source", str(tree_copy.root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "The build failed and nothing was changed" in result.output
    assert "no owl:versionInfo: add one" in result.output
    assert not (tmp_path / "out" / "current").exists()


def test_serve_refuses_several_waitress_processes(release_root):
    result = run("serve", "--release", str(release_root), "--server", "waitress", "--processes", "2")
    assert result.exit_code == 2
    assert "waitress runs in one process; use --server granian for several." in result.output
