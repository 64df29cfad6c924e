// The corpus of real specs: ../shared/specs/corpus/SOURCES.tsv lists each with its upstream
// repository and commit. Shared by `npm run corpus` and the jest corpus test.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const CORPUS = path.resolve(__dirname, "..", "..", "..", "shared", "specs", "corpus");

/** The listed specs (`path` relative to the corpus folder), or undefined when SOURCES.tsv is absent. */
function readSources(corpus = CORPUS) {
  const file = path.join(corpus, "SOURCES.tsv");
  if (!fs.existsSync(file)) return undefined;
  const [header, ...rows] = fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim());
  const columns = header.split("\t");
  return rows.map((row) => {
    const cells = Object.fromEntries(row.split("\t").map((c, i) => [columns[i], c]));
    const abs = path.join(corpus, cells.local_path);
    const vendor = cells.local_path.split("/")[0];
    // The folder of the upstream repository's files: its specs may $ref anything in it (mermade's
    // pass/ specs reach ../resources/), so it is what a user with that checkout passes to --allow-ref.
    const checkout = path.join(corpus, vendor);
    return { path: cells.local_path, repo: cells.repo, vendor, abs, checkout, exists: fs.existsSync(abs) };
  });
}

module.exports = { CORPUS, readSources };
