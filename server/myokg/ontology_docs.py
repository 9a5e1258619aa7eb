"""The model behind the ontology's HTML documentation: every class, property and named value of the
ontology graph with what a reader needs to use it, and how much the served data uses it.

Built from the served store (the ontology sits in its own named graph) with Oxigraph queries, once per app.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store

from .namespaces import MYOKG, ONTOLOGY_IRI, PREFIX_MAP, PREFIXES, shorten

RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS, OWL, SKOS, DCT = PREFIXES["rdfs"], PREFIXES["owl"], PREFIXES["skos"], PREFIXES["dct"]

# The kinds of term, in the order the documentation lists them: (heading, the OWL types that make one).
KINDS = (
    ("Classes", (OWL + "Class",)),
    ("Object properties", (OWL + "ObjectProperty",)),
    ("Datatype properties", (OWL + "DatatypeProperty",)),
    ("Annotation properties", (OWL + "AnnotationProperty",)),
)
CHARACTERISTICS = {OWL + name: name.removesuffix("Property").lower() for name in (
    "FunctionalProperty", "InverseFunctionalProperty", "TransitiveProperty", "SymmetricProperty",
    "AsymmetricProperty", "ReflexiveProperty", "IrreflexiveProperty")}
# Statements that say what a term matches in another vocabulary, with how each is shown.
MAPPINGS = {OWL + "equivalentClass": "equivalent class", OWL + "equivalentProperty": "equivalent property",
            SKOS + "exactMatch": "exact match", SKOS + "closeMatch": "close match",
            SKOS + "broadMatch": "broad match", SKOS + "narrowMatch": "narrow match",
            SKOS + "relatedMatch": "related match"}
OWNERS = {"RO_": "Relation Ontology (RO)", "BFO_": "Basic Formal Ontology (BFO)",
          "BSPO_": "OBO spatial ontology (BSPO)"}


@dataclass(frozen=True)
class Ref:
    """A term named on the page: a link within it for our terms, to its own IRI for others."""
    iri: str
    label: str
    href: str
    curie: str


@dataclass
class Term:
    iri: str
    kind: str
    anchor: str
    curie: str
    label: str
    owner: str
    definitions: list[str] = field(default_factory=list)
    alt_labels: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    types: list[Ref] = field(default_factory=list)
    parents: list[Ref] = field(default_factory=list)
    children: list[Ref] = field(default_factory=list)
    domain: list[Ref] = field(default_factory=list)
    range: list[Ref] = field(default_factory=list)
    inverse: list[Ref] = field(default_factory=list)
    characteristics: list[str] = field(default_factory=list)
    mappings: list[tuple[str, Ref]] = field(default_factory=list)
    deprecated: bool = False
    replaced_by: list[Ref] = field(default_factory=list)
    usage: int = 0
    usage_unit: str = ""


@dataclass
class OntologyDocs:
    iri: str
    title: str
    description: str
    version: str
    version_iri: str
    license: str
    creator: str
    sections: list[tuple[str, list[Term]]]

    def terms(self) -> list[Term]:
        return [term for _, terms in self.sections for term in terms]


def _curie(iri: str) -> str:
    """``prefix:local`` where one of the prefixes we use covers ``iri`` (the dumps' prefixes first, so RO
    terms read obo:RO_0002372 as in the data), else the IRI itself."""
    short = shorten(iri)
    if not short.startswith("<"):
        return short
    prefix, namespace = max(((p, ns) for p, ns in PREFIX_MAP.items() if iri.startswith(ns)),
                            key=lambda item: len(item[1]), default=(None, ""))
    return f"{prefix}:{iri[len(namespace):]}" if prefix else iri


def anchor(iri: str) -> str:
    """The fragment a term's entry has: the local name for ours, so hash IRIs land on it; a CURIE else."""
    return iri.removeprefix(str(MYOKG)) if iri.startswith(str(MYOKG)) else _curie(iri)


def _owner(iri: str) -> str:
    """Who defines a term: MyoKG, the OBO ontology its identifier belongs to, else its vocabulary's prefix."""
    if iri.startswith(str(MYOKG)):
        return "MyoKG"
    obo = next((name for prefix, name in OWNERS.items() if iri.rsplit("/", 1)[-1].startswith(prefix)), None)
    return obo or _curie(iri).split(":", 1)[0]


def _statements(store: Store) -> dict[str, dict[str, list]]:
    """Every statement of the ontology graph, by subject then predicate."""
    about: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for quad in store.quads_for_pattern(None, None, None, NamedNode(ONTOLOGY_IRI)):
        if isinstance(quad.subject, NamedNode):
            about[quad.subject.value][quad.predicate.value].append(quad.object)
    return about


