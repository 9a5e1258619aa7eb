"""JSON-LD for application developers: MyoKG's context, and compact documents written with it.

The context gives every term of the ontology, and every property and class the data uses, a short key that
never changes (``label``, ``origin``, ``triggerPoints``...), and says which keys hold links, which hold
English or Latin text and which hold one value rather than a list, so that a document reads like plain JSON.
It is published at https://w3id.org/myokg/context.jsonld (``/context.jsonld`` on a server) and as
``context.jsonld`` in every release, but no document refers to it by address: each one carries it inline,
so reading MyoKG's JSON-LD never needs the network.

Documents are written here directly rather than by a JSON-LD processor: key order and the shape of each
value are then fixed, and writing the whole dump takes a fraction of a second (PyLD takes over a minute to
read it as RDF). Tests convert what is written back to RDF with PyLD and with jsonld.js and check that it
is the same graph.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from .namespaces import BASE, DCT, MYOKG, OBO, PREFIXES, SCHEMA

CONTEXT_URL = BASE + "context.jsonld"

RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
XSD = PREFIXES["xsd"]
SKOS = PREFIXES["skos"]
VANN = "http://purl.org/vocab/vann/"
RDF_TYPE = RDF + "type"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"

# Prefixes for the IRIs keys do not cover: resources are written ``myokg.id:gluteus-medius``, not relative to
# a @base, because JSON-LD ignores @base in a context fetched by address.
NAMESPACES = dict(PREFIXES) | {
    "vann": VANN}


@dataclass(frozen=True)
class Kind:
    """What a key holds: links or literals (text in one language, or one datatype), one value or a list."""

    link: bool = False
    language: str | None = None
    datatype: str | None = None
    many: bool = True


LINKS = Kind(link=True)
LINK = Kind(link=True, many=False)
ENGLISH = Kind(language="en")
ONE_ENGLISH = Kind(language="en", many=False)
LATIN = Kind(language="la")
STRINGS = Kind()
STRING = Kind(many=False)
DATE = Kind(datatype=XSD + "date", many=False)

# A key without a list holds at most one value for any resource; the shapes (or the ontology's functional
# properties) say so, and tests/test_jsonld.py checks it on the data, since a key's JSON type is API too.
PROPERTIES: tuple[tuple[str, str, Kind], ...] = (
    ("label", RDFS + "label", ONE_ENGLISH),
    ("altLabels", SKOS + "altLabel", ENGLISH),
    ("latinName", MYOKG.latinName, LATIN),
    ("definition", SKOS + "definition", ONE_ENGLISH),
    ("notation", SKOS + "notation", STRING),
    ("scopeNote", SKOS + "scopeNote", ENGLISH),
    ("editorialNote", SKOS + "editorialNote", ENGLISH),
    # Anatomy.
    ("partOf", OBO.BFO_0000050, LINKS),
    ("members", OBO.RO_0002351, LINKS),
    ("branchOf", OBO.RO_0002380, LINKS),
    ("origin", OBO.RO_0002372, LINKS),
    ("originBoundedBy", MYOKG.originBoundedBy, LINKS),
    ("insertion", OBO.RO_0002373, LINKS),
    ("attachesTo", OBO.RO_0002371, LINKS),
    ("innervatedBy", OBO.RO_0002005, LINKS),
    ("segments", MYOKG.spinalSegment, LINKS),
    ("shape", MYOKG.shape, LINKS),
    ("deepTo", OBO.BSPO_0000107, LINKS),
    ("partlyCoveredBy", MYOKG.partlyCoveredBy, LINKS),
    # Function.
    ("actions", MYOKG.action, LINKS),
    ("primeMoverOf", MYOKG.primeMoverOf, LINKS),
    ("actionUnknown", MYOKG.actionUnknown, Kind(many=False)),
    ("antagonists", OBO.RO_0002568, LINKS),
    ("atJoint", MYOKG.atJoint, LINK),
    ("movedStructure", MYOKG.movedStructure, LINK),
    ("movementType", MYOKG.movementType, LINK),
    # Trigger points.
    ("triggerPoints", MYOKG.hasTriggerPoint, LINKS),
    ("locatedIn", OBO.RO_0001025, LINKS),
    ("locationDescription", MYOKG.locationDescription, ENGLISH),
    ("nearStructure", MYOKG.nearStructure, LINKS),
    ("occurrence", MYOKG.occurrence, LINKS),
    ("refersPainTo", MYOKG.refersPainTo, LINKS),
    ("spilloverTo", MYOKG.refersSpilloverPainTo, LINKS),
    ("symptom", MYOKG.symptom, ENGLISH),
    ("examinationPosition", MYOKG.examinationPosition, ENGLISH),
    ("palpationTechnique", MYOKG.palpationTechnique, LINKS),
    ("examinationNote", MYOKG.examinationNote, ENGLISH),
    ("associatedTriggerPointsIn", MYOKG.associatedTriggerPointsIn, LINKS),
    ("perpetuatingFactor", MYOKG.perpetuatingFactor, LINKS),
    ("treatmentNote", MYOKG.treatmentNote, ENGLISH),
    ("clinicalNote", MYOKG.clinicalNote, ENGLISH),
    # Mappings.
    ("exactMatch", SKOS + "exactMatch", LINKS),
    ("closeMatch", SKOS + "closeMatch", LINKS),
    ("broadMatch", SKOS + "broadMatch", LINKS),
    ("narrowMatch", SKOS + "narrowMatch", LINKS),
    ("mappingNote", MYOKG.mappingNote, ENGLISH),
    # Sources and their graphs.
    ("title", DCT.title, ONE_ENGLISH),
    ("kind", DCT.type, LINK),
    ("creator", DCT.creator, STRINGS),
    ("publisher", DCT.publisher, STRINGS),
    ("issued", DCT.issued, DATE),
    ("isPartOf", DCT.isPartOf, LINK),
    ("citation", DCT.bibliographicCitation, STRING),
    ("source", DCT.source, LINK),
    # The ontology itself.
    ("description", DCT.description, ONE_ENGLISH),
    ("created", DCT.created, DATE),
    ("modified", DCT.modified, DATE),
    ("license", DCT.license, LINK),
    ("rights", DCT.rights, ONE_ENGLISH),
    ("versionIRI", OWL + "versionIRI", LINK),
    ("versionInfo", OWL + "versionInfo", STRING),
    ("preferredNamespacePrefix", VANN + "preferredNamespacePrefix", STRING),
    ("preferredNamespaceUri", VANN + "preferredNamespaceUri", STRING),
    ("subClassOf", RDFS + "subClassOf", LINKS),
    ("subPropertyOf", RDFS + "subPropertyOf", LINKS),
    ("equivalentClass", OWL + "equivalentClass", LINKS),
    ("equivalentProperty", OWL + "equivalentProperty", LINKS),
    ("domain", RDFS + "domain", LINKS),
    ("range", RDFS + "range", LINKS),
    ("deprecated", OWL + "deprecated", Kind(many=False)),
    ("termReplacedBy", OBO.IAO_0100001, LINKS),
    ("isReplacedBy", DCT.isReplacedBy, LINKS),
)

# Classes are keyed by their local name: "type": ["Muscle"].
CLASSES: tuple[str, ...] = tuple(str(MYOKG) + name for name in (
    "AnatomicalStructure", "Muscle", "MuscleGroup", "MusclePart", "Bone", "BoneLandmark",
    "ConnectiveTissueStructure", "SoftTissueStructure", "Joint", "Nerve", "CranialNerve", "NervePlexus",
    "SpinalSegment", "BodyRegion", "Movement", "MovementType", "MuscleShape", "TriggerPoint",
    "TriggerPointOccurrence", "PalpationTechnique", "PerpetuatingFactor", "Source", "SourceKind", "SourceGraph",
)) + tuple(str(SCHEMA) + name for name in ("Book", "BlogPosting", "MedicalWebPage", "Dataset")) + tuple(
    OWL + name for name in ("Ontology", "Class", "ObjectProperty", "DatatypeProperty", "AnnotationProperty",
                            "FunctionalProperty", "NamedIndividual"))


def compact_iri(iri: str) -> str:
    """``iri`` as prefix:suffix under the longest namespace of the context that covers it, else unchanged."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


