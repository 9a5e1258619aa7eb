"""Referred pain drawn on the body: MyoKG's body regions as shapes of an inline SVG body map.

The drawing is our own (body_map_shapes.toml): a front and a back view of the whole body, and detail views
of the face, the side of the head, the hand and the sole, each region a shape that can carry its label and
a link. A region without shapes of its own (the thigh, the back) is drawn as the union of its parts, found
through the part-of tree in the data, so the tree lives in one place. Essential zones are solid red and
spillover zones red stipple, as the Trigger Point Manual draws them.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markupsafe import Markup

from .namespaces import ID

SHAPES_FILE = Path(__file__).with_name("body_map_shapes.toml")
ZONES = ("essential", "spillover")

REGION_TREE = """
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?region (SAMPLE(?name) AS ?label) (SAMPLE(?whole) AS ?parent) WHERE {
    ?region a myokg:BodyRegion .
    OPTIONAL { ?region rdfs:label ?name FILTER(LANGMATCHES(LANG(?name), "en") || LANG(?name) = "") }
    OPTIONAL { ?region obo:BFO_0000050 ?whole . ?whole a myokg:BodyRegion }
} GROUP BY ?region
"""


@dataclass(frozen=True)
class Region:
    iri: str
    label: str
    parent: str | None


class RegionTree:
    """The body regions with their labels and part-of tree, read once from the store."""

    def __init__(self, regions: Iterable[Region]):
        self.regions: dict[str, Region] = {region.iri: region for region in regions}
        self.children: dict[str, list[str]] = {iri: [] for iri in self.regions}
        for region in self.regions.values():
            if region.parent in self.children:
                self.children[region.parent].append(region.iri)
        for parts in self.children.values():
            parts.sort(key=lambda iri: self.regions[iri].label)
        self.roots = sorted((iri for iri, r in self.regions.items() if r.parent not in self.regions),
                            key=lambda iri: self.regions[iri].label)

    @classmethod
    def from_store(cls, store) -> RegionTree:
        """``store`` is a ``ReleaseStore`` (its query sees the union of the source graphs)."""
        return cls(Region(row["region"].value,
                          row["label"].value if row["label"] else slug(row["region"].value),
                          row["parent"].value if row["parent"] else None)
                   for row in store.query(REGION_TREE))

    def label(self, iri: str) -> str:
        return self.regions[iri].label

    def ancestors(self, iri: str) -> list[str]:
        """The regions ``iri`` is part of, nearest first."""
        chain, seen = [], {iri}
        parent = self.regions[iri].parent
        while parent in self.regions and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.regions[parent].parent
        return chain

    def descendants(self, iri: str) -> list[str]:
        """``iri`` and every region inside it, depth first."""
        found, stack = [], [iri]
        while stack:
            current = stack.pop()
            if current not in found:
                found.append(current)
                stack.extend(reversed(self.children.get(current, [])))
        return found

    def top(self, iri: str) -> str:
        """The top-level region ``iri`` belongs to (itself when it is one)."""
        return (self.ancestors(iri) or [iri])[-1]


def slug(iri: str) -> str:
    """The part of a region IRI after ``.../id/``."""
    return iri[len(str(ID)):] if iri.startswith(str(ID)) else iri


@dataclass(frozen=True)
class Shape:
    """One drawn outline: an SVG element name with its geometry attributes, maybe mirrored too."""
    element: str
    geometry: tuple[tuple[str, str], ...]
    both_sides: bool


@dataclass
class View:
    name: str
    caption: str
    width: float
    height: float
    axis: float
    detail: bool
    outline: list[Shape]
    embeds: list[tuple[str, str, bool]]
    shapes: dict[str, list[Shape]] = field(default_factory=dict)


@dataclass
class Drawing:
    views: dict[str, View]
    order: list[str]


def _number(value: float) -> str:
    return f"{value:g}"


def _shape(spec: dict, axis: float, where: str) -> Shape:
    both = bool(spec.get("both_sides", False))
    if "poly" in spec:
        return Shape("polygon", (("points", " ".join(spec["poly"].split())),), both)
    if "ellipse" in spec:
        cx, cy, rx, ry = spec["ellipse"]
        return Shape("ellipse", (("cx", _number(cx)), ("cy", _number(cy)), ("rx", _number(rx)), ("ry", _number(ry))), both)
    if "half" in spec:
        points = [tuple(float(n) for n in p.split(",")) for p in spec["half"].split()]
        mirrored = [(2 * axis - x, y) for x, y in reversed(points) if x != axis]
        return Shape("polygon", (("points", " ".join(f"{_number(x)},{_number(y)}" for x, y in points + mirrored)),), both)
    raise ValueError(f"{SHAPES_FILE.name}, {where}: a shape needs poly, ellipse or half, got {sorted(spec)}")


@cache
def load_drawing(path: Path = SHAPES_FILE) -> Drawing:
    """The views and region shapes of ``path``; regions keep the order they first appear in."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    views = {}
    for name, spec in data["views"].items():
        width, height = spec["size"]
        axis = spec.get("axis", width / 2)
        views[name] = View(name, spec["caption"], width, height, axis, spec.get("detail", True),
                           [_shape(s, axis, f"view {name}") for s in spec.get("outline", [])],
                           [(e["view"], e["transform"], bool(e.get("both_sides", False))) for e in spec.get("embed", [])])
    order = []
    for region, per_view in data["regions"].items():
        order.append(str(ID[region]))
        for view_name, shapes in per_view.items():
            if view_name not in views:
                raise ValueError(f"{path.name}, region {region}: no view called {view_name!r}")
            view = views[view_name]
            view.shapes[str(ID[region])] = [_shape(s, view.axis, f"region {region}") for s in shapes]
    return Drawing(views, order)


