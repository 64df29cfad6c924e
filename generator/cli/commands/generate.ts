import * as path from "node:path";
import { generate } from "../../index";
import { specToIr } from "../../index";
import { UsageError, many, one, type Parsed } from "../args";
import { printError, type Io } from "../io";
import { findConfig, loadConfig } from "../config";
import { diffApis, formatReport, summaryFromManifest } from "../../features/diff";
import { GeneratorError } from "../../errors";
import { kindOf, reportEntries } from "../../features/report";
import { ReportFile, countsText, kindLines, printEveryLine, type JobOutcome } from "./job-report";
import type { BuildOptions } from "../../ir/build";
import { displayPathOf } from "../../pipeline/load";
import { watchAndRebuild } from "../watch";
import { readManifest } from "../../pipeline/write";
import type { ImportExtension } from "../../define-config";
import { digestOf, isRemote, readSources, STDIN, type SpecSources } from "../../pipeline/sources";
import type { RefOptions } from "../../pipeline/resolve";

/** One spec → one output directory, from the command line or a config file's job. */
interface Job {
  spec: string;
  out: string;
  build: BuildOptions;
  refs: RefOptions;
  client: boolean;
  validators: boolean;
  quiet: boolean;
  /** Absent: detected from the project around `out`. */
  importExtension?: ImportExtension;
  /** The detected extension is said once per job, not on every `--watch` rebuild. */
  announced?: boolean;
  /** A URL spec's texts, when `--watch` has just fetched them. */
  sources?: SpecSources;
  force: boolean;
}

export async function runGenerate(args: Parsed, io: Io): Promise<number> {
  // `generate` alone, in a project with a config file, runs it like a bare `openapi-morph`.
  const config = one(args, "config") ?? (args.positionals.length === 0 && !args.flags.has("out") ? findConfig() : undefined);
  if (config !== undefined) return runConfig(config, args, io);
  const [spec, ...extra] = args.positionals;
  if (!spec) throw new UsageError("generate needs a spec file: openapi-morph generate <spec> -o <dir>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const build = {
    inferUnions: !args.flags.has("no-union-inference"),
    noUnionFor: many(args, "no-union-for"),
    naming: namingOf(one(args, "naming")),
  };
  const refs = refOptionsOf(args);
  if (args.flags.has("dump-ir")) {
    io.out(JSON.stringify(specToIr(spec, { ...build, ...refs, sources: await readSources(spec) }), null, 2));
    return 0;
  }
  const out = one(args, "out");
  if (!out) throw new UsageError("generate needs an output directory: -o <dir>");
  const job: Job = {
    spec,
    out,
    build,
    refs,
    client: !args.flags.has("no-client"),
    validators: !args.flags.has("no-validators"),
    quiet: args.flags.has("quiet"),
    importExtension: importExtensionOf(one(args, "import-extension")),
    force: args.flags.has("force"),
  };
  if (args.flags.has("watch")) return watchJobs([job], args, outputOf(args, io));
  return (await generateJob(job, outputOf(args, io), args.flags.has("check"))).code;
}

function importExtensionOf(value: string | undefined): ImportExtension | undefined {
  if (value === undefined || value === "none" || value === ".js" || value === ".ts") return value;
  throw new UsageError(`--import-extension must be none, .js or .ts, not ${JSON.stringify(value)}`);
}

/** `--allow-ref` (folders, against the working directory) and `--max-file-size`. */
export function refOptionsOf(args: Parsed): RefOptions {
  const size = one(args, "max-file-size");
  const maxFileSize = size === undefined ? undefined : Number(size);
  if (maxFileSize !== undefined && !(Number.isSafeInteger(maxFileSize) && maxFileSize > 0)) throw new UsageError(`--max-file-size must be a number of bytes, not ${JSON.stringify(size)}`);
  const allowRef = many(args, "allow-ref").map((dir) => path.resolve(dir));
  return { ...(allowRef.length > 0 ? { allowRef } : {}), ...(maxFileSize !== undefined ? { maxFileSize } : {}) };
}

function namingOf(value: string | undefined): "camel" | "wire" {
  if (value === undefined || value === "wire" || value === "camel") return value ?? "wire";
  throw new UsageError(`--naming must be camel or wire, not ${JSON.stringify(value)}`);
}

