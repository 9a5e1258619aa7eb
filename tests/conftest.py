"""Shared fixtures: a private copy of the repository's content that a test may break at will."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from myokg.content import SourceTree, find_source

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def repo_tree() -> SourceTree:
    """The repository's own ontology, shapes and data (read-only: never modify it)."""
    return find_source(REPO)


@pytest.fixture
def tree_copy(tmp_path: Path) -> SourceTree:
    """A copy of the repository's content in a temporary folder, for tests that edit files."""
    root = tmp_path / "source"
    for folder in ("ontology", "shapes", "data"):
        shutil.copytree(REPO / folder, root / folder)
    return find_source(root)


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
