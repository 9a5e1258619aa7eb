"""SPARQL endpoint throughput and latency: MyoKG against Oxigraph's own server and rdflib-endpoint, same data.

Each dataset (the real data, and the ~1M-triple scaled data of bench/scale_data.py) is served by:
- MyoKG: `myokg serve --release ROOT` (granian + Flask, queries in pyoxigraph worker processes), union
  default graph as published;
- Oxigraph: `oxigraph serve-read-only --union-default-graph` on a store made by `oxigraph load` from the
  release's N-Quads dump (myokg-<version>.nq), the goal to reach. It runs without `--timeout-s`: in
  oxigraph 0.5.13 that option apparently starts a thread per query that outlives it, and at a few thousand
  lookups/s the server aborts ("failed to set up alternative stack guard page") after ~16,000 requests;
- rdflib-endpoint: uvicorn serving an rdflib ``Dataset(default_union=True)`` parsed from the same N-Quads,
  the Python baseline (this script runs it as `--serve-rdflib NQ PORT`).
The same query text goes to all three (bench/queries/*.rq; lookup, three joins, an aggregate), and before
timing, every server's answer to every query is checked to be the same set of rows. Then `wrk` (one thread,
keep-alive connections) POSTs application/sparql-query requests (Accept: application/sparql-results+json)
rotating over a workload's queries (bench/sparql_mix.lua), for each concurrency (= open connections):
  lookup: lookup-label.rq; joins: join-*.rq; aggregate: aggregate-class-counts.rq; mix: all five.
It reports requests/s, p50 and p99 latency, the CPU the server used per request (all its processes), and
the ratios MyoKG/Oxigraph (goals: throughput >= 0.8, p99 <= 1/0.8 = 1.25x) and MyoKG/rdflib (joins, >= 100x).
rdflib-endpoint answers one query at a time (in uvicorn's event loop) and is slow on joins, so it gets a
per-request timeout (--rdflib-timeout), at most --rdflib-max-requests responses per run (its rate is then
connections / mean latency), optionally fewer concurrencies (--rdflib-concurrency), and is restarted after a
run with timeouts (it cannot cancel the query it is on); whatever it managed is reported, timeouts counted.
`--report FILE.json ...` prints the markdown tables of bench/RESULTS-sparql.md from --json files.

Setup (a venv of its own; wrk is Debian's package):
    apt-get install -y wrk
    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -e . oxigraph rdflib-endpoint uvicorn
    .venv-bench/bin/myokg build --out /tmp/bench/real-release
    .venv-bench/bin/python bench/scale_data.py --real /tmp/bench/real-release --out /tmp/bench/scaled
    .venv-bench/bin/pip install py-spy    # only to profile, as in bench/RESULTS-sparql.md
Run (as for bench/RESULTS-sparql.md; MyoKG tuned to 8 threads, 4 workers on 2 cores):
    .venv-bench/bin/python bench/sparql_endpoint.py --real /tmp/bench/real-release --concurrency 1 4 16 \
        --duration 10 --myokg-threads 8 --myokg-workers 4 --rdflib-timeout 10 --rdflib-max-requests 20 \
        --json /tmp/bench/results-real.json
    .venv-bench/bin/python bench/sparql_endpoint.py --scaled /tmp/bench/scaled/release --concurrency 1 4 16 \
        --duration 15 --myokg-threads 8 --myokg-workers 4 --rdflib-timeout 30 --rdflib-max-requests 20 \
        --rdflib-concurrency 1 --json /tmp/bench/results-scaled.json
    .venv-bench/bin/python bench/sparql_endpoint.py --report /tmp/bench/results-*.json   # markdown tables
    .venv-bench/bin/python bench/sparql_endpoint.py --medians run1.json run2.json run3.json   # over repeated runs
Progress and one line per measurement are printed as they come, then the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries"
LUA = HERE / "sparql_mix.lua"
BIN = Path(sys.executable).parent
WORKLOADS = {
    "lookup": ["lookup-label.rq"],
    "joins": ["join-nerve-segments.rq", "join-referred-pain.rq", "join-insertion-bone.rq"],
    "aggregate": ["aggregate-class-counts.rq"],
    "mix": ["lookup-label.rq", "join-nerve-segments.rq", "join-referred-pain.rq", "join-insertion-bone.rq",
            "aggregate-class-counts.rq"],
}
CLK_TCK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, query: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=query.encode(), method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def rows(body: bytes) -> list[tuple]:
    """The solutions as sorted tuples of (variable, value), ignoring how each server spells datatypes."""
    data = json.loads(body)
    return sorted(tuple(sorted((k, v["value"]) for k, v in b.items())) for b in data["results"]["bindings"])


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` and all its live descendants."""
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


