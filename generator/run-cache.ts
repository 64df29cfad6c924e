import { createHash } from "node:crypto";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readJson, writeJson } from "./util/json-file";
import { packageRoot } from "./util/paths";
import { sha256 } from "./util/sha256";

/**
 * A machine-local cache, never committed: what the last run read and wrote for an output
 * directory, so an unchanged spec skips all work (prettier's output per statement is
 * `pipeline/format/cache.ts`). Everything in it is keyed by content hashes, including the
 * generator's own code, so a stale entry can only miss, never be wrong.
 */
export interface RunCache {
  dir: string;
  generator: string;
}

function listFiles(dir: string, ext: RegExp): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && ext.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Hash of the running generator's code and templates, and of the prettier it formats with: a new
 * build or another prettier invalidates every entry (both the skipped runs and the statements
 * prettier formatted depend on prettier's output). Prettier's package.json is read, not prettier,
 * which this thread does not load.
 */
function generatorFingerprint(): string {
  const root = packageRoot();
  const h = createHash("sha256");
  for (const f of [...listFiles(__dirname, /\.(js|ts)$/), ...listFiles(path.join(root, "templates"), /\.ts$/)]) {
    h.update(path.relative(root, f)).update(readFileSync(f));
  }
  h.update(readFileSync(require.resolve("prettier/package.json")));
  return h.digest("hex");
}

/**
 * Where the cache lives: `$OPENAPI_MORPH_CACHE`; else `node_modules/.cache/openapi-morph` of the
 * working directory when it has `node_modules` (the project's own); else a per-user folder,
 * `$XDG_CACHE_HOME/openapi-morph` or `~/.cache/openapi-morph`. Never the shared temp folder:
 * another local user could replace its entries, and prettier's cached output is code the next
 * generation writes.
 */
export function cacheDir(cwd: string, env: NodeJS.ProcessEnv = process.env): { dir: string; private: boolean } {
  if (env.OPENAPI_MORPH_CACHE) return { dir: path.resolve(cwd, env.OPENAPI_MORPH_CACHE), private: true };
  if (existsSync(path.join(cwd, "node_modules"))) return { dir: path.join(cwd, "node_modules", ".cache", "openapi-morph"), private: false };
  const xdg = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), ".cache");
  return { dir: path.join(xdg, "openapi-morph"), private: true };
}

/** Opens the cache (see `cacheDir`); none when it is off or its folder is not safely this user's. */
export function openCache(cwd: string, env: NodeJS.ProcessEnv = process.env): RunCache | undefined {
  if (env.OPENAPI_MORPH_CACHE === "off" || env.OPENAPI_MORPH_CACHE === "0") return undefined;
  const { dir, private: own } = cacheDir(cwd, env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch {
    return undefined;
  }
  if (own && !isPrivateDir(dir)) return undefined;
  return { dir, generator: generatorFingerprint() };
}

/**
 * A real directory (not a symlink someone planted), owned by this user, that nobody else may
 * write to. A folder that fails is not used at all: the cache only costs speed when it is off.
 */
export function isPrivateDir(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    if (!stat.isDirectory()) return false;
    // Windows has no uid or mode bits worth checking; its profile folders are per-user already.
    if (typeof process.getuid !== "function") return true;
    return stat.uid === process.getuid() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

export interface RunRecord {
  generator: string;
  options: string;
  inputs: Record<string, string>;
  outputs: Record<string, string>;
}

function recordFile(cache: RunCache, outDir: string): string {
  return path.join(cache.dir, `run-${sha256(path.resolve(outDir)).slice(0, 16)}.json`);
}

function hashFile(file: string): string | undefined {
  try {
    return sha256(readFileSync(file));
  } catch {
    return undefined;
  }
}

/**
 * The last run's record for `outDir`, if nothing it depends on has changed since: the same
 * generator, the same options, every input file and every output file byte-identical.
 */
export function unchangedRun(cache: RunCache, outDir: string, options: string): RunRecord | undefined {
  const record = readJson<RunRecord>(recordFile(cache, outDir));
  if (!record || record.generator !== cache.generator || record.options !== options) return undefined;
  for (const [file, hash] of Object.entries(record.inputs)) if (hashFile(file) !== hash) return undefined;
  for (const [file, hash] of Object.entries(record.outputs)) if (hashFile(path.join(outDir, file)) !== hash) return undefined;
  return record;
}

export function recordRun(cache: RunCache, outDir: string, record: Omit<RunRecord, "generator">): void {
  writeJson(recordFile(cache, outDir), { generator: cache.generator, ...record });
}
