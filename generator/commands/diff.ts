import { UsageError, many, type Io, type Parsed } from "../cli";
import { SUMMARY_FORMAT, diffApis, formatReport, summarizeApi, type ApiSummary } from "../diff";
import { GeneratorError } from "../errors";
import { buildIr, type BuildOptions } from "../ir/build";
import { loadSpec, type LoadedSpec } from "../load";
import { resolveRefs, type ResolvedSpec } from "../resolve";
import { sliceSpec } from "../slice";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

export interface Selection {
  operations: string[];
  tags: string[];
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The operationIds and tags a spec has, read the way `sliceSpec` matches them. */
function operationsIn(root: Record<string, unknown>): { ids: Set<string>; tags: Set<string> } {
  const ids = new Set<string>();
  const tags = new Set<string>();
  for (const item of Object.values(isObj(root.paths) ? root.paths : {})) {
    if (!isObj(item)) continue;
    for (const m of METHODS) {
      const op = item[m];
      if (!isObj(op)) continue;
      if (typeof op.operationId === "string") ids.add(op.operationId);
      if (Array.isArray(op.tags)) op.tags.forEach((t) => tags.add(String(t)));
    }
  }
  return { ids, tags };
}

const EMPTY: ApiSummary = { format: SUMMARY_FORMAT, types: {}, operations: {} };

/**
 * The API summary of one spec, cut down to the selection first: slicing a 3 MB spec to one
 * operation is far cheaper than building its whole IR. A selected operation that this version
 * lacks is simply absent (so it shows as added or removed).
 */
function summaryOf(resolved: ResolvedSpec, selection: Selection | undefined, build: BuildOptions): ApiSummary {
  if (!selection) return summarizeApi(buildIr(resolved, build));
  const present = operationsIn(resolved.root);
  const operations = selection.operations.filter((id) => present.ids.has(id));
  const tags = selection.tags.filter((t) => present.tags.has(t));
  if (operations.length === 0 && tags.length === 0) return EMPTY;
  const sliced = sliceSpec(resolved, { operations, tags });
  // Every $ref in a resolved spec is local, so the slice stands alone; its pointers are the spec's own.
  const loaded: LoadedSpec = { version: resolved.version, root: sliced, file: { ...resolved.entry, root: sliced, locate: () => undefined } };
  return summarizeApi(buildIr(resolveRefs(loaded), build));
}

/** Compares what two versions of a spec generate (optionally only some operations). */
export function diffSpecs(before: string, after: string, selection?: Selection, build: BuildOptions = {}) {
  const resolvedBefore = resolveRefs(loadSpec(before));
  const resolvedAfter = resolveRefs(loadSpec(after));
  if (selection) {
    const a = operationsIn(resolvedBefore.root);
    const b = operationsIn(resolvedAfter.root);
    for (const id of selection.operations) {
      if (!a.ids.has(id) && !b.ids.has(id)) throw new GeneratorError("E_SLICE", `neither spec has an operation with operationId ${JSON.stringify(id)}`, { file: after, pointer: "#/paths" });
    }
    for (const tag of selection.tags) {
      if (!a.tags.has(tag) && !b.tags.has(tag)) throw new GeneratorError("E_SLICE", `no operation of either spec has the tag ${JSON.stringify(tag)}`, { file: after, pointer: "#/paths" });
    }
  }
  const summaryBefore = summaryOf(resolvedBefore, selection, build);
  const summaryAfter = summaryOf(resolvedAfter, selection, build);
  return { before: summaryBefore, after: summaryAfter, report: diffApis(summaryBefore, summaryAfter) };
}

export function runDiff(args: Parsed, io: Io): number {
  const [before, after, ...extra] = args.positionals;
  if (!before || !after) throw new UsageError("diff needs two spec files: openapi-morph diff <old-spec> <new-spec>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  for (const flag of ["out", "check", "dump-ir", "no-client", "no-validators", "watch", "config"]) {
    if (args.flags.has(flag)) throw new UsageError(`--${flag} does not apply to diff`);
  }
  const operations = many(args, "operation");
  const tags = many(args, "tag");
  const selection = operations.length > 0 || tags.length > 0 ? { operations, tags } : undefined;
  const { after: summaryAfter, before: summaryBefore, report } = diffSpecs(before, after, selection, {
    inferUnions: !args.flags.has("no-union-inference"),
    noUnionFor: many(args, "no-union-for"),
  });
  if (args.flags.has("json")) io.out(JSON.stringify(report, null, 2));
  else for (const line of formatReport(report, { ...summaryBefore.operations, ...summaryAfter.operations })) io.out(line);
  return args.flags.has("fail-on-breaking") && report.summary.breaking > 0 ? 1 : 0;
}