def _counts(store: Store, query: str) -> dict[str, int]:
    return {row[0].value: int(row[1].value) for row in store.query(query)}


def _english(values: list) -> list[str]:
    """Literal values, English or untagged ones first."""
    literals = [v for v in values if isinstance(v, Literal)]
    return [v.value for v in sorted(literals, key=lambda v: v.language not in (None, "en"))]


def build(store: Store) -> OntologyDocs:
    """The documentation of the ontology in ``store``, with usage counts over all of its graphs."""
    about = _statements(store)
    instances = _counts(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c")
    statements = _counts(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
                                "GROUP BY ?p")
    objects = _counts(store, "SELECT ?o (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o "
                             "FILTER isIRI(?o) } } GROUP BY ?o")
    labels = {row[0].value: row[1].value for row in store.query(
        'SELECT ?x (SAMPLE(?l) AS ?label) WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l '
        'FILTER (LANG(?l) = "en" || LANG(?l) = "") } GROUP BY ?x')}

    kinds = {}
    for heading, types in KINDS:
        for iri, predicates in about.items():
            if iri not in kinds and any(NamedNode(t) in predicates.get(RDF_TYPE, ()) for t in types):
                kinds[iri] = heading
    classes = {iri for iri, heading in kinds.items() if heading == "Classes"}
    for iri, predicates in about.items():
        if iri not in kinds and any(t.value in classes for t in predicates.get(RDF_TYPE, ())):
            kinds[iri] = "Named values"

    def ref(node) -> Ref:
        iri = node.value
        return Ref(iri, labels.get(iri, _curie(iri)), "#" + anchor(iri) if iri in kinds else iri, _curie(iri))

    def refs(predicates, predicate) -> list[Ref]:
        return sorted((ref(o) for o in predicates.get(predicate, ()) if isinstance(o, NamedNode)),
                      key=lambda r: r.label.lower())

    terms: dict[str, Term] = {}
    for iri, heading in kinds.items():
        p = about[iri]
        is_class = heading == "Classes"
        is_value = heading == "Named values"
        terms[iri] = Term(
            iri=iri, kind=heading, anchor=anchor(iri), curie=_curie(iri),
            label=(_english(p.get(RDFS + "label", [])) or [_curie(iri)])[0], owner=_owner(iri),
            definitions=_english(p.get(SKOS + "definition", []) + p.get(RDFS + "comment", [])),
            alt_labels=_english(p.get(SKOS + "altLabel", [])),
            notes=_english(p.get(SKOS + "scopeNote", []) + p.get(SKOS + "editorialNote", [])),
            types=refs(p, RDF_TYPE) if is_value else [],
            parents=refs(p, RDFS + ("subClassOf" if is_class else "subPropertyOf")),
            domain=refs(p, RDFS + "domain"), range=refs(p, RDFS + "range"),
            inverse=refs(p, OWL + "inverseOf"),
            characteristics=sorted(CHARACTERISTICS[t.value] for t in p.get(RDF_TYPE, ()) if t.value in CHARACTERISTICS),
            mappings=[(name, r) for predicate, name in MAPPINGS.items() for r in refs(p, predicate)],
            deprecated=any(isinstance(v, Literal) and v.value in ("true", "1") for v in p.get(OWL + "deprecated", ())),
            replaced_by=refs(p, DCT + "isReplacedBy"),
            usage=(instances if is_class else objects if is_value else statements).get(iri, 0),
            usage_unit="instances" if is_class else ("statements naming it" if is_value else "statements"),
        )
    for term in terms.values():
        for parent in term.parents:
            if parent.iri in terms:
                terms[parent.iri].children.append(ref(NamedNode(term.iri)))
    for term in terms.values():
        term.children.sort(key=lambda r: r.label.lower())

    ontology = about.get(ONTOLOGY_IRI, {})

    def first(predicate) -> str:
        values = ontology.get(predicate, [])
        return (_english(values) or [v.value for v in values] or [""])[0]

    order = [heading for heading, _ in KINDS] + ["Named values"]
    sections = [(heading, sorted((t for t in terms.values() if t.kind == heading), key=lambda t: t.label.lower()))
                for heading in order]
    return OntologyDocs(ONTOLOGY_IRI, first(DCT + "title"), first(DCT + "description"), first(OWL + "versionInfo"),
                        first(OWL + "versionIRI"), first(DCT + "license"), first(DCT + "creator"),
                        [(heading, section) for heading, section in sections if section])
