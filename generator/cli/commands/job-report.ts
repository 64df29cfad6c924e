import * as path from "node:path";
import { writeFileAtomically } from "../../pipeline/write";
import { countKinds, EXAMPLE_KIND, EXAMPLE_LINE, type ReportEntry } from "../../features/report";
import type { Io } from "../io";

/**
 * How `generate` tells what it did: by default one summary line per job and one line per kind of
 * warning with its first few subjects (the full OpenAI spec gave 517 lines, Stripe 1,784);
 * `--verbose` prints every line, `--report <file>` writes them all (JSON or text by extension).
 */

export interface JobOutcome {
  spec: string;
  out: string;
  /** "written" | "up to date" | "stale" | "skipped (inputs unchanged)" */
  status: string;
  files: { written: string[]; unchanged: number; removed: string[] };
  types?: number;
  operations?: number;
  entries: ReportEntry[];
}

/** Every line, as `generate` printed them before it summarised: notes on stdout, warnings on stderr. */
export function printEveryLine(entries: ReportEntry[], spec: string, io: Io): void {
  const examples = entries.filter((e) => e.kind === EXAMPLE_KIND);
  for (const e of entries) if (e.severity === "note") io.out(e.line);
  for (const e of entries) if (e.severity === "warning" && e.kind !== EXAMPLE_KIND) io.err(e.line);
  if (examples.length > 0) {
    io.err(`warning: ${examples.length} documented example(s) do not match their schema (run \`openapi-morph examples ${spec}\` for details):`);
    for (const e of examples) io.err(`  ${e.line.slice(EXAMPLE_LINE.length)}`);
  }
}

/** `(34 types, 1 operations, 3 unions inferred), 3 warnings`: what follows the files in the summary line. */
export function countsText(outcome: JobOutcome, detailed: boolean): string {
  const notes = outcome.entries.filter((e) => e.severity === "note");
  const unions = notes.filter((e) => e.kind.startsWith("union")).length;
  const renames = notes.length - unions;
  const counts = [`${outcome.types ?? 0} types`, `${outcome.operations ?? 0} operations`];
  if (unions > 0) counts.push(`${unions} unions inferred`);
  if (renames > 0) counts.push(`${renames} renamed`);
  const warnings = outcome.entries.length - notes.length;
  const hidden = !detailed && outcome.entries.length > 0 ? " (every line: --verbose or --report <file>)" : "";
  return `(${counts.join(", ")})${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}${hidden}`;
}

const MAX_LINE = 240;

/** One line per kind of warning: its count, what it is, and its first few subjects. */
export function kindLines(entries: ReportEntry[], spec: string): string[] {
  return countKinds(entries.filter((e) => e.severity === "warning")).map((k) => {
    if (k.kind === EXAMPLE_KIND) k.kind += ` (details: openapi-morph examples ${spec})`;
    const first = k.first.map((s) => (s.length > 80 ? `${s.slice(0, 79)}…` : s)).join(", ") + (k.count > k.first.length ? ", …" : "");
    const line = `  ${k.count} × ${k.kind}: ${first}`;
    return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line;
  });
}

/** `--report <file>`: every job of the run with every line; rewritten after each job (and each `--watch` rebuild). */
export class ReportFile {
  private readonly outcomes = new Map<string, JobOutcome>();
  constructor(private readonly file: string) {}

  add(outcome: JobOutcome): void {
    this.outcomes.set(outcome.out, outcome);
    const jobs = [...this.outcomes.values()];
    const text = /\.json$/i.test(this.file) ? `${JSON.stringify({ jobs: jobs.map(asJson) }, null, 2)}\n` : jobs.map(asText).join("\n");
    writeFileAtomically(path.resolve(this.file), text, this.file);
  }
}

function asJson(o: JobOutcome): object {
  return {
    spec: o.spec,
    out: o.out,
    status: o.status,
    files: o.files,
    types: o.types,
    operations: o.operations,
    kinds: countKinds(o.entries, 0).map(({ severity, kind, count }) => ({ severity, kind, count })),
    entries: o.entries.map(({ severity, kind, subject, line }) => ({ severity, kind, subject, line })),
  };
}

function asText(o: JobOutcome): string {
  const head = `${o.out} (${o.spec}): ${o.status}, ${o.files.written.length} written, ${o.files.unchanged} unchanged${o.files.removed.length ? `, ${o.files.removed.length} removed` : ""} ${countsText(o, true)}`;
  return [head, ...o.entries.map((e) => e.line), ""].join("\n");
}
