"""The release files: /downloads/ lists the served release and the earlier ones kept beside it, and
/downloads/<version>/<file> serves one file with validators (ETag, Last-Modified) and byte ranges.

A file is reached only through a manifest: the version must be a release folder under the release root
and the name one its manifest lists, and the resolved path must stay inside that release's dumps folder,
so no request path (``..``, encoded or absolute, or a planted symlink) reaches anything else.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request, send_file
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from .. import negotiation
from ..formats import GRAPH_FORMATS
from ..release import CHECKSUMS, DUMP_FORMATS, DUMPS, Release, published_releases
from ..void import MEDIA_TYPES
from .addresses import public_base

bp = Blueprint("downloads", __name__)

# What a release's files hold: dumps by whether they keep the source graphs, other files by name.
HOLDS = {False: "all statements, the union of the source graphs", True: "every statement in its source's named graph"}
DUMP_GRAPHS = {"." + fmt.file_extension: keeps for _, fmt, keeps in DUMP_FORMATS}
FORMAT_NAMES = {"." + f.oxigraph.file_extension: f.oxigraph.name for f in GRAPH_FORMATS}
ROLES = {"myokg-ontology-": "the OWL ontology on its own", "myokg-shapes-": "the SHACL shapes",
         "void.ttl": "the VoID and DCAT description of the dataset",
         CHECKSUMS: "SHA-256 of every file; check with sha256sum -c SHA256SUMS"}
TEXT = ("text/", "application/n-triples", "application/ld+json", "application/n-quads", "application/trig")


def _kind(name: str) -> tuple[str, str, str]:
    """(format, media type, what the file holds) for a file of a release. A gzipped dump is sent as
    application/gzip, to be saved and unpacked, not decoded on the fly by a browser."""
    if name == CHECKSUMS:
        return "checksums", "text/plain", ROLES[CHECKSUMS]
    packed = name.endswith(".gz")
    suffix = "." + name.removesuffix(".gz").rsplit(".", 1)[-1]
    fmt = FORMAT_NAMES.get(suffix, "file") + (", gzip" if packed else "")
    media_type = "application/gzip" if packed else MEDIA_TYPES.get(suffix, "application/octet-stream")
    holds = next((role for prefix, role in ROLES.items() if name.startswith(prefix)),
                 HOLDS.get(DUMP_GRAPHS.get(suffix), ""))
    return fmt, media_type, holds


def _root():
    """The release root: the folder holding the served release and the earlier ones."""
    return current_app.extensions["myokg"].release.path.resolve().parent


def kept_releases() -> dict[str, Release]:
    """Every release under the release root, by version, the served one first."""
    served = current_app.extensions["myokg"].release
    kept = {r.version: r for r in published_releases(_root())}
    return {served.version: served, **{v: r for v, r in kept.items() if v != served.version}}


def describe_release(release: Release, current: bool) -> dict:
    """A release and its files as listed on /downloads/ and in the home page's schema.org description."""
    files = []
    for entry in release.manifest["files"]:
        fmt, media_type, holds = _kind(entry["name"])
        files.append({"name": entry["name"], "format": fmt, "media_type": media_type, "holds": holds,
                      "bytes": entry["bytes"], "sha256": entry["sha256"],
                      "url": f"{public_base()}downloads/{release.version}/{entry['name']}"})
    return {"version": release.version, "built": release.manifest["built"], "current": current,
            "triples": release.manifest.get("triples"), "quads": release.manifest.get("quads"),
            "url": f"{public_base()}downloads/{release.version}/", "files": files}


def _wants_json() -> bool:
    if "format" in request.args:
        if request.args["format"] not in ("json", "html"):
            abort(400, f"Unknown format {request.args['format']!r}: use format=json or format=html.")
        return request.args["format"] == "json"
    ranges = negotiation.parse_accept(request.headers.get("Accept"))
    return negotiation.choose(ranges, ["text/html", "application/json"]) == "application/json"


def _listing(releases: list[dict], title: str):
    if _wants_json():
        response = jsonify({"releases": releases})
    else:
        response = current_app.make_response(render_template("downloads.html", releases=releases, title=title))
    response.vary.add("Accept")
    return response


@bp.get("/downloads/")
def index():
    served = current_app.extensions["myokg"].release.version
    return _listing([describe_release(r, r.version == served) for r in kept_releases().values()], "Downloads")


@bp.get("/downloads/<version>/")
def version(version: str):
    release = kept_releases().get(version)
    if release is None:
        abort(404, f"There is no release {version!r}; /downloads/ lists the versions kept.")
    served = current_app.extensions["myokg"].release.version
    return _listing([describe_release(release, version == served)], f"Release {version}")


@bp.get("/downloads/<version>/<name>")
def file(version: str, name: str):
    """One file of a kept release, with ETag (its SHA-256), Last-Modified and Range support."""
    release = kept_releases().get(version)
    if release is None:
        abort(404, f"There is no release {version!r}; /downloads/ lists the versions kept.")
    entry = next((f for f in release.manifest["files"] if f["name"] == name), None)
    if entry is None:
        abort(404, f"Release {version} has no file {name!r}; /downloads/{version}/ lists its files.")
    folder = release.path.resolve()
    path = (folder / DUMPS / entry["name"]).resolve()
    if folder.parent != _root() or path.parent != folder / DUMPS or not path.is_file():
        abort(404, f"Release {version} has no file {name!r}; /downloads/{version}/ lists its files.")
    _, media_type, _ = _kind(name)
    try:
        response = send_file(path, mimetype=media_type, etag=entry["sha256"], conditional=True,
                             as_attachment=media_type == "application/gzip", download_name=name)
    except RequestedRangeNotSatisfiable as error:
        raise RequestedRangeNotSatisfiable(
            error.length, description=f"The range {request.headers.get('Range')!r} lies beyond the end of "
                                      f"{name}, which has {entry['bytes']} bytes; ask for bytes=0-{entry['bytes'] - 1} "
                                      "or less.") from None
    response.headers["Content-Type"] = f"{media_type}; charset=utf-8" if media_type.startswith(TEXT) else media_type
    return response
