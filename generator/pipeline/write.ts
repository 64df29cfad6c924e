import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmdirSync, statSync, writeFileSync, type Stats } from "node:fs";
import * as path from "node:path";
import { sha256 } from "../util/sha256";
import { GeneratorError, quote } from "../errors";
import { lockOutput } from "./lock";
import { recoverSwap, swapIn } from "./swap";
import { escapeInvisible } from "../emit/escape";
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
  /** Manifest entries that were ignored (`entry`), and why. */
  warnings: { entry: string; message: string }[];
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
  return { path: MANIFEST, text: escapeInvisible(JSON.stringify(manifest, null, 2)) + "\n" };
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

/**
 * The manifest's entries that can be trusted: a plain relative path, inside the output directory
 * once symlinks are resolved, naming a regular file. Anything else (a tampered or hand-edited
 * manifest: `../x`, `link/x` through a symlink to a folder outside, a directory) is not ours to
 * overwrite or delete; each is ignored with a warning. A listed file that no longer exists is
 * simply gone.
 */
function trustedEntries(absDir: string, manifest: Manifest | undefined, warnings: WriteResult["warnings"]): Set<string> {
  const owned = new Set<string>();
  const realDir = realpathOrSelf(absDir);
  for (const rel of Object.keys(manifest?.files ?? {}).sort(compareCodePoints)) {
    const ignore = (why: string) => warnings.push({ entry: rel, message: `ignored manifest entry ${quote(rel)}: ${why}` });
    if (!isSafeRelative(rel)) {
      ignore("not a plain relative path inside the output directory");
      continue;
    }
    const target = path.join(absDir, rel);
    let stat;
    try {
      stat = lstatSync(target);
    } catch {
      continue;
    }
    const parent = realpathOrSelf(path.dirname(target));
    if (parent !== realDir && !parent.startsWith(realDir + path.sep)) ignore("it leads outside the output directory through a symlink");
    else if (!stat.isFile()) ignore(`not a regular file (${stat.isSymbolicLink() ? "a symlink" : stat.isDirectory() ? "a directory" : "a special file"})`);
    else owned.add(rel);
  }
  return owned;
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
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
 * `-o` names a directory the generator fills: never the filesystem root, never an existing
 * file, and not a name that looks like one (`-o api.ts`, as openapi-typescript takes it).
 */
function checkOutputDir(absDir: string, dir: string): void {
  const hint = "-o names a directory for the generated files only, e.g. -o src/api (then import from ./api)";
  if (path.parse(absDir).root === absDir) throw new GeneratorError("E_WRITE", "refusing to generate into the filesystem root", { file: dir }, hint);
  let isDir: boolean | undefined;
  try {
    isDir = statSync(absDir).isDirectory();
  } catch {
    isDir = undefined;
  }
  if (isDir === false) throw new GeneratorError("E_WRITE", "the output is an existing file, not a directory", { file: dir }, hint);
  if (isDir === undefined && /\.(?:[cm]?[jt]s|tsx|jsx)$/i.test(absDir)) {
    throw new GeneratorError("E_WRITE", `the output looks like a file name; openapi-morph writes a directory (index.ts, types.ts, …)`, { file: dir }, hint.replace("src/api", path.basename(absDir).replace(/\.[^.]+$/, "")).replace("./api", `./${path.basename(absDir).replace(/\.[^.]+$/, "")}`));
  }
}

export interface WriteOptions {
  check?: boolean;
  inputHash?: string;
  extra?: Record<string, unknown>;
  /** Take over files the manifest does not list (`--force`); otherwise their presence is an error. */
  force?: boolean;
  /** How long to wait for another run writing the same directory (ms). */
  lockWaitMs?: number;
}

/**
 * Writes `files` (plus the manifest) into `dir`, under its lock, as one swap (see swap.ts); files
 * that did not change are not touched. Only files the manifest lists are replaced or deleted:
 * any other file in the way is an error unless `force` is set.
 */
export function writeOutput(dir: string, emitted: EmittedFile[], options: WriteOptions = {}): WriteResult {
  const absDir = path.resolve(dir);
  const files = [...emitted, manifestFile(emitted, options.inputHash, options.extra)];
  checkOutputDir(absDir, dir);
  for (const f of files) safeTarget(absDir, f.path);
  if (options.check) return plan(absDir, files).result;
  const created = !existsSync(absDir);
  try {
    mkdirSync(absDir, { recursive: true });
  } catch (e) {
    throw new GeneratorError("E_WRITE", `cannot create the output directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
  }
  const release = lockOutput(absDir, dir, options.lockWaitMs);
  try {
    recoverSwap(absDir);
    const { result, foreign } = plan(absDir, files);
    if (foreign.length > 0 && !options.force) {
      throw new GeneratorError(
        "E_WRITE",
        `refusing to overwrite ${foreign.length === 1 ? "a file" : "files"} that openapi-morph did not write: ${foreign.join(", ")}`,
        { file: dir },
        "move them away or choose another -o; --force takes them over",
      );
    }
    if (result.changed.length > 0 || result.removed.length > 0) {
      const order = result.changed.filter((p) => p !== MANIFEST).concat(result.changed.includes(MANIFEST) ? [MANIFEST] : []);
      swapIn(absDir, order.map((rel) => files.find((f) => f.path === rel)!), result.removed);
    }
    return result;
  } catch (e) {
    if (e instanceof GeneratorError) throw e;
    throw new GeneratorError("E_WRITE", `cannot write the output: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
  } finally {
    release();
    if (created) removeIfEmpty(absDir);
  }
}

/** What writing `files` would change, and which files in the way the manifest does not own. */
function plan(absDir: string, files: EmittedFile[]): { result: WriteResult; foreign: string[] } {
  const warnings: WriteResult["warnings"] = [];
  const previous = readManifest(absDir);
  const owned = trustedEntries(absDir, previous, warnings);
  const next = new Set(files.map((f) => f.path));
  const result: WriteResult = { changed: [], removed: [], unchanged: [], warnings };
  const foreign: string[] = [];
  for (const f of files) {
    const target = path.join(absDir, f.path);
    const current = readIfExists(target);
    if (current === f.text) result.unchanged.push(f.path);
    else {
      result.changed.push(f.path);
      if (f.path !== MANIFEST && !owned.has(f.path) && lstatOrUndefined(target)) foreign.push(f.path);
    }
  }
  for (const old of [...owned].sort(compareCodePoints)) if (!next.has(old)) result.removed.push(old);
  return { result, foreign: foreign.sort(compareCodePoints) };
}

function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // Only tidiness.
  }
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
