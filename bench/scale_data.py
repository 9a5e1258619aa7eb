"""Make a scaled MyoKG dataset (about 1 million triples) and a MyoKG release of it, for bench/sparql_endpoint.py.

The scaled data is the real data plus R renamed copies ("replicas") of every muscle, muscle part, trigger
point and anatomical structure it describes (bones, bone landmarks, body regions, nerves, plexuses, joints,
movements, connective and soft tissue). A copy keeps every statement of its original, in the same named
graph (so each source graph grows R+1 times), with IRIs ``id/x{r}-{slug}`` and labels, synonyms and Latin
names suffixed `` x{r}``; its links go to the copies of the same replica, so a copy of the gluteus medius
originates on that replica's ilium, is innervated by that replica's superior gluteal nerve, its trigger
points refer pain to that replica's regions, whose part-of paths lead to that replica's lower limb. Shared
vocabulary stays single, as it would in a bigger real graph: spinal segments, sources and source graphs,
movement types, palpation techniques, perpetuating factors, shapes, occurrences and the ontology. So
joins have the fan-out of the real ones (a nerve innervates as many muscles as before) while every index
is R+1 times larger, and a spinal segment is shared by R+1 times more muscles.

The release is written by MyoKG's own release code (``myokg.release._write_release`` and ``_publish``:
store, dumps, checksums, VoID, release.json), without the SHACL validation step that ``myokg build`` runs
first: validation of the real 14,500 triples takes ~25 s and grows faster than linearly (see
bench/validation_scale.py), so at 1M triples it would take hours. The copies are renames of data that
validates, so they break no shape except uniqueness of labels, which the suffix keeps.

    .venv-bench/bin/python bench/scale_data.py --real /tmp/bench/real-release --out /tmp/bench/scaled
    # ~19 min on 2 cores, nearly all of it myokg.release writing the five dumps of 1M triples
    # writes /tmp/bench/scaled/source/ (ontology/, shapes/, data/ with data/bench-scaled/*.trig)
    # and /tmp/bench/scaled/release/current/ (store/, dumps/myokg-<version>.nq, release.json)
"""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, parse, serialize

from myokg.content import SourceTree
from myokg.namespaces import ID, ONTOLOGY_IRI, PREFIXES
from myokg.release import MANIFEST, _publish, _write_release, current_release

REPO = Path(__file__).resolve().parents[1]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
MYOKG = ONTOLOGY_IRI + "#"
# Instances of these classes are copied per replica; everything else is shared.
COPIED_CLASSES = {MYOKG + name for name in (
    "Muscle", "MusclePart", "TriggerPoint", "Bone", "BoneLandmark", "BodyRegion", "Nerve", "CranialNerve",
    "NervePlexus", "Joint", "Movement", "ConnectiveTissueStructure", "SoftTissueStructure",
)}
NAMES = {"http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#altLabel",
         MYOKG + "latinName"}


def real_quads(real_release: Path) -> list[Quad]:
    release = current_release(real_release)
    if release is None:
        raise SystemExit(f"No release in {real_release}: run `myokg build --out {real_release}` first.")
    dump = release.dumps_path / f"myokg-{release.version}.nq"
    return list(parse(path=str(dump), format=RdfFormat.N_QUADS))


def replica_template(quads: list[Quad]) -> tuple[list[Quad], set[str]]:
    """The quads a replica copies (those touching a copied resource, outside the ontology graph)."""
    copied = {q.subject.value for q in quads
              if q.predicate.value == RDF_TYPE and q.object.value in COPIED_CLASSES and q.subject.value.startswith(str(ID))}
    template = [q for q in quads if q.graph_name.value != ONTOLOGY_IRI
                and (q.subject.value in copied or (isinstance(q.object, NamedNode) and q.object.value in copied))]
    return template, copied


def replica(template: list[Quad], copied: set[str], r: int):
    prefix = str(ID)
    renamed: dict[str, NamedNode] = {}

    def rename(term):
        if isinstance(term, NamedNode) and term.value in copied:
            node = renamed.get(term.value)
            if node is None:
                node = renamed[term.value] = NamedNode(f"{prefix}x{r}-{term.value[len(prefix):]}")
            return node
        return term

    for q in template:
        obj = q.object
        if isinstance(obj, Literal) and q.predicate.value in NAMES:
            obj = Literal(f"{obj.value} x{r}", language=obj.language) if obj.language else Literal(f"{obj.value} x{r}")
        else:
            obj = rename(obj)
        yield Quad(rename(q.subject), q.predicate, obj, q.graph_name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, required=True, help="a release root built from the real data")
    parser.add_argument("--out", type=Path, required=True, help="folder for source/ and release/ (replaced)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="target size of the union graph")
    args = parser.parse_args()

    quads = real_quads(args.real)
    real_triples = len({(q.subject, q.predicate, q.object) for q in quads})
    template, copied = replica_template(quads)
    per_replica = len({(q.subject, q.predicate, q.object) for q in template})
    replicas = max(0, round((args.triples - real_triples) / per_replica))
    print(f"real data: {real_triples} triples; a replica copies {len(copied)} resources, {per_replica} triples; "
          f"{replicas} replicas for ~{real_triples + replicas * per_replica} triples", flush=True)

    if args.out.exists():
        shutil.rmtree(args.out)
    source = args.out / "source"
    for part in ("ontology", "shapes", "data"):
        shutil.copytree(REPO / part, source / part)
    folder = source / "data" / "bench-scaled"
    folder.mkdir()
    start = time.perf_counter()
    for r in range(1, replicas + 1):
        serialize(replica(template, copied, r), str(folder / f"replica-{r:03}.trig"), format=RdfFormat.TRIG,
                  prefixes=PREFIXES)
        if r % 10 == 0 or r == replicas:
            print(f"  wrote {r}/{replicas} replicas ({time.perf_counter() - start:.0f} s)", flush=True)

    tree = SourceTree(source.resolve(), is_checkout=True)
    root = args.out / "release"
    root.mkdir()
    staging = root / ".building-bench"
    staging.mkdir()
    start = time.perf_counter()
    version = current_release(args.real).version
    manifest = _write_release(tree, staging, version, echo=lambda m: print("  " + m, flush=True))
    path = _publish(staging, root, version)
    print(f"release {version} at {path}: {manifest['triples']} triples, {manifest['quads']} quads, "
          f"{len(manifest['graphs'])} graphs ({time.perf_counter() - start:.0f} s; {MANIFEST} written, "
          "validation skipped)", flush=True)


if __name__ == "__main__":
    main()
