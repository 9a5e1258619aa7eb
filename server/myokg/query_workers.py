"""Run SPARQL queries in worker processes that can be stopped.

pyoxigraph cannot cancel a query, so each query runs in a worker process holding its own read-only handle
on the store. The worker serializes the results with Oxigraph and streams them back in chunks; the web
thread forwards them to the client. A query past its time limit, or whose client went away, is ended by
killing its worker, which frees the core at once; a fresh worker takes its place. Each worker's address
space is capped, so a query that needs too much memory ends its worker, not the server.

Messages from a worker are byte strings whose first byte says what they are: HEAD (the media type
chosen), DATA (a chunk of the serialized results), END, or ERROR (a JSON status and message).
"""

from __future__ import annotations

import json
import queue
import resource
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection

from pyoxigraph import NamedNode, QueryBoolean, QuerySolutions, Store

from .formats import GRAPH_FORMATS, RESULT_FORMATS, by_media_type

HEAD, DATA, END, ERROR = b"H", b"D", b"Z", b"E"
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


class _Sender:
    """A binary file for Oxigraph's serializer that sends what it is given in chunks of CHUNK_BYTES."""

    def __init__(self, connection, limit: int):
        self.connection, self.limit = connection, limit
        self.buffer, self.total = bytearray(), 0

    def write(self, data) -> int:
        self.total += len(data)
        if self.total > self.limit:
            raise _TooLarge()
        self.buffer += data
        if len(self.buffer) >= CHUNK_BYTES:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self.buffer:
            self.connection.send_bytes(DATA + bytes(self.buffer))
            self.buffer.clear()


def _error(connection, status: int, message: str) -> None:
    connection.send_bytes(ERROR + json.dumps([status, message]).encode())


def _offered(formats) -> str:
    return ", ".join(f.media_type for f in formats)


def _answer(store: Store, job: Job, connection, limits: Limits) -> None:
    dataset = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        dataset["default_graph"] = [NamedNode(g) for g in job.default_graphs or ()]
        dataset["named_graphs"] = [NamedNode(g) for g in job.named_graphs or ()]
    try:
        results = store.query(job.query, **dataset)
    except SyntaxError as error:
        return _error(connection, 400, f"The query is not valid SPARQL 1.1: {error}.")
    except ValueError as error:  # an invalid graph IRI in default-graph-uri or named-graph-uri
        return _error(connection, 400, f"Invalid dataset: {error}.")
    if isinstance(results, (QuerySolutions, QueryBoolean)):
        formats, chosen = RESULT_FORMATS, job.results_type
    else:
        formats, chosen = GRAPH_FORMATS, job.graph_type
    if chosen is None:
        kind = "solutions" if formats is RESULT_FORMATS else "triples"
        return _error(connection, 406, f"This query returns {kind}, which can be sent as {_offered(formats)}; "
                                       "the request's Accept header (or format parameter) allows none of them.")
    chosen_format = by_media_type(formats, chosen)
    connection.send_bytes(HEAD + chosen_format.content_type.encode())
    sender = _Sender(connection, limits.result_bytes)
    try:
        results.serialize(sender, chosen_format.oxigraph)
        sender.flush()
    except _TooLarge:
        return _error(connection, 422, f"The result is larger than this endpoint's limit of "
                                       f"{limits.result_bytes // 1_000_000} MB. Add a LIMIT, select fewer variables, "
                                       "or download a dump.")
    except (OSError, ValueError, TypeError) as error:
        return _error(connection, 422, f"The query failed while it was evaluated: {error}.")
    connection.send_bytes(END)


def _serve(store_path: str, connection: Connection, limits: Limits) -> None:
    """A worker's main loop: answer jobs until the pool closes the connection."""
    # The pool watches the worker's resident memory; this cap on its address space only stops a runaway
    # allocation that outpaces the watch. It is generous because RocksDB reserves address space it never uses.
    cap = max(4 * limits.memory_bytes, 4 * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    store = Store.read_only(store_path)
    connection.send_bytes(END)  # ready
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        try:
            _answer(store, job, connection, limits)
        except MemoryError:
            _error(connection, 422, "The query needs more memory than this endpoint allows per query.")


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
        self.connection = Connection(ours.detach())
        try:
            self.connection.recv_bytes()  # the store is open
        except EOFError:
            raise RuntimeError(f"A query worker could not open the store at {store_path}; see its error above.") from None

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

    def run(self, job: Job) -> tuple[str, Iterator[bytes]]:
        """Start ``job``; return the content type and an iterator over the serialized result.

        The first chunk is awaited here, so a query that fails or runs out of time before it raises
        :class:`QueryFailed` and gets a proper status. Later, the response is under way: a failure, the
        time limit or a client that stops reading ends the stream short and replaces the worker.
        """
        deadline = time.monotonic() + self.limits.timeout
        try:
            worker = self._idle.get(timeout=self.limits.timeout)
        except queue.Empty:
            raise QueryFailed(503, f"All {self.size} query workers are busy; try again shortly.") from None
        try:
            worker.connection.send(job)
            tag, payload = self._receive(worker, deadline)
            if tag == HEAD:
                content_type = payload.decode()
                tag, payload = self._receive(worker, deadline)
        except BaseException:
            self._replace(worker)
            raise
        if tag == ERROR:
            self._idle.put(worker)
            raise QueryFailed(*json.loads(payload))
        if tag == END:
            self._idle.put(worker)
            return content_type, iter(())
        return content_type, self._stream(worker, payload, deadline)

    def _stream(self, worker: _Worker, first: bytes, deadline: float) -> Iterator[bytes]:
        finished = False
        try:
            yield first
            while True:
                tag, payload = self._receive(worker, deadline)
                if tag == DATA:
                    yield payload
                elif tag == END:
                    finished = True
                    return
                else:
                    raise QueryFailed(*json.loads(payload))
        finally:
            if finished:
                self._idle.put(worker)
            else:
                self._replace(worker)

    def _receive(self, worker: _Worker, deadline: float) -> tuple[bytes, bytes]:
        """The worker's next message, watching the clock and the worker's memory while it works."""
        while not worker.connection.poll(min(max(deadline - time.monotonic(), 0), MEMORY_CHECK_SECONDS)):
            if time.monotonic() >= deadline:
                raise QueryFailed(422, f"The query was stopped after the time limit of {self.limits.timeout:g} s. "
                                       "Make it more selective (a LIMIT, fewer OPTIONALs, no unbound cross "
                                       "products) or download a dump to run it locally.")
            if worker.resident_bytes() > self.limits.memory_bytes:
                raise self._out_of_memory()
        try:
            message = worker.connection.recv_bytes()
        except (EOFError, OSError):  # the worker died: its address space cap was hit
            raise self._out_of_memory() from None
        return message[:1], message[1:]

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
    _serve(sys.argv[2], Connection(int(sys.argv[1])), Limits(**json.loads(sys.argv[3])))
