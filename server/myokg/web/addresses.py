"""Where MyoKG's public IRIs are served, so every link points where the user is.

A public IRI ``https://w3id.org/myokg/<path>`` names a thing; this server answers it at ``<base><path>`` and
serves documents about it at ``<base>doc/<path>.<ext>``. The base is ``--base-iri`` when set (w3id.org in
production, so links stay canonical), else the host the request came to (staging, localhost).
"""

from __future__ import annotations

from flask import current_app, request

from ..namespaces import BASE


def public_base() -> str:
    """The base links are written against, always ending in a slash."""
    return current_app.config.get("MYOKG_BASE_IRI") or request.host_url


def is_ours(iri: str) -> bool:
    return iri.startswith(BASE)


def local_path(iri: str) -> str:
    """The part of one of our IRIs after the public base, e.g. ``id/gluteus-medius``."""
    if not is_ours(iri):
        raise ValueError(f"<{iri}> is not a MyoKG IRI")
    return iri[len(BASE):]


def link(iri: str) -> str:
    """Where a link to ``iri`` should go: our IRIs on this server's base, others unchanged."""
    return public_base() + local_path(iri) if is_ours(iri) else iri


def document(iri: str, extension: str) -> str:
    """The URL of the document about ``iri`` in the format with ``extension`` (html, ttl, jsonld...)."""
    path = local_path(iri).split("#", 1)[0]
    return f"{public_base()}doc/{path}.{extension}"


def canonical(path: str) -> str:
    """The public IRI a request path on this server stands for."""
    return BASE + path.lstrip("/")
