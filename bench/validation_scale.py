"""How validation time grows with the data, against plain pyshacl on the same graph in the same run.

Generates N extra muscles (copies of the gluteus medius with its trigger points, each under its own slug),
then times `myokg.validation.validate` (pyshacl for core constraints, Oxigraph for SHACL-SPARQL ones) and
pyshacl running the whole shapes file on the same validation graph. Prints seconds and the speed-up.

    .venv/bin/python bench/validation_scale.py --muscles 100 300
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
import time
from pathlib import Path

import pyshacl

from myokg.content import find_source
from myokg.loading import load
from myokg.validation import validate, validation_graph

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "data" / "pelvis-and-hip" / "gluteus-medius.trig"


def scaled_tree(folder: Path, muscles: int):
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(REPO / part, folder / part)
    text = TEMPLATE.read_text()
    text = text[: text.index("# --- How the trigger points are examined")]  # shared resources stay single
    text = re.sub(r"GRAPH g:uberon \{[^}]*\}\n", "", text)  # mappings would not match a copy's label
    for n in range(muscles):
        copy = text.replace("<https://w3id.org/myokg/id/gluteus-medius/>", f"<https://w3id.org/myokg/id/bench-muscle-{n}/>")
        copy = copy.replace(":gluteus-medius ", f":bench-muscle-{n} ").replace(":gluteus-medius\n", f":bench-muscle-{n}\n")
        copy = copy.replace(":gluteus-medius ;", f":bench-muscle-{n} ;").replace(":gluteus-medius .", f":bench-muscle-{n} .")
        copy = re.sub(r'"([^"]*)gluteus medius([^"]*)"@en', lambda m: f'"{m[1]}bench muscle {n}{m[2]}"@en', copy)
        copy = re.sub(r'skos:altLabel "[^;]*;', "", copy)  # synonyms of the real muscle would clash
        (folder / "data" / f"bench-{n}.trig").write_text(copy)
    return find_source(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--muscles", type=int, nargs="+", default=[100])
    args = parser.parse_args()
    print(f"{'muscles':>8} {'triples':>8} {'myokg s':>8} {'pyshacl s':>9} {'speed-up':>8}")
    for muscles in args.muscles:
        with tempfile.TemporaryDirectory() as tmp:
            tree = scaled_tree(Path(tmp), muscles)
            start = time.perf_counter()
            report = validate(tree)
            ours = time.perf_counter() - start
            assert report.ok, [p.render() for p in report.violations[:3]]
            content = load(tree)
            graph = validation_graph(content)
            start = time.perf_counter()
            conforms, _, _ = pyshacl.validate(graph, shacl_graph=content.shapes, inference="none", allow_warnings=True)
            peer = time.perf_counter() - start
            print(f"{muscles:>8} {len(graph):>8} {ours:>8.1f} {peer:>9.1f} {peer / ours:>7.1f}x", flush=True)


if __name__ == "__main__":
    main()
