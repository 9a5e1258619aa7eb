"""Fixed RDF documents (the VoID, the ontology) in the triple format a client negotiates.

Each document is parsed once and each format serialized once per app, since neither changes while a
release is served.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, current_app, request
from pyoxigraph import RdfFormat, serialize

from .. import negotiation
from ..formats import GRAPH_FORMATS, Format, by_keyword, by_media_type, offers
from ..namespaces import PREFIXES

# Formats for a graph without named graphs, Turtle first: what a client that accepts anything gets.
TRIPLE_FORMATS = tuple(f for f in GRAPH_FORMATS if f.oxigraph in (RdfFormat.TURTLE, RdfFormat.JSON_LD,
                                                                   RdfFormat.N_TRIPLES, RdfFormat.RDF_XML))
TRIPLE_OFFERS = offers(TRIPLE_FORMATS)
BY_EXTENSION = {f.oxigraph.file_extension: f for f in TRIPLE_FORMATS}


def negotiated_format() -> Format:
    """The triple format from ``format=`` if given, else from Accept; 406 if the client accepts none."""
    keyword = request.args.get("format")
    if keyword:
        chosen = by_keyword(TRIPLE_FORMATS, keyword)
        if chosen is None:
            abort(406, f"Unknown format {keyword!r}; use one of "
                       f"{', '.join(f.keywords[0] for f in TRIPLE_FORMATS)}.")
        return chosen
    media_type = negotiation.choose(negotiation.parse_accept(request.headers.get("Accept")), TRIPLE_OFFERS)
    if media_type is None:
        abort(406, f"None of the formats this document comes in is acceptable ({request.headers.get('Accept')}); "
                   f"ask for one of {', '.join(f.media_type for f in TRIPLE_FORMATS)}.")
    return by_media_type(TRIPLE_FORMATS, media_type)


def document(key: str, triples: Callable[[], list], fmt: Format) -> Response:
    """The document ``key`` (whose triples ``triples`` gives, asked once) in ``fmt``, cached per app."""
    cache = current_app.extensions.setdefault("myokg.rdf_documents", {})
    if key not in cache:
        cache[key] = {"triples": triples()}
    serialized = cache[key].get(fmt.media_type)
    if serialized is None:
        serialized = cache[key][fmt.media_type] = serialize(cache[key]["triples"], format=fmt.oxigraph,
                                                            prefixes=PREFIXES)
    response = Response(serialized, 200, {"Content-Type": fmt.content_type})
    response.add_etag()
    return response.make_conditional(request)
