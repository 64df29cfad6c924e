import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { specToIr } from "../generator/index";
import { startServer, type TestServer } from "./helpers/server";
import { FRAGMENT, ROOT } from "./helpers/spec";
import { readExample } from "../generator/ir/examples";

/**
 * The package as a user gets it: `npm pack`, installed from the tarball into a fresh project
 * outside the repository, `npx openapi-morph` there with a TypeScript config file, and the
 * generated client compiled and called (against 127.0.0.1) under each module setup a TypeScript
 * project can have. The pack and the install happen once, while the file is collected (they are
 * synchronous), so that a registry that cannot be reached skips the suite with a message instead
 * of failing it. The tools of the matrix (tsc, esbuild, jest with ts-jest) are the repository's
 * own; a leg whose tool is missing is skipped with a message, never passed.
 */

const run = promisify(execFile);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";
const TSC = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
const JEST = path.join(ROOT, "node_modules", "jest", "bin", "jest.js");
const toolAt = (...segments: string[]): string | undefined => (existsSync(path.join(ROOT, "node_modules", ...segments)) ? path.join(ROOT, "node_modules", ...segments) : undefined);
const ESBUILD = toolAt("esbuild", "bin", "esbuild");
const TS_JEST = toolAt("ts-jest");
const STRIP_TYPES = process.allowedNodeEnvironmentFlags.has("--experimental-strip-types");

