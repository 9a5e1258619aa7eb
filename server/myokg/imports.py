"""External ontologies and datasets imported alongside MyoKG, each into its own named graph of the store.

An import is recorded in the release root (``imports/<name>.json`` plus a gzip-compressed copy of the file),
not in a release: every build loads every recorded import into its new store, so imports survive rebuilds
and a rebuild never needs the original file. The copy is compressed because ontologies are large and
compress well (Uberon's 67 MB of RDF/XML keep as 4 MB); a file that is already gzip-compressed is kept
byte for byte. Imported graphs are not MyoKG's data: they are in the store only, never in the dumps nor in
the store's default graph, which holds MyoKG's union; a query reaches them with GRAPH or FROM.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import sys
import time
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from pyoxigraph import NamedNode, RdfFormat, Store

from .namespaces import BASE

IMPORTS = "imports"
GZIP_MAGIC = b"\x1f\x8b"

# Formats an import may be in, by the keyword of --format; each holds triples that go into one graph.
FORMATS = {
    "rdfxml": RdfFormat.RDF_XML,
    "turtle": RdfFormat.TURTLE,
    "ntriples": RdfFormat.N_TRIPLES,
    "jsonld": RdfFormat.JSON_LD,
}
EXTENSIONS = {
    ".owl": "rdfxml", ".rdf": "rdfxml", ".xml": "rdfxml",
    ".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".json": "jsonld",
}
# Formats that cannot go into one graph, or that Oxigraph does not read, and what to do instead.
REFUSED = {
    ".obo": "OBO files are not RDF. Convert to OWL first, e.g. with ROBOT (`robot convert -i FILE.obo -o "
            "FILE.owl`), or download the ontology's .owl release (OBO Foundry ontologies publish both), then "
            "import that.",
    ".nq": "an N-Quads file names its own graphs, but an import goes into the one graph given by --graph. "
           "Convert it to N-Triples (drop the fourth column) or import each of its graphs separately.",
    ".trig": "a TriG file names its own graphs, but an import goes into the one graph given by --graph. "
             "Convert it to Turtle, or import each of its graphs separately.",
}


class ImportFailed(Exception):
    """An import could not be made; the message says what and how to fix it. Nothing was changed."""


@dataclass(frozen=True)
class Import:
    """One recorded import: the graph it fills and the copy of the file kept in the release root."""

    name: str  # file-safe, unique per graph: the record is imports/<name>.json
    graph: str
    format: str  # a key of FORMATS
    source: str  # the path the file was imported from (for the record; never read again)
    sha256: str  # of the file as imported
    bytes: int
    copy: str  # file name of the kept copy, beside the record
    imported: str  # ISO date and time
    triples: int | None = None  # known once a build has loaded it

    def copy_path(self, folder: Path) -> Path:
        return folder / self.copy


def imports_folder(root: Path) -> Path:
    return root / IMPORTS


def recorded(root: Path) -> list[Import]:
    """The imports recorded in release root ``root``, by graph IRI."""
    folder = imports_folder(root)
    if not folder.is_dir():
        return []
    records = [Import(**json.loads(p.read_text(encoding="utf-8"))) for p in folder.glob("*.json")]
    return sorted(records, key=lambda r: r.graph)


def check_graph(graph: str) -> str:
    """``graph`` if it can name an imported graph; else ImportFailed saying why."""
    if graph.startswith(BASE):
        raise ImportFailed(f"<{graph}> is in MyoKG's own namespace ({BASE}), which is reserved for MyoKG's "
                           "graphs. Name the imported graph with the ontology's own IRI, e.g. "
                           "http://purl.obolibrary.org/obo/uberon.owl.")
    try:
        NamedNode(graph)
    except ValueError as error:
        raise ImportFailed(f"--graph {graph!r} is not an IRI ({error}); give an absolute IRI such as "
                           "http://purl.obolibrary.org/obo/uberon.owl.") from None
    return graph


def guess_format(path: Path, given: str | None) -> str:
    """The format keyword for ``path``: ``given`` if any, else from its extension (ignoring .gz)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    extension = suffixes[-1] if suffixes else ""
    if extension in REFUSED:
        raise ImportFailed(f"{path}: {REFUSED[extension]}")
    if given is not None:
        return given
    if extension not in EXTENSIONS:
        raise ImportFailed(f"{path}: cannot tell the format from the extension {extension or '(none)'!r}; "
                           f"give --format ({', '.join(FORMATS)}).")
    return EXTENSIONS[extension]


def name_for(graph: str) -> str:
    """A file name for ``graph``'s record: readable, and unique because it ends with a hash of the IRI."""
    words = re.sub(r"[^a-z0-9]+", "-", graph.lower().split("://", 1)[-1]).strip("-")[-40:].strip("-")
    return f"{words}-{hashlib.sha256(graph.encode()).hexdigest()[:8]}"