class BodyMap:
    """Draws zones of a region tree on the body; built once per app, used by every request."""

    def __init__(self, tree: RegionTree, drawing: Drawing | None = None):
        self.tree = tree
        self.drawing = drawing or load_drawing()
        first_seen = {iri: n for n, iri in enumerate(self.drawing.order)}
        position: dict[str, int] = {}
        for iri in tree.regions:
            position[iri] = min((first_seen[d] for d in tree.descendants(iri) if d in first_seen),
                                default=len(first_seen))
        self.paint_order: list[str] = []
        self._walk(sorted(tree.roots, key=position.get), position)

    def _walk(self, regions: list[str], position: dict[str, int]) -> None:
        for iri in regions:
            self.paint_order.append(iri)
            self._walk(sorted(self.tree.children[iri], key=position.get), position)

    def drawn_views(self, iri: str) -> list[str]:
        """The views in which ``iri`` or one of its parts has a shape (empty: it cannot be drawn)."""
        parts = set(self.tree.descendants(iri))
        return [name for name, view in self.drawing.views.items() if parts & view.shapes.keys()]

    def render(self, zones: Mapping[str, str], *, links: Callable[[str], str] | None = None, title: str = "",
               selected: str | None = None) -> Markup:
        """An inline SVG of the body with each region of ``zones`` (region IRI → "essential" or
        "spillover") painted, and ``selected`` (a region IRI) highlighted; ``links(iri)`` gives the address
        each region's shapes link to."""
        for iri, zone in zones.items():
            if zone not in ZONES:
                raise ValueError(f"zone of <{iri}> is {zone!r}; expected one of {', '.join(ZONES)}")
        marked = dict(zones) | ({selected: "selected"} if selected else {})
        for iri in marked:
            if iri not in self.tree.regions:
                raise ValueError(f"<{iri}> is not a body region")
            if not self.drawn_views(iri):
                raise ValueError(f"body region <{iri}> has no shape: add one to {SHAPES_FILE.name}")
        key = hashlib.sha1(repr((sorted(marked.items()), title, links is None)).encode()).hexdigest()[:10]
        return _Painter(self, marked, links, title, f"body-map-{key}").svg()


