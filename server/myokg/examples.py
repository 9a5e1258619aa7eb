"""Example SPARQL queries, kept as files in queries/: each opens with a comment giving its title (first
line) and what it shows (the following comment lines)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Example:
    name: str  # the file name without .rq
    title: str
    description: str
    query: str


def load_examples(folder: Path) -> list[Example]:
    """The examples in ``folder``, in file name order; none if the folder does not exist."""
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        title = comments[0] if comments else path.stem
        examples.append(Example(path.stem, title, " ".join(c for c in comments[1:] if c), text))
    return examples
