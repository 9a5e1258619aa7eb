"""The MyoKG web application: an app factory over one built release."""

from __future__ import annotations

import os

from flask import Flask, Response
from werkzeug.exceptions import HTTPException

from ..body_map import BodyMap, RegionTree
from ..examples import Example
from ..query_workers import Limits, QueryPool
from ..release import Release
from ..search import SearchIndex
from ..store import ReleaseStore

DEFAULT_LIMITS = Limits(timeout=30.0, memory_bytes=2 * 2**30, result_bytes=200_000_000)


def create_app(release: Release, *, workers: int | None = None, limits: Limits = DEFAULT_LIMITS,
               examples: list[Example] = (), base_iri: str | None = None) -> Flask:
    """A Flask app serving ``release``: dataset pages and the SPARQL endpoint, whose queries run in
    ``workers`` processes under ``limits``; ``examples`` are offered in its UI. Two workers per core by
    default: a worker spends much of a query's round trip waiting (bench/RESULTS-sparql.md). Links point
    to ``base_iri`` when given, else to the host each request came to (web/addresses.py)."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1_000_000
    app.config["MYOKG_BASE_IRI"] = _with_slash(base_iri) if base_iri else None
    app.extensions["myokg"] = ReleaseStore(release)
    app.extensions["myokg.examples"] = list(examples)
    app.extensions["myokg.search"] = SearchIndex.from_store(app.extensions["myokg"].store)
    app.extensions["myokg.body_map"] = BodyMap(RegionTree.from_store(app.extensions["myokg"]))
    app.extensions["myokg.queries"] = QueryPool(str(release.store_path), workers or 2 * (os.cpu_count() or 1), limits)

    from . import browse, context, downloads, ontology, pages, pain_guide, prefixes, resources, search, sparql, void
    from .addresses import link

    app.jinja_env.globals["link"] = link
    app.jinja_env.globals["body_map"] = pain_guide.body_map
    for blueprint in (pages, browse, resources, pain_guide, search, sparql, downloads, void, ontology, context,
                      prefixes):
        app.register_blueprint(blueprint.bp)
    app.wsgi_app = sparql.QueryFastPath(app)

    @app.errorhandler(HTTPException)
    def plain_error(error: HTTPException):
        """Errors as short plain text that says what went wrong, with the headers the status needs."""
        response = Response(f"{error.code} {error.name}: {error.description}\n", error.code,
                            {"Content-Type": "text/plain; charset=utf-8"})
        for name in ("Allow", "Content-Range"):
            if name in error.get_response().headers:
                response.headers[name] = error.get_response().headers[name]
        return response

    return app


def _with_slash(base: str) -> str:
    return base if base.endswith("/") else base + "/"
