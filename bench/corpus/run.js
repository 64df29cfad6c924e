#!/usr/bin/env node
// `npm run corpus`: every spec of ../shared/specs/corpus/SOURCES.tsv through openapi-morph and
// openapi-typescript, side by side in one run; each output compiled with tsc (bodies checked).
// Writes bench/corpus.md. Not a timed test: a benchmark, and the list of what still fails.
//
//   npm run corpus [-- --only <substring>] [--workers <n>] [--keep]
//
// Both tools run as a fresh process per spec (a user's run, module loading included), at most
// `--workers` at a time (default 2, or CORPUS_WORKERS), the two tools' runs of a spec one after
// the other so neither always meets a busier machine.
"use strict";
const { fork, spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { readSources, CORPUS } = require("./sources");

const ROOT = path.resolve(__dirname, "..", "..");
const OAT_CLI = path.join(ROOT, "node_modules", "openapi-typescript", "bin", "cli.js");
const TIMEOUT_MS = 600_000;
/** Output bytes per tsc program: bigger batches share more work, smaller ones bound memory. */
const BATCH_BYTES = 6_000_000;

function parseArgs(argv) {
  const args = { only: undefined, workers: Number(process.env.CORPUS_WORKERS || 2), keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") args.only = argv[++i];
    else if (argv[i] === "--workers") args.workers = Number(argv[++i]);
    else if (argv[i] === "--keep") args.keep = true;
    else throw new Error(`unknown argument ${argv[i]} (use --only <substring>, --workers <n>, --keep)`);
  }
  args.workers = Math.max(1, Math.min(8, Math.floor(args.workers) || 1));
  return args;
}

/** Runs a process to its end; resolves to its exit code, output and wall time. */
function run(argv, env = {}) {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr.length < 100_000 ? (stderr += d) : undefined));
    const timer = setTimeout(() => child.kill("SIGKILL"), TIMEOUT_MS);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Number(process.hrtime.bigint() - start) / 1e6 });
    });
  });
}

async function ours(spec, out) {
  const r = await run([process.execPath, path.join(__dirname, "one.js"), spec.abs, out, spec.checkout], { OPENAPI_MORPH_CACHE: "off" });
  let result;
  try {
    result = JSON.parse(r.stdout.trim().split("\n").pop());
  } catch {
    result = { ok: false, error: `crash (exit ${r.code ?? r.signal}): ${firstLine(r.stderr)}` };
  }
  return { ...result, ms: r.ms };
}

async function oat(spec, out) {
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, "schema.ts");
  const r = await run([process.execPath, OAT_CLI, spec.abs, "-o", file]);
  const ok = r.code === 0 && fs.existsSync(file);
  return { ok, error: ok ? undefined : firstLine(r.stderr.replace(/\x1b\[[0-9;]*m/g, "")) || `exit ${r.code ?? r.signal}`, ms: r.ms, file };
}

function firstLine(text) {
  const line = text.split("\n").find((l) => l.trim() && !/^\s*(at |node:|✨|🚀)/.test(l)) ?? "";
  return line.trim().slice(0, 200);
}

/** Runs `tasks` (functions returning promises) with at most `n` in flight, in order. */
async function pool(tasks, n) {
  const results = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]();
      }
    }),
  );
  return results;
}

function outputFiles(dir) {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort() : [];
}

