"""The VoID and DCAT description of a release: what is in it, where it comes from, how to get it.

Counts come from the built Oxigraph store, so they describe exactly what is served.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pyoxigraph import Store
from rdflib import FOAF, OWL, RDF, RDFS, XSD, BNode, Graph, Literal, URIRef

from .formats import GRAPH_FORMATS
from .namespaces import BASE, DCAT, DCT, ID, MYOKG, ONTOLOGY_IRI, PREFIX_MAP, PREFIXES, VOID
from .stats import coverage

DATASET = URIRef(BASE + "dataset")
SPDX = PREFIX_MAP["spdx"]
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
IANA = "https://www.iana.org/assignments/media-types/"
# The media type of each dump file, by its extension, from the formats the endpoint also speaks.
MEDIA_TYPES = {"." + f.oxigraph.file_extension: f.media_type for f in GRAPH_FORMATS}
# What the dataset is, as the VoID and the home page's schema.org description both say it.
DESCRIPTION = ("An open knowledge graph of human skeletal muscles, their attachments, innervation and actions, "
               "and their myofascial trigger points with the regions they refer pain to; every claim is kept "
               "in the named graph of its source.")
PUBLISHER = "The MyoKG team"
KEYWORDS = ("anatomy", "skeletal muscle", "innervation", "myofascial trigger point", "referred pain")
# Resources that show what the data is like: a muscle, its nerve, one of its trigger points, a region.
EXAMPLES = ("gluteus-medius", "superior-gluteal-nerve", "gluteus-medius/tp1", "lateral-hip")
# Files of a release that are not RDF dumps: their media type and the standard they conform to.
OTHER_FILES = {".tsv": ("text/tab-separated-values", URIRef("https://w3id.org/sssom/"))}


def _count(store: Store, query: str) -> int:
    (row,) = store.query(query)
    return int(row[0].value)


def _rows(store: Store, query: str):
    return [tuple(row) for row in store.query(query)]


def describe_dataset(store: Store, *, version: str, issued: datetime, triples: int, dumps: list[dict],
                     graphs: list[str], imported: list = (), other_files: list[dict] = ()) -> Graph:
    """A VoID/DCAT graph for the release in ``store`` (whose default graph is MyoKG's union of ``graphs``)
    whose dump files are ``dumps`` (name, bytes, sha256), with the ``imported`` ontologies served beside it;
    ``other_files`` (the SSSOM mapping set) are distributions of the dataset but not RDF dumps."""
    g = Graph()
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    g.bind("spdx", SPDX)
    d = DATASET
    g.add((d, RDF.type, VOID.Dataset))
    g.add((d, RDF.type, DCAT.Dataset))
    g.add((d, DCT.title, Literal("MyoKG", lang="en")))
    g.add((d, DCT.description, Literal(DESCRIPTION, lang="en")))
    g.add((d, DCT.license, CC_BY_4))
    team = URIRef(BASE + "team")
    g.add((team, RDF.type, FOAF.Organization))
    g.add((team, FOAF.name, Literal(PUBLISHER)))
    g.add((team, FOAF.homepage, URIRef(BASE)))
    g.add((d, DCT.publisher, team))
    g.add((d, DCT.creator, team))
    g.add((d, DCAT.landingPage, URIRef(BASE)))
    g.add((d, FOAF.homepage, URIRef(BASE)))
    for keyword in KEYWORDS:
        g.add((d, DCAT.keyword, Literal(keyword, lang="en")))
    g.add((d, DCT.issued, Literal(issued.isoformat(), datatype=XSD.dateTime)))
    g.add((d, OWL.versionInfo, Literal(version)))
    g.add((d, DCAT.version, Literal(version)))
    g.add((d, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
    g.add((d, VOID.uriSpace, Literal(str(ID))))
    for slug in EXAMPLES:
        g.add((d, VOID.exampleResource, ID[slug]))
    service = URIRef(BASE + "sparql#service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCT.title, Literal("MyoKG SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, URIRef(BASE + "sparql")))
    g.add((service, DCAT.servesDataset, d))
    g.add((d, DCAT.accessService, service))
    for vocabulary in (str(MYOKG), "http://purl.obolibrary.org/obo/", PREFIXES["skos"], str(DCT)):
        g.add((d, VOID.vocabulary, URIRef(vocabulary)))
    g.add((d, DCT.conformsTo, URIRef(ONTOLOGY_IRI)))

    g.add((d, VOID.triples, Literal(triples)))
    g.add((d, VOID.entities, Literal(_count(store, f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), "{ID}") }}'))))
    g.add((d, VOID.distinctSubjects, Literal(_count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"))))
    g.add((d, VOID.distinctObjects, Literal(_count(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }"))))
    g.add((d, VOID.properties, Literal(_count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }"))))
    g.add((d, VOID.classes, Literal(_count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }"))))

    partitions = {}
    for cls, entities in _rows(store, "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY ?c"):
        part = partitions[cls.value] = BNode()
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls.value)))
        g.add((part, VOID.entities, Literal(int(entities.value))))
    # Completeness: how many resources of a class have each property curators track (see stats).
    for covered in coverage(store):
        part = partitions.get(str(MYOKG[covered.cls]))
        if part is not None:
            prop = BNode()
            g.add((part, VOID.propertyPartition, prop))
            g.add((prop, VOID.property, URIRef(covered.prop_iri)))
            g.add((prop, VOID.distinctSubjects, Literal(covered.having)))
    for prop, triples in _rows(store, "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p"):
        part = BNode()
        g.add((d, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(prop.value)))
        g.add((part, VOID.triples, Literal(int(triples.value))))

    graph_rows = _rows(store, """
        SELECT ?g (COUNT(*) AS ?n) (SAMPLE(?src) AS ?source) (SAMPLE(?label) AS ?name) WHERE {
            GRAPH ?g { ?s ?p ?o }
            OPTIONAL { ?g <http://purl.org/dc/terms/source> ?src }
            OPTIONAL { ?g <http://www.w3.org/2000/01/rdf-schema#label> ?label }
        } GROUP BY ?g ORDER BY ?g""")
    for graph, triples, source, name in graph_rows:
        if graph.value not in graphs:
            continue
        subset = URIRef(graph.value)
        g.add((d, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(int(triples.value))))
        if source is not None:
            g.add((subset, DCT.source, URIRef(source.value)))
        if name is not None:
            g.add((subset, RDFS.label, Literal(name.value, lang=name.language)))
        g.add((subset, VOID.entities, Literal(_count(store, f"""
            SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }}
                                                     FILTER STRSTARTS(STR(?s), "{ID}") }}"""))))

    # Imported ontologies are not part of MyoKG: separate datasets, queried through the same endpoint.
    for record in imported:
        other = URIRef(record.graph)
        g.add((other, RDF.type, VOID.Dataset))
        g.add((other, VOID.sparqlEndpoint, URIRef(BASE + "sparql")))
        g.add((other, VOID.triples, Literal(record.triples)))
        g.add((other, DCT.source, Literal(Path(record.source).name)))
        g.add((other, DCT.description, Literal(
            "Imported alongside MyoKG into this named graph of the endpoint; not part of MyoKG's data or dumps. "
            "Query it with GRAPH or FROM.", lang="en")))
        g.add((other, RDFS.seeAlso, d))

    for entry in [*dumps, *other_files]:
        url = URIRef(f"{BASE}downloads/{version}/{entry['name']}")
        stem, suffix = entry["name"].removesuffix(".gz"), "." + entry["name"].removesuffix(".gz").rsplit(".", 1)[-1]
        if entry in dumps:
            g.add((d, VOID.dataDump, url))
        dist = URIRef(f"{BASE}downloads/{version}/{entry['name']}#distribution")
        g.add((d, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCT.title, Literal(entry["name"])))
        g.add((dist, DCAT.accessURL, URIRef(f"{BASE}downloads/{version}/")))
        g.add((dist, DCAT.downloadURL, url))
        g.add((dist, DCT.license, CC_BY_4))
        g.add((dist, DCAT.byteSize, Literal(entry["bytes"], datatype=XSD.nonNegativeInteger)))
        if suffix in MEDIA_TYPES:
            g.add((dist, DCAT.mediaType, URIRef(IANA + MEDIA_TYPES[suffix])))
        elif suffix in OTHER_FILES:
            media_type, standard = OTHER_FILES[suffix]
            g.add((dist, DCAT.mediaType, URIRef(IANA + media_type)))
            g.add((dist, DCT.conformsTo, standard))
        if stem != entry["name"]:
            g.add((dist, DCAT.compressFormat, URIRef(IANA + "application/gzip")))
        checksum = BNode()
        g.add((dist, URIRef(SPDX + "checksum"), checksum))
        g.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        g.add((checksum, URIRef(SPDX + "checksumValue"), Literal(entry["sha256"], datatype=XSD.hexBinary)))
    return g
