"""Resource pages in a real browser: headless Chromium dereferences the gluteus medius IRI (following the
303 to its HTML page), sees its trigger points and the body map of their referred pain, and follows a link to
the nerve's page, which lists it."""

from __future__ import annotations

import html
import re

import pytest

from conftest import running_server
from test_query_ui import rendered


@pytest.fixture(scope="module")
def server(release_root):
    with running_server(release_root, "--workers", "1") as (base, _):
        yield base


def test_open_a_muscle_by_its_iri_and_follow_a_link(server):
    dom = rendered(server + "/id/gluteus-medius")
    assert "<h1>gluteus medius</h1>" in dom
    text = html.unescape(re.sub(r"<[^>]+>", " ", dom))
    for point in ("gluteus medius trigger point 1", "gluteus medius trigger point 2", "gluteus medius trigger point 3"):
        assert point in text
    assert "Essential referred pain" in text
    # The body map paints the trigger points' zones: the sacral region essential, the thigh as spillover.
    body_map = dom[dom.index('<svg xmlns="http://www.w3.org/2000/svg" class="body-map"'):]
    body_map = body_map[:body_map.index("</svg>")]
    assert re.search(r'class="[^"]*\bessential\b[^"]*" data-region="sacral-region"', body_map)
    assert re.search(r'class="[^"]*\bspillover\b[^"]*" data-region="posterior-thigh"', body_map)
    (nerve_link,) = set(re.findall(r'href="([^"]+)">superior gluteal nerve</a>', dom))
    assert nerve_link == server + "/id/superior-gluteal-nerve"
    nerve = rendered(nerve_link)
    assert "<h1>superior gluteal nerve</h1>" in nerve
    supplied = nerve[nerve.index("Muscles it supplies"):]
    assert f'href="{server}/id/gluteus-medius">gluteus medius</a>' in supplied
