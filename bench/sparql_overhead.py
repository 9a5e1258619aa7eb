"""Where MyoKG's time per SPARQL request goes: the same lookup through the server's layers, one layer at a time.

bench/sparql_endpoint.py shows MyoKG far behind Oxigraph's own server on cheap queries. This script serves
the lookup query (bench/queries/lookup-label.rq, 3 rows) on one release through stacks that add one layer
each, drives each with the same `wrk` client, and prints requests/s, p50/p99 and the server's CPU
milliseconds per request (all its processes), so the cost of each layer is the difference between rows:

  oxigraph          Oxigraph's own server (Rust), the goal
  waitress-bare     the server (--server: waitress or granian) + a bare WSGI callable returning a fixed 3-row
                    JSON body (no Flask, no query); the name stays from when waitress was the only server
  waitress-flask    the server + a Flask route returning that body
  flask-inproc      the server + Flask + pyoxigraph query and JSON serialization in the web thread
  flask-pool        the server + Flask + myokg's QueryPool (worker process, socket IPC), no MyoKG request logic
  flask-pool-alt    as flask-pool with a modified copy of query_workers.py (--alt-pool FILE), to try a change
  myokg             `myokg serve --server S`, the real app (protocol parsing, SERVICE/update scan, negotiation,
                    pool; query requests skip Flask's dispatch)

The variants are small WSGI apps written by this script into a temporary folder; nothing of server/ is
changed. Same setup as bench/sparql_endpoint.py; run:

    .venv-bench/bin/python bench/sparql_overhead.py --release /tmp/bench/real-release --threads 8 --workers 2
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sparql_endpoint import BIN, QUERIES, Server, run_wrk  # noqa: E402

APP = textwrap.dedent('''
    import io, json, os, sys
    from pyoxigraph import QueryResultsFormat, Store
    variant, store_path, port, threads, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    server, processes = os.environ.get("BENCH_SERVER", "waitress"), int(os.environ.get("BENCH_PROCESSES", "1"))
    if os.environ.get("BENCH_SWITCH_INTERVAL"):
        sys.setswitchinterval(float(os.environ["BENCH_SWITCH_INTERVAL"]))
    JSON = "application/sparql-results+json"

    def make(_target=None):
        """The variant's WSGI app; built in each server process (the store and pool are per process)."""
        store = Store.read_only(store_path)

        def run(query):
            out = io.BytesIO()
            store.query(query).serialize(out, QueryResultsFormat.JSON)
            return out.getvalue()

        FIXED = run(open(os.environ["BENCH_LOOKUP"]).read())
        if variant == "waitress-bare":
            def app(environ, start_response):
                environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                start_response("200 OK", [("Content-Type", JSON), ("Content-Length", str(len(FIXED)))])
                return [FIXED]
            return app
        from flask import Flask, Response, request
        app = Flask(__name__)
        if variant == "waitress-flask":
            @app.post("/sparql")
            def sparql():
                request.get_data()
                return Response(FIXED, 200, {"Content-Type": JSON})
        elif variant == "flask-inproc":
            @app.post("/sparql")
            def sparql():
                return Response(run(request.get_data().decode()), 200, {"Content-Type": JSON})
        elif variant in ("flask-pool", "flask-pool-alt"):
            if variant == "flask-pool":
                from myokg.query_workers import Job, Limits, QueryPool
            else:  # a modified copy of query_workers.py, given by --alt-pool
                sys.path.insert(0, os.path.dirname(os.environ["BENCH_ALT_POOL"]))
                alt = __import__(os.path.basename(os.environ["BENCH_ALT_POOL"])[:-3])
                Job, Limits, QueryPool = alt.Job, alt.Limits, alt.QueryPool
            pool = QueryPool(store_path, workers, Limits(30.0, 2 * 2**30, 200_000_000))
            @app.post("/sparql")
            def sparql():
                job = Job(request.get_data().decode(), None, None, JSON, None)
                answer = pool.run(job)
                return Response(answer.chunks, 200, {"Content-Type": answer.content_type,
                                                     "Content-Length": str(answer.length)})
        return app

    if server == "waitress":
        import waitress
        waitress.serve(make(), host="127.0.0.1", port=port, threads=threads, ident="bench", _quiet=True)
    else:
        from granian import Granian
        Granian("variant_app:app", address="127.0.0.1", port=port, interface="wsgi", workers=processes,
                blocking_threads=threads, log_enabled=False).serve(target_loader=make)
