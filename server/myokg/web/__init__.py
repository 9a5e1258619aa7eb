"""The MyoKG web application: an app factory over one built release."""

from __future__ import annotations

from flask import Flask

from ..release import Release
from ..store import ReleaseStore


def create_app(release: Release) -> Flask:
    """A Flask app serving ``release``; the SPARQL endpoint and resource pages plug in as blueprints."""
    app = Flask(__name__)
    app.extensions["myokg"] = ReleaseStore(release)

    from . import pages

    app.register_blueprint(pages.bp)
    return app