def resident_mib(pid: int) -> float:
    total = 0
    for p in descendants(pid):
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            pass
    return total / 2**20


@dataclass
class Server:
    name: str
    command: list[str]
    path: str
    start_timeout: float = 120
    process: subprocess.Popen | None = None
    port: int = field(default_factory=free_port)
    log: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def start(self, logdir: Path) -> None:
        command = [c.replace("{port}", str(self.port)) for c in self.command]
        self.log = logdir / f"{self.name}.log"
        print(f"  starting {self.name}: {' '.join(command)}", flush=True)
        self.process = subprocess.Popen(command, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + self.start_timeout
        probe = (QUERIES / "lookup-label.rq").read_text()
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"{self.name} exited: see {self.log}")
            try:
                status, _ = post(self.url, probe, 5)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"{self.name} did not answer within {self.start_timeout:.0f} s: see {self.log}")

    def restart(self, logdir: Path) -> None:
        """Stop and start again: the way to end a query a server cannot cancel (rdflib-endpoint)."""
        self.stop()
        start = time.perf_counter()
        self.start(logdir)
        print(f"  {self.name} restarted in {time.perf_counter() - start:.0f} s", flush=True)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # the server's own process group (start_new_session)
            try:
                self.process.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def run_wrk(server: Server, files: list[str], connections: int, duration: float, timeout: float,
            max_per_thread: int) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{duration:g}s", f"--timeout={timeout:g}s", "-s", str(LUA),
               f"http://127.0.0.1:{server.port}", "--", server.path, str(max_per_thread),
               *[str(QUERIES / f) for f in files]]
    cpu_before = cpu_seconds(server.process.pid)
    out = subprocess.run(command, capture_output=True, text=True, timeout=duration + timeout + 60)
    cpu = cpu_seconds(server.process.pid) - cpu_before
    match = re.search(r"^RESULT (.*)$", out.stdout, re.M)
    if not match:
        raise SystemExit(f"wrk failed: {out.stdout}\n{out.stderr}")
    result = json.loads(match[1])
    result["connections_"] = connections
    seconds = result["duration_us"] / 1e6
    ok = result["requests"] - result["non200"]
    result.update(rps=ok / seconds, cpu_ms_per_request=1000 * cpu / max(ok, 1), server_cpu_s=cpu,
                  rss_mib=resident_mib(server.process.pid), max_per_thread=max_per_thread)
    little(result)
    return result


def little(result: dict) -> None:
    """A run cut short by MAX_PER_THREAD ends before wrk's clock does, so requests / duration would understate
    the rate: use Little's law for a closed loop instead, connections / mean latency (successes only)."""
    limit = result.get("max_per_thread") or 0
    if limit and result["requests"] >= limit and result["mean_us"]:
        ok = result["requests"] - result["non200"]
        result["rps"] = result["connections_"] * 1e6 / result["mean_us"] * ok / result["requests"]
        result["rps_method"] = "connections / mean latency (run stopped after MAX_PER_THREAD responses)"


def answers_lookup(server: Server, limit: float = 5) -> bool:
    """Whether a server answers a lookup within ``limit`` seconds (not still busy with abandoned requests)."""
    try:
        return post(server.url, (QUERIES / "lookup-label.rq").read_text(), limit)[0] == 200
    except OSError:
        return False


