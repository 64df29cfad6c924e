import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { GeneratorError, joinPointer } from "../errors";
import { closestName } from "../util/strings";
import { displayPathOf } from "../pipeline/load";
import { isObject } from "../util/object";
import type { JobConfig } from "../define-config";
import { isRemote, STDIN } from "../pipeline/sources";

export type { JobConfig } from "../define-config";

/**
 * `openapi-morph.config.{ts,mts,js,mjs,json}`: the `generate` options of the CLI, for several
 * outputs at once, so a project regenerates everything with a bare `openapi-morph`. A code config
 * exports `defineConfig({...})` (default export) and is loaded with jiti, which compiles
 * TypeScript and ESM on the fly without touching the project's build; its value gets the same
 * checks, with the same pointers, as a JSON one.
 */
export const CONFIG_FILE = "openapi-morph.config.json";
export const CONFIG_FILES = ["openapi-morph.config.ts", "openapi-morph.config.mts", "openapi-morph.config.js", "openapi-morph.config.mjs", CONFIG_FILE];
const CODE_CONFIG = /\.(ts|mts|cts|js|mjs|cjs)$/;

export interface Config {
  /** The config file as messages should name it. */
  file: string;
  /** Jobs with `spec` and `out` resolved against the config file's directory. */
  jobs: JobConfig[];
}

type FieldType = "string" | "boolean" | "string[]" | "naming" | "importExtension" | "bytes";

const JOB_FIELDS: Record<keyof JobConfig, { type: FieldType; required?: true }> = {
  spec: { type: "string", required: true },
  out: { type: "string", required: true },
  noUnionInference: { type: "boolean" },
  noUnionFor: { type: "string[]" },
  naming: { type: "naming" },
  noClient: { type: "boolean" },
  noValidators: { type: "boolean" },
  quiet: { type: "boolean" },
  importExtension: { type: "importExtension" },
  allowRef: { type: "string[]" },
  maxFileSize: { type: "bytes" },
};

const ROOT_FIELDS = ["jobs"];
const IMPORT_EXTENSIONS = ["none", ".js", ".ts"];

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
}


/** The closest known key, for typos like `noUnionFr`. */
function suggest(key: string, known: string[]): string {
  const best = closestName(key, known, Math.max(2, Math.floor(key.length / 3)));
  return best !== undefined ? `did you mean ${JSON.stringify(best)}?` : `known keys: ${known.join(", ")}`;
}

