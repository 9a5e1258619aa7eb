"""The query UI in a real browser: headless Chromium opens a shareable link to an example query, YASGUI
runs it against the live endpoint, and the results table appears with download links."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import urllib.parse
import urllib.request

import pytest

from conftest import REPO, running_server
from myokg.examples import load_examples

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def server(release_root):
    with running_server(release_root, "--workers", "2") as (base, _):
        yield base


def rendered(url: str) -> str:
    """The DOM of ``url`` after its scripts have run, as headless Chromium sees it."""
    assert CHROMIUM, "Chromium is needed for this test: install the Debian package chromium (.ci/run does)."
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--no-first-run", "--virtual-time-budget=15000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_yasgui_is_installed_and_served(server):
    with urllib.request.urlopen(server + "/sparql/assets/yasgui.min.js") as response:
        assert response.status == 200 and len(response.read()) > 100_000
    with urllib.request.urlopen(urllib.request.Request(server + "/sparql", headers={"Accept": "text/html"})) as page:
        policy = page.headers["Content-Security-Policy"]
        body = page.read().decode()
    assert "connect-src 'self'" in policy and "default-src 'self'" in policy
    # Every script and stylesheet comes from this server.
    for url in re.findall(r'(?:src|href)="([^"]+)"', body):
        assert not re.match(r"(https?:)?//", url), url


def test_an_example_runs_in_the_browser_and_shows_its_results(server):
    examples = load_examples(REPO / "queries")
    assert len(examples) >= 12, "the UI offers at least 12 example queries"
    example = next(e for e in examples if "superior gluteal nerve" in e.title.lower())
    dom = rendered(server + "/sparql?" + urllib.parse.urlencode({"query": example.query}))
    # YASGUI rendered the editor and the table of results.
    assert 'class="yasqe' in dom or "CodeMirror" in dom
    table = dom[dom.index("<table"):]
    assert "gluteus medius" in html.unescape(table)
    # Links to MyoKG's IRIs go to this server, where they resolve.
    hrefs = re.findall(r'<a[^>]* href="([^"]+)"', table)
    assert server + "/id/gluteus-medius" in hrefs
    assert not [href for href in hrefs if href.startswith("https://w3id.org/myokg/")]
    # The results can be downloaded in every solution format, and every example is offered.
    downloads = dom[dom.index('id="downloads"'):]
    for label in ("JSON", "XML", "CSV", "TSV"):
        assert f">{label}</a>" in downloads
    for e in examples:
        assert html.escape(e.title, quote=False) in dom