def stage(path: Path, graph: str, fmt: str | None, folder: Path) -> Import:
    """Copy ``path`` (compressed) into ``folder`` and describe it as an import into ``graph``."""
    check_graph(graph)
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file.")
    fmt = guess_format(path, fmt)
    name = name_for(graph)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with path.open("rb") as source:
        compressed = source.read(2) == GZIP_MAGIC
        source.seek(0)
        copy = f"{name}.{fmt}.gz"
        with (folder / copy).open("wb") as raw:
            target = raw if compressed else gzip.GzipFile(fileobj=raw, mode="wb", mtime=0)
            for block in iter(lambda: source.read(1 << 20), b""):
                digest.update(block)
                target.write(block)
            if target is not raw:
                target.close()
    return Import(name=name, graph=graph, format=fmt, source=str(path.resolve()), sha256=digest.hexdigest(),
                  bytes=path.stat().st_size, copy=copy,
                  imported=datetime.now(timezone.utc).replace(microsecond=0).isoformat())


class _Progress:
    """A binary file over ``raw`` that shows how much of it was read, and counts its lines to locate
    parse errors for parsers that give no position."""

    def __init__(self, raw, total: int, label: str, stream: TextIO | None):
        self.raw, self.total, self.label, self.stream = raw, total, label, stream
        self.done, self.shown, self.finished = 0, 0.0, False

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.done += len(data)
        if self.stream is not None and not self.finished and (time.monotonic() - self.shown > 0.5 or not data):
            self.shown, self.finished = time.monotonic(), not data
            percent = 100 * self.done // max(self.total, 1)
            self.stream.write(f"\r  {self.label}: {self.done / 1e6:.1f} of {self.total / 1e6:.1f} MB ({percent}%)")
            if self.finished:
                self.stream.write("\n")
            self.stream.flush()
        return data


class _Lines:
    """A binary file over ``raw`` that counts the lines it has passed on."""

    def __init__(self, raw):
        self.raw, self.lines_before, self.lines = raw, 1, 1

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.lines_before = self.lines
        self.lines += data.count(b"\n")
        return data


def load(store: Store, record: Import, folder: Path, stream: TextIO | None = sys.stderr) -> int:
    """Load ``record``'s copy into its graph of ``store``; the number of triples it holds.

    Progress goes to ``stream`` as bytes read of the (compressed) copy. A parse error raises ImportFailed
    with the original file, the line and the parser's message.
    """
    path = record.copy_path(folder)
    with path.open("rb") as raw:
        progress = _Progress(raw, path.stat().st_size, Path(record.source).name, stream)
        with gzip.GzipFile(fileobj=progress, mode="rb") as text:
            lines = _Lines(text)
            try:
                store.bulk_load(lines, FORMATS[record.format], to_graph=NamedNode(record.graph),
                                base_iri=record.graph)
            except SyntaxError as error:
                if stream is not None:
                    stream.write("\n")
                where = (f"line {error.lineno}" if error.lineno else
                         f"lines {lines.lines_before}-{lines.lines} (the {record.format} parser gives no position)")
                raise ImportFailed(f"{record.source}, {where}: {error.args[0]}. The file was not imported; "
                                   "nothing was changed.") from None
            except (OSError, EOFError) as error:  # a corrupt .gz
                raise ImportFailed(f"{record.source}: cannot be read: {error}. Nothing was changed.") from None
    (row,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{record.graph}> {{ ?s ?p ?o }} }}")
    return int(row["n"].value)


def commit(records: list[Import], staged: Path | None, root: Path, removed: list[Import] = ()) -> None:
    """After a successful build: move staged copies into the root's imports folder, write each record
    (with its triple count), and delete what ``removed`` leaves behind."""
    folder = imports_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        if staged is not None and (staged / record.copy).exists():
            os.replace(staged / record.copy, folder / record.copy)
        target = folder / f"{record.name}.json"
        temporary = folder / f".{record.name}.json.tmp"
        temporary.write_text(json.dumps(asdict(record), indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, target)
    kept = {f"{r.name}.json" for r in records} | {r.copy for r in records}
    for record in removed:
        for leftover in {f"{record.name}.json", record.copy} - kept:
            (folder / leftover).unlink(missing_ok=True)


def with_triples(record: Import, triples: int) -> Import:
    return replace(record, triples=triples)


def recorded_with_folder(root: Path) -> list[tuple[Import, Path]]:
    """The recorded imports of ``root``, each with the folder that holds its copy: what a build loads."""
    return [(record, imports_folder(root)) for record in recorded(root)]
