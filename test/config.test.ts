import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { CONFIG_FILE, loadConfig } from "../generator/cli/config";
import { GeneratorError } from "../generator/errors";
import { cliIn } from "./helpers/cli";
import { ROOT } from "./helpers/spec";
import { suiteTempDir } from "./helpers/temp";

const tmp = suiteTempDir("morph-config-");

async function configError(text: string, name = "bad.config.json"): Promise<GeneratorError> {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  try {
    await loadConfig(file);
  } catch (e) {
    if (e instanceof GeneratorError) return e;
    throw e;
  }
  throw new Error("the config was accepted");
}

const job = (extra: Record<string, unknown> = {}) => ({ spec: "a.yaml", out: "gen", ...extra });

describe("config validation", () => {
  const table: { name: string; given: unknown; pointer: string; message: RegExp; hint?: RegExp }[] = [
    { name: "not an object", given: [], pointer: "#", message: /must be an object with "jobs", not an array/ },
    { name: "unknown top-level key", given: { jobs: [job()], job: [] }, pointer: "#/job", message: /unknown key "job"/, hint: /did you mean "jobs"/ },
    { name: "no jobs", given: {}, pointer: "#", message: /missing "jobs"/ },
    { name: "jobs not an array", given: { jobs: job() }, pointer: "#/jobs", message: /"jobs" must be an array, not an object/ },
    { name: "empty jobs", given: { jobs: [] }, pointer: "#/jobs", message: /"jobs" is empty/ },
    { name: "a job that is not an object", given: { jobs: [job(), "gen"] }, pointer: "#/jobs/1", message: /a job must be an object, not a string/ },
    { name: "unknown job key, a typo", given: { jobs: [job({ noUnionFr: [] })] }, pointer: "#/jobs/0/noUnionFr", message: /unknown key "noUnionFr"/, hint: /did you mean "noUnionFor"/ },
    { name: "unknown job key, nothing close", given: { jobs: [job({ banana: 1 })] }, pointer: "#/jobs/0/banana", message: /unknown key "banana"/, hint: /known keys: spec, out, / },
    { name: "missing spec", given: { jobs: [{ out: "gen" }] }, pointer: "#/jobs/0", message: /missing "spec"/ },
    { name: "empty out", given: { jobs: [job({ out: "" })] }, pointer: "#/jobs/0/out", message: /"out" must be a non-empty string, not an empty one/ },
    { name: "boolean given as a string", given: { jobs: [job({ noClient: "yes" })] }, pointer: "#/jobs/0/noClient", message: /"noClient" must be true or false, not a string/ },
    { name: "list not an array", given: { jobs: [job({ noUnionFor: "FineTuneMethod" })] }, pointer: "#/jobs/0/noUnionFor", message: /must be an array of strings, not a string/ },
    { name: "a list entry of the wrong type", given: { jobs: [job({ noUnionFor: ["A", 2] })] }, pointer: "#/jobs/0/noUnionFor/1", message: /expected a string, not a number/ },
    { name: "two jobs, one output", given: { jobs: [job(), job({ spec: "b.yaml", out: "./gen/" })] }, pointer: "#/jobs/1/out", message: /two jobs write to the same directory/ },
  ];
  test.each(table)("$name → $pointer", async ({ given, pointer, message, hint }) => {
    const e = await configError(JSON.stringify(given));
    expect(e.code).toBe("E_CONFIG");
    expect(e.file).toMatch(/bad\.config\.json$/);
    expect(e.pointer).toBe(pointer);
    expect(e.message).toMatch(message);
    if (hint) expect(e.hint).toMatch(hint);
  });

  test("invalid JSON names the file", async () => {
    const e = await configError('{ "jobs": [ }');
    expect(e.format()).toMatch(/^error E_CONFIG: .*bad\.config\.json: not valid JSON: /);
  });

  test("paths are relative to the config file", async () => {
    const dir = path.join(tmp, "nested");
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, CONFIG_FILE), JSON.stringify({ jobs: [job({ noUnionFor: ["X"], quiet: true })] }));
    expect((await loadConfig(path.join(dir, CONFIG_FILE))).jobs).toEqual([{ spec: path.join(dir, "a.yaml"), out: path.join(dir, "gen"), noUnionFor: ["X"], quiet: true }]);
  });

  test("the committed config describes the committed outputs", async () => {
    const config = await loadConfig(path.join(ROOT, CONFIG_FILE));
    expect(config.jobs.map((j) => [path.relative(ROOT, j.spec), path.relative(ROOT, j.out)])).toEqual([
      ["spec/fine-tuning.yaml", "generated"],
      ["spec/fine-tuning-all.yaml", path.join("generated", "fine-tuning-all")],
      ["spec/fine-tuning-workflow.yaml", path.join("generated", "fine-tuning-workflow")],
    ]);
    for (const j of config.jobs) expect(existsSync(j.spec)).toBe(true);
  });

  // The library's own entry, as a config in a project that installed the package imports it.
  const LIBRARY = JSON.stringify(path.join(ROOT, "generator", "index.ts"));
  test.each([
    { name: "bad.config.ts", text: `import { defineConfig } from ${LIBRARY};\nconst out: string = "gen";\nexport default defineConfig({ jobs: [{ spec: "a.yaml", out, naming: "camel" }] });` },
    { name: "bad.config.mts", text: `export default { jobs: [{ spec: "a.yaml", out: "gen", naming: "camel" }] } as const;` },
    { name: "bad.config.mjs", text: `export default { jobs: [{ spec: "a.yaml", out: "gen", naming: "camel" }] };` },
    { name: "bad.config.js", text: `module.exports = { jobs: [{ spec: "a.yaml", out: "gen", naming: "camel" }] };` },
  ])("a code config: $name", async ({ name, text }) => {
    const file = path.join(tmp, name);
    writeFileSync(file, text);
    expect((await loadConfig(file)).jobs).toEqual([{ spec: path.join(tmp, "a.yaml"), out: path.join(tmp, "gen"), naming: "camel" }]);
  });

  test.each([
    { name: "a wrong value", text: `export default { jobs: [{ spec: "a.yaml", out: "gen", naming: "kebab" }] };`, pointer: "#/jobs/0/naming", message: /"naming" must be "camel" or "wire", not "kebab"/ },
    { name: "an unknown key", text: `export default { jobs: [{ spec: "a.yaml", out: "gen", importExtention: ".js" }] };`, pointer: "#/jobs/0/importExtention", message: /unknown key/, hint: /did you mean "importExtension"/ },
    { name: "nothing exported", text: `const config = { jobs: [] };`, pointer: "#", message: /has no default export/, hint: /export default defineConfig/ },
    { name: "a syntax error", text: `export default { jobs: [ };`, pointer: undefined, message: /^cannot load the config: /, hint: /export default defineConfig/ },
  ])("a code config with $name is an E_CONFIG error", async ({ text, pointer, message, hint }) => {
    const e = await configError(text, "bad.config.ts");
    expect(e.code).toBe("E_CONFIG");
    expect(e.file).toMatch(/bad\.config\.ts$/);
    expect(e.pointer).toBe(pointer);
    expect(e.message).toMatch(message);
    expect(e.message.length).toBeLessThan(240);
    if (hint) expect(e.hint).toMatch(hint);
  });
});

