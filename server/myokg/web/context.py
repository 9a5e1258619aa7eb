"""The published JSON-LD context at /context.jsonld, for applications that refer to it by address.

MyoKG's own documents carry the same context inline and never need it fetched; this copy lets other
documents say ``"@context": "https://w3id.org/myokg/context.jsonld"``. It is the context of the running
code, the one the server's documents embed, and is served to any origin so browser applications can load it.
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, request

from .. import jsonld

bp = Blueprint("context", __name__)

_BODY = jsonld.dumps(jsonld.context_document()).encode("utf-8")
_ETAG = hashlib.sha256(_BODY).hexdigest()[:32]


@bp.get("/context.jsonld")
def context():
    response = Response(_BODY, mimetype="application/ld+json")
    response.set_etag(_ETAG)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response.make_conditional(request)
