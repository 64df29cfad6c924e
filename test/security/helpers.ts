import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliIn } from "../helpers/cli";

/** A scratch folder per suite; every scenario writes its own files below it. */
export function scratch(prefix: string): { dir: () => string; cleanup: () => void } {
  let dir = "";
  return {
    dir: () => (dir ||= mkdtempSync(path.join(os.tmpdir(), `morph-sec-${prefix}-`))),
    cleanup: () => dir && rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes `files` (relative path → text) below `dir`. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

/** Every file below `dir` with its bytes (base64), so "untouched" means byte for byte. */
export function snapshotTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => [path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"), readFileSync(path.join(e.parentPath, e.name)).toString("base64")] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

export const lines = (...l: string[]): string => l.join("\n") + "\n";
export const HEAD = ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}"];

/** A spec whose component schemas are the given YAML lines (already indented by four). */
export const specWith = (...schemaLines: string[]): string => lines(...HEAD, "components:", "  schemas:", ...schemaLines);

/** Runs the CLI in `dir` (no cache, so each scenario really runs) and checks what every failure must hold. */
export async function run(dir: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const before = process.env.OPENAPI_MORPH_CACHE;
  process.env.OPENAPI_MORPH_CACHE = "off";
  try {
    const result = await cliIn(dir, ...argv);
    // No stack trace and no internal error, whatever the input.
    expect(result.stderr).not.toMatch(/\n\s+at |internal error|RangeError|Maximum call stack/);
    return result;
  } finally {
    if (before === undefined) delete process.env.OPENAPI_MORPH_CACHE;
    else process.env.OPENAPI_MORPH_CACHE = before;
  }
}

/** Makes a symlink; false where the platform (or its permissions) has none. */
export function trySymlink(target: string, link: string): boolean {
  try {
    symlinkSync(target, link);
    return true;
  } catch {
    return false;
  }
}
