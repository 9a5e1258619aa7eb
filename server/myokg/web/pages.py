"""Pages about the dataset as a whole: the home page, the release manifest and the dump files."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, render_template, send_from_directory

bp = Blueprint("pages", __name__)


def _store():
    return current_app.extensions["myokg"]


@bp.get("/")
def home():
    store = _store()
    return render_template("home.html", release=store.release, counts=store.class_counts())


@bp.get("/release.json")
def release_manifest():
    return jsonify(_store().release.manifest)

