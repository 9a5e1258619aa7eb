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
    """The query workers among the server's descendants (they sit under granian's server process)."""
    found, todo = set(), [server_process.pid]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/task/{pid}/children") as f:
                children = [int(child) for child in f.read().split()]
        except FileNotFoundError:
            continue
        todo += children
        for child in children:
            try:
                with open(f"/proc/{child}/cmdline", "rb") as f:
                    if b"myokg.query_workers" in f.read():
                        found.add(child)
            except FileNotFoundError:
                pass
    return found


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


def test_a_result_too_large_is_refused_before_any_byte_and_the_server_goes_on(server):
    """The worker serializes the whole result before answering, so one over the limit gets a status."""
    base, _ = server
    status, body = fetch(query_url(base, LARGE))
    assert status == 422 and "larger than this endpoint's limit of 1 MB" in body
    assert fetch(query_url(base, NERVES))[0] == 200


def test_a_result_cut_short_is_shorter_than_its_length(release_root):
    """A result is sent with its length; if its worker dies while it streams, the stream ends short of it
    (an HTTP client then reports an incomplete read) and a fresh worker takes its place."""
    pool = QueryPool(str(release_root / "current" / "store"), 1, Limits(10, 2**30, 10_000_000))
    try:
        answer = pool.run(Job("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 30000", None, None, "text/csv", None))
        received = bytearray(next(answer.chunks))
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children") as f:
            ours = [int(pid) for pid in f.read().split()
                    if b"myokg.query_workers" in open(f"/proc/{pid}/cmdline", "rb").read()]
        assert len(ours) == 1
        os.kill(ours[0], 9)
        with pytest.raises(QueryFailed):
            for chunk in answer.chunks:
                received += chunk
        assert 0 < len(received) < answer.length
        assert GMED in b"".join(pool.run(Job(NERVES, None, None, "text/csv", None)).chunks).decode()
    finally:
        pool.close()


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


@pytest.mark.parametrize("options", [("--server", "waitress"), ("--processes", "2")])
def test_either_server_and_several_processes_answer_queries(release_root, options):
    with running_server(release_root, *options) as (base, process):
        request = urllib.request.Request(query_url(base, NERVES), headers={"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as response:
            body = response.read()
            assert int(response.headers["Content-Length"]) == len(body) and GMED.encode() in body
        if options[0] == "--processes":  # two server processes, each with its own two query workers
            for _ in range(600):  # the second process may still be starting on a busy machine
                if len(worker_pids(process)) == 4:
                    break
                threading.Event().wait(0.1)
            assert len(worker_pids(process)) == 4
