import type { IrDocument } from "../ir/types";
import { checkExamples } from "../ir/check";

/**
 * What a generation has to say besides its files: the unions it inferred and the renames it made
 * (notes), the operations without a client function, the spec's flaws and the documented examples
 * that do not match (warnings). Each entry has a kind, so a big spec's hundreds of lines can be
 * told as a few counts; the lines themselves go to `--verbose` and `--report`.
 */
export interface ReportEntry {
  severity: "note" | "warning";
  /** What the entries of one kind share: the same words with their particulars left out. */
  kind: string;
  /** What it is about, for the summary's first few: an operationId, a schema, a pointer. */
  subject: string;
  /** The full line, as `--verbose` prints it. */
  line: string;
}

export const EXAMPLE_KIND = "documented example does not match its schema";
/** How an example's line starts; `--verbose` prints the rest under one heading, as before. */
export const EXAMPLE_LINE = "warning: example ";

/** Every entry of a run, notes first, in the order the IR keeps them. */
export function reportEntries(ir: IrDocument): ReportEntry[] {
  const entries: ReportEntry[] = [];
  for (const u of ir.unions) {
    entries.push({ severity: "note", kind: `union inferred (${u.reason})`, subject: oneLine(u.at), line: `union ${oneLine(u.at)}: ${u.reason} on ${JSON.stringify(u.property)} (${u.values.map(oneLine).join(" | ")})` });
  }
  for (const r of ir.renames) {
    entries.push({ severity: "note", kind: `renamed (${r.reason})`, subject: oneLine(r.from), line: `renamed ${oneLine(r.from)} → ${r.to} (${r.reason}) at ${oneLine(r.pointer)}` });
  }
  for (const op of ir.operations) {
    if (op.unsupported) entries.push({ severity: "warning", kind: `client function skipped: ${op.unsupported}`, subject: op.operationId, line: `warning: ${op.operationId}: client function skipped: ${op.unsupported}` });
  }
  for (const w of ir.warnings) entries.push({ severity: "warning", kind: kindOf(w.message), subject: oneLine(w.pointer), line: `warning: ${w.pointer}: ${w.message}` });
  for (const r of checkExamples(ir).filter((e) => e.status === "mismatch")) {
    entries.push({
      severity: "warning",
      kind: EXAMPLE_KIND,
      subject: oneLine(r.pointer),
      line: `${EXAMPLE_LINE}${r.pointer}: ${r.issues[0].path || "(root)"} ${r.issues[0].message}`,
    });
  }
  return entries;
}

/** A warning's message with what varies from one to the next (quoted names, refs, numbers) left out. */
export function kindOf(message: string): string {
  return message
    .replace(/"(?:[^"\\]|\\.)*"|`[^`]*`/g, "…")
    .replace(/#\/\S*|\$ref \S+/g, (m) => (m.startsWith("$ref") ? "$ref …" : "…"))
    .replace(/\b\d+\b/g, "N")
    .replace(/\s+/g, " ")
    .slice(0, 120);
}

export interface KindCount {
  severity: ReportEntry["severity"];
  kind: string;
  count: number;
  /** The first few subjects, in report order. */
  first: string[];
}

/** Entries grouped by kind, in order of first appearance. */
export function countKinds(entries: ReportEntry[], firstFew = 3): KindCount[] {
  const kinds = new Map<string, KindCount>();
  for (const e of entries) {
    const k = kinds.get(`${e.severity} ${e.kind}`) ?? { severity: e.severity, kind: e.kind, count: 0, first: [] };
    k.count++;
    if (k.first.length < firstFew) k.first.push(e.subject);
    kinds.set(`${e.severity} ${e.kind}`, k);
  }
  return [...kinds.values()];
}

/** Spec strings can hold line breaks; a report line must stay one line. */
export function oneLine(text: string): string {
  return /[\u0000-\u001f\u007f\u2028\u2029]/.test(text) ? JSON.stringify(text) : text;
}