def servers_for(name: str, release_root: Path, work: Path, args) -> list[Server]:
    from myokg.release import current_release

    release = current_release(release_root)
    dump = release.dumps_path / f"myokg-{release.version}.nq"
    store = work / f"oxigraph-{name}"
    if not store.exists():
        print(f"  oxigraph load {dump} ...", flush=True)
        start = time.perf_counter()
        subprocess.run([str(BIN / "oxigraph"), "load", "--location", str(store), "--file", str(dump)], check=True,
                       stdout=subprocess.DEVNULL)
        print(f"  loaded in {time.perf_counter() - start:.0f} s", flush=True)
    myokg = [str(BIN / "myokg"), "serve", "--release", str(release_root), "--port", "{port}",
             "--threads", str(args.myokg_threads), "--query-timeout", "30", "--server", args.myokg_server,
             "--processes", str(args.myokg_processes)]
    if args.myokg_workers:
        myokg += ["--workers", str(args.myokg_workers)]
    every = {
        "myokg": Server("myokg", myokg, "/sparql"),
        "oxigraph": Server("oxigraph", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(store),
                                        "--bind", "127.0.0.1:{port}", "--union-default-graph"],
                           "/query"),
        "rdflib": Server("rdflib", [sys.executable, __file__, "--serve-rdflib", str(dump), "{port}"], "/sparql",
                         start_timeout=900),
    }
    return [every[s] for s in args.servers]


def check_answers(servers: list[Server], timeouts: dict[str, float], logdir: Path) -> dict[str, dict]:
    """Every server gives the same rows for every query (a server that times out is restarted and left out of
    the comparison for that query); returns each query's row count and each server's single-request time."""
    found = {}
    for file in sorted(QUERIES.glob("*.rq")):
        query = file.read_text()
        answers, times = {}, {}
        for server in servers:
            start = time.perf_counter()
            try:
                status, body = post(server.url, query, timeouts.get(server.name, 60))
            except TimeoutError:
                times[server.name] = None
                print(f"    {file.name:28} {server.name:9} timed out after {timeouts.get(server.name, 60):g} s",
                      flush=True)
                server.restart(logdir)
                continue
            if status != 200:
                raise SystemExit(f"{server.name} answered {file.name} with {status}: {body[:300]!r}")
            answers[server.name] = rows(body)
            times[server.name] = 1000 * (time.perf_counter() - start)
            print(f"    {file.name:28} {server.name:9} {len(answers[server.name]):5} rows "
                  f"{times[server.name]:9.1f} ms", flush=True)
        first = next(iter(answers.values()))
        for name, answer in answers.items():
            if answer != first:
                raise SystemExit(f"{file.name}: {name} differs from {next(iter(answers))}")
        found[file.stem] = {"rows": len(first), "first_request_ms": times}
    return found


def serve_rdflib(dump: str, port: int) -> None:
    import logging

    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(dump, format="nquads")
    print(f"rdflib: {len(dataset)} quads parsed in {time.perf_counter() - start:.0f} s", flush=True)
    logging.getLogger("root").setLevel(logging.CRITICAL)
    app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {p: version(p) for p in ("myokg", "pyoxigraph", "oxigraph", "flask", "granian", "waitress", "rdflib",
                                     "rdflib-endpoint", "uvicorn", "fastapi")}
    found["wrk"] = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip()
    found["python"] = sys.version.split()[0]
    return found


def report(paths: list[str]) -> None:
    """Markdown tables of the JSON files written by --json: measurements, then ratios."""
    results = []
    for path in paths:
        data = json.loads(Path(path).read_text())
        for r in data["results"]:
            if "max_per_thread" not in r:  # written before little() existed: same rule, the limit from the args
                r["connections_"] = r["connections"]
                r["max_per_thread"] = int(data["info"]["args"]["rdflib_max_requests"]) if r["server"] == "rdflib" else 0
                little(r)
            results.append(r)
    print("| dataset | workload | conc | server | req/s | p50 ms | p99 ms | server CPU ms/req | errors | load |")
    print("|---|---|--:|---|--:|--:|--:|--:|--:|--:|")
    for r in results:
        errors = r["non200"] + r["timeout"] + r["connect"] + r["read"]
        print(f"| {r['dataset']} | {r['workload']} | {r['connections']} | {r['server']} | {r['rps']:.1f} | "
              f"{r['p50_us'] / 1000:.2f} | {r['p99_us'] / 1000:.2f} | {r['cpu_ms_per_request']:.2f} | {errors} | "
              f"{r['loadavg_before']:.1f} |")
    print("\n| dataset | workload | conc | MyoKG/Oxigraph req/s (goal >= 0.80) | MyoKG/Oxigraph p99 (goal <= 1.25) "
          "| MyoKG/rdflib req/s (goal >= 100 on joins) |")
    print("|---|---|--:|--:|--:|--:|")
    for dataset, workload, connections, mine, thr, p99, lib in _ratios(results):
        if lib is None:
            vs = "not run"
        elif lib["rps"]:
            vs = f"{mine['rps'] / lib['rps']:.0f}"
        else:
            vs = f"inf: rdflib completed 0 in {lib['duration_us'] / 1e6:.0f} s"
        print(f"| {dataset} | {workload} | {connections} | {thr} | {p99} | {vs} |")