/** Where a run's report goes: the terminal (summarised unless `verbose`), and a `--report` file. */
interface Output {
  io: Io;
  verbose: boolean;
  report?: ReportFile;
}

function outputOf(args: Parsed, io: Io): Output {
  const report = one(args, "report");
  return { io, verbose: args.flags.has("verbose"), report: report === undefined ? undefined : new ReportFile(report) };
}

/** Runs one job and prints its report; resolves to the exit code and the files the spec was read from. */
async function generateJob(job: Job, output: Output, check: boolean): Promise<{ code: number; inputs: string[] }> {
  const { spec, out, quiet } = job;
  const { io } = output;
  // Read before writing: the manifest about to be replaced holds the summary of the last run.
  const previous = check || quiet ? undefined : summaryFromManifest(readManifest(out)?.extra);
  const progress = quiet ? undefined : io.progress?.(out);
  const result = await generate({ spec, out, check, ...job.build, ...job.refs, force: job.force, client: job.client, validators: job.validators, importExtension: job.importExtension, sources: job.sources, onPhase: progress?.phase, skipUnchanged: !output.verbose && !output.report }).finally(() => progress?.done());
  const { ir, summary, write } = result;
  const inputs = result.inputs;
  if (!quiet && !job.announced && result.importExtension.reason) io.out(`${out}: relative imports end in ${result.importExtension.extension} (${result.importExtension.reason}; set --import-extension to choose)`);
  job.announced = true;
  const stale = check ? [...write.changed, ...write.removed] : [];
  const outcome: JobOutcome = {
    spec,
    out,
    status: !ir ? "skipped (inputs unchanged)" : stale.length > 0 ? "stale" : check ? "up to date" : "written",
    files: { written: check ? [] : write.changed, unchanged: write.unchanged.length, removed: write.removed },
    types: ir?.declarations.length,
    operations: ir?.operations.length,
    // Checking the examples costs time on a big spec: only for someone who will read the result.
    entries: ir && (!quiet || output.report) ? [...reportEntries(ir), ...write.warnings.map((w) => ({ severity: "warning" as const, kind: kindOf(w.message), subject: w.entry, line: `warning: ${out}: ${w.message}` }))] : [],
  };
  output.report?.add(outcome);
  if (!ir) {
    // Nothing the output depends on changed since the last run here: it is up to date as it is.
    if (!quiet) io.out(`${out} is up to date (inputs unchanged since the last run, ${write.unchanged.length} files)`);
    return { code: 0, inputs };
  }
  const detailed = output.verbose || output.report !== undefined;
  if (!quiet && output.verbose) printEveryLine(outcome.entries, spec, io);
  const summarise = (line: string) => {
    io.out(`${line} ${countsText(outcome, detailed)}`);
    if (!output.verbose) for (const l of kindLines(outcome.entries, spec)) io.err(l);
  };
  if (check) {
    if (stale.length > 0) {
      io.err(`${out} is stale; these files differ from what ${spec} generates:`);
      for (const f of write.changed) io.err(`  ${f}`);
      for (const f of write.removed) io.err(`  ${f} (no longer generated)`);
      io.err(`run: openapi-morph generate ${spec} -o ${out}`);
      return { code: 1, inputs };
    }
    if (!quiet) summarise(`${out} is up to date (${write.unchanged.length} files)`);
    return { code: 0, inputs };
  }
  if (!quiet) {
    if (previous && summary && write.changed.length > 0) {
      const changes = diffApis(previous, summary);
      if (changes.changes.length > 0) {
        io.out("changes since the last generation:");
        for (const line of formatReport(changes, { ...previous.operations, ...summary.operations })) io.out(line);
      }
    }
    const parts = [`${write.changed.length} written`, `${write.unchanged.length} unchanged`];
    if (write.removed.length) parts.push(`${write.removed.length} removed`);
    summarise(`${out}: ${parts.join(", ")}`);
  }
  return { code: 0, inputs };
}

function watchIntervalOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_WATCH_INTERVAL_S * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0.1) throw new UsageError(`--watch-interval must be a number of seconds (at least 0.1), not ${JSON.stringify(value)}`);
  return seconds * 1000;
}

const DEFAULT_WATCH_INTERVAL_S = 10;

