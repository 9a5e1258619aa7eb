"""How long the search index takes to build and to answer, on a built release (the real data by default).

Builds the index from the release's store as the app does at start-up, then runs each query of a mix that
people type (one and two letters, prefixes, whole names, synonyms, Latin names, ids, nothing found) many
times and prints the mean and the worst time per query, in milliseconds, and how many results each found.
The times are the index's own work (myokg/search.py), without HTTP or JSON. Run:

    .venv/bin/python bench/search_speed.py [--release release] [--repeat 300]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pyoxigraph import Store

from myokg.release import current_release
from myokg.search import SearchIndex
from myokg.web import create_app

QUERIES = ["g", "gl", "glut", "gluteus med", "gluteus medius", "glut med", "superior gluteal", "trapezius",
           "nerve", "trigger point", "middle gluteal muscle", "m. gluteus medius", "UBERON:0001371", "0001371",
           "FMA:22315", "luteus medi", "xylophone"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=Path("release"), help="release folder (default: release)")
    parser.add_argument("--repeat", type=int, default=300, help="runs of each query (default: 300)")
    options = parser.parse_args()
    release = current_release(options.release)
    store = Store.read_only(str(release.store_path))
    started = time.perf_counter()
    index = SearchIndex.from_store(store)
    print(f"release {release.version}: {release.manifest['triples']} triples, {len(index.entries)} entries, "
          f"index built in {time.perf_counter() - started:.2f} s")
    app = create_app(release, workers=1)
    client = app.test_client()
    print(f"{'query':24} {'found':>6} {'index p50':>10} {'p99':>7} {'API p50':>8} {'p99':>7}   (ms)")
    try:
        for q in QUERIES:
            found = index.search(q).found
            in_index = timed(lambda: index.search(q, rows=10), options.repeat)
            in_api = timed(lambda: client.get("/api/search", query_string={"q": q, "rows": 10}), options.repeat)
            print(f"{q!r:24} {found:6d} {in_index[0]:10.3f} {in_index[1]:7.3f} {in_api[0]:8.3f} {in_api[1]:7.3f}")
    finally:
        app.extensions["myokg.queries"].close()


def timed(run, repeat: int) -> tuple[float, float]:
    """Median and 99th percentile of ``repeat`` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return times[len(times) // 2], times[min(len(times) - 1, int(len(times) * 0.99))]


if __name__ == "__main__":
    main()
