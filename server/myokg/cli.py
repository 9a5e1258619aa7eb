"""The ``myokg`` command: validate the data, build a release, serve it."""

from __future__ import annotations

import shutil
import sys
import uuid
from pathlib import Path

import click

from . import __version__, imports
from .content import ContentNotFound, SourceTree, find_source
from .examples import load_examples
from .problems import Problem
from .release import LAYOUT, BuildRefused, build_release, current_release
from .validation import validate

source_option = click.option(
    "--source",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder with ontology/, shapes/ and data/ [default: this checkout, else the installed copy].",
)


def _tree(source: Path | None) -> SourceTree:
    try:
        return find_source(source)
    except ContentNotFound as error:
        raise click.UsageError(str(error)) from error


def _progress(message: str) -> None:
    click.echo(message, err=True)


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(problem.render())
    violations = sum(p.is_violation for p in problems)
    click.echo(f"{violations} violation(s), {len(problems) - violations} warning(s).")


@click.group()
@click.version_option(__version__, prog_name="myokg")
def main() -> None:
    """MyoKG: a knowledge graph of human skeletal muscles, nerves and trigger points."""


@main.command("validate")
@source_option
def validate_command(source: Path | None) -> None:
    """Check the ontology, shapes and data; exit non-zero on any violation."""
    tree = _tree(source)
    _progress(f"Validating {tree.root} ...")
    report = validate(tree)
    _print_problems(report.problems)
    if not report.ok:
        raise SystemExit(1)


@main.command("build")
@source_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path),
              help="Release folder [default: release/ in the checkout, else ~/.local/share/myokg/release].")
def build_command(source: Path | None, out: Path | None) -> None:
    """Validate, then write a new release (store, dumps, checksums, VoID) and make it current."""
    tree = _tree(source)
    root = out or tree.default_release_root()
    _build(tree, root)


def _build(tree: SourceTree, root: Path, imported=None):
    try:
        return build_release(tree, root, echo=_progress, imported=imported, progress=sys.stderr)
    except BuildRefused as refused:
        _print_problems(refused.report.problems)
        previous = current_release(root)
        kept = f"release {previous.version} is still current" if previous else "there is no release yet"
        raise click.ClickException(f"Validation failed, so nothing was built; {kept}.") from refused
    except (OSError, ValueError) as error:
        raise click.ClickException(f"The build failed and nothing was changed: {error}") from error


def _source_if_any(source: Path | None) -> SourceTree | None:
    """The source tree, where there is one: serving a release needs none."""
    try:
        return find_source(source)
    except ContentNotFound:
        return None


def _warn_if_stale(release, tree: SourceTree | None) -> None:
    if tree is not None and tree.digest() != release.manifest.get("source_sha256"):
        _progress(f"Note: {tree.root} has changed since release {release.version} was built "
                  f"({release.manifest['built']}); serving that release. Run `myokg build` to publish the changes.")


def _check_base_iri(value: str | None) -> str | None:
    if value is not None and not value.startswith(("http://", "https://")):
        raise click.BadParameter(f"{value!r} is not an http(s) URL; give one such as https://w3id.org/myokg/.")
    return value


release_option = click.option(
    "--release", "release_root", type=click.Path(file_okay=False, path_type=Path),
    help="Release folder [default: release/ in the checkout, else ~/.local/share/myokg/release].")


def _current(source: Path | None, release_root: Path | None):
    root = release_root or _tree(source).default_release_root()
    release = current_release(root)
    if release is None:
        raise click.ClickException(f"No release in {root}: run `myokg build` first.")
    return release


@main.command("stats")
@source_option
@release_option
def stats_command(source: Path | None, release_root: Path | None) -> None:
    """Counts per class and completeness per property of the current release, as Markdown tables."""
    from pyoxigraph import Store

    from .stats import class_counts, coverage, render

    store = Store.read_only(str(_current(source, release_root).store_path))
    click.echo(render(class_counts(store), coverage(store)), nl=False)


@main.command("unmapped")
@source_option
@release_option
def unmapped_command(source: Path | None, release_root: Path | None) -> None:
    """List the anatomical resources of the current release that have no Uberon or FMA mapping, as Markdown."""
    from pyoxigraph import Store

    from .unmapped import gaps, render

    release = _current(source, release_root)
    click.echo(render(gaps(Store.read_only(str(release.store_path))), release.version), nl=False)


@main.command("agreement")
@source_option
@release_option
def agreement_command(source: Path | None, release_root: Path | None) -> None:
    """Compare the muscle relations of the current release with Uberon's, as a Markdown curation report."""
    from pyoxigraph import Store

    from .uberon_agreement import compare, report

    tree = _tree(source)
    store = Store.read_only(str(_current(source, release_root).store_path))
    click.echo(report(compare(store, tree.uberon_relations)), nl=False)


@main.command("import")
@source_option
@release_option
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--graph", metavar="IRI", help="The named graph to import into, e.g. the ontology's IRI.")
@click.option("--format", "fmt", type=click.Choice(sorted(imports.FORMATS)),
              help="The file's format [default: from its extension; .gz is read transparently].")
