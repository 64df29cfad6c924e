import { encodeSummary, summarizeApi, type ApiSummary } from "./features/diff";
import { emitAll, type EmitOptions } from "./emit";
import type { EmittedFile } from "./emit/file";
import { readFileSync, statSync } from "node:fs";
import { openCache, recordRun, unchangedRun } from "./run-cache";
import { FormatCache } from "./pipeline/format/cache";
import { sha256 } from "./util/sha256";
import * as path from "node:path";
import { FormatPool, PARALLEL_MIN_SPEC_BYTES, formatFile } from "./pipeline/format/format";
import { buildIr, type BuildOptions } from "./ir/build";
import type { IrDocument } from "./ir/types";
import { loadSpec } from "./pipeline/load";
import { resolveRefs, type RefOptions } from "./pipeline/resolve";
import { writeFileAtomically, writeOutput, type WriteResult } from "./pipeline/write";
import { detectImportExtension, type DetectedExtension } from "./pipeline/detect-module";
import type { ImportExtension } from "./define-config";
import { diffSpecs, type DiffResult } from "./features/diff/specs";
import { readSources, type ReadOptions, type SpecSources } from "./pipeline/sources";
import { sliceSpec, type SliceOptions } from "./features/slice";
import { stringify } from "yaml";

export { GeneratorError } from "./errors";
export { buildIr } from "./ir/build";
export { loadSpec } from "./pipeline/load";
export { resolveRefs } from "./pipeline/resolve";
export { formatCode } from "./pipeline/format/format";
export { writeOutput } from "./pipeline/write";
export { emitAll } from "./emit";
export type { IrDocument } from "./ir/types";
export { defineConfig } from "./define-config";
export type { ImportExtension, JobConfig, UserConfig } from "./define-config";
export type { DiffResult, Selection } from "./features/diff/specs";
export type { Change, DiffReport, DiffSummary } from "./features/diff";
export type { WriteResult } from "./pipeline/write";
export type { EmittedFile } from "./emit/file";

export interface GenerateOptions extends BuildOptions, EmitOptions, ReadOptions, RefOptions {
  /** A file, an `http(s)` URL, or `-` for stdin. */
  spec: string;
  out: string;
  check?: boolean;
  cwd?: string;
  /** Format large output on worker threads (default true). */
  parallel?: boolean;
  /** Take over files in the output directory that the manifest does not list (`--force`). */
  force?: boolean;
  /** Use the machine-local cache (default true; also off with OPENAPI_MORPH_CACHE=off). */
  cache?: boolean;
  /** How relative imports between the generated files end; default: detected (see `detect-module.ts`). */
  importExtension?: ImportExtension;
  /** The spec's texts when already read (`readSources`): `--watch` fetches a URL itself to see whether it changed. */
  sources?: SpecSources;
  /** Skip every stage when nothing changed since the last run (default true); false when the run's notes are wanted. */
  skipUnchanged?: boolean;
  /** Called as each stage starts (`load`, `resolve`, `ir`, `emit`, `format`, `write`), for a progress display. */
  onPhase?: (phase: Phase) => void;
}

export type Phase = keyof GenerateResult["timings"];

export interface GenerateResult {
  /** Absent when the run was skipped: nothing it depends on changed since the last one (see `run-cache.ts`). */
  ir?: IrDocument;
  /** The API's summary kept in the manifest (absent with `ir`), for reporting what changed. */
  summary?: ApiSummary;
  files: EmittedFile[];
  write: WriteResult;
  /** Every file the spec was read from, entry first (display paths): what `--watch` watches. */
  inputs: string[];
  timings: Record<"load" | "resolve" | "ir" | "emit" | "format" | "write", number>;
  /** The import extension used, and what it was detected from when the options did not say. */
  importExtension: DetectedExtension;
}

/** The IR for a spec file: load → resolve → build. */
export function specToIr(spec: string, options: BuildOptions & RefOptions & { cwd?: string; sources?: SpecSources } = {}): IrDocument {
  return buildIr(resolveRefs(loadSpec(spec, options.cwd, options.sources, options), options), options);
}