def medians(paths: list[str]) -> None:
    """Markdown table over repeated runs (--json files of the same measurements): per cell, the medians of
    MyoKG's and Oxigraph's figures, and the ratio of each run beside their median."""
    import statistics

    cells: dict[tuple, dict[str, list[dict]]] = {}
    for path in paths:
        for r in json.loads(Path(path).read_text())["results"]:
            cells.setdefault((r["dataset"], r["workload"], r["connections"]), {}).setdefault(r["server"], []).append(r)
    print("| data | workload | conc | MyoKG req/s | Oxigraph req/s | MyoKG p99 ms | Oxigraph p99 ms | MyoKG CPU ms/req "
          "| Oxigraph CPU ms/req | req/s ratio, median (each run) | p99 ratio, median (each run) | load |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for (dataset, workload, connections), by in cells.items():
        mine, oxi = by["myokg"], by["oxigraph"]

        def median(runs, figure):
            return statistics.median(figure(r) for r in runs)

        thr = [a["rps"] / b["rps"] for a, b in zip(mine, oxi) if b["rps"]]
        p99 = [a["p99_us"] / b["p99_us"] for a, b in zip(mine, oxi) if b["p99_us"]]
        each = ", ".join
        print(f"| {dataset} | {workload} | {connections} | {median(mine, lambda r: r['rps']):.0f} | "
              f"{median(oxi, lambda r: r['rps']):.0f} | {median(mine, lambda r: r['p99_us'] / 1000):.1f} | "
              f"{median(oxi, lambda r: r['p99_us'] / 1000):.1f} | {median(mine, lambda r: r['cpu_ms_per_request']):.2f} | "
              f"{median(oxi, lambda r: r['cpu_ms_per_request']):.2f} | **{statistics.median(thr):.2f}** "
              f"({each(f'{x:.2f}' for x in thr)}) | **{statistics.median(p99):.2f}** ({each(f'{x:.2f}' for x in p99)}) | "
              f"{median(mine + oxi, lambda r: r['loadavg_before']):.0f} |")


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-rdflib":
        return serve_rdflib(sys.argv[2], int(sys.argv[3]))
    if len(sys.argv) > 2 and sys.argv[1] == "--report":
        return report(sys.argv[2:])
    if len(sys.argv) > 2 and sys.argv[1] == "--medians":
        return medians(sys.argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, help="release root of the real data (myokg build --out)")
    parser.add_argument("--scaled", type=Path, help="release root of the scaled data (bench/scale_data.py)")
    parser.add_argument("--servers", nargs="+", default=["myokg", "oxigraph", "rdflib"],
                        choices=["myokg", "oxigraph", "rdflib"])
    parser.add_argument("--workloads", nargs="+", default=["lookup", "joins", "aggregate", "mix"], choices=WORKLOADS)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--duration", type=float, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=1, help="runs per measurement (not rdflib); the best is kept")
    parser.add_argument("--myokg-threads", type=int, default=8, help="myokg serve --threads")
    parser.add_argument("--myokg-workers", type=int, help="myokg serve --workers [default: its own]")
    parser.add_argument("--myokg-server", default="granian", choices=["granian", "waitress"], help="myokg serve --server")
    parser.add_argument("--myokg-processes", type=int, default=1, help="myokg serve --processes")
    parser.add_argument("--rdflib-timeout", type=float, default=10, help="per-request timeout for rdflib-endpoint")
    parser.add_argument("--rdflib-max-requests", type=int, default=20, help="responses per rdflib-endpoint run")
    parser.add_argument("--rdflib-concurrency", type=int, nargs="+",
                        help="concurrencies to run rdflib-endpoint at [default: --concurrency]; it answers one "
                        "request at a time, so more connections only queue")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/work"), help="Oxigraph stores and logs")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    args.work.mkdir(parents=True, exist_ok=True)
    datasets = [(n, p) for n, p in (("real", args.real), ("scaled", args.scaled)) if p]
    results = []
    info = {"nproc": os.cpu_count(), "versions": versions(), "args": {k: str(v) for k, v in vars(args).items()}}
    print(f"{'dataset':8} {'server':9} {'workload':9} {'conc':>4} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9} "
          f"{'cpu ms/req':>10} {'errors':>6} {'load':>5}")
    for dataset, root in datasets:
        print(f"dataset {dataset}: {root}", flush=True)
        servers = servers_for(dataset, root, args.work, args)
        logdir = args.work / f"logs-{dataset}"
        logdir.mkdir(exist_ok=True)
        try:
            for server in servers:
                server.start(logdir)
            print("  answers agree? (rows, first-request time)", flush=True)
            info.setdefault("answers", {})[dataset] = check_answers(
                servers, {"rdflib": args.rdflib_timeout}, logdir)
            # Interleaved (each workload and concurrency on every server in turn, one server busy at a time) so
            # that other load on the machine falls on all servers alike; best of --rounds by throughput.
            for workload in args.workloads:
                for connections in args.concurrency:
                    for server in servers:
                        slow = server.name == "rdflib"
                        if slow and connections not in (args.rdflib_concurrency or args.concurrency):
                            continue
                        tries = []
                        for _ in range(1 if slow else args.rounds):
                            load = os.getloadavg()[0]
                            result = run_wrk(server, WORKLOADS[workload], connections, args.duration,
                                             args.rdflib_timeout if slow else 30,
                                             args.rdflib_max_requests if slow else 0)
                            result["loadavg_before"] = load
                            if slow and (result["timeout"] or not answers_lookup(server)):
                                server.restart(logdir)  # it is still working on abandoned requests
                            tries.append(result)
                        result = max(tries, key=lambda r: r["rps"])
                        result.update(dataset=dataset, server=server.name, workload=workload,
                                      connections=connections, rounds=[t["rps"] for t in tries])
                        results.append(result)
                        errors = result["non200"] + result["timeout"] + result["connect"] + result["read"]
                        print(f"{dataset:8} {server.name:9} {workload:9} {connections:>4} {result['rps']:>9.1f} "
                              f"{result['p50_us'] / 1000:>9.2f} {result['p99_us'] / 1000:>9.2f} "
                              f"{result['cpu_ms_per_request']:>10.2f} {errors:>6} {load:>5.1f}", flush=True)
                        if args.json:
                            args.json.write_text(json.dumps({"info": info, "results": results}, indent=1))
        finally:
            for server in servers:
                server.stop()
    print_ratios(results)


def _ratios(results: list[dict]):
    """For each MyoKG measurement: its keys, itself, the throughput and p99 ratios to Oxigraph (text), and
    the rdflib-endpoint measurement beside it (or None)."""
    by = {(r["dataset"], r["server"], r["workload"], r["connections"]): r for r in results}
    for (dataset, server, workload, connections), mine in by.items():
        if server != "myokg":
            continue
        oxi = by.get((dataset, "oxigraph", workload, connections))
        thr = f"{mine['rps'] / oxi['rps']:.2f}" if oxi and oxi["rps"] else "-"
        p99 = f"{mine['p99_us'] / oxi['p99_us']:.2f}" if oxi and oxi["p99_us"] else "-"
        yield dataset, workload, connections, mine, thr, p99, by.get((dataset, "rdflib", workload, connections))


def print_ratios(results: list[dict]) -> None:
    print("\nratios (MyoKG / Oxigraph: throughput goal >= 0.80, p99 goal <= 1.25; MyoKG / rdflib on joins: >= 100)")
    print(f"{'dataset':8} {'workload':9} {'conc':>4} {'thr/oxi':>8} {'p99/oxi':>8} {'thr/rdflib':>10}")
    for dataset, workload, connections, mine, thr, p99, lib in _ratios(results):
        vs = f"{mine['rps'] / lib['rps']:.0f}" if lib and lib["rps"] else ("inf" if lib else "-")
        print(f"{dataset:8} {workload:9} {connections:>4} {thr:>8} {p99:>8} {vs:>10}")


if __name__ == "__main__":
    main()
