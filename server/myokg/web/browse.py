"""/browse: everything MyoKG describes, by class (/browse/<Class>, its instances A to Z) and by body
region (the part-of tree of regions, each with its muscles). HTML, or JSON by Accept or a .json suffix.

The lists are read from the store once per app: a served release never changes.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from .. import negotiation
from ..namespaces import MYOKG, ONTOLOGY_IRI
from .addresses import link, public_base

bp = Blueprint("browse", __name__)

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PART_OF = "http://purl.obolibrary.org/obo/BFO_0000050"

CLASSES = f"""
SELECT ?class (SAMPLE(?l) AS ?label) (COUNT(DISTINCT ?s) AS ?n) WHERE {{
    GRAPH <{ONTOLOGY_IRI}> {{ ?class a <http://www.w3.org/2002/07/owl#Class> . OPTIONAL {{ ?class <{LABEL}> ?l }} }}
    FILTER STRSTARTS(STR(?class), "{MYOKG}")
    OPTIONAL {{ ?s a ?class }}
}} GROUP BY ?class"""
INSTANCES = f"""
SELECT ?s (SAMPLE(?l) AS ?label) WHERE {{
    ?s a <{{cls}}> . FILTER isIRI(?s) OPTIONAL {{ ?s <{LABEL}> ?l FILTER (LANG(?l) = "en" || LANG(?l) = "") }}
}} GROUP BY ?s"""
REGIONS = f"""
SELECT ?region (SAMPLE(?l) AS ?label) ?parent WHERE {{
    ?region a <{MYOKG}BodyRegion> .
    OPTIONAL {{ ?region <{LABEL}> ?l FILTER (LANG(?l) = "en" || LANG(?l) = "") }}
    OPTIONAL {{ ?region <{PART_OF}> ?parent . ?parent a <{MYOKG}BodyRegion> }}
}} GROUP BY ?region ?parent"""
MUSCLES_IN_REGIONS = f"""
SELECT ?muscle (SAMPLE(?l) AS ?label) ?region WHERE {{
    ?muscle a <{MYOKG}Muscle> ; <{PART_OF}> ?region . ?region a <{MYOKG}BodyRegion> .
    OPTIONAL {{ ?muscle <{LABEL}> ?l FILTER (LANG(?l) = "en" || LANG(?l) = "") }}
}} GROUP BY ?muscle ?region"""


def _store():
    return current_app.extensions["myokg"]


def _cached(key: str, compute):
    cache = current_app.extensions.setdefault("myokg.browse", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _label(row, iri: str) -> str:
    return row["label"].value if row["label"] is not None else iri.rsplit("/", 1)[-1]


def _classes() -> list[dict]:
    """Every class of the ontology with its label and number of instances, A to Z."""
    rows = [{"name": row["class"].value.removeprefix(str(MYOKG)), "iri": row["class"].value,
             "label": _label(row, row["class"].value), "instances": int(row["n"].value)}
            for row in _store().query(CLASSES)]
    return sorted(rows, key=lambda c: c["label"].casefold())


def _instances(cls: str) -> list[dict]:
    rows = [{"iri": row["s"].value, "label": _label(row, row["s"].value)}
            for row in _store().query(INSTANCES.replace("{cls}", cls))]
    return sorted(rows, key=lambda r: (r["label"].casefold(), r["iri"]))


def _region_tree() -> tuple[list[dict], int]:
    """The body regions as part-of trees (a region under each region it is part of), each with the
    muscles in it, and how many regions there are."""
    labels, parents = {}, {}
    for row in _store().query(REGIONS):
        iri = row["region"].value
        labels[iri] = _label(row, iri)
        parents.setdefault(iri, set())
        if row["parent"] is not None and row["parent"].value != iri:
            parents[iri].add(row["parent"].value)
    muscles: dict[str, list[tuple[str, str]]] = {}
    for row in _store().query(MUSCLES_IN_REGIONS):
        muscles.setdefault(row["region"].value, []).append((row["muscle"].value, _label(row, row["muscle"].value)))
    children: dict[str, list[str]] = {}
    for iri, of in parents.items():
        for parent in of:
            children.setdefault(parent, []).append(iri)

    def node(iri: str, above: frozenset) -> tuple[dict, set]:
        """The region with its parts; ``above`` are its ancestors, so a cycle in the data cannot loop."""
        parts, inside = [], {m for m, _ in muscles.get(iri, [])}
        for child in sorted(children.get(iri, []), key=lambda c: labels[c].casefold()):
            if child not in above:
                part, part_muscles = node(child, above | {iri})
                parts.append(part)
                inside |= part_muscles
        own = sorted(muscles.get(iri, []), key=lambda m: m[1].casefold())
        return {"iri": iri, "label": labels[iri], "muscles": [{"iri": m, "label": label} for m, label in own],
                "total": len(inside), "parts": parts}, inside

    roots = sorted((iri for iri, of in parents.items() if not of), key=lambda r: labels[r].casefold())
    return [node(root, frozenset())[0] for root in roots], len(labels)


def _linked(region: dict) -> dict:
    """The region with links for this request's base (the cached tree holds IRIs only)."""
    return {**region, "href": link(region["iri"]), "muscles": [{**m, "href": link(m["iri"])} for m in region["muscles"]],
            "parts": [_linked(part) for part in region["parts"]]}


def _wants_json(suffixed: bool) -> bool:
    if suffixed:
        return True
    ranges = negotiation.parse_accept(request.headers.get("Accept"))
    return negotiation.choose(ranges, ["text/html", "application/json"]) == "application/json"


def _answer(template: str, data: dict, suffixed: bool):
    if _wants_json(suffixed):
        response = jsonify(data)
    else:
        response = current_app.make_response(render_template(template, **data))
    if not suffixed:
        response.vary.add("Accept")
    return response


@bp.get("/browse")
@bp.get("/browse.json", defaults={"suffixed": True})
def index(suffixed: bool = False):
    classes = _cached("classes", _classes)
    regions, region_count = _cached("regions", _region_tree)
    return _answer("browse.html", {"classes": [{**c, "href": f"{public_base()}browse/{c['name']}"} for c in classes],
                                   "regions": [_linked(r) for r in regions], "region_count": region_count}, suffixed)


@bp.get("/browse/<name>")
def class_listing(name: str):
    suffixed = name.endswith(".json")
    name = name.removesuffix(".json")
    classes = {c["name"]: c for c in _cached("classes", _classes)}
    if name not in classes:
        abort(404, f"MyoKG has no class {name!r}; browse one of: {', '.join(sorted(classes))} "
                   "(names are case-sensitive), or see /browse.")
    cls = classes[name]
    instances = _cached("class:" + name, lambda: _instances(cls["iri"]))
    return _answer("browse_class.html", {"class": {**cls, "href": link(cls["iri"])},
                                         "instances": [{**i, "href": link(i["iri"])} for i in instances]}, suffixed)
