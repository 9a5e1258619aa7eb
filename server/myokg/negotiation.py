"""HTTP content negotiation: parse an Accept header (RFC 9110, section 12.5.1) and pick what to send.

Each media range's quality applies to an offered type through the most specific range that matches it
(``text/turtle`` before ``text/*`` before ``*/*``; a range with parameters before one without). Among the
offers with the highest non-zero quality, the server's order of preference decides.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: dict[str, str] = field(default_factory=dict)
    quality: float = 1.0

    def specificity(self, media_type: str) -> int:
        """How closely this range matches ``media_type`` (higher is closer), or -1 if it does not."""
        main, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        if self.subtype != sub:
            return -1
        return 3 if self.params else 2


def _split(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside double-quoted strings."""
    parts, current, quoted, escaped = [], [], False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return parts


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header; a missing or empty header accepts anything. Malformed
    entries are skipped, as clients' headers are often sloppy."""
    if not header or not header.strip():
        return [MediaRange("*", "*")]
    ranges = []
    for entry in _split(header, ","):
        pieces = _split(entry, ";")
        kind = pieces[0].strip().lower()
        main, slash, sub = kind.partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        quality, params = 1.0, {}
        for piece in pieces[1:]:
            name, _, value = piece.strip().partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    quality = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    quality = 0.0
                break  # parameters after q are accept-extensions, not media type parameters
            if name:
                params[name] = value
        ranges.append(MediaRange(main, sub, params, quality))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """The quality the client gives ``media_type``: that of the most specific range matching it."""
    best, best_specificity = 0.0, -1
    for media_range in ranges:
        specificity = media_range.specificity(media_type)
        if specificity > best_specificity:
            best, best_specificity = media_range.quality, specificity
    return best


def choose(ranges: list[MediaRange], offers: list[str]) -> str | None:
    """The offered media type the client prefers (offers are in the server's order of preference),
    or None if the client accepts none of them."""
    best, best_quality = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_quality:
            best, best_quality = offer, q
    return best
