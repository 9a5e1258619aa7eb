"""The formats the SPARQL endpoint answers in: media types, the aliases clients use, ``format=`` names."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QueryResultsFormat, RdfFormat


@dataclass(frozen=True)
class Format:
    media_type: str
    aliases: tuple[str, ...]  # other media types clients ask for it by
    keywords: tuple[str, ...]  # values of the format= parameter that select it
    oxigraph: QueryResultsFormat | RdfFormat
    charset: bool = True  # text formats are sent with charset=utf-8

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type


# In the server's order of preference: the first is sent when the client accepts anything.
RESULT_FORMATS = (
    Format("application/sparql-results+json", ("application/json", "text/javascript", "application/javascript"),
           ("json", "srj"), QueryResultsFormat.JSON),
    Format("application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx"), QueryResultsFormat.XML),
    Format("text/csv", (), ("csv",), QueryResultsFormat.CSV),
    Format("text/tab-separated-values", (), ("tsv",), QueryResultsFormat.TSV),
)
GRAPH_FORMATS = (
    Format("text/turtle", ("application/x-turtle",), ("turtle", "ttl"), RdfFormat.TURTLE),
    Format("application/n-triples", ("text/plain",), ("ntriples", "n-triples", "nt"), RdfFormat.N_TRIPLES),
    Format("application/rdf+xml", ("application/xml", "text/xml"), ("rdfxml", "rdf+xml", "rdf", "xml", "owl"),
           RdfFormat.RDF_XML),
    Format("application/ld+json", ("application/json",), ("jsonld", "json-ld", "json"), RdfFormat.JSON_LD),
    Format("application/n-quads", (), ("nquads", "n-quads", "nq"), RdfFormat.N_QUADS),
    Format("application/trig", (), ("trig",), RdfFormat.TRIG),
)


def offers(formats: tuple[Format, ...]) -> list[str]:
    """Every media type the formats answer to, canonical ones first, for negotiation."""
    return [f.media_type for f in formats] + [alias for f in formats for alias in f.aliases]


def by_media_type(formats: tuple[Format, ...], media_type: str) -> Format:
    return next(f for f in formats if media_type == f.media_type or media_type in f.aliases)


def by_keyword(formats: tuple[Format, ...], keyword: str) -> Format | None:
    keyword = keyword.strip().lower()
    return next((f for f in formats if keyword in f.keywords or keyword in (f.media_type, *f.aliases)), None)
