"""Write data/reference/uberon/obsolete.tsv: the obsolete Uberon classes of an Uberon OBO release.

    python tools/uberon_obsolete.py ../shared/reference/uberon/uberon-basic-2024-09-03.obo.gz > data/reference/uberon/obsolete.tsv

`myokg validate` refuses a mapping to any class listed there and names its replacement.
"""

from __future__ import annotations

import csv
import gzip
import re
import sys


def obsolete_terms(lines):
    """(id, label, replaced_by, consider) of every obsolete UBERON class, in file order."""
    term: dict | None = None
    for line in [*lines, "[Term]"]:
        line = line.rstrip("\n")
        if line.startswith("["):
            if term and term.get("obsolete") and term["id"].startswith("UBERON:"):
                yield term["id"], term.get("name", ""), "|".join(term["replaced_by"]), "|".join(term["consider"])
            term = {"replaced_by": [], "consider": []} if line == "[Term]" else None
        elif term is not None and ": " in line:
            key, value = line.split(": ", 1)
            value = re.sub(r"\s*!.*$", "", value)
            if key in ("id", "name"):
                term[key] = value
            elif key == "is_obsolete":
                term["obsolete"] = value == "true"
            elif key in ("replaced_by", "consider"):
                term[key].append(value)


def main(path: str) -> None:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = list(handle)
    release = next(line.split("releases/")[1].split("/")[0] for line in lines if line.startswith("data-version:"))
    writer = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    writer.writerow(["id", "label", "replaced_by", "consider", "release"])
    for row in obsolete_terms(lines):
        writer.writerow([*row, f"uberon-basic {release}"])


if __name__ == "__main__":
    main(sys.argv[1])
