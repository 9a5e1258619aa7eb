"""The web app over a built release, driven through Flask's test client."""

from __future__ import annotations

import pytest

from conftest import edit
from myokg.release import build_release
from myokg.web import create_app


def test_release_manifest_as_json(client, release):
    response = client.get("/release.json")
    assert response.status_code == 200
    assert response.get_json() == release.manifest


def test_download_with_validators(client, release):
    response = client.get("/downloads/0.1.0/myokg-0.1.0.ttl")
    assert response.status_code == 200
    assert response.data == (release.dumps_path / "myokg-0.1.0.ttl").read_bytes()
    etag = response.headers["ETag"]
    again = client.get("/downloads/0.1.0/myokg-0.1.0.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize("path", [
    "/downloads/0.1.0/nothing.ttl",
    "/downloads/0.0.9/myokg-0.1.0.ttl",
    "/downloads/0.1.0/..%2Frelease.json",
    "/downloads/0.1.0/%2E%2E%2F%2E%2E%2Fpyproject.toml",
    "/downloads/..%2F..%2Fetc/passwd",
])
def test_downloads_reach_only_release_files(client, path):
    assert client.get(path).status_code == 404


def test_labels_are_escaped(tree_copy, tmp_path):
    edit(tree_copy.ontology_file, 'rdfs:label "muscle"@en ;', 'rdfs:label "<script>alert(1)</script>"@en ;')
    page = create_app(build_release(tree_copy, tmp_path / "r")).test_client().get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