/** Checks a parsed config; every problem names the file and the JSON pointer of the bad field. */
export function parseConfig(raw: unknown, file: string, baseDir: string): Config {
  const fail = (pointer: string, message: string, hint?: string) => new GeneratorError("E_CONFIG", message, { file, pointer }, hint);
  if (!isObject(raw)) throw fail("#", `the config must be an object with "jobs", not ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!ROOT_FIELDS.includes(key)) throw fail(joinPointer("#", key), `unknown key ${JSON.stringify(key)}`, suggest(key, ROOT_FIELDS));
  }
  if (!("jobs" in raw)) throw fail("#", 'missing "jobs"', 'e.g. { "jobs": [{ "spec": "spec/api.yaml", "out": "generated" }] }');
  if (!Array.isArray(raw.jobs)) throw fail("#/jobs", `"jobs" must be an array, not ${describe(raw.jobs)}`);
  if (raw.jobs.length === 0) throw fail("#/jobs", '"jobs" is empty: there is nothing to generate');
  const outs = new Map<string, string>();
  const jobs = raw.jobs.map((job: unknown, i: number): JobConfig => {
    const at = joinPointer("#/jobs", i);
    if (!isObject(job)) throw fail(at, `a job must be an object, not ${describe(job)}`);
    const known = Object.keys(JOB_FIELDS);
    for (const key of Object.keys(job)) {
      if (!known.includes(key)) throw fail(joinPointer(at, key), `unknown key ${JSON.stringify(key)}`, suggest(key, known));
    }
    for (const [key, field] of Object.entries(JOB_FIELDS)) {
      const value = job[key];
      const where = joinPointer(at, key);
      if (value === undefined) {
        if (field.required) throw fail(at, `missing ${JSON.stringify(key)}`);
        continue;
      }
      if (field.type === "string" && (typeof value !== "string" || value === "")) throw fail(where, `${JSON.stringify(key)} must be a non-empty string, not ${value === "" ? "an empty one" : describe(value)}`);
      if (field.type === "naming" && value !== "camel" && value !== "wire") throw fail(where, `${JSON.stringify(key)} must be "camel" or "wire", not ${typeof value === "string" ? JSON.stringify(value) : describe(value)}`);
      if (field.type === "importExtension" && !IMPORT_EXTENSIONS.includes(value as string)) throw fail(where, `${JSON.stringify(key)} must be "none", ".js" or ".ts", not ${typeof value === "string" ? JSON.stringify(value) : describe(value)}`);
      if (field.type === "bytes" && !(typeof value === "number" && Number.isSafeInteger(value) && value > 0)) throw fail(where, `${JSON.stringify(key)} must be a positive whole number of bytes, not ${describe(value)}`);
      if (field.type === "boolean" && typeof value !== "boolean") throw fail(where, `${JSON.stringify(key)} must be true or false, not ${describe(value)}`);
      if (field.type === "string[]") {
        if (!Array.isArray(value)) throw fail(where, `${JSON.stringify(key)} must be an array of strings, not ${describe(value)}`);
        value.forEach((v, j) => {
          if (typeof v !== "string") throw fail(joinPointer(where, j), `expected a string, not ${describe(v)}`);
        });
      }
    }
    // A URL or stdin (`-`) is no path: it stays as it is.
    const spec = job.spec as string;
    const resolved = { ...(job as unknown as JobConfig), spec: isRemote(spec) || spec === STDIN ? spec : path.resolve(baseDir, spec), out: path.resolve(baseDir, job.out as string), ...(Array.isArray(job.allowRef) ? { allowRef: (job.allowRef as string[]).map((d) => path.resolve(baseDir, d)) } : {}) };
    const clash = outs.get(resolved.out);
    if (clash) throw fail(joinPointer(at, "out"), `two jobs write to the same directory (${JSON.stringify(job.out)}, as ${clash} does)`, "give each job its own out directory");
    outs.set(resolved.out, joinPointer(at, "out"));
    return resolved;
  });
  return { file, jobs };
}

/** Reads and checks a config file: JSON, or code that exports the config. */
export async function loadConfig(configPath: string, cwd = process.cwd()): Promise<Config> {
  const absPath = path.resolve(cwd, configPath);
  const file = displayPathOf(absPath, cwd);
  if (!existsSync(absPath)) throw new GeneratorError("E_CONFIG", "cannot read the config: file not found", { file });
  const raw = CODE_CONFIG.test(absPath) ? await importConfig(absPath, file) : readJsonConfig(absPath, file);
  return parseConfig(raw, file, path.dirname(absPath));
}

function readJsonConfig(absPath: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (e as Error).message;
    throw new GeneratorError("E_CONFIG", `cannot read the config: ${reason}`, { file });
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new GeneratorError("E_CONFIG", `not valid JSON: ${(e as Error).message}`, { file });
  }
}

async function importConfig(absPath: string, file: string): Promise<unknown> {
  // Loaded only for code configs: JSON projects never pay for it.
  const { createJiti } = await import("jiti");
  const jiti = createJiti(absPath, { fsCache: false, moduleCache: false });
  let exported: Record<string, unknown>;
  try {
    exported = await jiti.import<Record<string, unknown>>(absPath);
  } catch (e) {
    // A compiler message can carry a code frame; its first line says what is wrong.
    const first = String((e as Error)?.message ?? e).split("\n")[0].slice(0, 200);
    throw new GeneratorError("E_CONFIG", `cannot load the config: ${first}`, { file }, "export the config: export default defineConfig({ jobs: [...] })");
  }
  // jiti gives CommonJS `module.exports` as the default export too.
  if (!("default" in exported)) throw new GeneratorError("E_CONFIG", "the config file has no default export", { file, pointer: "#" }, 'export default defineConfig({ jobs: [...] }) (import { defineConfig } from "openapi-morph")');
  return exported.default;
}

/** The config file of a directory, if it has one (a bare `openapi-morph` runs it). */
export function findConfig(dir = process.cwd()): string | undefined {
  const found = CONFIG_FILES.map((name) => path.join(dir, name)).filter((f) => existsSync(f));
  if (found.length > 1) {
    throw new GeneratorError("E_CONFIG", `more than one config file: ${found.map((f) => path.basename(f)).join(", ")}`, { file: displayPathOf(found[0], dir) }, "keep one of them");
  }
  return found[0];
}
