"""Shared fixtures: a private copy of the repository's content that a test may break at will."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from myokg.content import SourceTree, find_source

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_tree() -> SourceTree:
    """The repository's own ontology, shapes and data (read-only: never modify it)."""
    return find_source(REPO)


# The data the tests that edit files start from: the seed (the gluteus medius, the structures and muscles
# its sources name), not the whole of data/, so that those tests stay fast however much data is curated.
SEED_DATA = (
    "sources.trig",
    "spinal-segments.trig",
    "body-regions.trig",
    "reference",
    "pelvis-and-hip/skeleton.trig",
    "pelvis-and-hip/connective-tissue.trig",
    "pelvis-and-hip/nerves.trig",
    "pelvis-and-hip/movements.trig",
    "pelvis-and-hip/gluteus-medius.trig",
    "pelvis-and-hip/gluteus-maximus.trig",
    "shoulder/skeleton.trig",
    "shoulder/nerves.trig",
    "shoulder/movements.trig",
    "shoulder/deltoid.trig",
    "shoulder/subscapularis.trig",
    "shoulder/infraspinatus.trig",
)


def copy_seed(root: Path) -> SourceTree:
    """Copy the ontology, shapes and seed data into ``root``."""
    for folder in ("ontology", "shapes"):
        shutil.copytree(REPO / folder, root / folder)
    for name in SEED_DATA:
        source, target = REPO / "data" / name, root / "data" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target)
    return find_source(root)


@pytest.fixture
def tree_copy(tmp_path: Path) -> SourceTree:
    """A private copy of the seed, for tests that edit files."""
    return copy_seed(tmp_path / "source")


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must occur exactly once) by ``new`` in ``path``."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="session")
def release_root(tmp_path_factory, repo_tree):
    """A release built once from the repository's data, shared by the tests that only read it."""
    from myokg.release import build_release

    root = tmp_path_factory.mktemp("release")
    build_release(repo_tree, root)
    return root


@pytest.fixture(scope="session")
def release(release_root):
    from myokg.release import current_release

    return current_release(release_root)


@pytest.fixture(scope="module")
def client(release):
    """Flask's test client over the shared release, with one query worker."""
    from myokg.web import create_app

    app = create_app(release, workers=1)
    yield app.test_client()
    app.extensions["myokg.queries"].close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_server(release_root: Path, *options: str):
    """A real `myokg serve` process on the given release; yields its base URL, stops it afterwards."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "myokg.cli", "serve", "--release", str(release_root), "--port", str(port), *options],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/release.json", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "server did not answer within 60 s"
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.communicate(timeout=30)
