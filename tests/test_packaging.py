"""The wheel carries the ontology, shapes and data, and works without a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True)
    (built,) = out.glob("myokg-*.whl")
    return built


def test_wheel_contains_ontology_shapes_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"myokg/content/ontology/myokg.ttl", "myokg/content/shapes/myokg-shapes.ttl",
                "myokg/content/data/reference/uberon/terms.tsv", "myokg/cli.py",
                "myokg/web/templates/home.html"}
    expected |= {f"myokg/content/{p.relative_to(REPO).as_posix()}" for p in (REPO / "data").rglob("*.trig")}
    assert expected <= names, sorted(expected - names)
    entry_points = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "myokg = myokg.cli:main" in entry_points


def test_installed_package_validates_its_own_data_outside_a_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-m", "myokg.cli", "validate"], cwd=elsewhere, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Validating {site / 'myokg' / 'content'}" in result.stderr
    assert "\n0 violation(s), " in result.stdout
