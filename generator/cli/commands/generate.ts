import * as path from "node:path";
import { generate } from "../../index";
import { specToIr } from "../../index";
import { UsageError, many, one, printError, type Io, type Parsed } from "../main";
import { loadConfig } from "../config";
import { diffApis, formatReport, summaryFromManifest } from "../../features/diff";
import { GeneratorError } from "../../errors";
import { checkExamples } from "../../ir/check";
import type { BuildOptions } from "../../ir/build";
import { displayPathOf } from "../../pipeline/load";
import { watchAndRebuild } from "../watch";
import { readManifest } from "../../pipeline/write";
import type { ImportExtension } from "../../define-config";

/** One spec → one output directory, from the command line or a config file's job. */
interface Job {
  spec: string;
  out: string;
  build: BuildOptions;
  client: boolean;
  validators: boolean;
  quiet: boolean;
  /** Absent: detected from the project around `out`. */
  importExtension?: ImportExtension;
  /** The detected extension is said once per job, not on every `--watch` rebuild. */
  announced?: boolean;
}

export async function runGenerate(args: Parsed, io: Io): Promise<number> {
  const config = one(args, "config");
  if (config !== undefined) return runConfig(config, args, io);
  const [spec, ...extra] = args.positionals;
  if (!spec) throw new UsageError("generate needs a spec file: openapi-morph generate <spec> -o <dir>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const build = {
    inferUnions: !args.flags.has("no-union-inference"),
    noUnionFor: many(args, "no-union-for"),
    naming: namingOf(one(args, "naming")),
  };
  if (args.flags.has("dump-ir")) {
    io.out(JSON.stringify(specToIr(spec, build), null, 2));
    return 0;
  }
  const out = one(args, "out");
  if (!out) throw new UsageError("generate needs an output directory: -o <dir>");
  const job: Job = {
    spec,
    out,
    build,
    client: !args.flags.has("no-client"),
    validators: !args.flags.has("no-validators"),
    quiet: args.flags.has("quiet"),
    importExtension: importExtensionOf(one(args, "import-extension")),
  };
  if (args.flags.has("watch")) return watchJobs([job], args, io);
  return (await generateJob(job, io, args.flags.has("check"))).code;
}

function importExtensionOf(value: string | undefined): ImportExtension | undefined {
  if (value === undefined || value === "none" || value === ".js" || value === ".ts") return value;
  throw new UsageError(`--import-extension must be none, .js or .ts, not ${JSON.stringify(value)}`);
}

function namingOf(value: string | undefined): "camel" | "wire" {
  if (value === undefined || value === "wire" || value === "camel") return value ?? "wire";
  throw new UsageError(`--naming must be camel or wire, not ${JSON.stringify(value)}`);
}

/** Runs one job and prints its report; resolves to the exit code and the files the spec was read from. */
async function generateJob(job: Job, io: Io, check: boolean): Promise<{ code: number; inputs: string[] }> {
  const { spec, out, quiet } = job;
  // Read before writing: the manifest about to be replaced holds the summary of the last run.
  const previous = check || quiet ? undefined : summaryFromManifest(readManifest(out)?.extra);
  const result = await generate({ spec, out, check, ...job.build, client: job.client, validators: job.validators, importExtension: job.importExtension });
  const { ir, summary, write } = result;
  const inputs = result.inputs;
  if (!quiet && !job.announced && result.importExtension.reason) io.out(`${out}: relative imports end in ${result.importExtension.extension} (${result.importExtension.reason}; set --import-extension to choose)`);
  job.announced = true;
  if (!ir) {
    // Nothing the output depends on changed since the last run here: it is up to date as it is.
    if (!quiet) io.out(`${out} is up to date (inputs unchanged since the last run, ${write.unchanged.length} files)`);
    return { code: 0, inputs };
  }
  if (!quiet) {
    for (const u of ir.unions) io.out(`union ${oneLine(u.at)}: ${u.reason} on ${JSON.stringify(u.property)} (${u.values.map(oneLine).join(" | ")})`);
    for (const r of ir.renames) io.out(`renamed ${oneLine(r.from)} → ${r.to} (${r.reason}) at ${oneLine(r.pointer)}`);
    for (const op of ir.operations) if (op.unsupported) io.err(`warning: ${op.operationId}: client function skipped: ${op.unsupported}`);
    for (const w of ir.warnings) io.err(`warning: ${w.pointer}: ${w.message}`);
    const report = checkExamples(ir);
    const bad = report.filter((r) => r.status === "mismatch");
    if (bad.length > 0) {
      io.err(`warning: ${bad.length} documented example(s) do not match their schema (run \`openapi-morph examples ${spec}\` for details):`);
      for (const r of bad) io.err(`  ${r.pointer}: ${r.issues[0].path || "(root)"} ${r.issues[0].message}`);
    }
  }
  if (check) {
    const stale = [...write.changed, ...write.removed];
    if (stale.length > 0) {
      io.err(`${out} is stale; these files differ from what ${spec} generates:`);
      for (const f of write.changed) io.err(`  ${f}`);
      for (const f of write.removed) io.err(`  ${f} (no longer generated)`);
      io.err(`run: openapi-morph generate ${spec} -o ${out}`);
      return { code: 1, inputs };
    }
    if (!quiet) io.out(`${out} is up to date (${write.unchanged.length} files)`);
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
    io.out(`${out}: ${parts.join(", ")} (${ir.declarations.length} types, ${ir.operations.length} operations)`);
  }
  return { code: 0, inputs };
}

/** Output options belong to each job of a config file, not to the command line. */
const PER_JOB_FLAGS = ["out", "dump-ir", "no-union-inference", "no-union-for", "naming", "no-client", "no-validators", "import-extension"];

async function runConfig(file: string, args: Parsed, io: Io): Promise<number> {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}: with --config the jobs name their specs`);
  for (const flag of PER_JOB_FLAGS) {
    if (args.flags.has(flag)) throw new UsageError(`--${flag} cannot be combined with a config file; set it in the job of ${file}`);
  }
  const config = await loadConfig(file);
  const jobs = config.jobs.map(
    (j): Job => ({
      spec: displayPathOf(j.spec),
      out: displayPathOf(j.out),
      build: { inferUnions: !j.noUnionInference, noUnionFor: j.noUnionFor ?? [], naming: j.naming ?? "wire" },
      client: !j.noClient,
      validators: !j.noValidators,
      quiet: args.flags.has("quiet") || j.quiet === true,
      importExtension: j.importExtension,
    }),
  );
  if (args.flags.has("watch")) return watchJobs(jobs, args, io);
  let code = 0;
  for (const job of jobs) {
    try {
      code = Math.max(code, (await generateJob(job, io, args.flags.has("check"))).code);
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
async function watchJobs(jobs: Job[], args: Parsed, io: Io): Promise<number> {
  if (args.flags.has("check")) throw new UsageError("--watch and --check cannot be combined");
  const stop = io.interrupt?.() ?? new AbortController().signal;
  const verbose = args.flags.has("verbose");
  await Promise.all(
    jobs.map((job) => {
      let inputs = [path.resolve(job.spec)];
      return watchAndRebuild({
        files: inputs,
        stop,
        build: async () => {
          try {
            inputs = (await generateJob(job, io, false)).inputs.map((f) => path.resolve(f));
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

/** Spec strings can hold line breaks; a report line must stay one line. */
function oneLine(text: string): string {
  return /[\u0000-\u001f\u007f\u2028\u2029]/.test(text) ? JSON.stringify(text) : text;
}
