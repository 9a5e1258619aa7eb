"""Run the web app under a production HTTP server: granian (Rust, the default) or waitress (pure Python).

granian parses HTTP and handles connections in Rust and calls the WSGI app from a pool of Python threads;
its cost per request stays ~0.1 ms at any number of connections, where waitress's grows from 0.2 ms at one
connection to ~2 ms at four (bench/RESULTS-sparql.md). granian can also run several server processes,
each with its own app, so its own read-only handle on the store and its own query workers: ``factory`` is
called in each of them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

SERVERS = ("granian", "waitress")
# Seconds a granian server process may take to stop before it is killed: a stop (Ctrl-C, SIGTERM) must not
# hang on a process still starting up; its query workers see their pool go and exit on their own.
STOP_GRACE = 5


def _loaded(factory: Callable, _target: str):
    return factory()


def serve(factory: Callable, *, server: str, host: str, port: int, processes: int, threads: int) -> None:
    """Serve the WSGI app made by ``factory`` (picklable, e.g. a partial of a module-level function) until
    the process is told to stop."""
    if server == "waitress":
        import waitress

        waitress.serve(factory(), host=host, port=port, threads=threads, ident="myokg")
        return
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    Granian("myokg.web:create_app", address=host, port=port, interface=Interfaces.WSGI, workers=processes,
            blocking_threads=threads, log_level=LogLevels.warning,
            workers_kill_timeout=STOP_GRACE).serve(target_loader=partial(_loaded, factory))
