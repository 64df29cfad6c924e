import { SUMMARY_FORMAT, diffApis, summarizeApi, type ApiSummary, type DiffReport } from ".";
import { GeneratorError } from "../../errors";
import { buildIr, type BuildOptions } from "../../ir/build";
import { loadSpec, type LoadedSpec } from "../../pipeline/load";
import { resolveRefs, type ResolvedSpec } from "../../pipeline/resolve";
import { operationsIn, sliceSpec, type SpecOperations } from "../slice";
import type { SpecSources } from "../../pipeline/sources";

/** Which operations `diff` compares: those named, and those with one of the tags. */
export interface Selection {
  operations: string[];
  tags: string[];
}

/** A spec as `diff` reads it: its path, URL or `-`, and the texts of a URL or stdin (`readSources`). */
export interface SpecInput {
  spec: string;
  sources?: SpecSources;
}

export interface DiffResult {
  before: ApiSummary;
  after: ApiSummary;
  report: DiffReport;
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
export function diffSpecs(before: SpecInput, after: SpecInput, selection?: Selection, build: BuildOptions = {}, cwd?: string): DiffResult {
  const resolvedBefore = resolveRefs(loadSpec(before.spec, cwd, before.sources));
  const resolvedAfter = resolveRefs(loadSpec(after.spec, cwd, after.sources));
  // What each spec has, read only when some operations are compared.
  const a = selection && operationsIn(resolvedBefore.root);
  const b = selection && operationsIn(resolvedAfter.root);
  if (selection && a && b) {
    for (const id of selection.operations) {
      if (!a.ids.has(id) && !b.ids.has(id)) throw new GeneratorError("E_SLICE", `neither spec has an operation with operationId ${JSON.stringify(id)}`, { file: after.spec, pointer: "#/paths" });
    }
    for (const tag of selection.tags) {
      if (!a.tags.has(tag) && !b.tags.has(tag)) throw new GeneratorError("E_SLICE", `no operation of either spec has the tag ${JSON.stringify(tag)}`, { file: after.spec, pointer: "#/paths" });
    }
  }
  const summaryBefore = summaryOf(resolvedBefore, selection && a && { selection, present: a }, build);
  const summaryAfter = summaryOf(resolvedAfter, selection && b && { selection, present: b }, build);
  return { before: summaryBefore, after: summaryAfter, report: diffApis(summaryBefore, summaryAfter) };
}