_BY_LENGTH = sorted(NAMESPACES.items(), key=lambda item: -len(item[1]))


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _term_definition(kind: Kind, iri: str) -> str | dict:
    definition = {"@id": compact_iri(iri)}
    if kind.link:
        definition["@type"] = "@id"
    if kind.datatype:
        definition["@type"] = compact_iri(kind.datatype)
    if kind.language:
        definition["@language"] = kind.language
    if kind.many:
        definition["@container"] = "@set"
    return definition if len(definition) > 1 else definition["@id"]


def _build_context() -> dict:
    context = {"@version": 1.1, "id": "@id", "type": {"@id": "@type", "@container": "@set"}}
    context.update(NAMESPACES)
    context.update({_local_name(iri): compact_iri(iri) for iri in CLASSES})
    context.update({key: _term_definition(kind, iri) for key, iri, kind in PROPERTIES})
    return context


CONTEXT: dict = _build_context()
KEYS: dict[str, tuple[str, Kind]] = {str(iri): (key, kind) for key, iri, kind in PROPERTIES}
CLASS_KEYS: dict[str, str] = {str(iri): _local_name(iri) for iri in CLASSES}
_ORDER = {key: index for index, (key, _, _) in enumerate(PROPERTIES)}


def dumps(document: dict) -> str:
    """``document`` as the UTF-8 JSON MyoKG publishes: indented, keys in the order written."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def context_document() -> dict:
    """The published context file: ``{"@context": CONTEXT}``."""
    return {"@context": CONTEXT}


def node_id(term: NamedNode | BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, BlankNode) else compact_iri(term.value)


def _literal(literal: Literal, kind: Kind | None):
    """A literal in the shortest form that means the same under its key (a value object when the key's
    language or datatype does not fit)."""
    language, datatype = literal.language, literal.datatype.value
    plain = kind is None or (not kind.link and not kind.language and not kind.datatype)
    if language:
        if kind is not None and kind.language == language:
            return literal.value
        return {"@value": literal.value, "@language": language}
    if (kind is not None and kind.datatype == datatype) or (datatype == XSD_STRING and plain):
        return literal.value
    if datatype == XSD_BOOLEAN and literal.value in ("true", "false") and (kind is None or not kind.datatype):
        return literal.value == "true"
    if datatype == XSD_STRING:
        return {"@value": literal.value}
    return {"@value": literal.value, "@type": compact_iri(datatype)}


def _sort_key(term) -> tuple:
    if isinstance(term, Literal):
        return (1, term.value, term.language or term.datatype.value)
    return (0, node_id(term))


class _Statements:
    """Triples grouped by subject then predicate, each set of objects in a fixed order."""

    def __init__(self, triples: Iterable):
        grouped: dict = {}
        for triple in triples:
            grouped.setdefault(triple.subject, {}).setdefault(triple.predicate, set()).add(triple.object)
        self.by_subject = {
            subject: {predicate: sorted(objects, key=_sort_key) for predicate, objects in _ordered(predicates)}
            for subject, predicates in sorted(grouped.items(), key=lambda item: _sort_key(item[0]))
        }

    def links(self, subject) -> Iterable[tuple]:
        """The (predicate, node) pairs of ``subject`` whose node can be written inside it: not its types."""
        for predicate, objects in self.by_subject.get(subject, {}).items():
            for obj in objects:
                if not isinstance(obj, Literal) and predicate.value != RDF_TYPE:
                    yield predicate, obj


def _ordered(predicates: dict) -> list:
    """rdf:type first, then keys in the context's order, then the rest by IRI."""
    def rank(predicate: NamedNode):
        if predicate.value == RDF_TYPE:
            return (0, 0, "")
        key = KEYS.get(predicate.value)
        return (1, _ORDER[key[0]], "") if key else (2, 0, predicate.value)
    return sorted(predicates.items(), key=lambda item: rank(item[0]))


