"""The SPARQL endpoint of a real `myokg serve` process: real clients, and the safety limits.

The server runs with small limits (3 s, 256 MiB, 1 MB of results) so each limit is reached quickly.
"""

from __future__ import annotations

import csv
import http.client
import io
import os
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper

from conftest import running_server
from myokg.query_workers import Job, Limits, QueryFailed, QueryPool

GMED = "https://w3id.org/myokg/id/gluteus-medius"
NERVES = """PREFIX obo: <http://purl.obolibrary.org/obo/>
SELECT DISTINCT ?muscle WHERE { ?muscle obo:RO_0002005 <https://w3id.org/myokg/id/superior-gluteal-nerve> }"""
# Little memory, much time: counting a three-way cross product.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# Much memory fast: sorting a cross product has to hold all of it.
GREEDY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
# Far more than 1 MB of JSON, quickly.
LARGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 200000"


@pytest.fixture(scope="module")
def server(release_root):
    with running_server(release_root, "--workers", "2", "--query-timeout", "3", "--query-memory", "256",
                        "--max-result", "1") as (base, process):
        yield base, process


def fetch(url: str, data: bytes | None = None, headers: dict | None = None, timeout: float = 60):
    """(status, body) of a request; HTTP errors are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def query_url(base: str, query: str) -> str:
    return f"{base}/sparql?" + urllib.parse.urlencode({"query": query})


def worker_pids(server_process) -> set[int]:
    children = f"/proc/{server_process.pid}/task/{server_process.pid}/children"
    with open(children) as f:
        return {int(pid) for pid in f.read().split()}


def test_sparqlwrapper_select_ask_and_construct(server):
    base, _ = server
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(NERVES)
    client.setReturnFormat(JSON)
    muscles = {b["muscle"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    assert GMED in muscles
    client.setMethod(POST)
    assert GMED in {b["muscle"]["value"] for b in client.queryAndConvert()["results"]["bindings"]}
    client.setQuery(f"ASK {{ <{GMED}> ?p ?o }}")
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(f"CONSTRUCT WHERE {{ <{GMED}> ?p ?o }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (URIRef(GMED), None, None) in graph


def test_rdflib_sparqlstore_reads_the_endpoint(server):
    base, _ = server
    graph = Graph(store=SPARQLStore(base + "/sparql", returnFormat="json"))
    assert GMED in {str(row.muscle) for row in graph.query(NERVES)}
    labels = list(graph.triples((URIRef(GMED), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), None)))
    assert [str(t[2]) for t in labels] == ["gluteus medius"]


def test_service_makes_no_connection(server):
    base, _ = server
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(1.5)
        port = listener.getsockname()[1]
        status, body = fetch(query_url(base, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"))
        assert status == 403 and "SERVICE" in body
        with pytest.raises(socket.timeout):
            listener.accept()


def test_a_query_past_the_time_limit_is_stopped_while_others_are_answered(server):
    base, process = server
    before = worker_pids(process)
    slow: dict = {}
    thread = threading.Thread(target=lambda: slow.update(answer=fetch(query_url(base, SLOW))))
    thread.start()
    status, body = fetch(query_url(base, NERVES), headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and GMED in body
    assert thread.is_alive(), "the quick query should be answered while the slow one runs"
    thread.join(30)
    status, body = slow["answer"]
    assert status == 422 and "time limit of 3 s" in body
    # Its worker was killed (so no core stays busy) and a fresh one took its place.
    after = worker_pids(process)
    assert before - after, "the worker that ran the slow query should be gone"
    for _ in range(50):
        if len(worker_pids(process)) == 2:
            break
        threading.Event().wait(0.1)
    assert len(worker_pids(process)) == 2
    assert fetch(query_url(base, NERVES))[0] == 200


def test_a_query_needing_too_much_memory_is_stopped(server):
    base, process = server
    status, body = fetch(query_url(base, GREEDY))
    assert status == 422
    assert "more memory than this endpoint allows" in body or "time limit" in body
    assert fetch(query_url(base, NERVES))[0] == 200


def test_a_result_too_large_ends_short_and_the_server_goes_on(server):
    """Past its first chunk a result is already streaming with status 200; going over the limit then cuts
    the response short, which every HTTP client reports as an incomplete read."""
    base, _ = server
    with urllib.request.urlopen(query_url(base, LARGE), timeout=60) as response:
        assert response.status == 200
        with pytest.raises(http.client.IncompleteRead) as cut:
            response.read()
    assert len(cut.value.partial) <= 1_000_000
    assert fetch(query_url(base, NERVES))[0] == 200


def test_a_small_result_limit_is_reported_with_a_status(release_root):
    with running_server(release_root, "--workers", "1", "--max-result", "1") as (base, _):
        # Several chunks of 64 kB, all under the limit, arrive whole.
        status, body = fetch(query_url(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 3000"),
                             headers={"Accept": "text/csv"})
        assert status == 200 and 3 * 65536 < len(body.encode()) < 1_000_000
        assert len(list(csv.reader(io.StringIO(body)))) == 3001
    pool = QueryPool(str(release_root / "current" / "store"), 1, Limits(10, 2**30, 1000))
    try:
        with pytest.raises(QueryFailed) as failure:
            pool.run(Job(LARGE, None, None, "text/csv", None))
        assert failure.value.status == 422 and "larger than this endpoint's limit" in failure.value.message
    finally:
        pool.close()


def test_workers_do_not_outlive_the_server(release_root):
    with running_server(release_root, "--workers", "2") as (base, process):
        pids = worker_pids(process)
        assert len(pids) == 2
    for pid in pids:
        for _ in range(50):
            if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail(f"worker {pid} still runs after the server stopped")
