"""The body map: every referred-to region drawable, zones painted on the right shapes, text escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import render_template_string

from myokg.body_map import SHAPES_FILE, BodyMap, Region, RegionTree, load_drawing
from myokg.namespaces import ID
from myokg.store import ReleaseStore
from myokg.web import create_app

SVG = "{http://www.w3.org/2000/svg}"
STIPPLE_PREFIX = "url(#"

REFERRED_REGIONS = """
PREFIX myokg: <https://w3id.org/myokg/ontology#>
SELECT DISTINCT ?region WHERE { { ?tp myokg:refersPainTo ?region } UNION { ?tp myokg:refersSpilloverPainTo ?region } }
"""


@pytest.fixture(scope="module")
def store(release):
    return ReleaseStore(release)


@pytest.fixture(scope="module")
def body_map(store):
    return BodyMap(RegionTree.from_store(store))


def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


def painted(root: ET.Element) -> dict[str, set[str]]:
    """For each region drawn with a paint, the set of paints its shapes carry."""
    found: dict[str, set[str]] = {}
    for element in root.iter():
        classes = element.get("class", "").split()
        if "region" in classes and len(classes) > 1:
            found.setdefault(element.get("data-region"), set()).update(classes[1:])
    return found


def shapes_of(root: ET.Element, slug: str) -> list[ET.Element]:
    return [e for e in root.iter() if "region" in e.get("class", "").split() and e.get("data-region") == slug]


def test_every_region_trigger_points_refer_pain_to_can_be_drawn(store, body_map):
    referred = [row["region"].value for row in store.query(REFERRED_REGIONS)]
    assert len(referred) > 50
    missing = [iri for iri in referred if iri not in body_map.tree.regions or not body_map.drawn_views(iri)]
    assert not missing, (f"trigger points refer pain to regions the body map cannot draw: {missing}; "
                         f"add their shapes to {SHAPES_FILE}")


def test_every_region_in_the_drawing_is_a_body_region_in_the_data(body_map):
    unknown = [iri for iri in load_drawing().order if iri not in body_map.tree.regions]
    assert not unknown, f"{SHAPES_FILE.name} draws regions the data does not have (typo?): {unknown}"


def test_svg_parses_and_says_what_it_shows(body_map):
    svg = body_map.render({str(ID["sacral-region"]): "essential", str(ID["posterior-thigh"]): "spillover"},
                          title="gluteus medius trigger point 2")
    root = parse(svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == ("gluteus medius trigger point 2. Essential pain zone: sacral region. "
                                      "Spillover pain zone: posterior thigh.")
    assert {view.get("data-view") for view in root.iter(SVG + "g") if view.get("data-view")} >= {"front", "back"}
    legend = [t.text for t in root.iter(SVG + "text") if t.get("class") == "legend"]
    assert legend == ["essential pain zone", "spillover pain zone"]


def test_essential_and_spillover_zones_are_painted_differently(body_map):
    root = parse(body_map.render({str(ID["sacral-region"]): "essential", str(ID["posterior-thigh"]): "spillover"}))
    assert painted(root) == {"sacral-region": {"essential"}, "posterior-thigh": {"spillover"}}
    essential_fill = {e.get("fill") for e in shapes_of(root, "sacral-region")}
    spillover_fill = {e.get("fill") for e in shapes_of(root, "posterior-thigh")}
    assert len(essential_fill) == len(spillover_fill) == 1 and essential_fill != spillover_fill
    (stipple,) = spillover_fill
    assert stipple.startswith(STIPPLE_PREFIX)
    pattern_ids = {p.get("id") for p in root.iter(SVG + "pattern")}
    assert stipple[len(STIPPLE_PREFIX):-1] in pattern_ids
    assert {e.get("fill") for e in shapes_of(root, "temple")} != essential_fill | spillover_fill


def test_essential_wins_where_a_spillover_zone_contains_an_essential_one(body_map):
    root = parse(body_map.render({str(ID["thigh"]): "spillover", str(ID["lateral-thigh"]): "essential"}))
    paints = painted(root)
    assert paints["lateral-thigh"] == {"essential"}
    assert paints["posterior-thigh"] == paints["anterior-thigh"] == {"spillover"}


def test_a_region_is_drawn_as_itself_and_all_its_parts(body_map):
    """For every region: exactly the shapes of the region and of the regions inside it get its paint."""
    tree = body_map.tree
    drawing = load_drawing()
    own_shapes = {iri for view in drawing.views.values() for iri in view.shapes}
    assert str(ID["thigh"]) not in own_shapes and str(ID["back"]) not in own_shapes
    for iri in tree.regions:
        if not body_map.drawn_views(iri):
            continue
        root = parse(body_map.render({iri: "essential"}))
        expected = {d[len(str(ID)):] for d in tree.descendants(iri) if d in own_shapes}
        assert set(painted(root)) == expected, iri


def test_detail_views_appear_when_they_show_a_zone(body_map):
    def views(zones):
        return {g.get("data-view") for g in parse(body_map.render(zones)).iter(SVG + "g") if g.get("data-view")}

    assert views({}) == set(load_drawing().views)
    assert views({str(ID["thumb"]): "essential"}) == {"front", "back", "palm", "hand-back"}
    assert views({str(ID["lateral-hip"]): "essential"}) == {"front", "back"}


def test_links_wrap_every_region_shape(body_map):
    svg = body_map.render({}, links=lambda iri: f"/go?to={iri}&x=<1>")
    root = parse(svg)
    assert root.get("role") == "group"
    shapes = [e for e in root.iter() if "region" in e.get("class", "").split()]
    linked = [(a, shape) for a in root.iter(SVG + "a") for shape in a]
    assert len(linked) == len(shapes) > 200
    for a, shape in linked:
        assert a.get("href") == f"/go?to={ID}{shape.get('data-region')}&x=<1>"
    assert "&amp;x=&lt;1&gt;" in svg


def test_labels_and_links_with_markup_are_escaped(body_map):
    temple = str(ID["temple"])
    regions = [*body_map.tree.regions.values()]
    tree = RegionTree([r if r.iri != temple else Region(temple, '<b onclick="x()">temple</b> & co', r.parent)
                       for r in regions])
    svg = str(BodyMap(tree).render({temple: "essential"}, links=lambda iri: 'javascript:"<x>"', title="<i>t</i>"))
    assert "<b " not in svg and "<i>" not in svg and '"<x>"' not in svg
    assert "&lt;b onclick=&#34;x()&#34;&gt;temple&lt;/b&gt; &amp; co" in svg
    root = parse(svg)
    titles = {t.text for e in shapes_of(root, "temple") for t in e.iter(SVG + "title")}
    assert titles == {'<b onclick="x()">temple</b> & co'}
    assert root.get("aria-label").startswith("<i>t</i>. Essential pain zone: <b onclick")


def test_bad_zones_are_refused(body_map):
    with pytest.raises(ValueError, match="expected one of essential, spillover"):
        body_map.render({str(ID["temple"]): "severe"})
    with pytest.raises(ValueError, match="is not a body region"):
        body_map.render({str(ID["gluteus-medius"]): "essential"})


def test_a_region_without_shapes_is_reported(body_map):
    tree = RegionTree([*body_map.tree.regions.values(), Region(str(ID["new-region"]), "new region", None)])
    with pytest.raises(ValueError, match="has no shape: add one to body_map_shapes.toml"):
        BodyMap(tree).render({str(ID["new-region"]): "essential"})


def test_jinja_global_renders_with_labels_from_the_store_loaded_once(release, monkeypatch):
    app = create_app(release, workers=1)
    try:
        monkeypatch.setattr(RegionTree, "from_store", lambda store: pytest.fail("region tree read per request"))
        with app.test_request_context("/", base_url="http://myokg.test/"):
            html = render_template_string("{{ body_map(zones, title=title) }}",
                                          zones={str(ID["heel"]): "essential"}, title="soleus <1>")
        root = parse(html)
        assert root.get("aria-label") == "soleus <1>. Essential pain zone: heel."
        hrefs = {a.get("href") for a in root.iter(SVG + "a")}
        assert "http://myokg.test/id/heel" in hrefs
        assert painted(root) == {"heel": {"essential"}}
    finally:
        app.extensions["myokg.queries"].close()


def test_mistakes_in_the_shapes_file_are_reported(tmp_path):
    views = '[views.front]\ncaption = "Front"\nsize = [200, 430]\n'
    wrong_view = tmp_path / "wrong-view.toml"
    wrong_view.write_text(views + '[regions.heel]\nsole = [{ ellipse = [1, 2, 3, 4] }]\n')
    with pytest.raises(ValueError, match="region heel: no view called 'sole'"):
        load_drawing(wrong_view)
    wrong_shape = tmp_path / "wrong-shape.toml"
    wrong_shape.write_text(views + '[regions.heel]\nfront = [{ circle = [1, 2, 3] }]\n')
    with pytest.raises(ValueError, match=r"region heel: a shape needs poly, ellipse or half, got \['circle'\]"):
        load_drawing(wrong_shape)


def test_symmetric_shapes_are_mirrored_about_the_axis(tmp_path):
    path = tmp_path / "shapes.toml"
    path.write_text('[views.front]\ncaption = "Front"\nsize = [200, 430]\noutline = [{ half = "100,0 90,10 100,20" }]\n'
                    '[regions.heel]\nfront = [{ poly = "10,10 20,10 20,20", both_sides = true }]\n')
    front = load_drawing(path).views["front"]
    assert front.outline[0].geometry == (("points", "100,0 90,10 100,20 110,10"),)
    (heel,) = front.shapes[str(ID["heel"])]
    assert heel.both_sides
    tree = RegionTree([Region(str(ID["heel"]), "heel", None)])
    root = parse(BodyMap(tree, load_drawing(path)).render({str(ID["heel"]): "essential"}))
    drawn = shapes_of(root, "heel")
    assert [e.get("transform") for e in drawn] == [None, "translate(200 0) scale(-1 1)"]
