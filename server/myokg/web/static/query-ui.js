// The query UI: YASGUI (installed from npm) pointed at this endpoint. MyoKG adds its example queries,
// keeps the address bar a shareable link to the current query, and offers the results for download in
// every format the endpoint speaks. Nothing here calls any host but this one (the page's
// Content-Security-Policy enforces it): no prefix.cc, no vocabulary autocompletion service; prefix
// completion reads this server's own prefix map (/prefixes.json).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("query-ui-config").textContent);
  const SOLUTION_FORMATS = [["JSON", "json"], ["XML", "xml"], ["CSV", "csv"], ["TSV", "tsv"]];
  const TRIPLE_FORMATS = [["Turtle", "turtle"], ["N-Triples", "ntriples"], ["RDF/XML", "rdfxml"],
                          ["JSON-LD", "jsonld"], ["N-Quads", "nquads"], ["TriG", "trig"]];

  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    endpointCatalogueOptions: { getData: () => [{ endpoint: config.endpoint }] },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    populateFromUrl: false,
    yasqe: { value: config.query || config.defaultQuery, autocompleters: ["prefixes", "variables"],
             prefixCcApi: config.prefixes },
  });
  const tab = yasgui.getTab();
  tab.setQuery(config.query || config.defaultQuery);

  function queryForm(query) {
    const words = query.replace(/#[^\n]*/g, " ").replace(/(PREFIX|BASE)\s+[^\s]*\s*<[^>]*>/gi, " ").trim();
    return (/^(CONSTRUCT|DESCRIBE)\b/i.test(words)) ? TRIPLE_FORMATS : SOLUTION_FORMATS;
  }

  function showDownloads(query) {
    const box = document.getElementById("downloads");
    const links = box.querySelector("span");
    links.replaceChildren();
    for (const [label, format] of queryForm(query)) {
      const link = document.createElement("a");
      link.href = config.endpoint + "?" + new URLSearchParams({ query: query, format: format });
      link.download = "myokg-results." + format;
      link.textContent = label;
      links.appendChild(link);
    }
    box.hidden = false;
  }

  tab.on("query", function () {
    const query = tab.getQuery();
    // The address bar is always a link that reopens this query.
    history.replaceState(null, "", "?" + new URLSearchParams({ query: query }));
  });
  tab.on("queryResponse", function () { showDownloads(tab.getQuery()); });

  for (const button of document.querySelectorAll("[data-example]")) {
    button.addEventListener("click", function () {
      tab.setQuery(config.examples[Number(button.dataset.example)].query);
      tab.query();
    });
  }

  // Result links to MyoKG's public IRIs go to this server (or its configured base), where they resolve.
  function localiseLinks(root) {
    if (config.base === config.publicBase) { return; }
    for (const link of root.querySelectorAll('a[href^="' + config.publicBase + '"]')) {
      link.href = config.base + link.getAttribute("href").slice(config.publicBase.length);
    }
  }
  new MutationObserver(function () { localiseLinks(document.getElementById("yasgui")); })
    .observe(document.getElementById("yasgui"), { childList: true, subtree: true });

  if (config.query) { tab.query(); }
})();
