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
from ..release import DUMPS, Release, published_releases
from .addresses import public_base

bp = Blueprint("downloads", __name__)

# What each kind of file is, by how its name ends: (format, media type, what it holds). Most specific first.
KINDS = (
    (".nt.gz", "N-Triples, gzip", "application/gzip", "all statements, the union of the source graphs"),
    (".ttl", "Turtle", "text/turtle", "all statements, the union of the source graphs"),
    (".nt", "N-Triples", "application/n-triples", "all statements, the union of the source graphs"),
    (".jsonld", "JSON-LD", "application/ld+json", "all statements, the union of the source graphs"),
    (".nq", "N-Quads", "application/n-quads", "every statement in its source's named graph"),
    (".trig", "TriG", "application/trig", "every statement in its source's named graph"),
    ("SHA256SUMS", "checksums", "text/plain", "SHA-256 of every file; check with sha256sum -c SHA256SUMS"),
)
# Files whose role is not given by their format alone, by name prefix.
ROLES = {"myokg-ontology-": "the OWL ontology on its own", "myokg-shapes-": "the SHACL shapes",
         "void.ttl": "the VoID and DCAT description of the dataset"}
TEXT = ("text/", "application/n-triples", "application/ld+json", "application/n-quads", "application/trig")


def _kind(name: str) -> tuple[str, str, str]:
    """(format, media type, what the file holds) for a file of a release."""
    fmt, media_type, holds = next(((f, m, h) for end, f, m, h in KINDS if name.endswith(end)),
                                  ("file", "application/octet-stream", ""))
    role = next((r for prefix, r in ROLES.items() if name.startswith(prefix)), holds)
    return fmt, media_type, role


def _root():
    """The release root: the folder holding the served release and the earlier ones."""
    return current_app.extensions["myokg"].release.path.resolve().parent


def _releases() -> dict[str, Release]:
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
    return _listing([describe_release(r, r.version == served) for r in _releases().values()], "Downloads")


@bp.get("/downloads/<version>/")
def version(version: str):
    release = _releases().get(version)
    if release is None:
        abort(404, f"There is no release {version!r}; /downloads/ lists the versions kept.")
    served = current_app.extensions["myokg"].release.version
    return _listing([describe_release(release, version == served)], f"Release {version}")


@bp.get("/downloads/<version>/<name>")
def file(version: str, name: str):
    """One file of a kept release, with ETag (its SHA-256), Last-Modified and Range support."""
    release = _releases().get(version)
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
