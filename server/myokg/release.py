"""Build a release: validate, then write the Oxigraph store, the dumps, checksums and the VoID description.

A release root holds one folder per version and a ``current`` symlink to the one being served. A build
writes into a hidden staging folder and only swaps it in once everything is written, so a failed build
leaves the previous release exactly as it was.

The store's default graph holds the union of MyoKG's graphs (written once at build time, so queries need no
union over graphs): it is what queries see by default. Ontologies imported with ``myokg import`` (recorded
in the release root's ``imports/``) are loaded into their own named graphs, outside that default graph and
outside the dumps.
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, serialize
from rdflib import OWL, URIRef

from . import imports, jsonld
from .content import SourceTree
from .mappings import read_terms
from .namespaces import ONTOLOGY_IRI, PREFIXES
from .sssom import file_name as mapping_set_name
from .sssom import write_mapping_set
from .unmapped import FILE_NAME as UNMAPPED
from .unmapped import gaps
from .unmapped import render as render_unmapped
from .validation import Report, validate
from .void import describe_dataset

CURRENT = "current"
MANIFEST = "release.json"
STORE = "store"
DUMPS = "dumps"
CHECKSUMS = "SHA256SUMS"
# What a release folder holds, as this code reads it; 2: the store's default graph is MyoKG's union.
LAYOUT = 2
CONTEXT = "context.jsonld"

# The dumps of a release, by format: (file name pattern, format, keeps the source graphs).
DUMP_FORMATS = (
    ("myokg-{version}.ttl", RdfFormat.TURTLE, False),
    ("myokg-{version}.nt", RdfFormat.N_TRIPLES, False),
    ("myokg-{version}.jsonld", RdfFormat.JSON_LD, False),
    ("myokg-{version}.nq", RdfFormat.N_QUADS, True),
    ("myokg-{version}.trig", RdfFormat.TRIG, True),
)


class BuildRefused(Exception):
    """Validation found violations; nothing was written."""

    def __init__(self, report: Report):
        super().__init__(f"{len(report.violations)} violation(s): the release was not built")
        self.report = report


@dataclass(frozen=True)
class Release:
    """A built release folder and its manifest."""

    path: Path
    manifest: dict

    @property
    def version(self) -> str:
        return self.manifest["version"]

    @property
    def store_path(self) -> Path:
        return self.path / STORE

    @property
    def dumps_path(self) -> Path:
        return self.path / DUMPS


def ontology_version(report: Report) -> str:
    """The release version, owl:versionInfo of the ontology, whose owl:versionIRI must be the ontology IRI
    and that version, so every release keeps its own version IRI."""
    version = report.content.ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionInfo)
    if version is None:
        raise ValueError(f"ontology/myokg.ttl gives <{ONTOLOGY_IRI}> no owl:versionInfo: add one.")
    expected = URIRef(f"{ONTOLOGY_IRI}/{version}")
    version_iri = report.content.ontology.value(URIRef(ONTOLOGY_IRI), OWL.versionIRI)
    if version_iri != expected:
        raise ValueError(f"In ontology/myokg.ttl, owl:versionIRI <{version_iri}> does not match owl:versionInfo "
                         f"\"{version}\": make it <{expected}>.")
    return str(version)


def published_releases(root: Path) -> list[Release]:
    """Every release kept under ``root``, newest build first: each version folder (a real folder, not a
    link) whose manifest names that same version."""
    found = []
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.name.startswith(".") or folder.is_symlink() or not (folder / MANIFEST).is_file():
            continue
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("version") == folder.name:
            found.append(Release(folder, manifest))
    return sorted(found, key=lambda r: r.manifest["built"], reverse=True)


def current_release(root: Path) -> Release | None:
    """The release ``root/current`` points to, or None if there is none yet."""
    manifest = root / CURRENT / MANIFEST
    if not manifest.is_file():
        return None
    path = (root / CURRENT).resolve()
    return Release(path, json.loads(manifest.read_text(encoding="utf-8")))


def build_release(tree: SourceTree, root: Path, echo: Callable[[str], None] = lambda _: None,
                  imported: list[tuple[imports.Import, Path]] | None = None, progress=None) -> Release:
    """Validate ``tree`` and publish it as the current release under ``root``, with the ``imported``
    ontologies (each with the folder holding its copy; by default those recorded in ``root``). ``progress``
    is the stream that shows how far each import has loaded (None: silent)."""
    echo(f"Validating {tree.root} ...")
    report = validate(tree)
    if not report.ok:
        raise BuildRefused(report)
    version = ontology_version(report)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time per release folder
        staging = Path(tempfile.mkdtemp(prefix=".building-", dir=root))
        try:
            if imported is None:
                imported = imports.recorded_with_folder(root)
            manifest = _write_release(tree, staging, version, echo, imported, progress)
            path = _publish(staging, root, version)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    echo(f"Release {version} is current: {path}")
    return Release(path, manifest)


def _write_release(tree: SourceTree, folder: Path, version: str, echo, imported, progress) -> dict:
    echo("Loading the store ...")
    store = Store(str(folder / STORE))
    store.bulk_load(path=str(tree.ontology_file), format=RdfFormat.TURTLE, to_graph=NamedNode(ONTOLOGY_IRI))
    for path in tree.data_files:
        store.bulk_load(path=str(path), format=RdfFormat.TRIG)
    triples, quads = _count_union(store), len(store)
    graphs = sorted(g.value for g in store.named_graphs())
    write_default_graph(store)
    store.flush()

    echo("Writing dumps ...")
    dumps = folder / DUMPS
    dumps.mkdir()
    data_dumps = []
    for pattern, fmt, keeps_graphs in DUMP_FORMATS:
        target = dumps / pattern.format(version=version)
        statements = _sorted_quads(store) if keeps_graphs else _sorted_union(store)
        if fmt == RdfFormat.JSON_LD:  # compact, with MyoKG's context inline, rather than Oxigraph's expanded form
            target.write_text(jsonld.dumps(jsonld.dataset_document(statements)), encoding="utf-8")
        else:
            serialize(statements, str(target), format=fmt, prefixes=PREFIXES)
        data_dumps.append(_file_entry(target))
        if fmt == RdfFormat.N_TRIPLES:
            data_dumps.append(_file_entry(_gzip(target)))
    shutil.copyfile(tree.ontology_file, dumps / f"myokg-ontology-{version}.ttl")
    shutil.copyfile(tree.shapes_file, dumps / f"myokg-shapes-{version}.ttl")
    (dumps / CONTEXT).write_text(jsonld.dumps(jsonld.context_document()), encoding="utf-8")
    built = datetime.now(timezone.utc).replace(microsecond=0)

    echo("Writing the SSSOM mapping set and the report of unmapped resources ...")
    mapping_set = dumps / mapping_set_name(version)
    write_mapping_set(store, read_terms(tree.uberon_terms), mapping_set, version=version, day=built.date())
    (dumps / UNMAPPED).write_text(render_unmapped(gaps(store), version), encoding="utf-8")

    loaded = []
    for record, copies in imported:
        echo(f"Importing {record.source} into <{record.graph}> ...")
        loaded.append(imports.with_triples(record, imports.load(store, record, copies, progress)))
    store.flush()

    echo("Describing the dataset (VoID) ...")
    void = describe_dataset(store, version=version, issued=built, triples=triples, dumps=data_dumps,
                            graphs=graphs, imported=loaded, other_files=[_file_entry(mapping_set)])
    void.serialize(dumps / "void.ttl", format="turtle")

    entries = [_file_entry(p) for p in sorted(dumps.iterdir())]
    (dumps / CHECKSUMS).write_text("".join(f"{e['sha256']}  {e['name']}\n" for e in entries), encoding="utf-8")
    entries.append(_file_entry(dumps / CHECKSUMS))
    manifest = {
        "version": version,
        "layout": LAYOUT,
        "built": built.isoformat(),
        "source_sha256": tree.digest(),
        "triples": triples,
        "quads": quads,
        "graphs": graphs,
        "imports": [{"graph": r.graph, "source": r.source, "format": r.format, "sha256": r.sha256,
                     "bytes": r.bytes, "triples": r.triples, "imported": r.imported} for r in loaded],
        "files": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def write_default_graph(store: Store) -> None:
    """Copy the union of ``store``'s named graphs into its default graph, which queries then see by default."""
    store.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in _sorted_union(store))