/** Packs the repository (dist is built by `npm test` first) and installs the tarball into a fresh project. */
function installPackage(): { app: string; work: string } | { skipped: string } {
  const work = mkdtempSync(path.join(os.tmpdir(), "morph-package-"));
  const app = path.join(work, "app");
  mkdirSync(app);
  writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
  const quiet = { stdio: "pipe" as const, timeout: 240_000 };
  // The scripts (prepack: tsc) would only rebuild what the test run built a moment ago.
  execFileSync(NPM, ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], { ...quiet, cwd: ROOT });
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error(`npm pack wrote no tarball into ${work}`);
  try {
    execFileSync(NPM, ["install", path.join(work, tarball), "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], { ...quiet, cwd: app });
  } catch (e) {
    let reachable = true;
    try {
      execFileSync(NPM, ["ping"], { stdio: "pipe", timeout: 20_000 });
    } catch {
      reachable = false;
    }
    if (reachable) throw e;
    rmSync(work, { recursive: true, force: true });
    return { skipped: `npm install needs packages that are neither in the npm cache nor reachable (${String((e as Error).message).split("\n")[0]})` };
  }
  return { app, work };
}

const installed = installPackage();
const skipped = "skipped" in installed ? installed.skipped : undefined;
if (skipped) console.warn(`package.test.ts skipped: ${skipped}`);
const suite = skipped ? describe.skip : describe;
const app = "app" in installed ? installed.app : "";

/** A leg runs where its tool is; where it is not, the test says why it is skipped. */
function leg(name: string, missing: string | undefined, body: () => Promise<void>): void {
  if (missing) {
    test.skip(`${name} (skipped: ${missing})`, () => undefined);
    console.warn(`package.test.ts: ${name} skipped: ${missing}`);
  } else test(name, body, 120_000);
}

function write(dir: string, files: Record<string, unknown>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
}

const COMMON = { target: "es2022", strict: true, lib: ["es2022", "dom"], types: [] as string[], skipLibCheck: true, rootDir: "src", outDir: "dist" };

/** What each consumer prints: the job the server sent, through the generated client with validation on. */
const callClient = `
  const client = createClient({ apiKey: "sk-test", baseURL: process.env.BASE_URL, validate: true, maxRetries: 0 });
  const job: FineTuningJob = await client.retrieveFineTuningJob("ftjob-abc123");
  const method: string = job.method?.type ?? "none";
  console.log(JSON.stringify({ id: job.id, method }));`;

/** No @types/node in the consumers: the client needs only web standards. */
const PROCESS = "declare const process: { env: Record<string, string | undefined> };";

/** The consumers of the matrix, each its own project (package.json, tsconfig) with the output in src/gen. */
const PROJECTS: Record<string, Record<string, unknown>> = {
  esm: {
    "package.json": { type: "module" },
    "tsconfig.json": { compilerOptions: { ...COMMON, module: "nodenext", moduleResolution: "nodenext" }, include: ["src"] },
    "src/main.ts": `import { createClient, type FineTuningJob } from "./gen/index.js";\n${PROCESS}\n${callClient}\n`,
    // Compiled with the leg, never run: defineConfig is typed, so a wrong value does not compile.
    "src/config-check.ts": `import { defineConfig } from "openapi-morph";\nexport const good = defineConfig({ jobs: [{ spec: "a.yaml", out: "gen", naming: "camel", importExtension: ".js" }] });\n// @ts-expect-error: naming is "camel" | "wire"\nexport const bad = defineConfig({ jobs: [{ spec: "a.yaml", out: "gen", naming: "kebab" }] });\n`,
  },
  cjs: {
    "package.json": { type: "commonjs" },
    "tsconfig.json": { compilerOptions: { ...COMMON, module: "commonjs" }, include: ["src"] },
    "src/main.ts": `import { createClient, type FineTuningJob } from "./gen/index";\n${PROCESS}\nasync function main(): Promise<void> {${callClient}\n}\nvoid main();\n`,
  },
  bundler: {
    "package.json": { type: "module" },
    "tsconfig.json": { compilerOptions: { ...COMMON, module: "esnext", moduleResolution: "bundler", noEmit: true }, include: ["src"] },
    "src/main.ts": `import { createClient, type FineTuningJob } from "./gen";\n${PROCESS}\n${callClient}\n`,
  },
  strip: {
    "package.json": { type: "module" },
    // What Node's type stripping accepts: erasable syntax only, type-only imports marked as such.
    "tsconfig.json": { compilerOptions: { ...COMMON, module: "nodenext", allowImportingTsExtensions: true, noEmit: true, erasableSyntaxOnly: true, verbatimModuleSyntax: true }, include: ["src"] },
    "src/main.ts": `import { createClient, type FineTuningJob } from "./gen/index.ts";\n${PROCESS}\n${callClient}\n`,
  },
  jest: {
    "package.json": { type: "commonjs" },
    "tsconfig.json": { compilerOptions: { ...COMMON, module: "commonjs", types: ["jest"], typeRoots: [path.join(ROOT, "node_modules", "@types")] }, include: ["src"] },
    "src/client.test.ts": `import { createClient, type FineTuningJob } from "./gen/index";\n${PROCESS}\ntest("the generated client calls the server", async () => {${callClient.replace("console.log(JSON.stringify({ id: job.id, method }));", 'expect({ id: job.id, method }).toEqual({ id: "ftjob-abc123", method: "supervised" });')}\n});\n`,
    "jest.config.js": `module.exports = { testEnvironment: "node", rootDir: __dirname, transform: { "^.+\\\\.ts$": [${JSON.stringify(TS_JEST ?? "ts-jest")}, { tsconfig: __dirname + "/tsconfig.json" }] } };\n`,
  },
};

const CONFIG = `import { defineConfig } from "openapi-morph";

export default defineConfig({
  jobs: ${JSON.stringify(Object.keys(PROJECTS).map((name) => ({ spec: "spec/fine-tuning.yaml", out: `${name}/src/gen` })))},
});
`;

const documented = specToIr(FRAGMENT).examples.find((e) => e.pointer.endsWith("/get/x-oaiMeta/examples/response"));
const read = documented && readExample(documented);
const JOB = { ...(read?.ok ? (read.json as object) : {}), error: null };
const WANT = JSON.stringify({ id: "ftjob-abc123", method: "supervised" });

let server: TestServer;
let env: NodeJS.ProcessEnv;

suite("the packed package in a fresh project", () => {
  let generated: { stdout: string; stderr: string };

  beforeAll(async () => {
    server = await startServer((req, res) => {
      res.writeHead(req.url === "/v1/fine_tuning/jobs/ftjob-abc123" ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(req.url === "/v1/fine_tuning/jobs/ftjob-abc123" ? { ...JOB, id: "ftjob-abc123" } : { error: { message: "no such job" } }));
    });
    // CI: no progress line; the consumer's own cache, nothing shared with the repository's.
    env = { ...process.env, BASE_URL: server.baseURL, CI: "1", OPENAPI_MORPH_CACHE: path.join(app, ".morph-cache") };
    mkdirSync(path.join(app, "spec"));
    writeFileSync(path.join(app, "spec", "fine-tuning.yaml"), readFileSync(FRAGMENT));
    for (const [name, files] of Object.entries(PROJECTS)) write(path.join(app, name), files);
    writeFileSync(path.join(app, "openapi-morph.config.ts"), CONFIG);
    generated = await run("npx", ["--no", "openapi-morph", "generate"], { cwd: app, env });
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    rmSync(path.dirname(app), { recursive: true, force: true });
  });

  test("the tarball holds the package and nothing of the repository's tests or sources", () => {
    const pkg = JSON.parse(readFileSync(path.join(app, "node_modules", "openapi-morph", "package.json"), "utf8")) as { private?: boolean; exports: unknown };
    expect(pkg.private).toBeUndefined();
    const files = readdirSync(path.join(app, "node_modules", "openapi-morph"));
    expect(files.sort()).toEqual(["LICENSE", "README.md", "bin", "dist", "package.json", "templates"]);
  });

  test("npx openapi-morph runs every job of openapi-morph.config.ts, each with its project's import extension", () => {
    expect(generated.stderr).not.toMatch(/error/);
    const lines = generated.stdout.split("\n");
    expect(lines.filter((l) => l.includes("relative imports end in"))).toEqual([
      'esm/src/gen: relative imports end in .js (esm/tsconfig.json has "module": "nodenext"; set --import-extension to choose)',
      'bundler/src/gen: relative imports end in .js (bundler/package.json has "type": "module"; set --import-extension to choose)',
      "strip/src/gen: relative imports end in .ts (strip/tsconfig.json sets allowImportingTsExtensions; set --import-extension to choose)",
    ]);
    for (const name of Object.keys(PROJECTS)) expect(existsSync(path.join(app, name, "src", "gen", "client.ts"))).toBe(true);
  });

  test("the library API imports by name from ESM and CommonJS", async () => {
    const names = "{ generate, diff, slice, defineConfig, GeneratorError }";
    const esm = await run(process.execPath, ["--input-type=module", "-e", `import ${names} from "openapi-morph"; console.log([generate, diff, slice, defineConfig, GeneratorError].map((f) => typeof f).join())`], { cwd: app, env });
    const cjs = await run(process.execPath, ["-e", `const ${names} = require("openapi-morph"); console.log([generate, diff, slice, defineConfig, GeneratorError].map((f) => typeof f).join())`], { cwd: app, env });
    expect([esm.stdout.trim(), cjs.stdout.trim()]).toEqual(Array(2).fill("function,function,function,function,function"));
  });

  const tsc = (name: string) => run(process.execPath, [TSC, "-p", path.join(app, name)], { cwd: app, env });

  leg("ESM + nodenext: tsc (a typed config beside the client), then node runs the client against the server", undefined, async () => {
    await tsc("esm");
    const { stdout } = await run(process.execPath, [path.join(app, "esm", "dist", "main.js")], { cwd: app, env });
    expect(stdout.trim()).toBe(WANT);
  });

  leg("CommonJS + commonjs: tsc, then node runs the client against the server", undefined, async () => {
    await tsc("cjs");
    const { stdout } = await run(process.execPath, [path.join(app, "cjs", "dist", "main.js")], { cwd: app, env });
    expect(stdout.trim()).toBe(WANT);
  });

  leg("bundler + esbuild: tsc checks, esbuild bundles, node runs the bundle", ESBUILD ? undefined : "esbuild is not installed", async () => {
    await tsc("bundler");
    const bundle = path.join(app, "bundler", "dist", "main.mjs");
    await run(ESBUILD!, [path.join(app, "bundler", "src", "main.ts"), "--bundle", "--platform=node", "--format=esm", `--outfile=${bundle}`, "--log-level=warning"], { cwd: app, env });
    const { stdout } = await run(process.execPath, [bundle], { cwd: app, env });
    expect(stdout.trim()).toBe(WANT);
  });

  leg("type stripping: the output with .ts imports is erasable syntax with type-only imports marked (tsc)", undefined, async () => {
    // Generated bodies carry // @ts-nocheck, which would hide the very errors this leg looks for.
    const check = path.join(app, "strip-check");
    write(check, PROJECTS.strip);
    mkdirSync(path.join(check, "src", "gen"));
    for (const f of readdirSync(path.join(app, "strip", "src", "gen")).filter((name) => name.endsWith(".ts"))) {
      writeFileSync(path.join(check, "src", "gen", f), readFileSync(path.join(app, "strip", "src", "gen", f), "utf8").replace(/^\/\/ @ts-nocheck\n/m, ""));
    }
    const out = await run(process.execPath, [TSC, "-p", check], { cwd: app, env }).then(
      () => "",
      (e: { stdout: string }) => e.stdout,
    );
    // TS1294: not erasable; TS1484/TS1485/TS1205: a type imported or re-exported as a value.
    expect(out.split("\n").filter((l) => /error TS(1205|1294|1484|1485):/.test(l))).toEqual([]);
  });

  leg("type stripping: node --experimental-strip-types runs the client against the server", STRIP_TYPES ? undefined : `node ${process.version} has no --experimental-strip-types (Node ≥ 22.6)`, async () => {
    await tsc("strip");
    const { stdout } = await run(process.execPath, ["--experimental-strip-types", "--no-warnings", path.join(app, "strip", "src", "main.ts")], { cwd: app, env });
    expect(stdout.trim()).toBe(WANT);
  });

  leg("Jest with ts-jest in the consumer: its test calls the server", TS_JEST ? undefined : "ts-jest is not installed", async () => {
    const { stderr } = await run(process.execPath, [JEST, "--config", path.join(app, "jest", "jest.config.js"), "--ci", "--watchman=false"], { cwd: path.join(app, "jest"), env });
    expect(stderr).toMatch(/Tests:\s+1 passed, 1 total/);
  });
});
