#!/usr/bin/env node
// `npm run bench`: openapi-morph against its peers on the same machine, in one run.
// Every figure is a median of BENCH_RUNS runs (default 5) after a warm-up, with runs of the tools
// alternating, and ratios are taken within this run: absolute seconds mean little on a shared box.
"use strict";
const { spawnSync, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS || 5));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), "morph-bench-"));
const FULL = path.resolve(ROOT, "..", "shared", "specs", "openai-2026-08-21.yaml");
const FRAGMENT = path.join(ROOT, "spec", "fine-tuning.yaml");
const PEERS = path.join(__dirname, ".peers");
const TIME = fs.existsSync("/usr/bin/time") ? "/usr/bin/time" : undefined;
const lines = [];
const say = (s = "") => {
  lines.push(s);
  console.log(s);
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
const fmt = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}×` : "n/a");

/** Runs a command once; returns wall time (ms) and peak RSS (MB, when /usr/bin/time exists). */
function timeCommand(argv, opts = {}) {
  const rssFile = path.join(TMP, "rss.txt");
  const [cmd, ...args] = TIME ? [TIME, "-f", "%M", "-o", rssFile, ...argv] : argv;
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: opts.cwd ?? ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...opts.env } });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && !opts.allowFail) throw new Error(`${argv.join(" ")} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const rss = TIME ? Number(fs.readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024 : NaN;
  return { ms, rss };
}

function ensureOrval() {
  const found = () => {
    const dir = path.join(PEERS, "node_modules", "orval", "dist", "bin");
    if (!fs.existsSync(dir)) return undefined;
    const f = fs.readdirSync(dir).find((n) => /^orval\.(c?m?js)$/.test(n));
    return f ? path.join(dir, f) : undefined;
  };
  const installed = found();
  if (installed) return installed;
  // orval is large and only the benchmark needs it, so it is installed here on first use instead
  // of in package.json, where every `npm ci` (and CI) would pay for it.
  fs.mkdirSync(PEERS, { recursive: true });
  fs.writeFileSync(path.join(PEERS, "package.json"), JSON.stringify({ name: "morph-bench-peers", private: true }));
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--silent", "orval@8.38.0"], { cwd: PEERS, stdio: "inherit" });
  if (r.status !== 0) return undefined;
  return found();
}

/** A copy of the spec with one description changed: a regeneration after an upstream edit. */
function editedCopy(spec, tag) {
  const text = fs.readFileSync(spec, "utf8");
  const file = path.join(TMP, `${tag}-edited${path.extname(spec)}`);
  fs.writeFileSync(file, text.replace(/description: /, "description: (edited) "));
  return file;
}

function tools(spec, tag) {
  const orval = ensureOrval();
  let n = 0;
  const out = () => path.join(TMP, `${tag}-${n++}`);
  const morph = path.join(ROOT, "bin", "openapi-morph.js");
  const noCache = { OPENAPI_MORPH_CACHE: "off" };
  const cacheDir = path.join(TMP, `${tag}-cache`);
  const edited = editedCopy(spec, tag);
  let flip = 0;
  const list = [
    { name: "openapi-morph, first run (no cache)", env: noCache, argv: () => [process.execPath, morph, "generate", spec, "-o", out(), "--quiet"] },
    { name: "openapi-morph --no-validators, first run (no cache)", env: noCache, argv: () => [process.execPath, morph, "generate", spec, "-o", out(), "--quiet", "--no-validators"] },
    // The everyday case: the spec changed a little since the last run into the same directory.
    { name: "openapi-morph, spec edited since last run (warm cache)", env: { OPENAPI_MORPH_CACHE: cacheDir }, argv: () => [process.execPath, morph, "generate", flip++ % 2 ? edited : spec, "-o", path.join(TMP, `${tag}-same`), "--quiet"] },
    { name: "openapi-typescript", argv: () => [process.execPath, path.join(ROOT, "node_modules", "openapi-typescript", "bin", "cli.js"), spec, "-o", `${out()}.ts`] },
  ];
  if (orval) list.push({ name: "orval (fetch)", argv: () => [process.execPath, orval, "--input", spec, "--output", path.join(out(), "api.ts"), "--client", "fetch"] });
  return list;
}

