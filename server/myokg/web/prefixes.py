"""The prefix map at /prefixes.json: every prefix MyoKG uses, so tools expand our CURIEs as we do.

It is the simple form of the Bioregistry / `curies` convention (a JSON object, prefix to URI prefix), which
`curies.Converter.from_prefix_map`, SSSOM's curie_map and the query editor's prefix completion all read.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response

from ..namespaces import PREFIX_MAP

bp = Blueprint("prefixes", __name__)

BODY = json.dumps(PREFIX_MAP, indent=2) + "\n"


@bp.get("/prefixes.json")
def prefix_map():
    return Response(BODY, 200, {"Content-Type": "application/json", "Access-Control-Allow-Origin": "*",
                                "Cache-Control": "public, max-age=86400"})
