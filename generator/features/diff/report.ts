/** The text report: one heading per type or operation, one line per change, then the totals. */
import type { OperationSummary } from "./summary";
import type { DiffReport, DiffSummary, Direction } from "./rules";

const DIRECTION_LABEL: Record<Direction, string> = {
  request: "sent in requests",
  response: "read from responses",
  both: "sent in requests and read from responses",
  unused: "not used by any operation",
};

/** The text report: one heading per type or operation, one line per change, then the totals. */
export function formatReport(report: DiffReport, operations: Record<string, OperationSummary> = {}): string[] {
  const lines: string[] = [];
  let group = "";
  for (const c of report.changes) {
    const key = `${c.target} ${c.name}`;
    if (key !== group) {
      group = key;
      const endpoint = operations[c.name]?.endpoint;
      lines.push(c.target === "type" ? `type ${c.name} (${DIRECTION_LABEL[c.direction]})` : `operation ${c.name}${endpoint ? ` (${endpoint})` : ""}`);
    }
    lines.push(`  ${c.breaking ? "breaking    " : "non-breaking"}  ${c.at}: ${c.message}`);
  }
  lines.push(formatTotals(report.summary));
  return lines;
}

export function formatTotals(s: DiffSummary): string {
  if (s.total === 0) return "no changes to the generated API";
  const part = (label: string, n: { added: number; removed: number; changed: number }) => `${label}: ${n.added} added, ${n.removed} removed, ${n.changed} changed`;
  return `${s.total} change(s), ${s.breaking} breaking, ${s.nonBreaking} non-breaking (${part("types", s.types)}; ${part("operations", s.operations)})`;
}