/** The tagged-object pattern of `FineTuneMethod`, which `noUnionFor` turns off. */
const METHOD_SPEC = JSON.stringify({
  openapi: "3.1.0",
  info: { title: "Methods", version: "1" },
  paths: { "/method": { get: { operationId: "getMethod", responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/FineTuneMethod" } } } } } } } },
  components: {
    schemas: {
      FineTuneMethod: {
        type: "object",
        required: ["type"],
        properties: { type: { type: "string", enum: ["supervised", "dpo"] }, supervised: { type: "object", properties: { n: { type: "integer" } } }, dpo: { type: "object", properties: { beta: { type: "number" } } } },
      },
    },
  },
});

describe("running a config", () => {

  test.each([
    { name: "no arguments, no config: usage error", config: undefined, argv: [], code: 2, stderr: /missing command/ },
    { name: "no arguments, a broken config", config: '{ "jobs": [] }', argv: [], code: 1, stderr: /error E_CONFIG: openapi-morph\.config\.json #\/jobs: "jobs" is empty/ },
    { name: "--config with a spec argument", config: undefined, argv: ["generate", "x.yaml", "--config", "c.json"], code: 2, stderr: /with --config the jobs name their specs/ },
    { name: "--config with --out", config: undefined, argv: ["generate", "--config", "c.json", "-o", "x"], code: 2, stderr: /--out cannot be combined with a config file/ },
    { name: "two config files", config: undefined, extra: { "openapi-morph.config.ts": "export default {}" }, argv: [], code: 1, stderr: /error E_CONFIG: openapi-morph\.config\.ts: more than one config file: openapi-morph\.config\.ts, openapi-morph\.config\.json/ },
    { name: "--config naming a missing file", config: undefined, argv: ["generate", "--config", "c.json"], code: 1, stderr: /error E_CONFIG: c\.json: cannot read the config: file not found/ },
  ])("$name → exit $code", async ({ name, config, extra, argv, code, stderr }: { name: string; config: string | undefined; extra?: Record<string, string>; argv: string[]; code: number; stderr: RegExp }) => {
    const dir = path.join(tmp, name.replace(/\W+/g, "-"));
    mkdirSync(dir, { recursive: true });
    if (config !== undefined || extra) writeFileSync(path.join(dir, CONFIG_FILE), config ?? '{ "jobs": [] }');
    for (const [file, text] of Object.entries(extra ?? {})) writeFileSync(path.join(dir, file), text);
    const result = await cliIn(dir, ...argv);
    expect(result.stderr).toMatch(stderr);
    expect(result.code).toBe(code);
  });

  test("a bare `openapi-morph` runs every job of ./openapi-morph.config.json; --check then finds them up to date", async () => {
    const dir = path.join(tmp, "project");
    mkdirSync(path.join(dir, "spec"), { recursive: true });
    writeFileSync(path.join(dir, "spec", "ft.yaml"), METHOD_SPEC);
    writeFileSync(
      path.join(dir, CONFIG_FILE),
      JSON.stringify({ jobs: [{ spec: "spec/ft.yaml", out: "gen", noClient: true, quiet: true }, { spec: "spec/ft.yaml", out: "gen/no-unions", noUnionFor: ["FineTuneMethod"], noValidators: true, quiet: true }] }),
    );
    const first = await cliIn(dir, "--quiet");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const types = readFileSync(path.join(dir, "gen", "types.ts"), "utf8");
    expect(types).toMatch(/export type FineTuneMethod =/);
    expect(existsSync(path.join(dir, "gen", "client.ts"))).toBe(false);
    expect(readFileSync(path.join(dir, "gen", "no-unions", "types.ts"), "utf8")).toMatch(/export interface FineTuneMethod /);
    expect(existsSync(path.join(dir, "gen", "no-unions", "validators.ts"))).toBe(false);

    const check = await cliIn(dir, "generate", "--config", CONFIG_FILE, "--check");
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
  });
});
