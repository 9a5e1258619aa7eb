"""/downloads/ and /.well-known/void: listings of every kept release, files served with validators and
ranges and nothing outside the release folders, and the VoID/DCAT description by negotiation."""

from __future__ import annotations

import gzip
import hashlib
import json
import os

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import FOAF, OWL, RDF

from conftest import copy_seed, edit
from myokg.namespaces import DCAT, DCT as DCTERMS, VOID
from myokg.release import build_release, current_release
from myokg.web import create_app

SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef("https://w3id.org/myokg/dataset")
SECRET = "not-for-download 7f3a"
OLD, NEW = "0.1.0", "0.2.0"


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    """A release root holding the seed built as 0.1.0 and then as 0.2.0 (current), plus planted traps:
    a version folder that is a symlink to elsewhere, a release whose listed file is a symlink to a secret,
    and a secret file beside the root."""
    base = tmp_path_factory.mktemp("downloads")
    tree = copy_seed(base / "source")
    root = base / "releases"
    build_release(tree, root)
    edit(tree.ontology_file, f'owl:versionInfo "{OLD}"', f'owl:versionInfo "{NEW}"')
    edit(tree.ontology_file, f"ontology/{OLD}>", f"ontology/{NEW}>")
    build_release(tree, root)

    secret = base / "secret.ttl"
    secret.write_text(SECRET)
    outside = base / "outside"
    (outside / "dumps").mkdir(parents=True)
    (outside / "dumps" / "secret.ttl").write_text(SECRET)
    (outside / "release.json").write_text(json.dumps(
        {"version": "6.6.6", "built": "2026-01-01T00:00:00+00:00", "files": [{"name": "secret.ttl", "bytes": 24, "sha256": "0" * 64}]}))
    os.symlink(outside, root / "6.6.6")
    planted = root / "0.0.1"
    (planted / "dumps").mkdir(parents=True)
    os.symlink(secret, planted / "dumps" / "leak.ttl")
    (planted / "release.json").write_text(json.dumps(
        {"version": "0.0.1", "built": "2026-01-01T00:00:00+00:00", "files": [{"name": "leak.ttl", "bytes": 24, "sha256": "0" * 64}]}))
    return root


@pytest.fixture(scope="module")
def client(root):
    app = create_app(current_release(root), workers=1)
    yield app.test_client()
    app.extensions["myokg.queries"].close()


def manifest(root, version) -> dict:
    return json.loads((root / version / "release.json").read_text())


