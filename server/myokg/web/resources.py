"""Dereferenceable IRIs: a thing's IRI (``/id/<slug>``) or a source graph's (``/graph/<name>``) answers
303 See Other to the document about it in the format the client prefers; each document also has its own
URL (``/doc/id/<slug>.<ext>``, ``/doc/graph/<name>.<ext>``), which lists the other formats in ``Link``
headers. A request never reaches the disk: a slug only ever becomes an IRI looked up in the store.

When the client accepts none of the formats, the IRI answers 406 with the list of document URLs, as the
SPARQL endpoint does: a client that asked for something specific learns what there is instead of
receiving what it did not ask for. No Accept header, or ``*/*``, gets the HTML page.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request
from pyoxigraph import NamedNode, Quad, Triple, serialize

from .. import jsonld, negotiation
from ..describe import Names, describe, describe_graph, graph_contents
from ..formats import GRAPH_FORMATS, Format, by_media_type, offers
from ..namespaces import PREFIXES
from .addresses import canonical, document, public_base
from .resource_view import graph_page, resource_page

bp = Blueprint("resources", __name__)


@dataclass(frozen=True)
class DocumentFormat:
    extension: str
    media_type: str
    rdf: Format | None  # None for the HTML page
    keeps_graphs: bool = False

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


def _rdf(media_type: str, keeps_graphs: bool = False) -> DocumentFormat:
    """The data document in the format ``media_type`` names, at the extension Oxigraph gives that format."""
    rdf = by_media_type(GRAPH_FORMATS, media_type)
    return DocumentFormat(rdf.oxigraph.file_extension, rdf.media_type, rdf, keeps_graphs)


# In the server's order of preference, the HTML page first.
DOCUMENT_FORMATS = (
    DocumentFormat("html", "text/html", None),
    _rdf("text/turtle"),
    _rdf("application/ld+json"),
    _rdf("application/n-triples"),
    _rdf("application/rdf+xml"),
    _rdf("application/trig", keeps_graphs=True),
    _rdf("application/n-quads", keeps_graphs=True),
)
BY_EXTENSION = {f.extension: f for f in DOCUMENT_FORMATS}
MEDIA_TYPES = {f.extension: f.media_type for f in DOCUMENT_FORMATS}
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Every media type a client may ask for, in order of preference, with the document that answers it.
OFFERS = list(HTML_TYPES) + offers(GRAPH_FORMATS)


def _extension_for(media_type: str) -> str:
    """The document answering ``media_type`` (an alias two formats share goes to the first offering it)."""
    if media_type in HTML_TYPES:
        return "html"
    rdf = by_media_type(GRAPH_FORMATS, media_type)
    return next(f.extension for f in DOCUMENT_FORMATS if f.rdf == rdf)


def names() -> Names:
    """The labels and types of every resource, read once per served release."""
    extensions = current_app.extensions
    if "myokg.names" not in extensions:
        extensions["myokg.names"] = Names(extensions["myokg"].store)
    return extensions["myokg.names"]


def _graph_description(iri: str):
    """A source graph's description, worked out once per served release: the big graphs take a while to
    summarise, and there are only as many as the release has graphs (unknown IRIs are not kept)."""
    cache = current_app.extensions.setdefault("myokg.graph-descriptions", {})
    if iri in cache:
        return cache[iri]
    description = describe_graph(_store(), names(), iri)
    if description.exists:
        cache[iri] = description
    return description


def _store():
    return current_app.extensions["myokg"].store


def _text(status: int, message: str, **headers) -> Response:
    return Response(message + "\n", status, {"Content-Type": "text/plain; charset=utf-8", **headers})


def _iri(kind: str, name: str) -> str | None:
    """The public IRI ``kind/name`` stands for, or None if it cannot be one of ours."""
    if not name or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    try:
        return NamedNode(canonical(f"{kind}/{name}")).value
    except ValueError:
        return None


def _wants_html() -> bool:
    return negotiation.choose(negotiation.parse_accept(request.headers.get("Accept")), OFFERS) in HTML_TYPES


def _exists(kind: str, iri: str) -> bool:
    if kind == "graph":
        return any(True for _ in _store().quads_for_pattern(None, None, None, NamedNode(iri)))
    node = NamedNode(iri)
    store = _store()
    return (any(True for _ in store.quads_for_pattern(node, None, None))
            or any(True for _ in store.quads_for_pattern(None, None, node)))


def _not_found(kind: str, name: str) -> Response:
    """404 for an IRI nobody describes: for people, a page with a search box and close matches."""
    iri = canonical(f"{kind}/{name}")
    if not _wants_html():
        return _text(404, f"<{iri}> is not described in MyoKG. Search at {public_base()}search?q=..., or list "
                          f"everything with SPARQL at {public_base()}sparql.", Vary="Accept")
    return Response(render_template("resource/not_found.html", iri=iri, matches=_close_matches(kind, name),
                                    search_query=name.rsplit("/", 1)[-1].replace("-", " ")),
                    404, {"Content-Type": "text/html; charset=utf-8", "Vary": "Accept"})


def _close_matches(kind: str, name: str, limit: int = 8) -> list[tuple[str, str]]:
    """(IRI, label) of the known resources whose slug or label is closest to ``name``."""
    if kind == "graph":
        candidates = {g: g.rsplit("/", 1)[-1] for g in current_app.extensions["myokg"].graph_triples
                      if g.startswith(canonical("graph/"))}
    else:
        candidates = names().things()
    prefix = canonical(f"{kind}/")
    by_key: dict[str, str] = {}
    for iri, label in candidates.items():
        by_key.setdefault(iri[len(prefix):].lower(), iri)
        if label:
            by_key.setdefault(label.lower().replace(" ", "-"), iri)
    wanted = name.lower().replace(" ", "-")
    found = []
    for key in difflib.get_close_matches(wanted, by_key, n=limit * 2, cutoff=0.6):
        if by_key[key] not in found:
            found.append(by_key[key])
    return [(iri, candidates[iri] or iri) for iri in found[:limit]]


def _see_other(kind: str, name: str) -> Response:
    iri = _iri(kind, name)
    if iri is None or not _exists(kind, iri):
        return _not_found(kind, name)
    ranges = negotiation.parse_accept(request.headers.get("Accept"))
    chosen = negotiation.choose(ranges, OFFERS)
    if chosen is None:
        listing = "\n".join(f"  {f.media_type}: {document(iri, f.extension)}" for f in DOCUMENT_FORMATS)
        return _text(406, f"<{iri}> is described in these formats; none matches the Accept header:\n{listing}",
                     Vary="Accept")
    target = document(iri, _extension_for(chosen))
    return Response(f"See {target}\n", 303, {"Location": target, "Vary": "Accept",
                                             "Content-Type": "text/plain; charset=utf-8"})


@bp.get("/id/<path:slug>")
def thing(slug: str):
    return _see_other("id", slug)


@bp.get("/graph/<path:name>")
def graph(name: str):
    return _see_other("graph", name)


def _split(path: str) -> tuple[str, str] | None:
    name, dot, extension = path.rpartition(".")
    return (name, extension) if dot and "/" not in extension else None


def _alternates(iri: str, current: str) -> str:
    return ", ".join(f'<{document(iri, f.extension)}>; rel="alternate"; type="{f.media_type}"'
                     for f in DOCUMENT_FORMATS if f.extension != current)


def _document(kind: str, path: str) -> Response:
    parts = _split(path)
    if parts is None or parts[1] not in BY_EXTENSION:
        offered = ", ".join(f".{f.extension} ({f.media_type})" for f in DOCUMENT_FORMATS)
        return _text(404, f"/doc/{kind}/{path} names no document: a document URL ends in one of {offered}, "
                          f"e.g. /doc/{kind}/<name>.html.")
    name, extension = parts
    iri = _iri(kind, name)
    if iri is None:
        return _not_found(kind, name)
    store = _store()
    description = _graph_description(iri) if kind == "graph" else describe(store, names(), iri)
    if not description.exists:
        return _not_found(kind, name)
    chosen = BY_EXTENSION[extension]
    headers = {"Content-Type": chosen.content_type, "Link": _alternates(iri, extension)}
    if chosen.rdf is None:
        page = graph_page(description) if kind == "graph" else resource_page(description)
        body = render_template(f"resource/{page.template}", page=page, description=description,
                               formats=MEDIA_TYPES)
        return Response(body, 200, headers)
    quads = list(description.quads)
    if kind == "graph":
        quads.append(description.size_quad())
        if chosen.keeps_graphs:
            quads += graph_contents(store, iri)
    return Response(_serialize(iri, quads, chosen), 200, {**headers, "Access-Control-Allow-Origin": "*"})


def _serialize(iri: str, quads: list[Quad], chosen: DocumentFormat) -> bytes:
    """The document in ``chosen``'s format; JSON-LD as a compact tree rooted at ``iri`` (jsonld.py)."""
    if chosen.extension == "jsonld":
        return jsonld.dumps(jsonld.resource_document(iri, quads)).encode("utf-8")
    if chosen.keeps_graphs:
        statements = list(dict.fromkeys(quads))
    else:
        statements = list(dict.fromkeys(Triple(q.subject, q.predicate, q.object) for q in quads))
    return serialize(statements, format=chosen.rdf.oxigraph, prefixes=PREFIXES)


@bp.get("/doc/id/<path:path>")
def thing_document(path: str):
    return _document("id", path)


@bp.get("/doc/graph/<path:path>")
def graph_document(path: str):
    return _document("graph", path)
