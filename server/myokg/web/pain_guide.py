"""The pain guide: choose where it hurts, get the muscles whose trigger points refer pain there.

This is the reverse lookup clinicians use (queries/01-muscles-referring-pain-to-a-region.rq, run on the
served store): a region includes every region inside it, muscles whose trigger points refer pain there as
an essential zone come before those for which it is only a spillover zone, and each trigger point shows the
exact zone and the sources that state it. Every answer is also JSON, at /pain.json or by Accept.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup

from .. import negotiation
from ..body_map import BodyMap, slug
from ..namespaces import ID
from .addresses import link, public_base

bp = Blueprint("pain_guide", __name__)

OFFERS = ["text/html", "application/json"]

REFERRALS = """
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?muscle ?muscleLabel ?tp ?tpLabel ?zone ?region ?source ?sourceLabel WHERE {
  ?region obo:BFO_0000050* <%s> .
  GRAPH ?graph {
    { ?tp myokg:refersPainTo ?region . BIND("essential" AS ?zone) }
    UNION
    { ?tp myokg:refersSpilloverPainTo ?region . BIND("spillover" AS ?zone) }
  }
  ?tp obo:RO_0001025 ?muscle .
  ?muscle a myokg:Muscle .
  OPTIONAL { ?muscle rdfs:label ?muscleLabel FILTER(LANGMATCHES(LANG(?muscleLabel), "en")) }
  OPTIONAL { ?tp rdfs:label ?tpLabel FILTER(LANGMATCHES(LANG(?tpLabel), "en")) }
  OPTIONAL { ?graph dct:source ?source OPTIONAL { ?source rdfs:label ?sourceLabel } }
}
"""


@dataclass
class Referral:
    """One zone a trigger point refers pain to, inside the region asked about."""
    zone: str
    region: str
    region_label: str
    sources: dict[str, str] = field(default_factory=dict)


@dataclass
class TriggerPoint:
    iri: str
    label: str
    referrals: dict[tuple[str, str], Referral] = field(default_factory=dict)


@dataclass
class Muscle:
    iri: str
    label: str
    trigger_points: dict[str, TriggerPoint] = field(default_factory=dict)

    @property
    def zone(self) -> str:
        """Essential when any of its trigger points refers pain to the region as an essential zone."""
        zones = {r.zone for tp in self.trigger_points.values() for r in tp.referrals.values()}
        return "essential" if "essential" in zones else "spillover"


def _natural(text: str) -> list:
    """Sort key that puts "trigger point 2" before "trigger point 10"."""
    return [int(part) if part.isdigit() else part.casefold() for part in re.split(r"(\d+)", text)]


def muscles_referring_pain_to(region: str) -> list[Muscle]:
    """The muscles whose trigger points refer pain to ``region`` (a known region IRI) or a part of it,
    essential zones first; within each, trigger points and zones in reading order."""
    body_map: BodyMap = current_app.extensions["myokg.body_map"]
    muscles: dict[str, Muscle] = {}
    for row in current_app.extensions["myokg"].query(REFERRALS % region):
        muscle_iri, tp_iri, region_iri = row["muscle"].value, row["tp"].value, row["region"].value
        muscle = muscles.setdefault(muscle_iri, Muscle(muscle_iri, row["muscleLabel"].value if row["muscleLabel"]
                                                       else slug(muscle_iri)))
        tp = muscle.trigger_points.setdefault(tp_iri, TriggerPoint(tp_iri, row["tpLabel"].value if row["tpLabel"]
                                                                   else slug(tp_iri)))
        referral = tp.referrals.setdefault((row["zone"].value, region_iri), Referral(
            row["zone"].value, region_iri, body_map.tree.label(region_iri)))
        if row["source"]:
            referral.sources[row["source"].value] = row["sourceLabel"].value if row["sourceLabel"] else slug(row["source"].value)
    for muscle in muscles.values():
        muscle.trigger_points = dict(sorted(muscle.trigger_points.items(), key=lambda item: _natural(item[1].label)))
        for tp in muscle.trigger_points.values():
            tp.referrals = dict(sorted(tp.referrals.items(), key=lambda item: (item[1].zone, item[1].region_label)))
    return sorted(muscles.values(), key=lambda m: (m.zone, _natural(m.label)))


def body_map(zones, title: str = "") -> Markup:
    """The Jinja global ``body_map(zones, title="")``: ``zones`` maps body-region IRIs to "essential" or
    "spillover"; each region links to its page."""
    return current_app.extensions["myokg.body_map"].render(zones, links=link, title=title)


def _guide_url(region: str, json: bool = False) -> str:
    return url_for("pain_guide.pain_json" if json else "pain_guide.pain", region=slug(region))


def _resolve(value: str) -> str | None:
    """The region IRI a ``region=`` value names: a slug, its public IRI, its address on this server, or
    its label."""
    tree = current_app.extensions["myokg.body_map"].tree
    for prefix in (str(ID), public_base() + "id/", ""):
        if value.startswith(prefix) and str(ID) + value[len(prefix):] in tree.regions:
            return str(ID) + value[len(prefix):]
    return next((iri for iri, region in tree.regions.items() if region.label.casefold() == value.casefold()), None)


def _close_matches(value: str) -> list[str]:
    """Regions whose label or slug, or a word of them, is close to what the user typed."""
    tree = current_app.extensions["myokg.body_map"].tree
    wanted = value.rsplit("/", 1)[-1].replace("-", " ").casefold()

    def likeness(iri: str) -> float:
        names = {tree.label(iri).casefold(), slug(iri).replace("-", " ")}
        words = {word for name in names for word in name.split()}
        return max(difflib.SequenceMatcher(None, wanted, text).ratio() for text in names | words)

    scored = sorted(((likeness(iri), iri) for iri in tree.regions), reverse=True)
    return [iri for score, iri in scored if score >= 0.6][:8]


def _region_json(iri: str) -> dict:
    tree = current_app.extensions["myokg.body_map"].tree
    return {"iri": iri, "label": tree.label(iri), "slug": slug(iri), "page": link(iri),
            "painGuide": url_for("pain_guide.pain", region=slug(iri), _external=True),
            "partOf": tree.regions[iri].parent}


def _chooser_json() -> dict:
    tree = current_app.extensions["myokg.body_map"].tree
    return {"regions": [_region_json(iri) for root in tree.roots for iri in tree.descendants(root)]}


def _results_json(region: str, muscles: list[Muscle]) -> dict:
    tree = current_app.extensions["myokg.body_map"].tree
    return {
        "region": _region_json(region),
        "within": [_region_json(iri) for iri in tree.ancestors(region)],
        "parts": [_region_json(iri) for iri in tree.descendants(region)[1:]],
        "muscles": [{
            "iri": m.iri, "label": m.label, "page": link(m.iri), "zone": m.zone,
            "triggerPoints": [{
                "iri": tp.iri, "label": tp.label, "page": link(tp.iri),
                "referrals": [{"zone": r.zone, "region": r.region, "regionLabel": r.region_label,
                               "sources": [{"iri": s, "label": label} for s, label in r.sources.items()]}
                              for r in tp.referrals.values()],
            } for tp in m.trigger_points.values()],
        } for m in muscles],
    }


def _answer(as_json: bool) -> Response:
    value = request.args.get("region", "").strip()
    region = _resolve(value) if value else None
    if value and region is None:
        message = (f"No body region {value!r}. Give region= a region's slug (e.g. sacral-region) or its IRI "
                   f"(https://w3id.org/myokg/id/sacral-region); the regions are listed at {url_for('pain_guide.pain')}.")
        suggestions = _close_matches(value)
        if as_json:
            response = jsonify({"error": message, "closeMatches": [_region_json(iri) for iri in suggestions]})
        else:
            response = Response(render_template("pain.html", region=None, error=message, suggestions=suggestions,
                                                json_url=url_for("pain_guide.pain_json"), **_chooser()))
        response.status_code = 404
        return response
    if region is None:
        if as_json:
            return jsonify(_chooser_json())
        return Response(render_template("pain.html", region=None, json_url=url_for("pain_guide.pain_json"),
                                        **_chooser()))
    muscles = muscles_referring_pain_to(region)
    if as_json:
        return jsonify(_results_json(region, muscles))
    return Response(render_template("pain.html", region=region, muscles=muscles,
                                    json_url=_guide_url(region, json=True), **_chooser(selected=region)))


def _chooser(selected: str | None = None) -> dict:
    """What the page needs to let the user choose a region: the map (each region a link) and the tree."""
    body_map: BodyMap = current_app.extensions["myokg.body_map"]
    title = f"Selected: {body_map.tree.label(selected)}" if selected else "Choose where it hurts"
    return {"tree": body_map.tree, "guide_url": _guide_url, "slug": slug,
            "map": body_map.render({}, links=_guide_url, title=title, selected=selected)}


@bp.get("/pain")
def pain():
    """HTML or JSON by the Accept header (Vary: Accept)."""
    chosen = negotiation.choose(negotiation.parse_accept(request.headers.get("Accept")), OFFERS)
    if chosen is None:
        response = Response("406 Not Acceptable: the pain guide is available as text/html or application/json "
                            "(also at /pain.json).\n", 406, {"Content-Type": "text/plain; charset=utf-8"})
    else:
        response = _answer(chosen == "application/json")
        response.headers["Link"] = f'<{_json_url()}>; rel="alternate"; type="application/json"'
    response.vary.add("Accept")
    return response


@bp.get("/pain.json")
def pain_json():
    return _answer(True)


def _json_url() -> str:
    value = request.args.get("region", "").strip()
    region = _resolve(value) if value else None
    return _guide_url(region, json=True) if region else url_for("pain_guide.pain_json")
