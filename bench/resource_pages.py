"""Time resource pages and documents on a built release through Flask's test client: median wall-clock and
CPU time of 20 requests each, after one warm-up request (which reads the names of all resources once).

    .venv/bin/python bench/resource_pages.py [--release release] [PATH ...]

CPU time is the figure to compare on a shared machine: wall-clock time grows with the machine's load.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from myokg.release import current_release
from myokg.web import create_app

PATHS = (
    "/doc/id/gluteus-medius.html", "/doc/id/superior-gluteal-nerve.html", "/doc/id/gluteus-medius/tp1.html",
    "/doc/id/lower-back.html", "/doc/id/l5-spinal-segment.html", "/doc/id/ilium.html", "/doc/id/hip-abduction.html",
    "/doc/id/gluteal-muscles.html", "/doc/id/travell-simons-vol2.html", "/doc/graph/ilive-gluteus-medius.html",
    "/doc/graph/grays-anatomy-42.html", "/doc/graph/myokg-curation.html", "/doc/id/gluteus-medius.ttl",
    "/doc/id/gluteus-medius.jsonld", "/doc/id/gluteus-medius.nq", "/id/gluteus-medius", "/doc/id/gluteus-medis.html",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", type=Path, default=Path("release"))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("paths", nargs="*", default=PATHS)
    options = parser.parse_args()
    app = create_app(current_release(options.release), workers=1)
    client = app.test_client()
    try:
        for path in options.paths:
            client.get(path)
        print(f"{'path':45s} status  wall ms   CPU ms   KiB")
        for path in options.paths:
            wall, cpu = [], []
            for _ in range(options.repeat):
                started, used = time.perf_counter(), time.process_time()
                response = client.get(path)
                wall.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - used) * 1000)
            print(f"{path:45s} {response.status_code:6d} {statistics.median(wall):8.1f} {statistics.median(cpu):8.1f} "
                  f"{len(response.data) // 1024:5d}")
    finally:
        app.extensions["myokg.queries"].close()


if __name__ == "__main__":
    main()
