/**
 * The change report: what regenerating after a spec update does to the generated API, and
 * whether client code written against the old output can break. summary.ts is the compact API
 * summary kept in the manifest, rules.ts says which changes break, compare.ts finds them,
 * report.ts prints them.
 */
export { diffApis } from "./compare";
export { formatReport, formatTotals } from "./report";
export { RULES, type Change, type ChangeKind, type DiffReport, type DiffSummary, type Direction } from "./rules";
export { SUMMARY_FORMAT, encodeSummary, printShape, shapeOf, summarizeApi, summaryFromManifest, type ApiSummary, type OperationSummary, type Shape } from "./summary";