@dataclass
class _Painter:
    """One rendering: which shape gets which paint, and where each view goes."""

    body_map: BodyMap
    marked: dict[str, str]
    links: Callable[[str], str] | None
    title: str
    id: str

    FILLS = {None: "#f6e7db", "essential": "#c8102e", "selected": "#2f6db5"}
    CAPTION = 16
    DETAIL_WIDTH = 110
    GAP = 14

    def paint(self, iri: str) -> str | None:
        """The strongest mark on ``iri`` or a region it is part of: essential, spillover, selected."""
        found = {self.marked[r] for r in [iri, *self.body_map.tree.ancestors(iri)] if r in self.marked}
        return next((zone for zone in ("selected", "essential", "spillover") if zone in found), None)

    def fill(self, paint: str | None) -> str:
        return f"url(#{self.id}-stipple)" if paint == "spillover" else self.FILLS[paint]

    def layout(self) -> tuple[list[tuple[View, float, float, float]], float, float]:
        """(view, x, y, scale) for each view shown, and the overall width and height: front and back side
        by side, then the detail views that show a marked region (all of them when nothing is marked) in
        two columns."""
        views = self.body_map.drawing.views.values()
        placed, x = [], 0.0
        for view in (v for v in views if not v.detail):
            placed.append((view, x, self.CAPTION, 1.0))
            x += view.width + self.GAP
        height = max((v.height + self.CAPTION for v, *_ in placed), default=0.0)
        shown_in = {name for iri in self.marked for name in self.body_map.drawn_views(iri)}
        details = [v for v in views if v.detail and (not self.marked or v.name in shown_in)]
        columns = [0.0, 0.0]
        for view in details:
            column = columns.index(min(columns))
            scale = min(1.0, self.DETAIL_WIDTH / view.width)
            placed.append((view, x + column * (self.DETAIL_WIDTH + self.GAP),
                           columns[column] + self.CAPTION, scale))
            columns[column] += view.height * scale + self.CAPTION + self.GAP
        width = x + (len([c for c in columns if c]) * (self.DETAIL_WIDTH + self.GAP)) - self.GAP
        return placed, width, max(height, *columns)

    def svg(self) -> Markup:
        placed, width, height = self.layout()
        legend = self.legend(height + 6)
        total = height + (26 if legend else 4)
        parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" class="body-map" viewBox="0 0 {} {}" '
                        'role="{}" aria-label="{}">').format(_number(width), _number(total),
                                                            "group" if self.links else "img", self.summary()),
                 Markup("<title>{}</title>").format(self.title or "Body map"),
                 self.definitions()]
        for view, x, y, scale in placed:
            parts.append(Markup('<text class="caption" x="{}" y="{}">{}</text>').format(
                _number(x), _number(y - 5), view.caption))
            parts.append(Markup('<g class="view" data-view="{}" transform="translate({} {}) scale({})">').format(
                view.name, _number(x), _number(y), _number(scale)))
            parts.append(self.view(view))
            parts.append(Markup("</g>"))
        parts.append(legend)
        parts.append(Markup("</svg>"))
        return Markup("").join(parts)

    def definitions(self) -> Markup:
        return Markup(
            '<defs><pattern id="{0}-stipple" width="3" height="3" patternUnits="userSpaceOnUse">'
            '<rect width="3" height="3" fill="#fbe0dc"/><circle cx="1.5" cy="1.5" r="0.75" fill="#c8102e"/>'
            '</pattern></defs><style>'
            '.body-map .caption, .body-map .legend {{ font: 9px system-ui, sans-serif; fill: #444; }}'
            '.body-map .region {{ stroke: #b39580; stroke-width: 0.6; vector-effect: non-scaling-stroke; }}'
            '.body-map a:hover .region, .body-map a:focus .region {{ stroke: #1a4f8b; stroke-width: 2; }}'
            '</style>').format(self.id)

    def view(self, view: View) -> Markup:
        """The view's silhouette (a stroked copy under a filled one, so only its outer contour shows),
        its regions in paint order, then the views it embeds."""
        outline = [self.element(s, view, 'fill="#f6e7db" stroke="#8c6f5d" stroke-width="2.4" vector-effect="non-scaling-stroke"') for s in view.outline]
        outline += [self.element(s, view, 'fill="#f6e7db"') for s in view.outline]
        parts = [Markup('<g class="outline" aria-hidden="true">'), *outline, Markup("</g>")]
        for iri in self.body_map.paint_order:
            for shape in view.shapes.get(iri, []):
                parts.append(self.region(iri, shape, view))
        for name, transform, both_sides in view.embeds:
            inner = self.view(self.body_map.drawing.views[name])
            parts.append(Markup('<g transform="{}">{}</g>').format(transform, inner))
            if both_sides:
                parts.append(Markup('<g transform="translate({} 0) scale(-1 1)"><g transform="{}">{}</g></g>').format(
                    _number(2 * view.axis), transform, inner))
        return Markup("").join(parts)

    def region(self, iri: str, shape: Shape, view: View) -> Markup:
        paint = self.paint(iri)
        classes = "region" + (f" {paint}" if paint else "")
        attributes = Markup('class="{}" data-region="{}" fill="{}"').format(classes, slug(iri), self.fill(paint))
        title = Markup("<title>{}</title>").format(self.body_map.tree.label(iri))
        drawn = self.element(shape, view, attributes, title)
        if self.links:
            drawn = Markup('<a href="{}">{}</a>').format(self.links(iri), drawn)
        return drawn

    @staticmethod
    def element(shape: Shape, view: View, attributes: str, content: Markup = Markup("")) -> Markup:
        geometry = Markup(" ").join(Markup('{}="{}"').format(name, value) for name, value in shape.geometry)
        one = Markup("<{0} {1} {2}>{3}</{0}>").format(Markup(shape.element), geometry, Markup(attributes), content)
        if not shape.both_sides:
            return one
        mirror = Markup('<{0} {1} {2} transform="translate({3} 0) scale(-1 1)">{4}</{0}>').format(
            Markup(shape.element), geometry, Markup(attributes), _number(2 * view.axis), content)
        return one + mirror

    def legend(self, y: float) -> Markup:
        keys = [(paint, text) for paint, text in (("essential", "essential pain zone"),
                                                   ("spillover", "spillover pain zone"),
                                                   ("selected", "selected region"))
                if paint in self.marked.values()]
        parts, x = [Markup('<g class="legend">')], 0.0
        for paint, text in keys:
            parts.append(Markup('<rect class="{}" x="{}" y="{}" width="14" height="10" fill="{}" stroke="#8c6f5d" '
                                'stroke-width="0.5"/><text class="legend" x="{}" y="{}">{}</text>').format(
                paint, _number(x), _number(y), self.fill(paint), _number(x + 18), _number(y + 8.5), text))
            x += 130
        parts.append(Markup("</g>"))
        return Markup("").join(parts) if keys else Markup("")

    def summary(self) -> str:
        """What the picture shows, in words, for its accessible name."""
        tree = self.body_map.tree
        said = [self.title] if self.title else []
        for paint, text in (("essential", "Essential pain zone"), ("spillover", "Spillover pain zone"),
                            ("selected", "Selected region")):
            regions = sorted(tree.label(iri) for iri, p in self.marked.items() if p == paint)
            if regions:
                said.append(f"{text}: {', '.join(regions)}")
        if not self.marked:
            said.append("Body map, front and back, with every body region"
                        + (" linked" if self.links else ""))
        return ". ".join(said) + "."
