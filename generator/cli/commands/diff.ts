import { UsageError, many, type Io, type Parsed } from "../main";
import { SUMMARY_FORMAT, diffApis, formatReport, summarizeApi, type ApiSummary } from "../../features/diff";
import { GeneratorError } from "../../errors";
import { buildIr, type BuildOptions } from "../../ir/build";
import { loadSpec, type LoadedSpec } from "../../pipeline/load";
import { resolveRefs, type ResolvedSpec } from "../../pipeline/resolve";
import { operationsIn, sliceSpec, type SpecOperations } from "../../features/slice";

export interface Selection {
  operations: string[];
  tags: string[];
}

const EMPTY: ApiSummary = { format: SUMMARY_FORMAT, types: {}, operations: {} };

/**
 * The API summary of one spec, cut down to the selection first: slicing a 3 MB spec to one
 * operation is far cheaper than building its whole IR. A selected operation that this version
 * lacks is simply absent (so it shows as added or removed).
 */
function summaryOf(resolved: ResolvedSpec, selected: { selection: Selection; present: SpecOperations } | undefined, build: BuildOptions): ApiSummary {
  if (!selected) return summarizeApi(buildIr(resolved, build));
  const { selection, present } = selected;
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
  // What each spec has, read only when some operations are compared.
  const a = selection && operationsIn(resolvedBefore.root);
  const b = selection && operationsIn(resolvedAfter.root);
  if (selection && a && b) {
    for (const id of selection.operations) {
      if (!a.ids.has(id) && !b.ids.has(id)) throw new GeneratorError("E_SLICE", `neither spec has an operation with operationId ${JSON.stringify(id)}`, { file: after, pointer: "#/paths" });
    }
    for (const tag of selection.tags) {
      if (!a.tags.has(tag) && !b.tags.has(tag)) throw new GeneratorError("E_SLICE", `no operation of either spec has the tag ${JSON.stringify(tag)}`, { file: after, pointer: "#/paths" });
    }
  }
  const summaryBefore = summaryOf(resolvedBefore, selection && a && { selection, present: a }, build);
  const summaryAfter = summaryOf(resolvedAfter, selection && b && { selection, present: b }, build);
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
