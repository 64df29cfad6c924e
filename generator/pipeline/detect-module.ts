import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import type { ImportExtension } from "../define-config";
import { isObject } from "../util/object";
import { displayPathOf } from "./load";

/**
 * The import extension the project around an output directory needs, read from the nearest
 * `tsconfig.json` (following `extends`) and `package.json`: `.ts` where the project imports `.ts`
 * files (`allowImportingTsExtensions`), `.js` where TypeScript or Node resolve like ESM does
 * (`module`/`moduleResolution` `node16`/`nodenext`, or `"type": "module"`), otherwise none.
 */
export interface DetectedExtension {
  extension: ImportExtension;
  /** What decided it, for the one line the CLI prints; absent when nothing asked for an extension. */
  reason?: string;
}

const NODE_ESM = new Set(["node16", "node18", "node20", "nodenext"]);

export function detectImportExtension(outDir: string, cwd = process.cwd()): DetectedExtension {
  const tsconfig = nearest(outDir, "tsconfig.json");
  const options = tsconfig ? compilerOptions(tsconfig) : {};
  const where = (file: string) => displayPathOf(file, cwd);
  if (tsconfig && options.allowImportingTsExtensions === true) return { extension: ".ts", reason: `${where(tsconfig)} sets allowImportingTsExtensions` };
  for (const key of ["module", "moduleResolution"] as const) {
    const value = options[key];
    if (tsconfig && typeof value === "string" && NODE_ESM.has(value.toLowerCase())) return { extension: ".js", reason: `${where(tsconfig)} has "${key}": "${value}"` };
  }
  const pkg = nearest(outDir, "package.json");
  if (pkg && readJson(pkg)?.type === "module") return { extension: ".js", reason: `${where(pkg)} has "type": "module"` };
  return { extension: "none" };
}

function nearest(from: string, name: string): string | undefined {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
    if (dir === path.dirname(dir)) return undefined;
  }
}

type Options = Record<string, unknown>;

/** The compiler options of a tsconfig with those of what it `extends` under them. */
function compilerOptions(file: string, depth = 0): Options {
  const json = readJson(file);
  if (!json || depth > 16) return {};
  const own = (json.compilerOptions ?? {}) as Options;
  const bases = json.extends === undefined ? [] : Array.isArray(json.extends) ? json.extends : [json.extends];
  const inherited = bases.filter((b): b is string => typeof b === "string").map((b) => baseFile(file, b)).filter((b): b is string => b !== undefined);
  return Object.assign({}, ...inherited.map((b) => compilerOptions(b, depth + 1)), own) as Options;
}

function baseFile(from: string, base: string): string | undefined {
  if (base.startsWith(".") || path.isAbsolute(base)) {
    const target = path.resolve(path.dirname(from), base);
    return existsSync(target) ? target : existsSync(`${target}.json`) ? `${target}.json` : undefined;
  }
  try {
    return createRequire(from).resolve(base);
  } catch {
    // A package the project has not installed: its options cannot count.
    return undefined;
  }
}

/** tsconfig files are JSON with comments and trailing commas; a file that is not even that counts as absent. */
function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const keepStrings = (_m: string, str: string | undefined) => str ?? "";
    const text = readFileSync(file, "utf8")
      .replace(/("(?:\\.|[^"\\])*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, keepStrings)
      .replace(/("(?:\\.|[^"\\])*")|,(?=\s*[}\]])/g, keepStrings);
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
