"""The SPARQL endpoint against the SPARQL 1.1 Protocol, driven through Flask's test client.

Answers are parsed back with Oxigraph's parsers and compared with what the same query gives on the
release store directly, so a test fails if the endpoint answers wrongly, not only if it answers.
"""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from pyoxigraph import QueryResultsFormat, RdfFormat, Store, parse, parse_query_results

from myokg.web import create_app

PREFIXES = """PREFIX : <https://w3id.org/myokg/id/>
PREFIX myokg: <https://w3id.org/myokg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX obo: <http://purl.obolibrary.org/obo/>
"""
SELECT = PREFIXES + "SELECT ?muscle ?label WHERE { ?muscle a myokg:Muscle ; rdfs:label ?label } ORDER BY ?muscle"
CONSTRUCT = PREFIXES + "CONSTRUCT { :gluteus-medius ?p ?o } WHERE { :gluteus-medius ?p ?o }"
ASK = PREFIXES + "ASK { :gluteus-medius obo:RO_0002005 :superior-gluteal-nerve }"
GRAYS = "https://w3id.org/myokg/graph/grays-anatomy-42"
HARRIS = "https://w3id.org/myokg/graph/harris-2019-gluteus-medius"

RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": RdfFormat.TURTLE,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-quads": RdfFormat.N_QUADS,
    "application/trig": RdfFormat.TRIG,
}


@pytest.fixture(scope="module")
def app(release):
    app = create_app(release, workers=2)
    yield app
    app.extensions["myokg.queries"].close()


