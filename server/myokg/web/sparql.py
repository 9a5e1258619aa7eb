"""The SPARQL 1.1 Protocol endpoint at /sparql: read the request, negotiate, stream Oxigraph's answer.

A request goes: operation and dataset from the request (``_operation``), refusal of SERVICE and updates
(query_text), format by ``format=`` or the Accept header (negotiation), then the query runs in a worker
process (query_workers) and its serialized result is streamed back. With no query, GET answers with the
Service Description, or with the query UI for a browser.

Query requests are answered by :class:`QueryFastPath`, a WSGI layer in front of Flask, with the same code
as the Flask view: a cheap query's whole request costs well under a millisecond, of which Flask's request
dispatch would be a fifth (bench/RESULTS-sparql.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory, url_for
from pyoxigraph import serialize
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Request

from .. import negotiation, query_text
from ..formats import GRAPH_FORMATS, RESULT_FORMATS, by_keyword, by_media_type, offers
from ..namespaces import BASE, PREFIX_MAP
from ..query_workers import Job, QueryFailed
from ..service_description import describe
from .addresses import public_base

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
MAX_QUERY_BYTES = 1_000_000
CORS = {"Access-Control-Allow-Origin": "*"}
RESULT_OFFERS = offers(RESULT_FORMATS)
GRAPH_OFFERS = offers(GRAPH_FORMATS)


@dataclass(frozen=True)
class BadRequest(Exception):
    status: int
    message: str


def _text(status: int, message: str, **headers) -> Response:
    return Response(message + "\n", status, {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept",
                                              **CORS, **headers})


def _decode(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadRequest(400, f"The {what} is not valid UTF-8 (byte {error.start}); send the query in UTF-8.")


def _body(req: Request) -> bytes:
    try:
        return req.get_data(cache=True)
    except RequestEntityTooLarge:  # a body sent without Content-Length that grew past the limit
        raise BadRequest(413, f"The request body is larger than {MAX_QUERY_BYTES // 1000} kB.") from None


def _form(req: Request) -> list[tuple[str, str]]:
    """The parameters of a urlencoded body, decoded strictly: a bad byte is an error, not a U+FFFD."""
    body = _decode(_body(req), "request body")
    try:
        return parse_qsl(body, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(400, "A parameter of the request body is not UTF-8 once percent-decoded; "
                              "encode the query as UTF-8.") from None


def _url_params(req: Request) -> list[tuple[str, str]]:
    try:
        return parse_qsl(req.query_string.decode("ascii"), keep_blank_values=True, encoding="utf-8",
                         errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(400, "A URL parameter is not UTF-8 once percent-decoded; encode the query as UTF-8.") from None


def _operation(req: Request) -> tuple[str | None, list[tuple[str, str]]]:
    """The query (None if the request has none) and every other parameter, from wherever the protocol
    puts them for this kind of request."""
    params = _url_params(req)
    if req.method == "POST":
        mimetype = req.mimetype
        if req.content_length and req.content_length > MAX_QUERY_BYTES:
            raise BadRequest(413, f"The request body is larger than {MAX_QUERY_BYTES // 1000} kB.")
        if mimetype == FORM:
            params = params + _form(req)
        elif mimetype == DIRECT:
            if any(name == "query" for name, _ in params):
                raise BadRequest(400, "The query is given twice: in the body (application/sparql-query) and as "
                                      "the URL parameter 'query'. Send it once.")
            params = [("query", _decode(_body(req), "query"))] + params
        elif mimetype == UPDATE:
            raise BadRequest(403, "This endpoint is read-only: SPARQL Update is not accepted.")
        elif not mimetype:
            raise BadRequest(415, f"A POST needs a Content-Type: {FORM} (with query=...) or {DIRECT} "
                                  "(with the query as the body).")
        else:
            raise BadRequest(415, f"Content-Type {mimetype} is not accepted; use {FORM} (with query=...) or "
                                  f"{DIRECT} (with the query as the body).")
    if any(name == "update" for name, _ in params):
        raise BadRequest(403, "This endpoint is read-only: the 'update' operation is not accepted.")
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise BadRequest(400, f"The request has {len(queries)} 'query' parameters; the protocol allows exactly one.")
    return (queries[0] if queries else None), params


def _formats(params: list[tuple[str, str]], ranges: list[negotiation.MediaRange]) -> tuple[str | None, str | None]:
    """The media types to answer solutions and triples in, from format= if given, else from Accept."""
    keyword = next((value for name, value in params if name == "format"), None)
    if keyword:
        results, graph = by_keyword(RESULT_FORMATS, keyword), by_keyword(GRAPH_FORMATS, keyword)
        if results is None and graph is None:
            names = ", ".join(f.keywords[0] for f in RESULT_FORMATS + GRAPH_FORMATS)
            raise BadRequest(406, f"Unknown format '{keyword}'; use one of {names}, or a media type.")
        return (results.media_type if results else None), (graph.media_type if graph else None)
    return negotiation.choose(ranges, RESULT_OFFERS), negotiation.choose(ranges, GRAPH_OFFERS)


def _wants_html(ranges: list[negotiation.MediaRange]) -> bool:
    """A browser: it prefers HTML to every data format."""
    best_data = max(negotiation.quality(ranges, t) for t in RESULT_OFFERS + GRAPH_OFFERS)
    return negotiation.quality(ranges, "text/html") > best_data


def _job(query: str, params: list[tuple[str, str]], ranges: list[negotiation.MediaRange]) -> Job:
    query_text.check(query)
    default = tuple(value for name, value in params if name == "default-graph-uri")
    named = tuple(value for name, value in params if name == "named-graph-uri")
    protocol_dataset = bool(default or named)
    results, graph = _formats(params, ranges)
    # Without a dataset from the request or the query (FROM), the default graph is the store's: MyoKG's union.
    return Job(
        query=query,
        default_graphs=default if protocol_dataset else None,
        named_graphs=named if protocol_dataset else None,
        results_type=results,
        graph_type=graph,
    )


@dataclass(frozen=True)
class _Page:
    """No query to run: the request gets the query UI (with ``query`` if given) or the Service Description."""

    query: str | None
    ranges: list[negotiation.MediaRange]


def _query_response(req: Request, pool) -> Response | _Page:
    """The response to a SPARQL request, unless it is for a page."""
    try:
        query, params = _operation(req)
        ranges = negotiation.parse_accept(req.headers.get("Accept"))
        if query is None:
            if req.method == "POST":
                raise BadRequest(400, "The request has no 'query' parameter.")
            return _Page(None, ranges)
        if req.method == "GET" and _wants_html(ranges):
            return _Page(query, ranges)
        answer = pool.run(_job(query, params, ranges))
    except BadRequest as error:
        return _text(error.status, error.message)
    except query_text.Refusal as refusal:
        return _text(refusal.status, refusal.message)
    except QueryFailed as failure:
        return _text(failure.status, failure.message)
    return Response(answer.chunks, 200, {"Content-Type": answer.content_type, "Content-Length": str(answer.length),
                                         "Vary": "Accept", **CORS})


@bp.route("/sparql", methods=["GET", "POST"], provide_automatic_options=False)
def endpoint():
    outcome = _query_response(request, current_app.extensions["myokg.queries"])
    if isinstance(outcome, _Page):
        return _html_ui(outcome.query) if _wants_html(outcome.ranges) else _service_description(outcome.ranges)
    return outcome


class _BoundedRequest(Request):
    max_content_length = MAX_QUERY_BYTES


class QueryFastPath:
    """WSGI middleware that answers GET and POST /sparql itself, without Flask's dispatch, and hands every
    other request (pages, the UI, the Service Description, other methods) to the Flask app."""

    def __init__(self, app):
        self.app, self.flask_wsgi = app, app.wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == "/sparql" and environ.get("REQUEST_METHOD") in ("GET", "POST"):
            outcome = _query_response(_BoundedRequest(environ), self.app.extensions["myokg.queries"])
            if not isinstance(outcome, _Page):
                return outcome(environ, start_response)
        return self.flask_wsgi(environ, start_response)


@bp.route("/sparql", methods=["PUT", "DELETE", "PATCH"], provide_automatic_options=False)
def read_only():
    return _text(405, f"This endpoint is read-only: {request.method} is not accepted. Query with GET or POST; "
                      "download a dump to change your own copy.", Allow="GET, POST, OPTIONS")


@bp.route("/sparql", methods=["OPTIONS"], provide_automatic_options=False)
def preflight():
    """CORS preflight: any origin may query, without credentials."""
    return Response(status=204, headers={
        **CORS,
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": request.headers.get("Access-Control-Request-Headers", "Content-Type, Accept"),
        "Access-Control-Max-Age": "86400",
        "Allow": "GET, POST, OPTIONS",
    })


def _service_description(ranges: list[negotiation.MediaRange]) -> Response:
    chosen = negotiation.choose(ranges, GRAPH_OFFERS)
    if chosen is None:
        return _text(406, "The service description is available as "
                          + ", ".join(f.media_type for f in GRAPH_FORMATS) + ".")
    chosen_format = by_media_type(GRAPH_FORMATS, chosen)
    summary = current_app.extensions["myokg"]
    triples = describe(request.base_url, BASE + "dataset", summary.union_triples, summary.graph_triples,
                       summary.release.manifest["graphs"])
    body = serialize(triples, format=chosen_format.oxigraph, prefixes={"sd": PREFIX_MAP["sd"], "void": PREFIX_MAP["void"]})
    return Response(body, 200, {"Content-Type": chosen_format.content_type, "Vary": "Accept", **CORS})


DEFAULT_QUERY = """PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

