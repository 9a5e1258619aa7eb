"""The ontology IRI: /ontology answers 303 See Other to its HTML documentation or to the OWL file in
the format asked for (/doc/ontology.html, .ttl as written, .jsonld, .nt, .rdf). A term's hash IRI
(ontology#Muscle) lands on its entry, as browsers keep the fragment across the redirect. A version IRI
(/ontology/0.1.0) answers with that release's ontology file, for as long as the release is kept."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_file, url_for
from pyoxigraph import NamedNode

from .. import negotiation
from ..formats import by_media_type
from ..namespaces import ONTOLOGY_IRI
from ..ontology_docs import OntologyDocs, build
from .addresses import document
from .downloads import kept_releases
from .rdf_documents import BY_EXTENSION, TRIPLE_FORMATS, TRIPLE_OFFERS, document as rdf_document

bp = Blueprint("ontology", __name__)

def _docs() -> OntologyDocs:
    """The documentation model, built on first use and kept for the app's life (the release is fixed)."""
    extensions = current_app.extensions
    if "myokg.ontology_docs" not in extensions:
        extensions["myokg.ontology_docs"] = build(extensions["myokg"].store)
    return extensions["myokg.ontology_docs"]


def _alternates() -> list[tuple[str, str]]:
    """(URL, media type) of each data document about the ontology."""
    return [(document(ONTOLOGY_IRI, f.oxigraph.file_extension), f.media_type) for f in TRIPLE_FORMATS]


def _link_header() -> str:
    return ", ".join(f'<{url}>; rel="alternate"; type="{media_type}"' for url, media_type in _alternates())


@bp.get("/ontology")
def ontology():
    """303 to the document the client prefers: HTML for browsers (and anyone taking anything), else RDF."""
    chosen = negotiation.choose(negotiation.parse_accept(request.headers.get("Accept")), ["text/html", *TRIPLE_OFFERS])
    if chosen is None:
        abort(406, f"The ontology is documented in HTML and comes as "
                   f"{', '.join(f.media_type for f in TRIPLE_FORMATS)}; none of these is acceptable "
                   f"({request.headers.get('Accept')}).")
    extension = "html" if chosen == "text/html" else by_media_type(TRIPLE_FORMATS, chosen).oxigraph.file_extension
    return redirect(document(ONTOLOGY_IRI, extension), 303)


@bp.get("/ontology/<version>")
def ontology_version(version: str):
    """303 to the ontology file as a kept release published it: the owl:versionIRI of that release."""
    if version not in kept_releases():
        abort(404, f"No release {version!r} is kept here, so its ontology is not either; /downloads/ lists "
                   f"the versions kept, and {document(ONTOLOGY_IRI, 'ttl')} is the current one.")
    return redirect(url_for("downloads.file", version=version, name=f"myokg-ontology-{version}.ttl"), 303)


@bp.after_request
def varies_by_accept(response):
    """The ontology IRI's answers, a 406 included, depend on Accept; its documents do not."""
    if request.endpoint == "ontology.ontology":
        response.vary.add("Accept")
    return response


@bp.get("/doc/ontology.<extension>")
def ontology_document(extension: str):
    """The documentation, the OWL file as written (.ttl), or the same graph as .jsonld, .nt, .rdf."""
    if extension == "html":
        response = current_app.make_response(render_template("ontology.html", docs=_docs(), alternates=_alternates()))
    elif extension == "ttl":
        release = current_app.extensions["myokg"].release
        response = send_file(release.dumps_path / f"myokg-ontology-{release.version}.ttl",
                             mimetype="text/turtle", conditional=True)
        response.headers["Content-Type"] = "text/turtle; charset=utf-8"
    elif extension in BY_EXTENSION:
        response = rdf_document("ontology", _ontology_triples, BY_EXTENSION[extension])
    else:
        abort(404, f"The ontology has no .{extension} document; use .html, "
                   f"{', '.join('.' + e for e in BY_EXTENSION)}.")
    response.headers["Link"] = _link_header()
    return response


def _ontology_triples() -> list:
    store = current_app.extensions["myokg"].store
    return [quad.triple for quad in store.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_IRI))]
