import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { GeneratorError } from "./errors";
import type { EmittedFile } from "./emit/print";
import { compareCodePoints } from "./ir/names";

/** Lists what the generator wrote, so it can later delete its own stale files and never a user's. */
export const MANIFEST = ".openapi-morph-manifest.json";

export interface Manifest {
  generator: "openapi-morph";
  /** Hash over the inputs that decide the output; a later run with the same hash can skip all work. */
  inputHash?: string;
  files: Record<string, string>;
  extra?: Record<string, unknown>;
}

export interface WriteResult {
  /** Files written (or, with `check`, files that differ). */
  changed: string[];
  /** Files of an earlier run that this run no longer generates (deleted, or with `check`, stale). */
  removed: string[];
  unchanged: string[];
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function readManifest(dir: string): Manifest | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path.join(dir, MANIFEST), "utf8")) as Manifest;
    return parsed && parsed.generator === "openapi-morph" && typeof parsed.files === "object" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function manifestFile(files: EmittedFile[], inputHash?: string, extra?: Record<string, unknown>): EmittedFile {
  const entries: Record<string, string> = {};
  for (const f of [...files].sort((a, b) => compareCodePoints(a.path, b.path))) entries[f.path] = sha256(f.text);
  const manifest: Manifest = { generator: "openapi-morph", ...(inputHash ? { inputHash } : {}), files: entries, ...(extra ? { extra } : {}) };
  return { path: MANIFEST, text: JSON.stringify(manifest, null, 2) + "\n" };
}

function safeTarget(dir: string, rel: string): string {
  const target = path.resolve(dir, rel);
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes("..") || !target.startsWith(path.resolve(dir) + path.sep)) {
    throw new GeneratorError("E_WRITE", `refusing to write outside the output directory: ${rel}`);
  }
  return target;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * Writes `files` (plus the manifest) into `dir`. Everything is staged in a temporary directory
 * beside `dir` first and then renamed into place, so a failure never leaves half an output; files
 * that did not change are not touched, and only files an earlier run listed are ever deleted.
 */
export function writeOutput(dir: string, emitted: EmittedFile[], options: { check?: boolean; inputHash?: string; extra?: Record<string, unknown> } = {}): WriteResult {
  const absDir = path.resolve(dir);
  const files = [...emitted, manifestFile(emitted, options.inputHash, options.extra)];
  const previous = readManifest(absDir);
  const next = new Set(files.map((f) => f.path));
  const result: WriteResult = { changed: [], removed: [], unchanged: [] };
  for (const f of files) {
    const current = readIfExists(safeTarget(absDir, f.path));
    (current === f.text ? result.unchanged : result.changed).push(f.path);
  }
  for (const old of Object.keys(previous?.files ?? {}).sort(compareCodePoints)) {
    if (!next.has(old) && existsSync(safeTarget(absDir, old))) result.removed.push(old);
  }
  if (options.check || (result.changed.length === 0 && result.removed.length === 0)) return result;

  const staging = path.join(path.dirname(absDir), `.${path.basename(absDir)}.openapi-morph-${process.pid}-${Date.now()}`);
  try {
    for (const rel of result.changed) {
      const f = files.find((x) => x.path === rel)!;
      const target = path.join(staging, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, f.text);
    }
    // The manifest goes in last: if anything above fails, the old manifest still describes the directory.
    const order = result.changed.filter((p) => p !== MANIFEST).concat(result.changed.includes(MANIFEST) ? [MANIFEST] : []);
    for (const rel of order) {
      const target = safeTarget(absDir, rel);
      mkdirSync(path.dirname(target), { recursive: true });
      renameSync(path.join(staging, rel), target);
    }
    for (const rel of result.removed) unlinkSync(safeTarget(absDir, rel));
  } catch (e) {
    if (e instanceof GeneratorError) throw e;
    throw new GeneratorError("E_WRITE", `cannot write the output: ${(e as Error).message}`, { file: dir });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}