# Muscles and the nerves that supply them
SELECT ?muscle ?muscleLabel ?nerve ?nerveLabel WHERE {
  ?muscle a myokg:Muscle ; rdfs:label ?muscleLabel ; obo:RO_0002005 ?nerve .
  ?nerve rdfs:label ?nerveLabel .
}
ORDER BY ?muscleLabel
LIMIT 50
"""
YASGUI_BUILD = Path(__file__).parent / "node_modules" / "@zazuko" / "yasgui" / "build"
YASGUI_FILES = {"yasgui.min.js", "yasgui.min.css"}
# The UI may talk to this server only: no CDN, no autocompletion service, no other endpoint.
UI_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
             "font-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'")


def _yasgui_installed() -> bool:
    return all((YASGUI_BUILD / name).is_file() for name in YASGUI_FILES)


def _html_ui(query: str | None) -> Response:
    examples = current_app.extensions["myokg.examples"]
    config = {
        "endpoint": request.base_url,
        "publicBase": BASE,
        "base": public_base(),
        "prefixes": url_for("prefixes.prefix_map"),
        "query": query,
        "defaultQuery": DEFAULT_QUERY,
        "examples": [{"name": e.name, "title": e.title, "query": e.query} for e in examples],
    }
    page = render_template("sparql.html", query=query, default_query=DEFAULT_QUERY, examples=examples,
                           endpoint=request.base_url, config=config, yasgui=_yasgui_installed())
    return Response(page, 200, {"Content-Type": "text/html; charset=utf-8", "Vary": "Accept",
                                "Content-Security-Policy": UI_POLICY})


@bp.get("/sparql/assets/<name>")
def asset(name: str):
    """YASGUI's built files, from the npm package installed beside this module; nothing else."""
    if name not in YASGUI_FILES or not _yasgui_installed():
        abort(404)
    return send_from_directory(YASGUI_BUILD, name, max_age=86400)
