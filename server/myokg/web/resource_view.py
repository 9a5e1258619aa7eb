"""A resource's description shaped for its HTML page: values with names, links and the sources that state
them, numbered once per page; which template shows which class; the schema.org record embedded in it."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from ..describe import Claims, Description, GraphDescription
from ..namespaces import DCT, OBO, PREFIXES
from .addresses import document, is_ours, link

OBO_PURL = str(OBO)
LATIN_NAME = PREFIXES["myokg"] + "latinName"
SKOS = PREFIXES["skos"]
MAPPINGS = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch")
# What every page shows in its header, so no section repeats it.
HEADER = ("rdf:type", "rdfs:label", "myokg:latinName", "skos:altLabel", "skos:definition", *MAPPINGS)

# (class, template, outgoing and incoming predicates the template shows itself), most specific first.
PAGES = (
    ("myokg:TriggerPoint", "trigger_point.html",
     ("obo:RO_0001025", "myokg:locationDescription", "myokg:nearStructure", "myokg:occurrence",
      "myokg:examinationPosition", "myokg:palpationTechnique", "myokg:examinationNote", "myokg:symptom",
      "myokg:refersPainTo", "myokg:refersSpilloverPainTo"), ("myokg:hasTriggerPoint",)),
    ("myokg:Muscle", "muscle.html",
     ("obo:RO_0002372", "myokg:originBoundedBy", "obo:RO_0002373", "obo:RO_0002005", "myokg:spinalSegment",
      "myokg:action", "myokg:primeMoverOf", "obo:RO_0002568", "obo:BFO_0000050", "myokg:hasTriggerPoint",
      "myokg:shape", "myokg:partlyCoveredBy", "myokg:associatedTriggerPointsIn", "myokg:actionUnknown"),
     ("obo:RO_0002351", "obo:RO_0002568", "obo:RO_0001025", "obo:BFO_0000050")),
    ("myokg:MuscleGroup", "muscle_group.html", ("obo:RO_0002351", "obo:BFO_0000050"), ()),
    ("myokg:Nerve", "nerve.html", ("obo:RO_0002380", "myokg:spinalSegment"), ("obo:RO_0002005", "obo:RO_0002380")),
    ("myokg:NervePlexus", "nerve.html", ("obo:RO_0002380", "myokg:spinalSegment"), ("obo:RO_0002005", "obo:RO_0002380")),
    ("myokg:SpinalSegment", "spinal_segment.html", (), ("myokg:spinalSegment",)),
    ("myokg:BodyRegion", "body_region.html", ("obo:BFO_0000050",),
     ("obo:BFO_0000050", "myokg:refersPainTo", "myokg:refersSpilloverPainTo")),
    ("myokg:Bone", "bone.html", ("obo:BFO_0000050",), ("obo:BFO_0000050", "obo:RO_0002372", "obo:RO_0002373")),
    ("myokg:BoneLandmark", "bone.html", ("obo:BFO_0000050",),
     ("obo:BFO_0000050", "obo:RO_0002372", "obo:RO_0002373", "myokg:originBoundedBy", "myokg:nearStructure")),
    ("myokg:Joint", "joint.html", (), ("myokg:atJoint",)),
    ("myokg:Movement", "movement.html", ("myokg:atJoint", "myokg:movedStructure", "myokg:movementType"),
     ("myokg:action", "myokg:primeMoverOf")),
    ("myokg:Source", "source.html", ("dct:title", "dct:creator", "dct:publisher", "dct:issued", "dct:modified",
                                     "dct:type", "dct:isPartOf", "dct:license", "dct:bibliographicCitation"),
     ("dct:source", "dct:isPartOf")),
)
# schema.org types by MyoKG class, most specific first (schema.org has no body region or trigger point type).
SCHEMA_TYPES = (
    ("myokg:Muscle", "Muscle"), ("myokg:Bone", "Bone"), ("myokg:Nerve", "Nerve"), ("myokg:Joint", "Joint"),
    ("myokg:TriggerPoint", "MedicalSignOrSymptom"), ("myokg:Source", "CreativeWork"),
    ("myokg:AnatomicalStructure", "AnatomicalStructure"), ("myokg:BoneLandmark", "AnatomicalStructure"),
    ("myokg:NervePlexus", "AnatomicalStructure"), ("myokg:SpinalSegment", "AnatomicalStructure"),
    ("myokg:BodyRegion", "AnatomicalStructure"), ("myokg:MuscleGroup", "AnatomicalSystem"),
)
DOCUMENT_LABELS = {"html": "HTML", "ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples", "rdf": "RDF/XML",
                   "trig": "TriG (with sources)", "nq": "N-Quads (with sources)"}


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local if prefix in PREFIXES else curie


def curie_of_purl(iri: str) -> str:
    """``UBERON:0001371`` for an OBO PURL, else the IRI."""
    if iri.startswith(OBO_PURL):
        local = iri[len(OBO_PURL):]
        if "_" in local:
            space, _, number = local.partition("_")
            return f"{space}:{number}"
    return iri


@dataclass(frozen=True)
class SourceRef:
    """A source graph as a page cites it: a number, its full name, where its page is."""

    number: int
    graph: str
    name: str
    href: str


@dataclass(frozen=True)
class Value:
    term: object
    label: str
    href: str | None
    latin: str | None
    sources: tuple[SourceRef, ...]

    @property
    def is_literal(self) -> bool:
        return isinstance(self.term, Literal)

    @property
    def iri(self) -> str | None:
        return self.term.value if isinstance(self.term, NamedNode) else None


class Page:
    """What a resource page's template reads: the resource's values by predicate, each with its sources."""

    def __init__(self, claims: Claims, node: NamedNode, template: str = "generic.html",
                 shown_out: tuple[str, ...] = (), shown_in: tuple[str, ...] = ()):
        self.claims, self.node, self.template = claims, node, template
        self.iri = node.value
        self._shown_out = {expand(c) for c in HEADER + shown_out}
        self._shown_in = {expand(c) for c in shown_in}
        self._sources: dict[str, SourceRef] = {}
        self._names: dict = {}
        self._number_sources()

    # --- sources ---------------------------------------------------------------------------------------

    def _number_sources(self) -> None:
        """Number the graphs stating this page's claims, most claims first, so badges are short."""
        counts: dict = {}
        nodes = [self.node, *getattr(self.claims, "owned", [])]
        for node in nodes:
            for objects in self.claims.forward.get(node, {}).values():
                for graphs in objects.values():
                    for graph in graphs:
                        counts[graph] = counts.get(graph, 0) + 1
        for subjects in self.claims.backward.get(self.node, {}).values():
            for graphs in subjects.values():
                for graph in graphs:
                    counts[graph] = counts.get(graph, 0) + 1
        for number, graph in enumerate(sorted(counts, key=lambda g: (-counts[g], g.value)), 1):
            self._sources[graph.value] = SourceRef(number, graph.value, self._source_name(graph), link(graph.value))

    def _source_name(self, graph: NamedNode) -> str:
        source = next(iter(self.claims.objects(graph, str(DCT.source))), None)
        if source is not None and self.claims.literal(source, expand("rdfs:label")):
            return self.claims.label(source)
        return self.claims.label(graph)

    @property
    def sources(self) -> list[SourceRef]:
        return sorted(self._sources.values(), key=lambda s: s.number)

    def _refs(self, graphs) -> tuple[SourceRef, ...]:
        return tuple(sorted((self._sources[g.value] for g in graphs if g.value in self._sources),
                            key=lambda s: s.number))

    # --- values ------------------------------------------------------------------------------------------

    def value(self, term, graphs=()) -> Value:
        return Value(term, *self._naming(term), self._refs(graphs))

    def _naming(self, term) -> tuple[str, str | None, str | None]:
        """(label, link, Latin name) of ``term``, worked out once per page: pages name the same things often."""
        if term not in self._names:
            if isinstance(term, NamedNode):
                href = link(term.value) if is_ours(term.value) else term.value
                latin = self.claims.literal(term, LATIN_NAME)
            else:
                href = latin = None
            self._names[term] = (self.claims.label(term), href, latin)
        return self._names[term]

    def values(self, curie: str, subject=None) -> list[Value]:
        """The values of ``curie`` for ``subject`` (this resource by default), sorted by name."""
        objects = self.claims.objects(subject or self.node, expand(curie))
        return sorted((self.value(o, g) for o, g in objects.items()), key=lambda v: v.label.lower())

    def text(self, curie: str, subject=None) -> str | None:
        """One English (or untagged) text value, for definitions and the like."""
        values = [v for v in self.values(curie, subject) if v.is_literal and v.term.language in (None, "en")]
        return values[0].label if values else None

    def referrers(self, curie: str, obj=None) -> list[Value]:
        """The resources that point to ``obj`` (this resource by default) with ``curie``."""
        subjects = self.claims.subjects(expand(curie), obj or self.node)
        return sorted((self.value(s, g) for s, g in subjects.items()), key=lambda v: v.label.lower())

    def by_source(self, curie: str, subject=None) -> list[tuple[SourceRef, list[Value]]]:
        """Each source's values of ``curie``, when the sources stating it do not all give the same ones."""
        objects = self.claims.objects(subject or self.node, expand(curie))
        per_source: dict[str, list] = {}
        for term, graphs in objects.items():
            for graph in graphs:
                per_source.setdefault(graph.value, []).append(term)
        if len({frozenset(terms) for terms in per_source.values()}) < 2:
            return []
        rows = [(self._sources[g], sorted((self.value(t) for t in terms), key=lambda v: v.label.lower()))
                for g, terms in per_source.items() if g in self._sources]
        return sorted(rows, key=lambda row: row[0].number)

    def disagreements(self, curies: tuple[str, ...], subject=None) -> list[tuple[str, list]]:
        """(property name, each source's values) for the properties among ``curies`` the sources differ on."""
        found = []
        for curie in curies:
            rows = self.by_source(curie, subject)
            if rows:
                found.append((self.claims.label(NamedNode(expand(curie))), rows))
        return found

    def has_type(self, term, curie: str) -> bool:
        return expand(curie) in self.claims.types(term)

    def instances(self, curie: str) -> set:
        """The terms on this page stated to be of the class ``curie``."""
        return set(self.claims.subjects(expand("rdf:type"), NamedNode(expand(curie))))

    def counted(self, counts: dict) -> list[tuple[Value, int]]:
        """(value, count) for a term -> count mapping, by name."""
        return sorted(((self.value(term), n) for term, n in counts.items()), key=lambda row: _natural(row[0].label))

    def everything_of_kind(self, kind) -> str:
        """A SPARQL query URL listing every resource of class ``kind`` (None: untyped) this graph speaks about."""
        kind_pattern = f"?resource a {kind} ." if kind is not None else "FILTER NOT EXISTS { ?resource a ?any }"
        query = (f"PREFIX rdfs: <{PREFIXES['rdfs']}>\nSELECT DISTINCT ?resource ?label WHERE {{\n"
                 f"  GRAPH {self.node} {{ ?resource ?p ?o }}\n  {kind_pattern}\n"
                 f"  OPTIONAL {{ ?resource rdfs:label ?label }}\n}} ORDER BY ?label")
        return "/sparql?" + urlencode({"query": query})

    # --- the header ------------------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self.claims.label(self.node)

    @property
    def latin(self) -> list[Value]:
        return self.values("myokg:latinName")

    @property
    def kinds(self) -> list[Value]:
        return self.values("rdf:type")

    @property
    def definition(self) -> str | None:
        return self.text("skos:definition")

    @property
    def mappings(self) -> list[tuple[str, Value, str]]:
        """(relation, target, CURIE) for each mapping to Uberon, FMA or another ontology."""
        return [(curie.split(":")[1].removesuffix("Match") + " match", value, curie_of_purl(value.iri or value.label))
                for curie in MAPPINGS for value in self.values(curie)]

    # --- whatever the template does not show itself ----------------------------------------------------

    def other_statements(self, subject=None) -> list[tuple[str, list[Value]]]:
        rows = []
        for predicate, objects in self.claims.forward.get(subject or self.node, {}).items():
            if predicate.value in self._shown_out:
                continue
            values = sorted((self.value(o, g) for o, g in objects.items()), key=lambda v: v.label.lower())
            rows.append((self.claims.label(predicate), values))
        return sorted(rows, key=lambda row: row[0])

    def other_referrers(self) -> list[tuple[str, list[Value]]]:
        rows = []
        for predicate, subjects in self.claims.backward.get(self.node, {}).items():
            if predicate.value in self._shown_in:
                continue
            values = sorted((self.value(s, g) for s, g in subjects.items()), key=lambda v: v.label.lower())
            rows.append((self.claims.label(predicate), values))
        return sorted(rows, key=lambda row: row[0])

    # --- trigger points and their pain ----------------------------------------------------------------

    @property
    def trigger_points(self) -> list[Value]:
        return sorted(self.values("myokg:hasTriggerPoint"), key=lambda v: _natural(v.label))

    def pain_zones(self, points) -> dict[str, str]:
        """Region IRI -> "essential" or "spillover" over the given trigger points (essential wins)."""
        zones: dict[str, str] = {}
        for point in points:
            for value in self.values("myokg:refersSpilloverPainTo", point):
                zones.setdefault(value.iri, "spillover")
            for value in self.values("myokg:refersPainTo", point):
                zones[value.iri] = "essential"
        return zones

    # --- downloads and schema.org ----------------------------------------------------------------------

    @property
    def downloads(self) -> list[tuple[str, str, str]]:
        return [(label, document(self.iri, extension), extension) for extension, label in DOCUMENT_LABELS.items()]

    def schema_org(self) -> dict:
        """The schema.org record of this resource (JSON-LD with an inline context: nothing to fetch)."""
        kind = next((schema for curie, schema in SCHEMA_TYPES if self.has_type(self.node, curie)), "Thing")
        record = {"@context": {"@vocab": "https://schema.org/"}, "@type": kind, "@id": self.iri,
                  "name": self.name, "url": link(self.iri)}
        synonyms = [v.label for v in self.values("skos:altLabel")] + [v.label for v in self.latin]
        if synonyms:
            record["alternateName"] = synonyms
        if self.definition:
            record["description"] = self.definition
        same = [v.iri for curie in ("skos:exactMatch",) for v in self.values(curie) if v.iri]
        if same:
            record["sameAs"] = same
        if kind == "Muscle":
            # schema.org has no origin property (any more): attachments at either end are connectedTo.
            for prop, curie in (("connectedTo", "obo:RO_0002372"), ("insertion", "obo:RO_0002373"),
                                ("nerve", "obo:RO_0002005"), ("antagonist", "obo:RO_0002568")):
                targets = [{"@id": v.iri, "name": v.label} for v in self.values(curie) if v.iri]
                if targets:
                    record[prop] = targets
            actions = [v.label for v in self.values("myokg:action")]
            if actions:
                record["muscleAction"] = "; ".join(actions)
        if kind == "MedicalSignOrSymptom":
            sites = self.values("obo:RO_0001025")
            if sites:
                record["associatedAnatomy"] = [{"@id": v.iri, "name": v.label} for v in sites if v.iri]
        if kind == "Nerve":
            branches = self.referrers("obo:RO_0002380")
            if branches:
                record["branch"] = [{"@id": v.iri, "name": v.label} for v in branches if v.iri]
        return record


def _natural(text: str):
    """Sort key putting "trigger point 2" before "trigger point 10"."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def resource_page(description: Description) -> Page:
    for curie, template, shown_out, shown_in in PAGES:
        if expand(curie) in description.types(description.node):
            return Page(description, description.node, template, shown_out, shown_in)
    return Page(description, description.node)


def graph_page(description: GraphDescription) -> Page:
    return Page(description, description.node, "graph.html", ("dct:source",), ())

