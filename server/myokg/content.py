"""Where the ontology, shapes and data come from.

A curator edits a checkout and rebuilds without reinstalling, so a checkout wins over the copy packaged in
the wheel: ``--source DIR`` first, then the checkout around the working directory, then the checkout this
package was installed from (editable installs), then the packaged copy.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from rdflib.util import guess_format

PACKAGED = Path(__file__).parent / "content"
RDF_SUFFIXES = (".ttl", ".trig")


class ContentNotFound(Exception):
    """No directory holds the ontology, shapes and data MyoKG needs."""


@dataclass(frozen=True)
class SourceTree:
    """A directory with the ontology, the shapes and ``data/``: what a release is built from."""

    root: Path
    is_checkout: bool

    @property
    def ontology_file(self) -> Path:
        return self.root / "ontology" / "myokg.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.root / "shapes" / "myokg-shapes.ttl"

    @property
    def data_files(self) -> list[Path]:
        return _rdf_files(self.root / "data")

    @property
    def queries_dir(self) -> Path:
        """Example SPARQL queries, one .rq file each, shown in the query UI."""
        return self.root / "queries"

    @property
    def uberon_relations(self) -> Path:
        """Uberon's muscle relations (origin, insertion, innervation, antagonist), to compare ours with."""
        return self.root / "data" / "reference" / "uberon" / "muscle-relations.tsv"

    @property
    def uberon_terms(self) -> Path:
        return self.root / "data" / "reference" / "uberon" / "terms.tsv"

    @property
    def uberon_obsolete(self) -> Path:
        """Uberon's obsolete classes, with their replacements: no mapping may point at one."""
        return self.root / "data" / "reference" / "uberon" / "obsolete.tsv"

    def digest(self) -> str:
        """SHA-256 over every file a release is built from, to tell whether a release is stale."""
        h = hashlib.sha256()
        files = [self.ontology_file, self.shapes_file, *sorted(p for p in (self.root / "data").rglob("*") if p.is_file())]
        for path in files:
            h.update(self.relative(path).encode() + b"\0" + path.read_bytes() + b"\0")
        return h.hexdigest()

    def relative(self, path: Path) -> str:
        """``path`` as a curator sees it: relative to the tree, with forward slashes."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def default_release_root(self) -> Path:
        """Releases go beside a checkout's data, else into the user's data directory."""
        if self.is_checkout:
            return self.root / "release"
        data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        return Path(data_home) / "myokg" / "release"


def rdf_format(path: Path) -> str:
    """rdflib's name for the syntax of ``path`` (turtle or trig)."""
    return guess_format(str(path)) or "turtle"


def _rdf_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in RDF_SUFFIXES and p.is_file())


def _holds_content(root: Path) -> bool:
    tree = SourceTree(root, is_checkout=False)
    return tree.ontology_file.is_file() and tree.shapes_file.is_file() and (root / "data").is_dir()


def _checkout_around(start: Path) -> Path | None:
    for candidate in (start, *start.parents):
        if (candidate / "pyproject.toml").is_file() and _holds_content(candidate):
            return candidate
    return None


def find_source(explicit: Path | None = None) -> SourceTree:
    """The source tree to build from; raises ContentNotFound with what was looked at."""
    if explicit is not None:
        root = explicit.resolve()
        if not _holds_content(root):
            raise ContentNotFound(
                f"{root} is not a MyoKG source tree: it needs ontology/myokg.ttl, shapes/myokg-shapes.ttl and a data/ folder."
            )
        return SourceTree(root, is_checkout=True)
    for start in (Path.cwd(), Path(__file__).resolve().parent):
        checkout = _checkout_around(start)
        if checkout is not None:
            return SourceTree(checkout, is_checkout=True)
    if _holds_content(PACKAGED):
        return SourceTree(PACKAGED, is_checkout=False)
    raise ContentNotFound(
        "No MyoKG data found: not in a checkout, and the installed package carries none. "
        "Pass --source DIR pointing at a folder with ontology/, shapes/ and data/."
    )