def _key(predicate: NamedNode) -> tuple[str, Kind | None]:
    key = KEYS.get(predicate.value)
    return key if key else (compact_iri(predicate.value), None)


def _properties(statements: _Statements, subject, render_link, skip=None) -> dict:
    """The keys and values of ``subject``: types, then one key per predicate; ``render_link`` writes a
    linked node. ``skip`` is a (predicate, object) pair already said by where the node is written."""
    node = {}
    for predicate, objects in statements.by_subject.get(subject, {}).items():
        objects = [obj for obj in objects if (predicate, obj) != skip]
        if predicate.value == RDF_TYPE:
            types = [CLASS_KEYS.get(o.value) or node_id(o) for o in objects if not isinstance(o, Literal)]
            if types:
                node["type"] = types
            objects = [o for o in objects if isinstance(o, Literal)]  # not a class: said as a plain property
        key, kind = _key(predicate)
        values = [
            _literal(obj, kind) if isinstance(obj, Literal) else render_link(predicate, obj, kind)
            for obj in objects
        ]
        if values:
            node[key] = values if kind is None or kind.many or len(values) > 1 else values[0]
    return node


def resource_document(iri: str, triples: Iterable) -> dict:
    """A JSON-LD document about the resource ``iri``, stating exactly ``triples`` (pyoxigraph Triples or
    Quads; graph names are dropped): a tree rooted at the resource, with the context inline.

    Each node with statements of its own is written out in full once, where a breadth-first walk from the
    resource first reaches it (so a muscle holds its trigger points, and they their pain zones); every other
    mention of a node is ``{"id", "label"}``. Nodes that link to the resource but are not reached from it
    appear under ``@reverse``; any node still left (such as the label of a type), under ``@included``.
    """
    statements = _Statements(triples)
    root = NamedNode(iri)
    home: dict = {root: None}  # node -> (parent, predicate) where it is written in full
    reverse: list = []

    def walk(start) -> None:
        queue = deque([start])
        while queue:
            subject = queue.popleft()
            for predicate, obj in statements.links(subject):
                if obj not in home and obj in statements.by_subject:
                    home[obj] = (subject, predicate)
                    queue.append(obj)

    walk(root)
    for subject, predicates in statements.by_subject.items():
        pointing = next((p for p, objects in predicates.items() if root in objects), None)
        if subject not in home and pointing is not None:
            home[subject] = ("@reverse", pointing)
            reverse.append((subject, pointing))
            walk(subject)
    included = []
    for subject in statements.by_subject:
        if subject not in home:
            home[subject] = None
            included.append(subject)
            walk(subject)

    def write(subject, skip=None) -> dict:
        return {"id": node_id(subject), **_properties(statements, subject, lambda p, o, _: link(subject, p, o), skip)}

    def link(parent, predicate, obj) -> dict:
        if home.get(obj) == (parent, predicate):
            return write(obj)
        labels = statements.by_subject.get(obj, {}).get(NamedNode(RDFS + "label"), [])
        return {"id": node_id(obj), **({"label": _literal(labels[0], KEYS[RDFS + "label"][1])} if labels else {})}

    document = {"@context": CONTEXT, **write(root)}
    if reverse:
        document["@reverse"] = {}
        for subject, predicate in reverse:
            document["@reverse"].setdefault(_key(predicate)[0], []).append(write(subject, skip=(predicate, root)))
    if included:
        document["@included"] = [write(subject) for subject in included]
    return document


def dataset_document(triples: Iterable) -> dict:
    """All of ``triples`` as one flat JSON-LD document: a node per subject under ``@graph``, in id order,
    links written as ids (``"origin": ["myokg.id:ilium"]``), with the context inline."""
    statements = _Statements(triples)

    def reference(_predicate, obj, kind):
        return node_id(obj) if kind is not None and kind.link else {"id": node_id(obj)}

    graph = [{"id": node_id(s), **_properties(statements, s, reference)} for s in statements.by_subject]
    return {"@context": CONTEXT, "@graph": graph}
