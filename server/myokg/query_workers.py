"""Run SPARQL queries in worker processes that can be stopped.

pyoxigraph cannot cancel a query, so each query runs in a worker process holding its own read-only handle
on the store. A query past its time limit, or whose client went away, is ended by killing its worker,
which frees the core at once; a fresh worker takes its place. Each worker's address space is capped, so a
query that needs too much memory ends its worker, not the server.

The worker serializes the whole result with Oxigraph into its own memory (at most the result size limit)
before it answers, so the response can carry a Content-Length: a result too large gets a 422 before any
byte is sent, and a response cut short later (time limit, dead worker) is seen by every client as
incomplete, whatever the HTTP server. The web thread then streams the bytes on in chunks.

Pool and worker talk over a socket pair in frames: one tag byte, a 4-byte length, the payload. The pool
sends a JOB (the Job's fields as JSON); the worker answers with one RESULT (2-byte length of the content
type, the content type, the serialized result) or one ERROR (a JSON status and message). One frame each
way, read with a poll object kept per worker, keeps a cheap query's round trip to a few system calls.
"""

from __future__ import annotations

import json
import queue
import resource
import select
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store

from .formats import GRAPH_FORMATS, RESULT_FORMATS, by_media_type

JOB, RESULT, ERROR, READY = b"J", b"R", b"E", b"Z"
FRAME = struct.Struct("!cI")  # tag, payload length
TYPE_LENGTH = struct.Struct("!H")
CHUNK_BYTES = 64 * 1024
MEMORY_CHECK_SECONDS = 0.05
PAGE_BYTES = resource.getpagesize()


@dataclass(frozen=True)
class Job:
    """One query and how to answer it. Dataset lists are None when the protocol request gave none."""

    query: str
    default_graphs: tuple[str, ...] | None
    named_graphs: tuple[str, ...] | None
    results_type: str | None  # the media type to send solutions or a boolean in, if acceptable
    graph_type: str | None  # the media type to send triples in, if acceptable


@dataclass(frozen=True)
class QueryFailed(Exception):
    """The query could not be answered: ``status`` is the HTTP status, ``message`` says why and what to do."""

    status: int
    message: str


@dataclass(frozen=True)
class Limits:
    timeout: float  # seconds a query may run, serialization included
    memory_bytes: int  # address space of a worker
    result_bytes: int  # size of a serialized result


# --- The worker process ----------------------------------------------------------------------------


class _TooLarge(Exception):
    pass


