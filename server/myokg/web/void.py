"""/.well-known/void: the VoID and DCAT description of the served release, by content negotiation
(RFC 5785 well-known location; VoID section 7.2). Its IRIs are the canonical public ones."""

from __future__ import annotations

from flask import Blueprint, current_app
from pyoxigraph import RdfFormat, parse

from .rdf_documents import document, negotiated_format

bp = Blueprint("void", __name__)


def _void_triples() -> list:
    return list(parse(path=str(current_app.extensions["myokg"].release.dumps_path / "void.ttl"),
                      format=RdfFormat.TURTLE))


@bp.get("/.well-known/void")
def void():
    return document("void", _void_triples, negotiated_format())


@bp.after_request
def varies_by_accept(response):
    """Every answer, a 406 included, depends on Accept."""
    response.vary.add("Accept")
    return response
