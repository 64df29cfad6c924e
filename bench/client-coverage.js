#!/usr/bin/env node
/*
 * How many operations of the public corpus (../shared/specs/corpus/, listed in SOURCES.tsv) get
 * no client function, and why: `node bench/client-coverage.js [--list]` after `npm run build`.
 * Specs the generator rejects are counted apart (their operations are not counted at all),
 * since that is the loader's business, not the client's.
 */
const { existsSync, readFileSync } = require("node:fs");
const path = require("node:path");
const { specToIr } = require("../dist/generator/index");

const corpus = path.resolve(__dirname, "..", "..", "shared", "specs", "corpus");
const sources = path.join(corpus, "SOURCES.tsv");
if (!existsSync(sources)) {
  console.log(`no corpus at ${corpus}`);
  process.exit(0);
}
const files = readFileSync(sources, "utf8").trim().split("\n").slice(1).map((line) => line.split("\t")[0]);
const list = process.argv.includes("--list");
let operations = 0;
const missing = [];
const rejected = [];
const perSpec = new Map();
for (const file of files) {
  let ir;
  try {
    // Like the corpus runner: a spec may $ref anything in its upstream repository's folder.
    ir = specToIr(path.join(corpus, file), { allowRef: [path.join(corpus, file.split("/")[0])] });
  } catch (error) {
    rejected.push(`${file}: ${String(error && error.message).split("\n")[0].slice(0, 200)}`);
    continue;
  }
  operations += ir.operations.length;
  const skipped = ir.operations.filter((op) => op.unsupported);
  perSpec.set(file, { operations: ir.operations.length, skipped: skipped.length });
  for (const op of skipped) missing.push(`${file} ${op.method} ${op.path} (${op.operationId}): ${op.unsupported}`);
}
const pct = operations === 0 ? 0 : (100 * missing.length) / operations;
console.log(`${files.length} specs, ${files.length - rejected.length} generated, ${rejected.length} rejected by the generator`);
console.log(`${operations} operations, ${operations - missing.length} with a client function, ${missing.length} without (${pct.toFixed(2)}%)`);
const stripe = [...perSpec].filter(([f]) => f.startsWith("stripe/"));
for (const [f, c] of stripe) console.log(`${f}: ${c.operations} operations, ${c.operations - c.skipped} with a client function`);
const reasons = new Map();
for (const line of missing) {
  const reason = line.slice(line.indexOf("): ") + 3).replace(/application\/[\w.+-]+|[\w-]+\/[\w.+*-]+/g, "<media>");
  reasons.set(reason, (reasons.get(reason) || 0) + 1);
}
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${n} × ${reason}`);
if (list) {
  for (const line of missing) console.log(`  ${line}`);
  for (const line of rejected) console.log(`  rejected: ${line}`);
}