/** The whole pipeline. Throws `GeneratorError` for anything the user can fix; writes nothing then. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const t = (): number => performance.now();
  const t0 = t();
  const cwd = options.cwd ?? process.cwd();
  const out = path.resolve(cwd, options.out);
  const importExtension: DetectedExtension = options.importExtension ? { extension: options.importExtension } : detectImportExtension(out, cwd);
  options = { ...options, importExtension: importExtension.extension };
  const sources = options.sources ?? (await readSources(options.spec, options));
  options = { ...options, sources };
  // The cache knows files by their content on disk: a fetched spec has none.
  const cache = options.cache === false || sources ? undefined : openCache(cwd);
  const optionsKey = JSON.stringify([path.resolve(cwd, options.spec), options.inferUnions, options.noUnionFor, options.client, options.validators, options.naming ?? "wire", importExtension.extension, options.refRoot, options.allowRef, options.maxFileSize]);
  const previous = cache && options.skipUnchanged !== false && unchangedRun(cache, out, optionsKey);
  if (previous) {
    const files = Object.keys(previous.outputs).sort();
    const zero = { load: 0, resolve: 0, ir: 0, emit: 0, format: 0, write: t() - t0 };
    return { files: [], write: { changed: [], removed: [], unchanged: files, warnings: [] }, inputs: Object.keys(previous.inputs), timings: zero, importExtension };
  }
  // Workers load prettier while this thread parses the spec; only worth it for big specs.
  const pool = options.parallel === false || specSize(options, sources) < PARALLEL_MIN_SPEC_BYTES ? undefined : FormatPool.start();
  try {
    const formatCache = cache && new FormatCache(cache, out);
    const result = { ...(await run(options, pool, t, t0, formatCache)), importExtension };
    formatCache?.save();
    if (cache && result.write.removed.length === 0 && (!options.check || result.write.changed.length === 0)) {
      const outputs: Record<string, string> = {};
      for (const f of [...result.write.changed, ...result.write.unchanged]) outputs[f] = sha256(readFileSync(path.join(out, f)));
      const inputs: Record<string, string> = {};
      for (const f of result.inputs) inputs[path.resolve(cwd, f)] = sha256(readFileSync(path.resolve(cwd, f)));
      recordRun(cache, out, { options: optionsKey, inputs, outputs });
    }
    return result;
  } finally {
    await pool?.close();
  }
}

function specSize(options: GenerateOptions, sources: SpecSources | undefined): number {
  if (sources) return [...sources.values()].reduce((n, text) => n + text.length, 0);
  try {
    return statSync(path.resolve(options.cwd ?? process.cwd(), options.spec)).size;
  } catch {
    return 0;
  }
}

async function run(options: GenerateOptions, pool: FormatPool | undefined, t: () => number, t0: number, formatCache: FormatCache | undefined): Promise<Omit<GenerateResult, "importExtension"> & { ir: IrDocument; summary: ApiSummary }> {
  const phase = options.onPhase ?? (() => undefined);
  phase("load");
  const loaded = loadSpec(options.spec, options.cwd, options.sources, options);
  const t1 = t();
  phase("resolve");
  const resolved = resolveRefs(loaded, options);
  const t2 = t();
  phase("ir");
  const ir = buildIr(resolved, options);
  const t3 = t();
  phase("emit");
  // With a pool, a file's statements go to prettier while the next file is emitted.
  const formatting: Promise<EmittedFile>[] = [];
  emitAll(ir, options, (f) => formatting.push(formatFile(f, pool, formatCache)));
  const t4 = t();
  phase("format");
  const files = await Promise.all(formatting);
  const t5 = t();
  // The manifest keeps a summary of the API, so the next run can say what changed.
  const summary = summarizeApi(ir);
  phase("write");
  const write = writeOutput(options.out, files, { check: options.check, force: options.force, extra: { api: encodeSummary(summary) } });
  const t6 = t();
  return { ir, summary, files, write, inputs: resolved.files, timings: { load: t1 - t0, resolve: t2 - t1, ir: t3 - t2, emit: t4 - t3, format: t5 - t4, write: t6 - t5 } };
}

export interface DiffOptions extends BuildOptions, ReadOptions {
  /** Compare only these operations (by operationId) and the types they reach. */
  operations?: string[];
  /** Compare only the operations with one of these tags. */
  tags?: string[];
}

/** What the regenerated API changes for code written against the old spec, change by change. */
export async function diff(before: string, after: string, options: DiffOptions = {}): Promise<DiffResult> {
  const { operations = [], tags = [], cwd, fetchTimeout, stdin, ...build } = options;
  const selection = operations.length > 0 || tags.length > 0 ? { operations, tags } : undefined;
  const read = (spec: string) => readSources(spec, { cwd, fetchTimeout, stdin });
  return diffSpecs({ spec: before, sources: await read(before) }, { spec: after, sources: await read(after) }, selection, build, cwd);
}

export interface SliceSpecOptions extends SliceOptions, ReadOptions {
  /** Also write the slice there (YAML), replacing the file in one rename. */
  out?: string;
}

export interface SliceResult {
  /** The self-contained spec: the chosen operations and every component they reference. */
  document: Record<string, unknown>;
  /** `document` as YAML, as `out` gets it. */
  text: string;
  operations: number;
  schemas: number;
}

/** Cuts a spec down to some operations (`operations` by id, `tags`) and what they reference. */
export async function slice(spec: string, options: SliceSpecOptions): Promise<SliceResult> {
  const document = sliceSpec(resolveRefs(loadSpec(spec, options.cwd, await readSources(spec, options))), options);
  const text = stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
  if (options.out !== undefined) writeFileAtomically(path.resolve(options.cwd ?? process.cwd(), options.out), text, options.out);
  const schemas = Object.keys(((document.components as Record<string, object> | undefined)?.schemas ?? {}) as object).length;
  const operations = Object.values(document.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).filter((k) => /^(get|put|post|delete|options|head|patch|trace)$/.test(k)).length, 0);
  return { document, text, operations, schemas };
}
