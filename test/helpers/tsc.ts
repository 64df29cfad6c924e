import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { NOCHECK } from "../../generator/emit/print";

/** The options generated code is compiled with, shared with `npm run corpus` (one copy, in plain JS there). */
export const STRICT_OPTIONS: ts.CompilerOptions = (require("../../bench/corpus/tsc") as { OPTIONS: ts.CompilerOptions }).OPTIONS;

/** `true` only when A and B are the same type (not merely assignable either way): a line for type tests. */
export const EQUAL = "type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;";

/** What the strictest users turn on besides `strict`: generated code must compile under it. */
export const STRICTEST_OPTIONS: ts.CompilerOptions = {
  ...STRICT_OPTIONS,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noPropertyAccessFromIndexSignature: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  noImplicitReturns: true,
  noFallthroughCasesInSwitch: true,
};

/** TypeScript's lib files, parsed once per test file: they are most of what each program reads. */
const libFiles = new Map<string, ts.SourceFile>();

/**
 * Type-checks files with the compiler API and returns the diagnostics as `file:line: message` lines.
 * Generated files are read without their `@ts-nocheck` line (replaced by an empty one, so line
 * numbers hold): users' builds skip the bodies because these checks do not.
 */
export function typeCheck(files: string[], options: ts.CompilerOptions = STRICT_OPTIONS): string[] {
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => readFile(fileName)?.replace(NOCHECK, "");
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, onError, shouldCreate) => {
    if (!/[\\/]typescript[\\/]lib[\\/]/.test(fileName)) return getSourceFile(fileName, languageVersion, onError, shouldCreate);
    const key = `${fileName}\n${JSON.stringify(languageVersion)}`;
    let cached = libFiles.get(key);
    if (!cached) libFiles.set(key, (cached = getSourceFile(fileName, languageVersion, onError, shouldCreate)!));
    return cached;
  };
  const program = ts.createProgram(files, options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    if (!d.file || d.start === undefined) return message;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName}:${line + 1}: ${message}`;
  });
}

export interface SourceText {
  /** Relative to the directory it is written to. */
  path: string;
  text: string;
}

/** The `.ts` files directly in `dir`, in name order. */
export function readTsFiles(dir: string): SourceText[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
}

/**
 * Transpiles each `.ts` of `files` to CommonJS in `into` (created when missing) and requires
 * `entry` from there. A file that does not parse throws, naming the file.
 */
export function requireTranspiled<T = Record<string, unknown>>(files: SourceText[], into: string, entry = "index.js"): T {
  mkdirSync(into, { recursive: true });
  for (const f of files.filter((x) => x.path.endsWith(".ts"))) {
    const js = ts.transpileModule(f.text, { reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
    const syntax = (js.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    if (syntax.length > 0) throw new Error(`${f.path} does not parse: ${syntax.join("; ")}`);
    writeFileSync(path.join(into, f.path.replace(/\.ts$/, ".js")), js.outputText);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(into, entry)) as T;
}