function cliTable(label, spec, tag) {
  const list = tools(spec, tag);
  for (const t of list) timeCommand(t.argv(), { env: t.env }); // warm-up: disk cache, JIT caches
  const times = new Map(list.map((t) => [t.name, []]));
  const rss = new Map(list.map((t) => [t.name, []]));
  for (let i = 0; i < RUNS; i++) {
    // Rotate the order each round, so no tool always runs on a warmer or cooler machine.
    for (let j = 0; j < list.length; j++) {
      const t = list[(i + j) % list.length];
      const r = timeCommand(t.argv(), { env: t.env });
      times.get(t.name).push(r.ms);
      rss.get(t.name).push(r.rss);
    }
  }
  const peers = list.filter((t) => !t.name.startsWith("openapi-morph")).map((t) => median(times.get(t.name)));
  const fastestPeer = Math.min(...peers);
  say(`### Whole CLI, cold process: ${label}`);
  say();
  say("| tool | median wall | vs fastest peer | peak RSS |");
  say("| --- | --- | --- | --- |");
  for (const t of list) {
    const m = median(times.get(t.name));
    const r = median(rss.get(t.name));
    say(`| ${t.name} | ${fmt(m)} | ${ratio(m, fastestPeer)} | ${Number.isNaN(r) ? "n/a" : `${r.toFixed(0)} MB`} |`);
  }
  say();
}

function unchangedTable(spec) {
  const dir = path.join(TMP, "unchanged");
  const gen = (...extra) => [process.execPath, path.join(ROOT, "bin", "openapi-morph.js"), "generate", spec, "-o", dir, "--quiet", ...extra];
  timeCommand(gen());
  const regen = [];
  const check = [];
  for (let i = 0; i < RUNS; i++) {
    regen.push(timeCommand(gen()).ms);
    check.push(timeCommand(gen("--check")).ms);
  }
  say("### Unchanged spec (output already up to date), full spec");
  say();
  say("| command | median wall |");
  say("| --- | --- |");
  say(`| generate | ${fmt(median(regen))} |`);
  say(`| generate --check | ${fmt(median(check))} |`);
  say();
}

function phasesTable(spec) {
  const jsyaml = require("js-yaml");
  const YAML = require("yaml");
  const text = fs.readFileSync(spec, "utf8");
  const script = `
    const { generate } = require(${JSON.stringify(path.join(ROOT, "dist", "generator", "index.js"))});
    generate({ spec: ${JSON.stringify(spec)}, out: process.argv[1] }).then((r) => process.stdout.write(JSON.stringify(r.timings)));
  `;
  const phases = {};
  const floorJs = [];
  const floorYaml = [];
  for (let i = 0; i <= RUNS; i++) {
    // A fresh process per run: phases as a user's build pays them, JIT cold.
    const r = spawnSync(process.execPath, ["-e", script, path.join(TMP, `phases-${i}`)], { encoding: "utf8" });
    const t = JSON.parse(r.stdout);
    let s = process.hrtime.bigint();
    jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
    const a = Number(process.hrtime.bigint() - s) / 1e6;
    s = process.hrtime.bigint();
    YAML.parse(text);
    const b = Number(process.hrtime.bigint() - s) / 1e6;
    if (i === 0) continue;
    for (const [k, v] of Object.entries(t)) (phases[k] ??= []).push(v);
    floorJs.push(a);
    floorYaml.push(b);
  }
  say("### Our phases, in-process, full spec (fresh process per run)");
  say();
  say("| phase | median |");
  say("| --- | --- |");
  for (const [k, v] of Object.entries(phases)) say(`| ${k} | ${fmt(median(v))} |`);
  say(`| floor: parse the YAML alone (js-yaml, what load uses) | ${fmt(median(floorJs))} |`);
  say(`| floor: parse the YAML alone (yaml) | ${fmt(median(floorYaml))} |`);
  say();
}