/** `--watch` on a URL: fetch it (and what it $refs) every interval; regenerate when any of it changed. */
function pollRemote(job: Job, output: Output, options: { stop: AbortSignal; interval: number; verbose: boolean }): Promise<void> {
  let last: string | undefined;
  return watchAndRebuild({
    files: [job.spec],
    stop: options.stop,
    debounceMs: 0,
    watchFile: (_url, onChange) => {
      const timer = setInterval(onChange, options.interval);
      return { close: () => clearInterval(timer) };
    },
    build: async () => {
      try {
        const sources = await readSources(job.spec);
        const digest = sources && digestOf(sources);
        if (digest !== last) await generateJob({ ...job, sources }, output, false);
        last = digest;
        job.announced = true;
      } catch (e) {
        printError(e, output.io, options.verbose);
      }
      return [job.spec];
    },
    onWatching: () => output.io.out(`watching ${job.spec} for ${job.out} (fetched every ${options.interval / 1000} s); press Ctrl-C to stop`),
  });
}

/** Output options belong to each job of a config file, not to the command line. */
const PER_JOB_FLAGS = ["out", "dump-ir", "no-union-inference", "no-union-for", "naming", "no-client", "no-validators", "import-extension"];

async function runConfig(file: string, args: Parsed, io: Io): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}: with --config the jobs name their specs`);
  for (const flag of PER_JOB_FLAGS) {
    if (args.flags.has(flag)) throw new UsageError(`--${flag} cannot be combined with a config file; set it in the job of ${file}`);
  }
  const config = await loadConfig(file);
  const cliRefs = refOptionsOf(args);
  const jobs = config.jobs.map(
    (j): Job => ({
      spec: isRemote(j.spec) || j.spec === STDIN ? j.spec : displayPathOf(j.spec),
      out: displayPathOf(j.out),
      build: { inferUnions: !j.noUnionInference, noUnionFor: j.noUnionFor ?? [], naming: j.naming ?? "wire" },
      refs: { ...cliRefs, refRoot: path.dirname(path.resolve(file)), allowRef: [...(j.allowRef ?? []), ...(cliRefs.allowRef ?? [])], maxFileSize: j.maxFileSize ?? cliRefs.maxFileSize },
      client: !j.noClient,
      validators: !j.noValidators,
      quiet: args.flags.has("quiet") || j.quiet === true,
      importExtension: j.importExtension,
      force: args.flags.has("force"),
    }),
  );
  const output = outputOf(args, io);
  if (args.flags.has("watch")) return watchJobs(jobs, args, output);
  let code = 0;
  for (const job of jobs) {
    try {
      code = Math.max(code, (await generateJob(job, output, args.flags.has("check"))).code);
    } catch (e) {
      // One broken spec should not keep the other jobs from running.
      if (!(e instanceof GeneratorError)) throw e;
      io.err(e.format());
      code = 1;
    }
  }
  return code;
}

/** Regenerates each job whenever its inputs change, until interrupted. */
async function watchJobs(jobs: Job[], args: Parsed, output: Output): Promise<number> {
  const { io } = output;
  if (args.flags.has("check")) throw new UsageError("--watch and --check cannot be combined");
  if (jobs.some((j) => j.spec === STDIN)) throw new UsageError("--watch needs a spec file or URL, not stdin");
  const interval = watchIntervalOf(one(args, "watch-interval"));
  const stop = io.interrupt?.() ?? new AbortController().signal;
  const verbose = args.flags.has("verbose");
  await Promise.all(
    jobs.map((job) => {
      if (isRemote(job.spec)) return pollRemote(job, output, { stop, interval, verbose });
      let inputs = [path.resolve(job.spec)];
      return watchAndRebuild({
        files: inputs,
        stop,
        build: async () => {
          try {
            inputs = (await generateJob(job, output, false)).inputs.map((f) => path.resolve(f));
          } catch (e) {
            // The last good output stays; a file the error names may be new (a fresh $ref), so it is watched too.
            printError(e, io, verbose);
            if (e instanceof GeneratorError && e.file && e.code !== "E_WRITE") return [...inputs, path.resolve(e.file)];
          }
          return inputs;
        },
        onWatching: (files) => io.out(`watching ${files.length} file(s) for ${job.out}; press Ctrl-C to stop`),
      });
    }),
  );
  io.out("stopped watching");
  return 0;
}
