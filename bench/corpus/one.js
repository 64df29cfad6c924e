#!/usr/bin/env node
// One spec through openapi-morph, in a fresh process (what a user's run costs, module loading
// included): `node bench/corpus/one.js <spec> <out> [<allow-ref dir>]`. Prints one JSON line; the caller times the process.
"use strict";
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
const { generate, GeneratorError } = require(path.join(ROOT, "dist", "generator", "index.js"));

async function main() {
  const [spec, out, allowRef] = process.argv.slice(2);
  try {
    const { ir } = await generate({ spec, out, cache: false, allowRef: allowRef ? [allowRef] : undefined });
    process.stdout.write(
      JSON.stringify({
        ok: true,
        operations: ir.operations.length,
        unsupported: ir.operations.filter((o) => o.unsupported).length,
        warnings: ir.warnings.length,
        components: ir.declarations.filter((d) => d.source === "component").map((d) => d.specName ?? d.name),
      }) + "\n",
    );
  } catch (e) {
    // A GeneratorError is the clear refusal a user sees; anything else is a crash of ours.
    const error = e instanceof GeneratorError ? e.format() : `crash: ${(e && e.stack) || e}`;
    process.stdout.write(JSON.stringify({ ok: false, error }) + "\n");
  }
}

main();
