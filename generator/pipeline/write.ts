import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { sha256 } from "../util/sha256";
import { GeneratorError } from "../errors";
import type { EmittedFile } from "../emit/file";
import { compareCodePoints } from "../util/strings";

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

/**
 * Whether `rel` is a path the generator may write: relative, `/`-separated, inside the output
 * directory, and in the one spelling the manifest records (no `.`, `..`, `//` or backslashes), so
 * a later run finds it under the same name when deciding what to delete.
 */
function isSafeRelative(rel: string): boolean {
  return rel !== "" && !rel.includes("\\") && !path.posix.isAbsolute(rel) && !path.win32.isAbsolute(rel) && rel.split("/").every((seg) => seg !== "" && seg !== "." && seg !== "..");
}

function safeTarget(dir: string, rel: string): string {
  const target = path.resolve(dir, rel);
  if (!isSafeRelative(rel) || !target.startsWith(path.resolve(dir) + path.sep)) {
    throw new GeneratorError("E_WRITE", `refusing to write outside the output directory: ${rel}`, {}, "output paths must be plain relative paths inside the output directory");
  }
  return target;
}

/** A file an earlier run wrote and this one would delete: never a directory, never outside `dir`. */
function isRemovable(dir: string, rel: string): boolean {
  if (!isSafeRelative(rel)) return false;
  try {
    const stat = lstatSync(path.join(dir, rel));
    return stat.isFile() || stat.isSymbolicLink();
  } catch {
    return false;
  }
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
  // A manifest entry the generator could never have written (`../x`, an absolute path: a hand-edited
  // or tampered manifest) is not ours to delete, so it is ignored rather than trusted.
  for (const old of Object.keys(previous?.files ?? {}).sort(compareCodePoints)) {
    if (!next.has(old) && isRemovable(absDir, old)) result.removed.push(old);
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
    for (const rel of result.removed) unlinkSync(path.join(absDir, rel));
  } catch (e) {
    if (e instanceof GeneratorError) throw e;
    throw new GeneratorError("E_WRITE", `cannot write the output: ${(e as Error).message}`, { file: dir });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return result;
}

/** One file replaced in one rename (a reader never sees half of it); `shown` names it in the error. */
export function writeFileAtomically(target: string, text: string, shown: string): void {
  const temp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(temp, text);
    renameSync(temp, target);
  } catch (e) {
    throw new GeneratorError("E_WRITE", `cannot write ${shown}: ${(e as Error).message}`, { file: shown });
  }
}