function size(dir, files) {
  return files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** Groups compile jobs into batches of at most BATCH_BYTES output (one program each). */
function batches(groups) {
  const out = [];
  let current = [];
  let bytes = 0;
  for (const g of [...groups].sort((a, b) => b.bytes - a.bytes)) {
    if (current.length > 0 && bytes + g.bytes > BATCH_BYTES) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(g);
    bytes += g.bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** Compiles every group on `n` forked tsc workers; resolves to diagnostics by key and oat component names by file. */
async function compileAll(groups, oatFiles, n) {
  const workers = Array.from({ length: n }, () => fork(path.join(__dirname, "tsc.js"), [], { stdio: ["ignore", "inherit", "inherit", "ipc"], execArgv: ["--max-old-space-size=6144"] }));
  const diagnostics = {};
  const components = {};
  const jobs = batches(groups).map((batch, i) => ({ groups: batch.map(({ key, dir, files }) => ({ key, dir, files })), oat: i === 0 ? oatFiles : [] }));
  let next = 0;
  try {
    await Promise.all(
      workers.map(async (w) => {
        while (next < jobs.length) {
          const job = jobs[next++];
          const reply = await new Promise((resolve) => {
            w.once("message", resolve);
            w.once("exit", (code) => resolve({ error: `tsc worker exited (${code})` }));
            w.send({ id: next, ...job });
          });
          for (const g of job.groups) diagnostics[g.key] = reply.error ? [`tsc failed: ${firstLine(reply.error)}`] : reply.diagnostics[g.key];
          Object.assign(components, reply.components ?? {});
        }
      }),
    );
  } finally {
    for (const w of workers) w.kill();
  }
  return { diagnostics, components };
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const cell = (text) => String(text).replace(/\|/g, "\\|").replace(/\n/g, " ");

function report(rows, args, wallMs) {
  const lines = [];
  const say = (s = "") => lines.push(s);
  say("## Corpus: openapi-morph and openapi-typescript on the same specs");
  say();
  say(`${rows.length} specs from \`../shared/specs/corpus/SOURCES.tsv\`${args.only ? ` (only those matching ${JSON.stringify(args.only)})` : ""}; node ${process.version}, ${os.cpus().length} cores, ${args.workers} worker(s); ${fmt(wallMs)} wall for the whole run.`);
  say("Times are one cold process per spec and tool, `generate` with the cache off; \"compiled\" is tsc `strict` over every generated file, bodies included (`@ts-nocheck` removed).");
  say("\"missing\" counts the spec's own component schemas that openapi-typescript emits and that have no type of ours.");
  say();
  say("| spec | ours: generated | compiled | ops without client fn | warnings | time | openapi-typescript: generated | compiled | time | missing |");
  say("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  const t = { specs: 0, gen: 0, tsc: 0, unsupported: 0, operations: 0, warnings: 0, ms: 0, oatGen: 0, oatTsc: 0, oatMs: 0, missing: 0 };
  for (const r of rows) {
    t.specs++;
    const o = r.ours;
    const a = r.oat;
    const oursTsc = o.ok ? (r.oursDiagnostics.length === 0 ? "yes" : `${r.oursDiagnostics.length} errors`) : "—";
    const oatTsc = a.ok ? (r.oatDiagnostics.length === 0 ? "yes" : `${r.oatDiagnostics.length} errors`) : "—";
    if (o.ok) {
      t.gen++;
      t.unsupported += o.unsupported;
      t.operations += o.operations;
      t.warnings += o.warnings;
      if (r.oursDiagnostics.length === 0) t.tsc++;
    }
    if (a.ok) {
      t.oatGen++;
      if (r.oatDiagnostics.length === 0) t.oatTsc++;
    }
    t.ms += o.ms;
    t.oatMs += a.ms;
    t.missing += r.missing.length;
    say(
      `| ${cell(r.spec.path)} | ${o.ok ? "yes" : `**no** (${cell(codeOf(o.error))})`} | ${oursTsc} | ${o.ok ? `${o.unsupported} / ${o.operations}` : "—"} | ${o.ok ? o.warnings : "—"} | ${fmt(o.ms)} | ${a.ok ? "yes" : "**no**"} | ${oatTsc} | ${fmt(a.ms)} | ${r.missing.length || ""} |`,
    );
  }
  const ratio = t.oatMs ? (t.ms / t.oatMs).toFixed(2) : "n/a";
  say(
    `| **total (${t.specs} specs)** | **${t.gen}** | **${t.tsc}** | **${t.unsupported} / ${t.operations}** | **${t.warnings}** | **${fmt(t.ms)}** (${ratio}× openapi-typescript's) | **${t.oatGen}** | **${t.oatTsc}** | **${fmt(t.oatMs)}** | **${t.missing}** |`,
  );
  say();
  const failures = rows.filter((r) => !r.ours.ok || r.oursDiagnostics.length > 0 || r.missing.length > 0 || !r.oat.ok || r.oatDiagnostics.length > 0);
  if (failures.length > 0) {
    say("### What failed");
    say();
    for (const r of failures) {
      if (!r.ours.ok) say(`- ${r.spec.path}: ours: ${cell(r.ours.error.split("\n")[0].slice(0, 300))}`);
      if (r.oursDiagnostics.length > 0) say(`- ${r.spec.path}: ours: ${r.oursDiagnostics.length} tsc errors, first: ${cell(r.oursDiagnostics[0])}`);
      if (r.missing.length > 0) say(`- ${r.spec.path}: ours lacks ${r.missing.length} component type(s) openapi-typescript has: ${cell(r.missing.slice(0, 5).join(", "))}`);
      if (!r.oat.ok) say(`- ${r.spec.path}: openapi-typescript: ${cell(r.oat.error)}`);
      if (r.oatDiagnostics.length > 0) say(`- ${r.spec.path}: openapi-typescript: ${r.oatDiagnostics.length} tsc errors, first: ${cell(r.oatDiagnostics[0])}`);
    }
    say();
  }
  return { text: lines.join("\n") + "\n", totals: t };
}

function codeOf(error) {
  return /^(error )?(E_[A-Z0-9_]+)/.exec(error)?.[2] ?? "crash";
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const specs = readSources();
  if (specs === undefined) {
    console.log(`corpus skipped: ${path.relative(ROOT, CORPUS)}/SOURCES.tsv is absent`);
    return;
  }
  const chosen = specs.filter((s) => s.exists && (!args.only || s.path.includes(args.only)));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "morph-corpus-"));
  const start = process.hrtime.bigint();
  let done = 0;
  const rows = await pool(
    chosen.map((spec, i) => async () => {
      const dirs = { ours: path.join(tmp, `${i}-ours`), oat: path.join(tmp, `${i}-oat`) };
      // Alternate which tool goes first, so neither always meets the warmer disk cache.
      const row = { spec, dirs };
      if (i % 2) row.oat = await oat(spec, dirs.oat);
      row.ours = await ours(spec, dirs.ours);
      row.oat ??= await oat(spec, dirs.oat);
      process.stderr.write(`[${++done}/${chosen.length}] ${spec.path}: ours ${row.ours.ok ? "ok" : "FAILED"} ${fmt(row.ours.ms)}, openapi-typescript ${row.oat.ok ? "ok" : "FAILED"} ${fmt(row.oat.ms)}\n`);
      return row;
    }),
    args.workers,
  );
  process.stderr.write("compiling the outputs…\n");
  const groups = [];
  for (const r of rows) {
    for (const [tool, ok] of [["ours", r.ours.ok], ["oat", r.oat.ok]]) {
      if (!ok) continue;
      const files = outputFiles(r.dirs[tool]);
      groups.push({ key: `${tool}:${r.dirs[tool]}`, dir: r.dirs[tool], files, bytes: size(r.dirs[tool], files) });
    }
  }
  const oatFiles = rows.filter((r) => r.oat.ok).map((r) => [r.oat.file, r.spec.abs]);
  const { diagnostics, components } = await compileAll(groups, oatFiles, args.workers);
  for (const r of rows) {
    r.oursDiagnostics = diagnostics[`ours:${r.dirs.ours}`] ?? [];
    r.oatDiagnostics = diagnostics[`oat:${r.dirs.oat}`] ?? [];
    const have = new Set(r.ours.components ?? []);
    r.missing = r.ours.ok && r.oat.ok ? (components[r.oat.file] ?? []).filter((n) => !have.has(n)) : [];
  }
  const { text, totals } = report(rows, args, Number(process.hrtime.bigint() - start) / 1e6);
  fs.writeFileSync(path.join(ROOT, "bench", args.only ? "corpus-only.md" : "corpus.md"), text);
  console.log(text.split("\n").find((l) => l.startsWith("| **total")));
  if (!args.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`outputs kept in ${tmp}`);
  console.log(`ours: ${totals.gen}/${totals.specs} generated, ${totals.tsc} compiled; openapi-typescript: ${totals.oatGen} generated, ${totals.oatTsc} compiled`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