def test_listing_shows_current_and_earlier_releases_with_sizes_and_checksums(client, root):
    response = client.get("/downloads/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "Accept" in response.vary
    page = response.get_data(as_text=True)
    assert f"Release {NEW}</a> (current)" in page
    assert f"Release {OLD}</a>" in page and f"Release {OLD}</a> (current)" not in page
    assert page.index(f"Release {NEW}") < page.index(f"Release {OLD}")
    for version in (NEW, OLD):
        for entry in manifest(root, version)["files"]:
            assert f'href="http://localhost/downloads/{version}/{entry["name"]}"' in page
            assert f'title="{entry["sha256"]}"' in page
            assert f"{entry['bytes']:,}" in page
    assert "6.6.6" not in page  # a version folder that links elsewhere is not a release


@pytest.mark.parametrize("headers, query", [({}, "?format=json"), ({"Accept": "application/json"}, ""),
                                            ({"Accept": "text/html;q=0.5, application/json"}, "")])
def test_listing_as_json(client, root, headers, query):
    response = client.get("/downloads/" + query, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    releases = {r["version"]: r for r in response.get_json()["releases"]}
    assert set(releases) == {NEW, OLD, "0.0.1"}
    assert releases[NEW]["current"] and not releases[OLD]["current"]
    for version in (NEW, OLD):
        listed = {f["name"]: f for f in releases[version]["files"]}
        expected = manifest(root, version)["files"]
        assert set(listed) == {e["name"] for e in expected}
        for entry in expected:
            assert (listed[entry["name"]]["bytes"], listed[entry["name"]]["sha256"]) == (entry["bytes"], entry["sha256"])
            assert listed[entry["name"]]["url"] == f"http://localhost/downloads/{version}/{entry['name']}"
    assert listed[f"myokg-{OLD}.nt.gz"]["format"] == "N-Triples, gzip"
    assert listed[f"myokg-ontology-{OLD}.ttl"]["holds"] == "the OWL ontology on its own"


def test_one_version_listed_on_its_own(client):
    response = client.get(f"/downloads/{OLD}/?format=json")
    assert [r["version"] for r in response.get_json()["releases"]] == [OLD]
    assert f"Release {OLD}" in client.get(f"/downloads/{OLD}/").get_data(as_text=True)


@pytest.mark.parametrize("path, status, message", [
    ("/downloads/9.9.9/", 404, "There is no release '9.9.9'"),
    ("/downloads/?format=xml", 400, "use format=json or format=html"),
])
def test_listing_errors(client, path, status, message):
    response = client.get(path)
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("name, content_type", [
    ("myokg-{v}.ttl", "text/turtle; charset=utf-8"),
    ("myokg-{v}.nt", "application/n-triples; charset=utf-8"),
    ("myokg-{v}.nt.gz", "application/gzip"),
    ("myokg-{v}.jsonld", "application/ld+json; charset=utf-8"),
    ("myokg-{v}.nq", "application/n-quads; charset=utf-8"),
    ("myokg-{v}.trig", "application/trig; charset=utf-8"),
    ("myokg-ontology-{v}.ttl", "text/turtle; charset=utf-8"),
    ("myokg-shapes-{v}.ttl", "text/turtle; charset=utf-8"),
    ("void.ttl", "text/turtle; charset=utf-8"),
    ("SHA256SUMS", "text/plain; charset=utf-8"),
])
@pytest.mark.parametrize("version", [NEW, OLD])
def test_every_file_with_its_content_type_and_validators(client, root, version, name, content_type):
    name = name.format(v=version)
    entry = next(f for f in manifest(root, version)["files"] if f["name"] == name)
    response = client.get(f"/downloads/{version}/{name}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.data == (root / version / "dumps" / name).read_bytes()
    assert hashlib.sha256(response.data).hexdigest() == entry["sha256"]
    assert response.headers["ETag"] == f'"{entry["sha256"]}"'
    assert response.headers["Last-Modified"]
    assert response.headers["Accept-Ranges"] == "bytes"
    assert ("attachment" in response.headers["Content-Disposition"]) == name.endswith(".gz")


def test_gzipped_ntriples_is_the_ntriples_dump_written_deterministically(client, root):
    dumps = root / NEW / "dumps"
    packed = (dumps / f"myokg-{NEW}.nt.gz").read_bytes()
    assert gzip.decompress(packed) == (dumps / f"myokg-{NEW}.nt").read_bytes()
    assert packed[4:8] == b"\0\0\0\0"  # no time stamp in the gzip header
    sums = (dumps / "SHA256SUMS").read_text()
    assert f"{hashlib.sha256(packed).hexdigest()}  myokg-{NEW}.nt.gz\n" in sums


def test_revalidation_answers_304(client):
    url = f"/downloads/{NEW}/myokg-{NEW}.ttl"
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304
    changed = client.get(url, headers={"If-None-Match": '"' + "0" * 64 + '"'})
    assert changed.status_code == 200 and changed.data == first.data
    assert client.head(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_ranges(client, root):
    url = f"/downloads/{NEW}/myokg-{NEW}.nt.gz"
    data = (root / NEW / "dumps" / f"myokg-{NEW}.nt.gz").read_bytes()
    etag = client.get(url).headers["ETag"]

    part = client.get(url, headers={"Range": "bytes=10-19"})
    assert part.status_code == 206
    assert part.data == data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"

    tail = client.get(url, headers={"Range": "bytes=-7"})
    assert tail.status_code == 206 and tail.data == data[-7:]

    same = client.get(url, headers={"Range": "bytes=0-3", "If-Range": etag})
    assert same.status_code == 206 and same.data == data[:4]
    stale = client.get(url, headers={"Range": "bytes=0-3", "If-Range": '"' + "0" * 64 + '"'})
    assert stale.status_code == 200 and stale.data == data

    beyond = client.get(url, headers={"Range": f"bytes={len(data) + 5}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{len(data)}"
    assert f"has {len(data)} bytes" in beyond.get_data(as_text=True)


@pytest.mark.parametrize("path", [
    f"/downloads/{NEW}/nothing.ttl",
    f"/downloads/9.9.9/myokg-{NEW}.ttl",
    f"/downloads/{NEW}/release.json",  # in the release folder, but not a listed file
    f"/downloads/{NEW}/..%2Frelease.json",
    f"/downloads/{NEW}/%2e%2e%2f%2e%2e%2fsecret.ttl",
    f"/downloads/{NEW}/%2E%2E/%2E%2E/secret.ttl",
    f"/downloads/{NEW}/../../secret.ttl",
    "/downloads/..%2F..%2Fsecret.ttl",
    f"/downloads/{NEW}//etc/passwd",
    f"/downloads/{NEW}/%2Fetc%2Fpasswd",
    "/downloads/current/void.ttl",  # the symlink is how releases are swapped, not a version
    "/downloads/6.6.6/secret.ttl",  # a version folder linking outside the root
    "/downloads/0.0.1/leak.ttl",  # a listed file that is a symlink to a file outside
    "/downloads/%2E%2E/secret.ttl",
    "/downloads/./void.ttl",
])
def test_nothing_outside_the_release_folders_is_reachable(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert SECRET not in response.get_data(as_text=True)


# --- /.well-known/void ---------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, media_type, rdflib_format", [
    (None, "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_void_by_negotiation(client, root, accept, media_type, rdflib_format):
    response = client.get("/.well-known/void", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" in response.vary
    served = Graph().parse(data=response.data, format=rdflib_format)
    written = Graph().parse(root / NEW / "dumps" / "void.ttl")
    assert isomorphic(served, written)


def test_void_format_parameter_and_refusal(client):
    assert client.get("/.well-known/void?format=jsonld").mimetype == "application/ld+json"
    refused = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert refused.status_code == 406
    assert "Accept" in refused.vary
    assert "text/turtle" in refused.get_data(as_text=True)
    assert client.get("/.well-known/void?format=csv").status_code == 406


def test_void_describes_the_release(client, root):
    void = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    release = manifest(root, NEW)
    assert (DATASET, RDF.type, VOID.Dataset) in void and (DATASET, RDF.type, DCAT.Dataset) in void
    assert (DATASET, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in void
    assert str(void.value(DATASET, OWL.versionInfo)) == NEW == str(void.value(DATASET, DCAT.version))
    publisher = void.value(DATASET, DCTERMS.publisher)
    assert str(void.value(publisher, FOAF.name)) == "The MyoKG team"
    assert void.value(DATASET, VOID.triples).toPython() == release["triples"]
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/myokg/sparql")
    service = void.value(DATASET, DCAT.accessService)
    assert void.value(service, DCAT.endpointURL) == URIRef("https://w3id.org/myokg/sparql")

    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert {URIRef("https://w3id.org/myokg/id/gluteus-medius"), URIRef("https://w3id.org/myokg/id/superior-gluteal-nerve")} <= examples
    data = Graph().parse(root / NEW / "dumps" / f"myokg-{NEW}.nt", format="nt")
    for example in examples:
        assert (example, RDF.type, None) in data, example

    muscles = len(set(data.subjects(RDF.type, URIRef("https://w3id.org/myokg/ontology#Muscle"))))
    partition = next(p for p in void.objects(DATASET, VOID.classPartition)
                     if void.value(p, VOID["class"]) == URIRef("https://w3id.org/myokg/ontology#Muscle"))
    assert void.value(partition, VOID.entities).toPython() == muscles

    subsets = set(void.objects(DATASET, VOID.subset))
    assert {str(s) for s in subsets} == set(release["graphs"])
    quads = (root / NEW / "dumps" / f"myokg-{NEW}.nq").read_text().splitlines()
    for subset in subsets:
        in_graph = [q for q in quads if q.endswith(f"<{subset}> .")]
        assert void.value(subset, VOID.triples).toPython() == len(in_graph)
        entities = {q.split(" ", 1)[0] for q in in_graph if q.startswith("<https://w3id.org/myokg/id/")}
        assert void.value(subset, VOID.entities).toPython() == len(entities)

    for entry in release["files"]:
        if entry["name"].startswith(f"myokg-{NEW}."):
            url = URIRef(f"https://w3id.org/myokg/downloads/{NEW}/{entry['name']}")
            assert (DATASET, VOID.dataDump, url) in void
            dist = void.value(predicate=DCAT.downloadURL, object=url)
            assert (DATASET, DCAT.distribution, dist) in void
            assert void.value(dist, DCAT.byteSize).toPython() == entry["bytes"]
            assert void.value(dist, DCAT.accessURL) == URIRef(f"https://w3id.org/myokg/downloads/{NEW}/")
            checksum = void.value(dist, SPDX.checksum)
            assert str(void.value(checksum, SPDX.checksumValue)) == entry["sha256"]
    gz = void.value(predicate=DCAT.downloadURL, object=URIRef(f"https://w3id.org/myokg/downloads/{NEW}/myokg-{NEW}.nt.gz"))
    assert void.value(gz, DCAT.compressFormat) == URIRef("https://www.iana.org/assignments/media-types/application/gzip")
    assert void.value(gz, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/application/n-triples")

    iris = {str(t) for triple in void for t in triple if isinstance(t, URIRef)}
    assert not [i for i in iris if "localhost" in i]
    assert Literal(NEW) in set(void.objects(DATASET, OWL.versionInfo))


def test_every_page_links_the_void(client):
    for path in ("/", "/downloads/", "/browse"):
        page = client.get(path).get_data(as_text=True)
        assert '<link rel="describedby" type="text/turtle" href="/.well-known/void"' in page
        assert '<a href="/.well-known/void">' in page
    assert client.get("/.well-known/void").status_code == 200


@pytest.mark.parametrize("version", [OLD, NEW])
def test_a_version_iri_answers_with_that_releases_ontology(client, version):
    """owl:versionIRI <https://w3id.org/myokg/ontology/0.1.0> keeps resolving after 0.2.0 is published."""
    response = client.get(f"/ontology/{version}")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/downloads/{version}/myokg-ontology-{version}.ttl")
    ontology = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"owl:versionIRI <https://w3id.org/myokg/ontology/{version}>" in ontology


def test_an_unknown_version_iri_is_404_and_says_where_versions_are_listed(client):
    response = client.get("/ontology/9.9.9")
    assert response.status_code == 404
    assert "/downloads/ lists the versions kept" in response.get_data(as_text=True)
