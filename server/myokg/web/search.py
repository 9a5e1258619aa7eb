"""Search by name: the JSON API at /api/search (shaped like the Ontology Lookup Service's select API, so
clients written for OLS read it) and the results page at /search that the site's search box submits to.

Both answer from the index built when the app starts (myokg/search.py); a bad parameter gets a 400 that
says which and how to fix it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, Response, current_app, render_template, request, url_for

from .. import negotiation
from ..search import Hit, Results, SearchIndex, normalize_query
from .addresses import link

bp = Blueprint("search", __name__)

DEFAULT_ROWS = 10
MAX_ROWS = 100
MAX_START = 1_000_000
MAX_QUERY = 200
CORS = {"Access-Control-Allow-Origin": "*"}
PAGE_OFFERS = ["text/html", "application/json"]


class BadSearch(Exception):
    """A parameter the search cannot use; the message says which and how to fix it."""


@dataclass(frozen=True)
class Search:
    q: str
    rows: int
    start: int
    types: tuple[str, ...]

    def run(self, index: SearchIndex) -> Results:
        return index.search(self.q, frozenset(self.types), self.start, self.rows)


def _index() -> SearchIndex:
    return current_app.extensions["myokg.search"]


def _search(index: SearchIndex) -> Search:
    """The search the request asks for, or BadSearch."""
    q = request.args.get("q")
    if q is None:
        raise BadSearch("The parameter q is missing: give the text to search for, e.g. ?q=gluteus medius.")
    if len(q) > MAX_QUERY:
        raise BadSearch(f"The parameter q is {len(q)} characters long; a search is at most {MAX_QUERY}.")
    if not normalize_query(q):
        raise BadSearch("The parameter q is empty: give a name, synonym, Latin name or id with at least one "
                        "letter or digit, e.g. ?q=gluteus medius or ?q=UBERON:0001371.")
    types = tuple(t.strip() for value in request.args.getlist("type") for t in value.split(",") if t.strip())
    unknown = [t for t in types if t not in index.type_labels]
    if unknown:
        raise BadSearch(f"Unknown type {', '.join(unknown)} in the parameter type; use one or more (separated by "
                        f"commas) of: {', '.join(sorted(index.type_labels))}.")
    return Search(q, _whole_number("rows", DEFAULT_ROWS, MAX_ROWS), _whole_number("start", 0, MAX_START), types)


def _whole_number(name: str, default: int, largest: int) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    digits = text.strip()
    if not (digits.isdecimal() and len(digits) <= len(str(largest)) and int(digits) <= largest):
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise BadSearch(f"The parameter {name} is {shown!r}; it must be a whole number from 0 to {largest}.")
    return int(digits)


def _doc(hit: Hit) -> dict:
    entry = hit.entry
    latin = hit.name.text if hit.name.field == "Latin name" else next(iter(entry.latin_names), None)
    return {
        "iri": entry.iri,
        "label": entry.label,
        "type": entry.type,
        "type_label": entry.type_label,
        "matched_text": hit.name.text,
        "match_kind": hit.match_kind,
        "synonyms": list(entry.synonyms),
        "latin_name": latin,
        "mappings": list(entry.mappings),
        "page": link(entry.iri),
    }


def _json(search: Search, results: Results) -> Response:
    body = {
        "responseHeader": {"status": 0, "params": {"q": search.q, "rows": search.rows, "start": search.start,
                                                   "type": ",".join(search.types)}},
        "response": {"numFound": results.found, "start": search.start, "docs": [_doc(h) for h in results.hits]},
    }
    return _json_response(body, 200)


def _json_response(body: dict, status: int) -> Response:
    """``body`` as JSON with its keys in the order written (OLS's order), readable from any origin."""
    return Response(json.dumps(body), status, {"Content-Type": "application/json", **CORS})


def _json_error(error: BadSearch) -> Response:
    return _json_response({"responseHeader": {"status": 400}, "error": {"code": 400, "msg": str(error)}}, 400)


@bp.get("/api/search")
def api():
    index = _index()
    try:
        search = _search(index)
    except BadSearch as error:
        return _json_error(error)
    return _json(search, search.run(index))


@bp.get("/search")
def page():
    """The results as a page for people, or the API's JSON for a client that prefers it."""
    wants_json = negotiation.choose(negotiation.parse_accept(request.headers.get("Accept")), PAGE_OFFERS) \
        == "application/json"
    response = api() if wants_json else _page(_index())
    response.headers["Vary"] = "Accept"
    return response


def _page(index: SearchIndex) -> Response:
    q = request.args.get("q", "")
    types = sorted(index.type_labels.items(), key=lambda item: item[1].lower())
    if not q.strip():
        return _html(render_template("search.html", search=None, results=None, types=types, search_query=q), 200)
    try:
        search = _search(index)
    except BadSearch as error:
        return _html(render_template("search.html", search=None, results=None, types=types, error=str(error),
                                     search_query=q), 400)
    results = search.run(index)
    return _html(render_template("search.html", search=search, results=results, types=types, search_query=q,
                                 previous=_other_page(search, search.start - search.rows, results),
                                 next=_other_page(search, search.start + search.rows, results)), 200)


def _other_page(search: Search, start: int, results: Results) -> str | None:
    """The URL of the results from ``start``, if there are any there."""
    if start < 0 and search.start > 0:
        start = 0
    if start < 0 or start >= results.found or start == search.start or search.rows == 0:
        return None
    params = {"q": search.q, "start": start, "rows": search.rows}
    if search.types:
        params["type"] = ",".join(search.types)
    return url_for("search.page", **params)


def _html(page: str, status: int) -> Response:
    return Response(page, status, {"Content-Type": "text/html; charset=utf-8"})
