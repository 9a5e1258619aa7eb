"""Read a query's text before Oxigraph does: refuse what would reach outside the store, find FROM.

pyoxigraph evaluates ``SERVICE`` by making the HTTP call itself, with no switch to turn it off and no
timeout, and a SPARQL Update could ``LOAD`` a URL. Neither may happen on a public, read-only endpoint, so
the query text is scanned for those keywords first. The scan is a small SPARQL lexer: it skips comments,
IRIs, string literals, variables and prefixed names, so ``?service``, ``ex:load`` or ``"SERVICE"`` are not
mistaken for the keywords. The same scan tells whether the query names its own dataset (FROM).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Tokens that can hold the letters of a keyword without being one, in the order they must be tried.
_SKIPPED = re.compile(
    r"""
      \#[^\n\r]*                                  # comment
    | <[^<>"{}|^`\\\s]*>                          # IRI reference
    | '''(?:[^'\\]|\\.|'(?!''))*'''               # long strings
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
    | '(?:[^'\\\n\r]|\\.)*'                       # short strings
    | "(?:[^"\\\n\r]|\\.)*"
    | [?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+   # variable
    | (?:[A-Za-z_][\w.-]*)?:[\w.:%\\-]*           # prefixed name or blank node label (_:b)
    """,
    re.VERBOSE,
)
_WORD = re.compile(r"[A-Za-z]+")
# SPARQL resolves \uXXXX and \UXXXXXXXX escapes anywhere in the text before parsing, keywords included.
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

UPDATE_KEYWORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}


@dataclass(frozen=True)
class Refusal(Exception):
    """A query refused before execution: ``status`` is the HTTP status, ``message`` says why."""

    status: int
    message: str


def keywords(query: str):
    """The bare words of ``query`` (upper-cased) with their character offsets, outside every skipped token."""
    position = 0
    while position < len(query):
        skipped = _SKIPPED.match(query, position)
        if skipped and skipped.end() > position:
            position = skipped.end()
            continue
        word = _WORD.match(query, position)
        if word:
            yield word.group().upper(), position
            position = word.end()
        else:
            position += 1


def _line_column(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _unescaped(query: str) -> str:
    return _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


def check(query: str) -> None:
    """Raise :class:`Refusal` if ``query`` uses SERVICE or is an update."""
    query = _unescaped(query)
    for word, offset in keywords(query):
        if word == "SERVICE":
            raise Refusal(403, f"SERVICE (at {_line_column(query, offset)}) is not allowed: this endpoint never "
                               "calls other endpoints. Run the federated query from your own client or endpoint, "
                               "which can call this one.")
        if word in UPDATE_KEYWORDS:
            raise Refusal(403, f"{word} (at {_line_column(query, offset)}) is a SPARQL Update operation; this "
                               "endpoint is read-only and accepts queries only (SELECT, ASK, CONSTRUCT, DESCRIBE). "
                               "Download a dump to work on your own copy.")