''')

# `myokg serve`, with the switch interval of --switch-interval if given
MYOKG = ("import os, sys; s = os.environ.get('BENCH_SWITCH_INTERVAL'); s and sys.setswitchinterval(float(s)); "
         "sys.argv[0] = 'myokg'; from myokg.cli import main; main()")
VARIANTS = ["oxigraph", "waitress-bare", "waitress-flask", "flask-inproc", "flask-pool", "flask-pool-alt", "myokg"]


def pool_round_trip(store_path: str, query: str, workers: int, count: int = 2000) -> None:
    """The query without HTTP: in this process, then through myokg's QueryPool (send job, worker answers,
    chunks back), sequentially; wall time per query and this process's CPU per query."""
    import io

    from pyoxigraph import QueryResultsFormat, Store

    from myokg.query_workers import Job, Limits, QueryPool

    store = Store.read_only(store_path)

    def inproc():
        out = io.BytesIO()
        store.query(query).serialize(out, QueryResultsFormat.JSON)
        return out.getvalue()

    pool = QueryPool(store_path, workers, Limits(30.0, 2 * 2**30, 200_000_000))
    job = Job(query, None, None, "application/sparql-results+json", None)

    def pooled():
        return b"".join(pool.run(job).chunks)

    try:
        for name, call in (("in-process", inproc), ("QueryPool", pooled)):
            call()
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(count):
                call()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(f"  {name:11} {1e6 * wall / count:7.0f} us wall, {1e6 * cpu / count:7.0f} us CPU of the calling "
                  f"process per query ({count} sequential queries, no HTTP)", flush=True)
    finally:
        pool.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, required=True, help="a release root (myokg build --out)")
    parser.add_argument("--variants", nargs="+", default=VARIANTS, choices=VARIANTS)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--duration", type=float, default=8)
    parser.add_argument("--threads", type=int, default=8, help="HTTP threads (per process)")
    parser.add_argument("--server", choices=["waitress", "granian"], default="waitress",
                        help="the HTTP server of the Python stacks (and of myokg serve --server)")
    parser.add_argument("--processes", type=int, default=1, help="HTTP server processes (granian only)")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes (flask-pool, myokg)")
    parser.add_argument("--query", default="lookup-label.rq", help="a file in bench/queries/")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/work"))
    parser.add_argument("--switch-interval", type=float, help="sys.setswitchinterval for the Python servers "
                        "[default: Python's 0.005 s]")
    parser.add_argument("--alt-pool", type=Path, help="a modified copy of myokg/query_workers.py to measure as "
                        "flask-pool-alt (e.g. a prototype kept outside the repository)")
    args = parser.parse_args()

    from myokg.release import current_release

    release = current_release(args.release)
    args.work.mkdir(parents=True, exist_ok=True)
    store = args.work / f"oxigraph-overhead-{release.path.name}-{release.manifest['triples']}"
    if not store.exists():
        import subprocess
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(store), "--file",
                        str(release.dumps_path / f"myokg-{release.version}.nq")], check=True, capture_output=True)
    folder = Path(tempfile.mkdtemp(prefix="sparql-overhead-"))
    (folder / "variant_app.py").write_text(APP)
    os.environ["BENCH_LOOKUP"] = str(QUERIES / args.query)
    os.environ["BENCH_SERVER"], os.environ["BENCH_PROCESSES"] = args.server, str(args.processes)
    if args.switch_interval:
        os.environ["BENCH_SWITCH_INTERVAL"] = str(args.switch_interval)
    if args.alt_pool:
        os.environ["BENCH_ALT_POOL"] = str(args.alt_pool.resolve())
    elif "flask-pool-alt" in args.variants:
        args.variants.remove("flask-pool-alt")
    print(f"{args.query} on {release.path} ({release.manifest['triples']} triples), {args.server} x {args.processes}, {args.threads} threads, "
          f"{args.workers} workers, switch interval {args.switch_interval or 0.005} s, {os.getloadavg()[0]:.1f} load")
    pool_round_trip(str(release.store_path), (QUERIES / args.query).read_text(), args.workers)
    print(f"{'variant':15} {'conc':>4} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'cpu ms/req':>10}", flush=True)
    for variant in args.variants:
        if variant == "oxigraph":
            server = Server(variant, [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store), "--bind",
                                      "127.0.0.1:{port}", "--union-default-graph"], "/query")
        elif variant == "myokg":
            server = Server(variant, [sys.executable, "-c", MYOKG, "serve", "--release", str(args.release), "--port", "{port}",
                                      "--threads", str(args.threads), "--workers", str(args.workers),
                                      "--server", args.server, "--processes", str(args.processes)], "/sparql")
        else:
            server = Server(variant, [sys.executable, str(folder / "variant_app.py"), variant,
                                      str(release.store_path), "{port}", str(args.threads), str(args.workers)],
                            "/sparql")
        server.start(folder)
        try:
            time.sleep(1)
            for connections in args.concurrency:
                r = run_wrk(server, [args.query], connections, args.duration, 30, 0)
                print(f"{variant:15} {connections:>4} {r['rps']:>8.0f} {r['p50_us'] / 1000:>8.2f} "
                      f"{r['p99_us'] / 1000:>8.2f} {r['cpu_ms_per_request']:>10.3f}", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