class BufferedClient(FlaskClient):
    """Reads each streamed answer at once, as a real client does, so its query worker is free again."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="module")
def client(app):
    app.test_client_class = BufferedClient
    return app.test_client()


@pytest.fixture(scope="module")
def store(release):
    return Store.read_only(str(release.store_path))


def rows(response, fmt=QueryResultsFormat.JSON) -> list[tuple]:
    solutions = parse_query_results(io.BytesIO(response.data), format=fmt)
    return [tuple(str(s[v]) if s[v] is not None else None for v in solutions.variables) for s in solutions]


def expected_rows(store, query) -> list[tuple]:
    solutions = store.query(query)
    return [tuple(str(s[v]) if s[v] is not None else None for v in solutions.variables) for s in solutions]


def triples(response, fmt) -> set:
    return {(q.subject, q.predicate, q.object) for q in parse(response.data, format=fmt)}


def get(client, query, **kw):
    return client.get("/sparql", query_string={"query": query, **kw.pop("params", {})}, **kw)


# --- The three ways to send a query -----------------------------------------------------------------


def test_get_post_form_and_post_direct_give_the_same_answer(client, store):
    expected = expected_rows(store, SELECT)
    assert len(expected) >= 5
    by_get = get(client, SELECT)
    by_form = client.post("/sparql", data={"query": SELECT})
    by_direct = client.post("/sparql", data=SELECT.encode(), content_type="application/sparql-query")
    for response in (by_get, by_form, by_direct):
        assert response.status_code == 200, response.data
        assert response.mimetype == "application/sparql-results+json"
        assert rows(response) == expected


@pytest.mark.parametrize("media_type", RESULT_TYPES)
def test_select_in_every_results_format(client, store, media_type):
    response = get(client, SELECT, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Vary"] == "Accept"
    if media_type == "text/csv":  # CSV keeps no term types: compare the plain values
        solutions = store.query(SELECT)
        expected = [["muscle", "label"]] + [[s["muscle"].value, s["label"].value] for s in solutions]
        assert list(csv.reader(io.StringIO(response.get_data(as_text=True)))) == expected
    else:
        assert rows(response, RESULT_TYPES[media_type]) == expected_rows(store, SELECT)


@pytest.mark.parametrize("media_type", RESULT_TYPES)
def test_ask_in_every_results_format(client, media_type):
    response = get(client, ASK, headers={"Accept": media_type})
    assert response.status_code == 200 and response.mimetype == media_type
    if media_type == "text/csv":
        assert response.get_data(as_text=True).strip() == "true"
    else:
        assert bool(parse_query_results(io.BytesIO(response.data), format=RESULT_TYPES[media_type])) is True


@pytest.mark.parametrize("media_type", GRAPH_TYPES)
def test_construct_in_every_rdf_format(client, store, media_type):
    response = get(client, CONSTRUCT, headers={"Accept": media_type})
    assert response.status_code == 200, response.data
    assert response.mimetype == media_type
    expected = {(t.subject, t.predicate, t.object) for t in store.query(CONSTRUCT)}
    assert len(expected) > 10
    assert triples(response, GRAPH_TYPES[media_type]) == expected


def test_describe_answers_with_triples_about_the_resource(client):
    response = get(client, PREFIXES + "DESCRIBE :gluteus-medius", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    subjects = {t[0].value for t in triples(response, RdfFormat.N_TRIPLES)}
    assert "https://w3id.org/myokg/id/gluteus-medius" in subjects


# --- Content negotiation ----------------------------------------------------------------------------


@pytest.mark.parametrize("accept, query, expected", [
    ("text/csv;q=0.5, application/sparql-results+xml", SELECT, "application/sparql-results+xml"),
    ("*/*;q=0.1, text/tab-separated-values;q=0.2", SELECT, "text/tab-separated-values"),
    ("application/sparql-results+json;q=0, */*", SELECT, "application/sparql-results+xml"),
    ("text/*", SELECT, "text/csv"),
    ("text/*", CONSTRUCT, "text/turtle"),
    ("application/json", SELECT, "application/sparql-results+json"),
    ("application/json", CONSTRUCT, "application/ld+json"),
    ('application/sparql-results+xml;charset="utf-8";q=0.9, text/csv;q=0.8', SELECT, "application/sparql-results+xml"),
    ("application/rdf+xml, text/turtle;q=0.9", CONSTRUCT, "application/rdf+xml"),
    ("", SELECT, "application/sparql-results+json"),
    ("", CONSTRUCT, "text/turtle"),
    ("application/sparql-results+json, text/turtle", CONSTRUCT, "text/turtle"),
    ("application/sparql-results+json, text/turtle", SELECT, "application/sparql-results+json"),
])
def test_accept_header_with_quality_values(client, accept, query, expected):
    response = get(client, query, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200, response.data
    assert response.mimetype == expected


def test_format_parameter_overrides_accept(client):
    response = get(client, SELECT, params={"format": "csv"}, headers={"Accept": "application/sparql-results+xml"})
    assert response.mimetype == "text/csv"
    response = get(client, CONSTRUCT, params={"format": "application/n-triples"}, headers={"Accept": "text/turtle"})
    assert response.mimetype == "application/n-triples"


def test_unknown_parameters_are_ignored(client, store):
    # SPARQLWrapper adds these.
    response = get(client, SELECT, params={"output": "json", "results": "json", "timeout": "0", "x": "y"})
    assert response.status_code == 200
    assert rows(response) == expected_rows(store, SELECT)


def test_nothing_acceptable_is_406_listing_what_is_offered(client):
    response = get(client, SELECT, headers={"Accept": "image/png"})
    assert response.status_code == 406
    text = response.get_data(as_text=True)
    assert all(t in text for t in RESULT_TYPES)
    response = get(client, CONSTRUCT, headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert all(t in response.get_data(as_text=True) for t in GRAPH_TYPES)
    response = get(client, SELECT, params={"format": "pdf"})
    assert response.status_code == 406 and "Unknown format 'pdf'" in response.get_data(as_text=True)


# --- The dataset ------------------------------------------------------------------------------------

LABELLED = PREFIXES + "SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l }"
ORIGINS = PREFIXES + "SELECT DISTINCT ?o WHERE { :gluteus-medius obo:RO_0002372 ?o } ORDER BY ?o"


def test_default_graph_is_the_union_and_graph_reaches_each_source(client):
    union = {r[0] for r in rows(get(client, ORIGINS))}
    assert {"<https://w3id.org/myokg/id/ilium>", "<https://w3id.org/myokg/id/gluteal-surface-of-ilium>"} <= union
    per_graph = rows(get(client, PREFIXES + "SELECT ?g ?o WHERE { GRAPH ?g { :gluteus-medius obo:RO_0002372 ?o } }"))
    assert (f"<{HARRIS}>", "<https://w3id.org/myokg/id/ilium>") in per_graph
    assert (f"<{GRAYS}>", "<https://w3id.org/myokg/id/gluteal-surface-of-ilium>") in per_graph


def test_default_graph_uri_restricts_the_default_graph(client):
    harris_only = rows(get(client, ORIGINS, params={"default-graph-uri": HARRIS}))
    assert harris_only == [("<https://w3id.org/myokg/id/ilium>",)]
    both = rows(client.get("/sparql?query=" + quote(ORIGINS) + "&default-graph-uri=" + quote(HARRIS)
                           + "&default-graph-uri=" + quote(GRAYS)))
    assert {r[0] for r in both} == {"<https://w3id.org/myokg/id/ilium>",
                                    "<https://w3id.org/myokg/id/gluteal-surface-of-ilium>"}


def test_named_graph_uri_limits_the_named_graphs_and_leaves_the_default_graph_empty(client):
    query = PREFIXES + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = get(client, query, params={"named-graph-uri": GRAYS})
    assert rows(response) == [(f"<{GRAYS}>",)]
    assert rows(get(client, ORIGINS, params={"named-graph-uri": GRAYS})) == []


def test_protocol_dataset_takes_precedence_over_from(client):
    query = PREFIXES + f"SELECT DISTINCT ?o FROM <{GRAYS}> WHERE {{ :gluteus-medius obo:RO_0002372 ?o }}"
    assert rows(get(client, query)) == [("<https://w3id.org/myokg/id/gluteal-surface-of-ilium>",)]
    assert rows(get(client, query, params={"default-graph-uri": HARRIS})) == [("<https://w3id.org/myokg/id/ilium>",)]


def test_from_named_in_the_query_is_honoured(client):
    query = PREFIXES + f"SELECT DISTINCT ?g FROM NAMED <{HARRIS}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert rows(get(client, query)) == [(f"<{HARRIS}>",)]


# --- Errors -----------------------------------------------------------------------------------------


def test_syntax_error_is_400_with_the_parsers_message_and_position(client):
    response = get(client, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    assert "not valid SPARQL" in text and "1:" in text


def test_duplicate_query_is_400(client):
    response = client.get("/sparql?query=" + quote(ASK) + "&query=" + quote(ASK))
    assert response.status_code == 400 and "exactly one" in response.get_data(as_text=True)
    response = client.post("/sparql?query=" + quote(ASK), data=ASK.encode(), content_type="application/sparql-query")
    assert response.status_code == 400 and "given twice" in response.get_data(as_text=True)
    response = client.post("/sparql?query=" + quote(ASK), data={"query": ASK})
    assert response.status_code == 400


def test_post_without_or_with_a_wrong_content_type_is_415(client):
    response = client.post("/sparql", data=ASK.encode())
    assert response.status_code == 415 and "needs a Content-Type" in response.get_data(as_text=True)
    response = client.post("/sparql", data=ASK.encode(), content_type="text/plain")
    assert response.status_code == 415 and "text/plain is not accepted" in response.get_data(as_text=True)


def test_post_with_no_query_is_400(client):
    response = client.post("/sparql", data={"default-graph-uri": GRAYS})
    assert response.status_code == 400 and "no 'query'" in response.get_data(as_text=True)


def test_non_utf8_bodies_are_400(client):
    latin1 = 'SELECT * WHERE { ?s ?p "gluteus médius" }'.encode("latin-1")
    response = client.post("/sparql", data=latin1, content_type="application/sparql-query")
    assert response.status_code == 400 and "not valid UTF-8" in response.get_data(as_text=True)
    response = client.post("/sparql", data=b"query=" + quote(latin1).encode(),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "not UTF-8" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_writing_methods_are_405(client, method):
    response = getattr(client, method)("/sparql", data="x")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST, OPTIONS"
    assert "read-only" in response.get_data(as_text=True)


UPDATE = PREFIXES + 'INSERT DATA { :gluteus-medius rdfs:label "changed"@en }'
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


@pytest.mark.parametrize("send", [
    lambda c: c.post("/sparql", data={"update": UPDATE}),
    lambda c: c.post("/sparql", data=UPDATE.encode(), content_type="application/sparql-update"),
    lambda c: c.get("/sparql", query_string={"update": UPDATE}),
    lambda c: c.get("/sparql", query_string={"query": UPDATE}),
    lambda c: c.post("/sparql", data={"query": "LOAD <http://127.0.0.1:9/x.ttl>"}),
    lambda c: c.post("/sparql", data={"query": "CLEAR ALL"}),
], ids=["form-update", "direct-update", "get-update", "update-as-query", "load", "clear"])
def test_updates_are_refused_by_every_route_and_change_nothing(client, send):
    before = rows(get(client, COUNT))
    response = send(client)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert rows(get(client, COUNT)) == before


def test_service_is_refused_before_execution(client):
    response = get(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 403
    assert "SERVICE (at line 1, column 18) is not allowed" in response.get_data(as_text=True)


def test_keywords_inside_strings_iris_and_names_are_not_refused(client):
    query = ('PREFIX ex: <http://example.org/service/load#> SELECT ?service WHERE { '
             'VALUES ?service { "SERVICE" ex:load <http://example.org/INSERT> } } # DELETE')
    response = get(client, query)
    assert response.status_code == 200
    assert len(rows(response)) == 3


# --- Service description, UI and CORS ---------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"


def test_service_description_names_the_endpoint_the_client_used_and_counts(client, store):
    response = client.get("/sparql", base_url="http://example.org:8123", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Store()
    graph.load(response.data, format=RdfFormat.TURTLE)
    endpoint = [r["e"].value for r in graph.query(f"SELECT ?e WHERE {{ ?s <{SD}endpoint> ?e }}")]
    assert endpoint == ["http://example.org:8123/sparql"]
    counts = {r["g"].value: int(r["n"].value) for r in graph.query(
        f"SELECT ?g ?n WHERE {{ ?d <{SD}namedGraph> [ <{SD}name> ?g ; <{SD}graph> [ <http://rdfs.org/ns/void#triples> ?n ] ] }}")}
    for name, count in counts.items():
        assert count == len(list(store.quads_for_pattern(None, None, None, __import__("pyoxigraph").NamedNode(name))))
    assert GRAYS in counts
    formats = {r["f"].value for r in graph.query(f"SELECT ?f WHERE {{ ?s <{SD}resultFormat> ?f }}")}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats and len(formats) == 10
    assert graph.query(f"ASK {{ ?s <{SD}feature> <{SD}UnionDefaultGraph> }}"), "every graph is MyoKG's own"


def test_service_description_as_json_ld(client):
    response = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response.mimetype == "application/ld+json"
    assert any(t[1].value == SD + "endpoint" for t in triples(response, RdfFormat.JSON_LD))


def test_browsers_get_the_query_ui(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": browser})
    assert response.status_code == 200 and response.mimetype == "text/html"
    # A shared link with a query opens the UI with that query, escaped.
    response = get(client, 'SELECT * WHERE { ?s ?p "</textarea><script>" }', headers={"Accept": browser})
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "<script>\"" not in page and "&lt;/textarea&gt;&lt;script&gt;" in page


def test_curl_style_requests_get_data_not_html(client):
    assert get(client, ASK, headers={"Accept": "*/*"}).mimetype == "application/sparql-results+json"


def test_cors_on_answers_and_errors_and_preflight(client):
    assert get(client, ASK).headers["Access-Control-Allow-Origin"] == "*"
    assert get(client, "SELECT").headers["Access-Control-Allow-Origin"] == "*"
    response = client.options("/sparql", headers={"Origin": "https://example.org",
                                                  "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "content-type"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_request_body_is_bounded(client):
    response = client.post("/sparql", data=b"#" * 2_000_000, content_type="application/sparql-query")
    assert response.status_code == 413


def test_query_text_cannot_reach_files(client):
    """FROM names a graph of the store; it never loads a document, from disk or anywhere."""
    response = get(client, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert response.status_code == 200 and rows(response) == []
    response = get(client, 'SELECT ?x WHERE { BIND(IRI("file:///etc/passwd") AS ?x) GRAPH ?x { ?s ?p ?o } }')
    assert response.status_code == 200 and rows(response) == []
