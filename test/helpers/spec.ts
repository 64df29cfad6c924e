import * as path from "node:path";
import { diffApis, summarizeApi, type DiffReport } from "../../generator/features/diff";
import { emitAll, type EmitOptions } from "../../generator/emit";
import type { EmittedFile } from "../../generator/emit/file";
import { buildIr, type BuildOptions } from "../../generator/ir/build";
import type { IrDocument } from "../../generator/ir/types";
import type { LoadedSpec } from "../../generator/pipeline/load";
import { formatCode } from "../../generator/pipeline/format/format";
import { resolveRefs } from "../../generator/pipeline/resolve";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FRAGMENT = path.join(ROOT, "spec", "fine-tuning.yaml");
export const GENERATED = path.join(ROOT, "generated");
export const SHARED_SPECS = path.resolve(ROOT, "..", "shared", "specs");

/** An in-memory spec: `components.schemas` and paths given inline, the rest filled in. */
export function inlineSpec(doc: Record<string, unknown>, version: "3.0" | "3.1" = "3.1"): LoadedSpec {
  const root = { openapi: version === "3.0" ? "3.0.3" : "3.1.0", info: { title: "Test", version: "1" }, paths: {}, ...doc };
  return {
    version,
    root,
    file: { displayPath: "inline.yaml", absPath: path.join(ROOT, "inline.yaml"), root, locate: () => undefined },
  };
}

export function irOf(doc: Record<string, unknown>, options: BuildOptions = {}, version: "3.0" | "3.1" = "3.1"): IrDocument {
  return buildIr(resolveRefs(inlineSpec(doc, version)), options);
}

/** A spec whose only content is the given component schemas. */
export function irOfSchemas(schemas: Record<string, unknown>, options: BuildOptions = {}, version: "3.0" | "3.1" = "3.1"): IrDocument {
  return irOf({ components: { schemas } }, options, version);
}

/** Formatted output files for an IR: what `generate` writes, without writing. */
export async function renderFiles(ir: IrDocument, options: EmitOptions = {}): Promise<EmittedFile[]> {
  return formatCode(emitAll(ir, options));
}

/** The IRs' generated APIs compared, as `diff` compares two specs. */
export function diffIr(before: IrDocument, after: IrDocument): DiffReport {
  return diffApis(summarizeApi(before), summarizeApi(after));
}
