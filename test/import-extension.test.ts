import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { detectImportExtension } from "../generator/pipeline/detect-module";
import { cliIn } from "./helpers/cli";
import { FRAGMENT } from "./helpers/spec";
import { suiteTempDir } from "./helpers/temp";

const tmp = suiteTempDir("morph-import-ext-");

/** A project with these files (JSON values are written as JSON, strings as they are), the output in `src/gen`. */
function project(name: string, files: Record<string, unknown>): string {
  const dir = path.join(tmp, name);
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), typeof content === "string" ? content : JSON.stringify(content));
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("the import extension is detected from the project around the output", () => {
  const table: { name: string; given: Record<string, unknown>; want: string; reason?: RegExp }[] = [
    { name: "nothing around it", given: {}, want: "none" },
    { name: "a CommonJS package", given: { "package.json": { type: "commonjs" }, "tsconfig.json": { compilerOptions: { module: "commonjs" } } }, want: "none" },
    { name: "an ESM package", given: { "package.json": { type: "module" } }, want: ".js", reason: /package\.json has "type": "module"/ },
    { name: "module nodenext, any case", given: { "package.json": {}, "tsconfig.json": { compilerOptions: { module: "NodeNext" } } }, want: ".js", reason: /"module": "NodeNext"/ },
    { name: "moduleResolution node16", given: { "tsconfig.json": { compilerOptions: { moduleResolution: "node16" } } }, want: ".js" },
    { name: "bundler in a CommonJS package", given: { "tsconfig.json": { compilerOptions: { module: "esnext", moduleResolution: "bundler" } } }, want: "none" },
    { name: "allowImportingTsExtensions wins", given: { "package.json": { type: "module" }, "tsconfig.json": { compilerOptions: { module: "nodenext", allowImportingTsExtensions: true, noEmit: true } } }, want: ".ts", reason: /allowImportingTsExtensions/ },
    {
      name: "a tsconfig with comments, trailing commas and extends",
      given: { "tsconfig.base.json": '{ // base\n "compilerOptions": { "module": "nodenext", /* esm */ },\n}', "tsconfig.json": '{ "extends": "./tsconfig.base.json", "compilerOptions": { "strict": true, }, }' },
      want: ".js",
    },
    { name: "the nearest tsconfig counts", given: { "tsconfig.json": { compilerOptions: { module: "nodenext" } }, "src/tsconfig.json": { compilerOptions: { module: "commonjs" } } }, want: "none" },
    { name: "a broken tsconfig counts as none", given: { "tsconfig.json": "{ not json" }, want: "none" },
  ];
  test.each(table)("$name", ({ name, given, want, reason }) => {
    const dir = project(name.replace(/\W+/g, "-"), given);
    const got = detectImportExtension(path.join(dir, "src", "gen"), dir);
    expect(got.extension).toBe(want);
    if (reason) expect(got.reason).toMatch(reason);
    else if (want === "none") expect(got.reason).toBeUndefined();
  });
});

describe("--import-extension", () => {
  const imports = (dir: string) => ["index.ts", "client.ts", "validators.ts"].flatMap((f) => [...readFileSync(path.join(dir, f), "utf8").matchAll(/from "(\.[^"]*)"/g)].map((m) => m[1]));

  test.each([
    { flag: [], want: ["./types.js", "./runtime.js", "./validators.js", "./client.js"] },
    { flag: ["--import-extension", ".js"], want: ["./types.js", "./runtime.js", "./validators.js", "./client.js"] },
    { flag: ["--import-extension", ".ts"], want: ["./types.ts", "./runtime.ts", "./validators.ts", "./client.ts"] },
    { flag: ["--import-extension", "none"], want: ["./types", "./runtime", "./validators", "./client"] },
  ])("$flag in an ESM package", async ({ flag, want }) => {
    const dir = project(`flag${flag.join("")}`, { "package.json": { type: "module" } });
    const { code, stdout } = await cliIn(dir, "generate", FRAGMENT, "-o", "gen", "--quiet", ...flag);
    expect(code).toBe(0);
    expect(stdout).toBe("");
    const got = imports(path.join(dir, "gen"));
    // Every relative import names one file with the same ending: the index lists them all.
    expect(new Set(got)).toEqual(new Set(want));
  });

  test("the detected extension is printed once, naming what decided it", async () => {
    const dir = project("printed", { "package.json": { type: "module" } });
    const { code, stdout } = await cliIn(dir, "generate", FRAGMENT, "-o", "gen");
    expect(code).toBe(0);
    expect(stdout.split("\n").filter((l) => l.includes("relative imports end in"))).toEqual(['gen: relative imports end in .js (package.json has "type": "module"; set --import-extension to choose)']);
  });

  test("a wrong value is a usage error", async () => {
    const { code, stderr } = await cliIn(tmp, "generate", FRAGMENT, "-o", "gen", "--import-extension", "mjs");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--import-extension must be none, \.js or \.ts, not "mjs"/);
  });
});