# Dumps are sorted so that each resource's statements come together and a diff between releases is small.
def _sorted_union(store: Store):
    """Every distinct triple of all graphs, ordered by subject: the default graph users query."""
    return store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } } "
        "ORDER BY ?s ?p ?o"
    )


def _sorted_quads(store: Store):
    """Every quad, ordered by graph then subject, keeping each claim in its source's graph."""
    for row in store.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g ?s ?p ?o"):
        yield Quad(row["s"], row["p"], row["o"], row["g"])


def _count_union(store: Store) -> int:
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    return int(row["n"].value)


def _gzip(path: Path) -> Path:
    """``path`` compressed next to it as ``<name>.gz``; the same input always gives the same bytes
    (no time stamp in the header), so its checksum only changes with the data."""
    target = path.with_name(path.name + ".gz")
    with path.open("rb") as source, target.open("wb") as raw, \
            gzip.GzipFile(filename=path.name, mode="wb", fileobj=raw, mtime=0) as compressed:
        shutil.copyfileobj(source, compressed, 1 << 20)
    return target


def _file_entry(path: Path) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"name": path.name, "bytes": path.stat().st_size, "sha256": digest.hexdigest()}


def _publish(staging: Path, root: Path, version: str) -> Path:
    """Move the staged release into place as ``root/version`` and point ``current`` at it."""
    final = root / version
    retired = None
    if final.exists():
        retired = root / f".retired-{uuid.uuid4().hex}"
        os.rename(final, retired)
    os.rename(staging, final)
    link = root / f".current-{uuid.uuid4().hex}"
    os.symlink(version, link)
    os.replace(link, root / CURRENT)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
    return final
