// Reads a JSON-LD document on stdin and writes its RDF as N-Quads on stdout, with jsonld.js.
// Its document loader refuses every URL, so a document that needs a remote context fails here
// instead of being fetched. Exit status 2 and a message on stderr on any error.
"use strict";
const path = require("path");
const jsonld = require(path.join(__dirname, "..", "server", "myokg", "web", "node_modules", "jsonld"));

const refuse = async (url) => {
  throw new Error(`refused to load ${url}: MyoKG documents carry their context inline`);
};

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", async () => {
  try {
    const nquads = await jsonld.toRDF(JSON.parse(input), { format: "application/n-quads", documentLoader: refuse });
    process.stdout.write(nquads);
  } catch (error) {
    const cause = error.details && error.details.cause ? ` (${error.details.cause.message})` : "";
    process.stderr.write(`${error.name}: ${error.message}${cause}\n`);
    process.exit(2);
  }
});