function tscTable(spec) {
  const ours = path.join(TMP, "tsc-ours");
  const theirs = path.join(TMP, "tsc-theirs");
  execFileSync(process.execPath, [path.join(ROOT, "bin", "openapi-morph.js"), "generate", spec, "-o", ours, "--quiet"]);
  fs.mkdirSync(theirs, { recursive: true });
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "openapi-typescript", "bin", "cli.js"), spec, "-o", path.join(theirs, "schema.ts")], { stdio: "ignore" });
  const tsconfig = JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "commonjs", lib: ["ES2022", "DOM"], skipLibCheck: true, types: [] }, include: ["*.ts"] });
  fs.writeFileSync(path.join(ours, "tsconfig.json"), tsconfig);
  fs.writeFileSync(path.join(theirs, "tsconfig.json"), tsconfig);
  const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const oursTypesOnly = path.join(TMP, "tsc-ours-types");
  fs.mkdirSync(oursTypesOnly, { recursive: true });
  fs.copyFileSync(path.join(ours, "types.ts"), path.join(oursTypesOnly, "types.ts"));
  fs.writeFileSync(path.join(oursTypesOnly, "tsconfig.json"), tsconfig);
  // The same exports as declaration files only (what tsc --declaration makes of our output): what
  // users would pay were client and validators shipped as .js with .d.ts, like an SDK package.
  const oursDeclarations = path.join(TMP, "tsc-ours-dts");
  fs.rmSync(oursDeclarations, { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, "-p", ours, "--noEmit", "false", "--declaration", "--emitDeclarationOnly", "--outDir", oursDeclarations]);
  fs.copyFileSync(path.join(ours, "types.ts"), path.join(oursDeclarations, "types.ts"));
  fs.rmSync(path.join(oursDeclarations, "types.d.ts"));
  fs.writeFileSync(path.join(oursDeclarations, "tsconfig.json"), tsconfig);
  const dirs = {
    "openapi-morph (types, client, validators)": ours,
    "openapi-morph (types.ts only)": oursTypesOnly,
    "openapi-morph (types.ts and the others' declarations only)": oursDeclarations,
    "openapi-typescript (types)": theirs,
  };
  const runs = Object.fromEntries(Object.keys(dirs).map((name) => [name, []]));
  for (let i = 0; i <= RUNS; i++) {
    for (const [name, dir] of Object.entries(dirs)) {
      const r = timeCommand([process.execPath, tsc, "-p", dir], { allowFail: true });
      if (i > 0) runs[name].push(r.ms);
    }
  }
  const base = median(runs["openapi-typescript (types)"]);
  say("### `tsc --noEmit` on the generated output, full spec");
  say();
  say("| output | median | vs openapi-typescript |");
  say("| --- | --- | --- |");
  for (const [name, v] of Object.entries(runs)) say(`| ${name} | ${fmt(median(v))} | ${ratio(median(v), base)} |`);
  say();
}