@click.option("--list", "list_imports", is_flag=True, help="List the recorded imports and exit.")
@click.option("--remove", metavar="IRI", help="Remove the import into this graph and rebuild.")
def import_command(source: Path | None, release_root: Path | None, file: Path | None, graph: str | None,
                   fmt: str | None, list_imports: bool, remove: str | None) -> None:
    """Import an ontology or dataset FILE into its own named graph, beside MyoKG, and rebuild the release.

    The import is recorded in the release folder (with a compressed copy of FILE), so every later build
    keeps it. Queries reach it with GRAPH <IRI> or FROM <IRI>; MyoKG's default graph is unchanged.
    """
    tree = _tree(source)
    root = release_root or tree.default_release_root()
    actions = sum([file is not None, list_imports, remove is not None])
    if actions != 1:
        raise click.UsageError("Give one of: FILE --graph IRI (import), --list, or --remove IRI.")
    if list_imports:
        return _list_imports(root)
    if remove is not None:
        return _remove_import(tree, root, remove)
    if graph is None:
        raise click.UsageError("--graph IRI is required: the named graph FILE is imported into.")
    staged = imports.imports_folder(root) / f".staged-{uuid.uuid4().hex}"
    try:
        record = imports.stage(file, graph, fmt, staged)
        others = [(r, f) for r, f in imports.recorded_with_folder(root) if r.graph != graph]
        replaced = [r for r in imports.recorded(root) if r.graph == graph and r.copy != record.copy]
        release = _build(tree, root, imported=others + [(record, staged)])
        triples = next(i["triples"] for i in release.manifest["imports"] if i["graph"] == graph)
        imports.commit([imports.with_triples(record, triples)], staged, root, removed=replaced)
    except imports.ImportFailed as error:
        raise click.ClickException(str(error)) from error
    finally:
        shutil.rmtree(staged, ignore_errors=True)
    _progress(f"Imported {triples:,} triples into <{graph}>; release {release.version} serves them.")


def _list_imports(root: Path) -> None:
    records = imports.recorded(root)
    if not records:
        click.echo(f"No imports in {root}.")
    for record in records:
        triples = f"{record.triples:,} triples" if record.triples is not None else "not loaded yet"
        click.echo(f"<{record.graph}>  {triples}  {record.format}  {record.bytes:,} bytes  "
                   f"from {record.source}  ({record.imported})")


def _remove_import(tree: SourceTree, root: Path, graph: str) -> None:
    gone = [r for r in imports.recorded(root) if r.graph == graph]
    if not gone:
        known = ", ".join(f"<{r.graph}>" for r in imports.recorded(root)) or "none"
        raise click.ClickException(f"No import into <{graph}>; imported graphs: {known}. See `myokg import --list`.")
    _build(tree, root, imported=[(r, f) for r, f in imports.recorded_with_folder(root) if r.graph != graph])
    imports.commit([], None, root, removed=gone)
    _progress(f"Removed <{graph}>; the current release no longer holds it.")


@main.command("serve")
@source_option
@click.option("--release", "release_root", type=click.Path(file_okay=False, path_type=Path),
              help="Release folder to serve; built first if it holds no release [default: as for build].")
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--base-iri", metavar="URL", callback=lambda _ctx, _param, value: _check_base_iri(value),
              help="Public base that links point to, e.g. https://w3id.org/myokg/ behind w3id.org "
                   "[default: the host each request came to].")
@click.option("--server", "http_server", type=click.Choice(["granian", "waitress"]), default="granian",
              show_default=True, help="HTTP server: granian (Rust; fast under concurrent connections) or waitress "
                                      "(pure Python).")
@click.option("--processes", default=1, show_default=True, type=click.IntRange(1, 64),
              help="HTTP server processes (granian only), each with its own store handle and query workers.")
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 256),
              help="Threads answering HTTP requests, per process.")
@click.option("--workers", type=click.IntRange(1, 256),
              help="Processes running SPARQL queries, per HTTP process [default: two per core, at least two "
                   "per HTTP process].")
@click.option("--query-timeout", default=30.0, show_default=True, type=click.FloatRange(0.1, 86400),
              help="Seconds a SPARQL query may run before it is stopped.")
@click.option("--query-memory", default=2048, show_default=True, type=click.IntRange(256, 1 << 20),
              help="MiB of memory a query worker may use.")
@click.option("--max-result", default=200, show_default=True, type=click.IntRange(1, 1 << 20),
              help="MB a serialized SPARQL result may reach.")
def serve_command(source: Path | None, release_root: Path | None, host: str, port: int, base_iri: str | None,
                  http_server: str, processes: int, threads: int, workers: int | None, query_timeout: float,
                  query_memory: int, max_result: int) -> None:
    """Serve the current release over HTTP, building one first if there is none."""
    import os
    from functools import partial

    from .query_workers import Limits
    from .serving import serve
    from .web import create_app

    if http_server == "waitress" and processes > 1:
        raise click.BadParameter("waitress runs in one process; use --server granian for several.",
                                 param_hint="--processes")
    root = release_root or _tree(source).default_release_root()
    tree = _source_if_any(source)
    release = current_release(root)
    if release is None:
        _progress(f"No release in {root} yet: building one.")
        release = _build(_tree(source), root)
    elif release.manifest.get("layout") != LAYOUT:
        _progress(f"Release {release.version} in {root} was built by an older MyoKG, whose store this one "
                  "cannot serve: rebuilding it.")
        release = _build(_tree(source), root)
    else:
        _warn_if_stale(release, tree)
    limits = Limits(timeout=query_timeout, memory_bytes=query_memory * 2**20, result_bytes=max_result * 1_000_000)
    examples = load_examples(tree.queries_dir) if tree else []
    workers = workers or max(2, 2 * (os.cpu_count() or 1) // processes)
    factory = partial(create_app, release, workers=workers, limits=limits, examples=examples, base_iri=base_iri)
    _progress(f"Serving MyoKG {release.version} from {release.path} at http://{host}:{port}/ "
              f"(SPARQL at /sparql, {query_timeout:g} s per query; {http_server}, {processes} process(es) of "
              f"{threads} threads and {workers} query workers)")
    serve(factory, server=http_server, host=host, port=port, processes=processes, threads=threads)


if __name__ == "__main__":
    main()
