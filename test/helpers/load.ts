import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/** TypeScript to CommonJS, transpiled only (the tsc-based tests check the types). */
export function transpileTo(from: string, to: string, rewrite: (text: string) => string = (t) => t): void {
  const options = { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } };
  writeFileSync(to, ts.transpileModule(rewrite(readFileSync(from, "utf8")), options).outputText);
}

/** A generated output directory as a module that runs: its files transpiled into `${dir}-js`, required. */
export function loadGenerated<T = any>(dir: string): T {
  const js = `${dir}-js`;
  mkdirSync(js, { recursive: true });
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ts"))) transpileTo(path.join(dir, f), path.join(js, f.replace(/\.ts$/, ".js")));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(js) as T;
}
