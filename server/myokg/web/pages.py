"""Pages about the dataset as a whole: the home page and the release manifest."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template

from ..namespaces import BASE
from ..void import CC_BY_4, DESCRIPTION, KEYWORDS, PUBLISHER
from .addresses import public_base
from .downloads import describe_release

bp = Blueprint("pages", __name__)


def _store():
    return current_app.extensions["myokg"]


def _dataset_jsonld(release, counts: list[tuple[str, str, int]]) -> dict:
    """The schema.org Dataset description embedded in the home page, for search engines and harvesters.
    The context is inline: a reader never needs to fetch one."""
    publisher = {"@type": "Organization", "name": PUBLISHER, "url": public_base()}
    return {
        "@context": {"@vocab": "https://schema.org/"},
        "@type": "Dataset",
        "@id": BASE + "dataset",
        "name": "MyoKG",
        "description": DESCRIPTION,
        "url": public_base(),
        "license": str(CC_BY_4),
        "version": release.version,
        "datePublished": release.manifest["built"],
        "keywords": list(KEYWORDS),
        "creator": publisher,
        "sdPublisher": publisher,
        "isAccessibleForFree": True,
        "size": {"@type": "QuantitativeValue", "value": release.manifest["triples"], "unitText": "triples"},
        "variableMeasured": [{"@type": "PropertyValue", "name": f"{label} (instances)", "value": n}
                             for _, label, n in counts],
        "distribution": [{"@type": "DataDownload", "name": f["name"], "contentUrl": f["url"],
                          "encodingFormat": f["media_type"], "contentSize": f"{f['bytes']} B", "sha256": f["sha256"]}
                         for f in describe_release(release, current=True)["files"]],
    }


@bp.get("/")
def home():
    store = _store()
    counts = store.class_counts()
    return render_template("home.html", release=store.release, counts=counts,
                           dataset=_dataset_jsonld(store.release, counts))


@bp.get("/release.json")
def release_manifest():
    return jsonify(_store().release.manifest)