function validatorTable() {
  const ts = require("typescript");
  const out = path.join(TMP, "validators");
  execFileSync(process.execPath, [path.join(ROOT, "bin", "openapi-morph.js"), "generate", FRAGMENT, "-o", out, "--quiet"]);
  if (!fs.existsSync(path.join(out, "validators.ts"))) {
    say("### Validator throughput: not measured (this build emits no validators)");
    say();
    return;
  }
  for (const f of fs.readdirSync(out).filter((n) => n.endsWith(".ts"))) {
    const js = ts.transpileModule(fs.readFileSync(path.join(out, f), "utf8"), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    fs.writeFileSync(path.join(out, f.replace(/\.ts$/, ".js")), js);
  }
  const generated = require(path.join(out, "index.js"));
  const Ajv2020 = require("ajv/dist/2020").default;
  const { specToIr } = require(path.join(ROOT, "dist", "generator", "index.js"));
  const { loadSpec } = require(path.join(ROOT, "dist", "generator", "pipeline", "load.js"));
  const { resolveRefs } = require(path.join(ROOT, "dist", "generator", "pipeline", "resolve.js"));
  const doc = JSON.parse(JSON.stringify(resolveRefs(loadSpec(FRAGMENT)).root, (k, v) => (k === "exclusiveMinimum" && v === true ? undefined : v)));
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(doc, "spec");
  const ajvJob = ajv.compile({ $ref: "spec#/components/schemas/FineTuningJob" });
  const ir = specToIr(FRAGMENT);
  const { readExample } = require(path.join(ROOT, "dist", "generator", "ir", "examples.js"));
  const documented = readExample(ir.examples.find((e) => e.pointer.endsWith("/get/x-oaiMeta/examples/response"))).json;
  const job = { ...documented, error: null };
  const rl = {
    ...job,
    method: {
      type: "reinforcement",
      reinforcement: {
        grader: {
          type: "multi",
          name: "multi",
          calculate_output: "a",
          graders: { type: "label_model", name: "l", model: "gpt-4o", labels: ["a", "b"], passing_labels: ["a"], input: [{ role: "user", content: "{{item.text}}" }, { role: "system", content: [{ type: "input_text", text: "be fair" }] }] },
        },
        hyperparameters: { n_epochs: 2, reasoning_effort: "low", compute_multiplier: "auto" },
      },
    },
  };
  const cases = [
    ["documented FineTuningJob (+ error: null)", job],
    ["reinforcement job, multi grader", rl],
  ];
  say("### Validator throughput (ops/s, higher is better)");
  say();
  say("| value | openapi-morph validateFineTuningJob | ajv (compiled) | ours / ajv |");
  say("| --- | --- | --- | --- |");
  for (const [label, value] of cases) {
    if (!generated.validateFineTuningJob(value).ok || !ajvJob(value)) throw new Error(`${label} must be valid for both`);
    const measure = (fn) => {
      const results = [];
      for (let r = 0; r <= RUNS; r++) {
        let n = 0;
        const start = process.hrtime.bigint();
        let elapsed = 0;
        while (elapsed < 200) {
          for (let k = 0; k < 1000; k++) fn(value);
          n += 1000;
          elapsed = Number(process.hrtime.bigint() - start) / 1e6;
        }
        if (r > 0) results.push((n / elapsed) * 1000);
      }
      return median(results);
    };
    const ours = measure((v) => generated.validateFineTuningJob(v));
    const theirs = measure((v) => ajvJob(v));
    say(`| ${label} | ${Math.round(ours).toLocaleString("en-US")} | ${Math.round(theirs).toLocaleString("en-US")} | ${ratio(ours, theirs)} |`);
  }
  say();
}

/** What every generated client carries: the runtime, as TypeScript and as the JavaScript a bundler gets. */
function runtimeSizeTable() {
  const ts = require("typescript");
  const zlib = require("node:zlib");
  const source = fs.readFileSync(path.join(ROOT, "templates", "runtime.ts"), "utf8");
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, removeComments: true } }).outputText;
  const kb = (text) => `${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`;
  const gz = (text) => `${(zlib.gzipSync(text, { level: 9 }).length / 1024).toFixed(1)} KiB`;
  const imports = [...source.matchAll(/^import .* from "([^"]+)"/gm)].map((m) => m[1]);
  say("### Runtime size (`templates/runtime.ts`, copied into every generated client)");
  say();
  say("| form | size | gzipped |");
  say("| --- | --- | --- |");
  say(`| TypeScript (${source.split("\n").length} lines) | ${kb(source)} | ${gz(source)} |`);
  say(`| JavaScript, comments removed | ${kb(js)} | ${gz(js)} |`);
  say();
  say(`Imports: ${imports.length === 0 ? "none (web standards only)" : imports.join(", ")}.`);
  say();
}

function main() {
  if (!fs.existsSync(path.join(ROOT, "dist", "generator", "cli", "main.js"))) execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  say(`## openapi-morph benchmark`);
  say();
  say(`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ${RUNS} runs per figure after a warm-up, medians; tools alternate within each round.`);
  say();
  cliTable("spec/fine-tuning.yaml (1 operation, 27 schemas)", FRAGMENT, "frag");
  if (fs.existsSync(FULL)) {
    cliTable("full OpenAI spec (182 paths, 1422 schemas)", FULL, "full");
    unchangedTable(FULL);
    phasesTable(FULL);
    tscTable(FULL);
  } else {
    say(`(full-spec figures skipped: ${path.relative(ROOT, FULL)} is absent)`);
    say();
  }
  validatorTable();
  runtimeSizeTable();
  fs.writeFileSync(path.join(__dirname, "results.md"), lines.join("\n") + "\n");
  fs.rmSync(TMP, { recursive: true, force: true });
}

main();
