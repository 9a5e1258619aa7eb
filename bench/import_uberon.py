"""Import the full Uberon ext release beside MyoKG and time the cross-ontology example queries on it.

    .venv/bin/python bench/import_uberon.py ../shared/reference/uberon/uberon-ext-2016-05-11.owl.gz

Builds a release of this checkout's data in a temporary folder with `myokg import`, then prints the import's
wall-clock time (the whole command: validation, MyoKG's build and the import), the triples imported, the
store's size on disk, and the time of each query in queries/ that requires the Uberon import.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import Store

REPO = Path(__file__).resolve().parents[1]
GRAPH = "http://purl.obolibrary.org/obo/uberon/ext.owl"
REQUIRES = "# requires: uberon import"


def size_on_disk(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("uberon", type=Path, help="the Uberon release to import (RDF/XML, optionally .gz)")
    args = parser.parse_args()
    myokg = Path(sys.executable).parent / "myokg"
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "release"
        subprocess.run([myokg, "build", "--out", root], check=True, capture_output=True)
        started = time.perf_counter()
        subprocess.run([myokg, "import", "--release", root, args.uberon, "--graph", GRAPH], check=True)
        elapsed = time.perf_counter() - started
        store_path = (root / "current").resolve() / "store"
        store = Store.read_only(str(store_path))
        (row,) = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}")
        print(f"import (rebuild included): {elapsed:.1f} s")
        print(f"triples imported: {int(row['n'].value):,}")
        print(f"store on disk: {size_on_disk(store_path) / 1e6:.0f} MB")
        for path in sorted((REPO / "queries").glob("*.rq")):
            text = path.read_text(encoding="utf-8")
            if REQUIRES not in text:
                continue
            started = time.perf_counter()
            rows = len(list(store.query(text)))
            print(f"{path.name}: {rows} rows in {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