class _Buffer(bytearray):
    """A binary file for Oxigraph's serializer that keeps what it is given, up to ``limit`` bytes."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if len(self) + len(data) > self.limit:
            raise _TooLarge()
        self.extend(data)
        return len(data)

    def flush(self) -> None:
        pass


def _frame(tag: bytes, payload: bytes = b"") -> bytes:
    return FRAME.pack(tag, len(payload)) + payload


def _error(status: int, message: str) -> bytes:
    return _frame(ERROR, json.dumps([status, message]).encode())


def _offered(formats) -> str:
    return ", ".join(f.media_type for f in formats)


def _answer(store: Store, job: Job, limits: Limits) -> list[bytes]:
    """The frame (as its pieces) that answers ``job``."""
    dataset = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        dataset["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        dataset["named_graphs"] = [NamedNode(g) for g in job.named_graphs or ()]
    try:
        results = store.query(job.query, **dataset)
    except SyntaxError as error:
        return [_error(400, f"The query is not valid SPARQL 1.1: {error}.")]
    except ValueError as error:  # an invalid graph IRI in default-graph-uri or named-graph-uri
        return [_error(400, f"Invalid dataset: {error}.")]
    if isinstance(results, (QuerySolutions, QueryBoolean)):
        formats, chosen = RESULT_FORMATS, job.results_type
    else:
        formats, chosen = GRAPH_FORMATS, job.graph_type
    if chosen is None:
        kind = "solutions" if formats is RESULT_FORMATS else "triples"
        return [_error(406, f"This query returns {kind}, which can be sent as {_offered(formats)}; "
                            "the request's Accept header (or format parameter) allows none of them.")]
    chosen_format = by_media_type(formats, chosen)
    body = _Buffer(limits.result_bytes)
    try:
        results.serialize(body, chosen_format.oxigraph)
    except _TooLarge:
        return [_error(422, f"The result is larger than this endpoint's limit of "
                            f"{limits.result_bytes // 1_000_000} MB. Add a LIMIT, select fewer variables, "
                            "or download a dump.")]
    except (OSError, ValueError, TypeError) as error:
        return [_error(422, f"The query failed while it was evaluated: {error}.")]
    content_type = chosen_format.content_type.encode()
    head = TYPE_LENGTH.pack(len(content_type)) + content_type
    header = FRAME.pack(RESULT, len(head) + len(body)) + head
    return [header + body] if len(body) <= CHUNK_BYTES else [header, memoryview(body)]


def _receive_job(connection: socket.socket) -> Job | None:
    """The next job, or None once the pool has closed the connection."""
    header = connection.recv(FRAME.size, socket.MSG_WAITALL)
    if len(header) < FRAME.size:
        return None
    _, length = FRAME.unpack(header)
    payload = connection.recv(length, socket.MSG_WAITALL)
    if len(payload) < length:
        return None
    query, default, named, results_type, graph_type = json.loads(payload)
    return Job(query, None if default is None else tuple(default), None if named is None else tuple(named),
               results_type, graph_type)


def _serve(store_path: str, connection: socket.socket, limits: Limits) -> None:
    """A worker's main loop: answer jobs until the pool closes the connection."""
    # The pool watches the worker's resident memory; this cap on its address space only stops a runaway
    # allocation that outpaces the watch. It is generous because RocksDB reserves address space it never uses.
    cap = max(4 * limits.memory_bytes, 4 * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    store = Store.read_only(store_path)
    connection.sendall(_frame(READY))
    while True:
        try:
            job = _receive_job(connection)
        except OSError:
            return
        if job is None:
            return
        try:
            pieces = _answer(store, job, limits)
        except MemoryError:
            pieces = [_error(422, "The query needs more memory than this endpoint allows per query.")]
        try:
            for piece in pieces:
                connection.sendall(piece)
        except OSError:
            return


# --- The pool, in the server process ---------------------------------------------------------------


class _Worker:
    """A worker process, started as ``python -m myokg.query_workers`` so that it imports nothing of the
    server's (and never re-runs the server's main module), talking over a socket pair."""

    def __init__(self, store_path: str, limits: Limits):
        ours, theirs = socket.socketpair()
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(theirs.fileno()), store_path, json.dumps(asdict(limits))],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL,
        )
        theirs.close()
        self.connection = ours
        self.poller = select.poll()
        self.poller.register(ours, select.POLLIN)
        if ours.recv(FRAME.size, socket.MSG_WAITALL) != _frame(READY):  # the store is open
            raise RuntimeError(f"A query worker could not open the store at {store_path}; see its error above.")

    def send(self, job: Job) -> None:
        self.connection.sendall(_frame(JOB, json.dumps([job.query, job.default_graphs, job.named_graphs,
                                                        job.results_type, job.graph_type]).encode()))

    def resident_bytes(self) -> int:
        try:
            with open(f"/proc/{self.process.pid}/statm") as statm:
                return int(statm.read().split()[1]) * PAGE_BYTES
        except (OSError, IndexError, ValueError):  # no /proc: the address space cap is the only guard
            return 0

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.connection.close()


@dataclass(frozen=True)
class Answer:
    """A query's serialized result: its content type, its length in bytes, and the bytes, in chunks."""

    content_type: str
    length: int
    chunks: Iterator[bytes] | list[bytes]


class QueryPool:
    """A fixed number of query workers over one store; a request borrows one for the time of its query."""

    def __init__(self, store_path: str, size: int, limits: Limits):
        self.store_path, self.size, self.limits = store_path, size, limits
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        for _ in range(size):
            self._idle.put(_Worker(store_path, limits))

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start another in the background, so the request is not kept waiting."""
        worker.kill()

        def start():
            if not self._closed:
                self._idle.put(_Worker(self.store_path, self.limits))

        threading.Thread(target=start, daemon=True).start()

    def run(self, job: Job) -> Answer:
        """Run ``job`` and return its answer; :class:`QueryFailed` if it has none.

        The whole result is ready in the worker when this returns. A small one (one chunk) is returned
        as a list and the worker is free again; a larger one streams from the worker as the iterator is
        read, under the same time limit: going past it, or a client that stops reading, ends the stream
        short of the length and replaces the worker.
        """
        deadline = time.monotonic() + self.limits.timeout
        try:
            worker = self._idle.get(timeout=self.limits.timeout)
        except queue.Empty:
            raise QueryFailed(503, f"All {self.size} query workers are busy; try again shortly.") from None
        wait = self._waiter(deadline)
        try:
            worker.send(job)
            data = self._read(worker, b"", FRAME.size + TYPE_LENGTH.size, wait)
            tag, length = FRAME.unpack_from(data)
            if tag == RESULT:
                type_length, = TYPE_LENGTH.unpack_from(data, FRAME.size)
                body_start = FRAME.size + TYPE_LENGTH.size + type_length
                data = self._read(worker, data, body_start, wait)
            else:
                data = self._read(worker, data, FRAME.size + length, wait)
        except BaseException:
            self._replace(worker)
            raise
        if tag == ERROR:
            self._idle.put(worker)
            raise QueryFailed(*json.loads(data[FRAME.size:]))
        content_type = data[FRAME.size + TYPE_LENGTH.size:body_start].decode()
        body_length = FRAME.size + length - body_start
        first = data[body_start:]
        if len(first) == body_length:
            self._idle.put(worker)
            return Answer(content_type, body_length, [first])
        return Answer(content_type, body_length, self._stream(worker, first, body_length - len(first), wait))

    def _read(self, worker: _Worker, data: bytes, at_least: int, wait) -> bytes:
        """``data`` and what the worker sends next, until there are ``at_least`` bytes (a worker sends one
        frame per job, so nothing of a later answer is read)."""
        while len(data) < at_least:
            data += self._receive(worker, max(at_least - len(data), FRAME.size + CHUNK_BYTES), wait)
        return data

    def _receive(self, worker: _Worker, size: int, wait) -> bytes:
        wait(worker)
        data = worker.connection.recv(size)
        if not data:  # the worker died: its address space cap was hit
            raise self._out_of_memory()
        return data

    def _stream(self, worker: _Worker, first: bytes, remaining: int, wait) -> Iterator[bytes]:
        finished = False
        try:
            if first:
                yield first
            while remaining:
                chunk = self._receive(worker, min(remaining, CHUNK_BYTES), wait)
                remaining -= len(chunk)
                yield chunk
            finished = True
        finally:
            if finished:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def _waiter(self, deadline: float):
        """A function that returns once a worker has something to read, watching the clock and the worker's
        memory while it works."""
        def wait(worker: _Worker) -> None:
            while not worker.poller.poll(1000 * min(max(deadline - time.monotonic(), 0), MEMORY_CHECK_SECONDS)):
                if time.monotonic() >= deadline:
                    raise QueryFailed(422, f"The query was stopped after the time limit of {self.limits.timeout:g} s. "
                                           "Make it more selective (a LIMIT, fewer OPTIONALs, no unbound cross "
                                           "products) or download a dump to run it locally.")
                if worker.resident_bytes() > self.limits.memory_bytes:
                    raise self._out_of_memory()
        return wait

    def _out_of_memory(self) -> QueryFailed:
        return QueryFailed(422, "The query needed more memory than this endpoint allows per query "
                                f"({self.limits.memory_bytes // 2**20} MiB) and was stopped. Make it more "
                                "selective, or download a dump to run it locally.")

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


if __name__ == "__main__":
    _serve(sys.argv[2], socket.socket(fileno=int(sys.argv[1])), Limits(**json.loads(sys.argv[3])))
