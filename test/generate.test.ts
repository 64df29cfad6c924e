import { execFileSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { specToIr } from "../generator/index";
import { checkExamples, formatExampleReport } from "../generator/ir/check";
import { MANIFEST } from "../generator/pipeline/write";
import { cli, cliIn } from "./helpers/cli";
import { FRAGMENT, GENERATED, ROOT, renderFiles } from "./helpers/spec";
import { suiteTempDir } from "./helpers/temp";

const tmp = suiteTempDir("morph-gen-");

/** Every file below `dir`; with `generatedOnly`, just those the directory's manifest lists (and the manifest). */
function readDir(dir: string, generatedOnly = false): Record<string, string> {
  const listed = generatedOnly ? new Set([MANIFEST, ...Object.keys(JSON.parse(readFileSync(path.join(dir, MANIFEST), "utf8")).files)]) : undefined;
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && (!listed || listed.has(path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))))
      .map((e) => {
        const full = path.join(e.parentPath, e.name);
        return [path.relative(dir, full).split(path.sep).join("/"), readFileSync(full, "utf8")];
      })
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

describe("generated output for spec/fine-tuning.yaml", () => {
  test("matches the snapshot, file by file", async () => {
    const files = await renderFiles(specToIr(FRAGMENT));
    expect(files.map((f) => f.path)).toContain("types.ts");
    expect(files[files.length - 1].path).toBe("index.ts");
    for (const f of files) expect(f.text).toMatchSnapshot(f.path);
  });

  test("the committed generated/ is up to date (--check)", async () => {
    const result = await cli("generate", path.relative(process.cwd(), FRAGMENT), "-o", GENERATED, "--check", "--quiet");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  test("--check fails and names the file when the output is stale, writing nothing", async () => {
    const dir = path.join(tmp, "stale");
    cpSync(GENERATED, dir, { recursive: true });
    writeFileSync(path.join(dir, "types.ts"), readFileSync(path.join(dir, "types.ts"), "utf8").replace("fine_tuned_model: string | null", "fine_tuned_model: string"));
    const before = readDir(dir);
    const result = await cli("generate", FRAGMENT, "-o", dir, "--check");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^\s+types\.ts$/m);
    expect(result.stderr).not.toMatch(/^\s+index\.ts$/m);
    expect(readDir(dir)).toEqual(before);
  });

  test("two runs give identical bytes, from any working directory; no absolute paths, no timestamps, LF only", async () => {
    const a = path.join(tmp, "a");
    const b = path.join(tmp, "b");
    expect((await cli("generate", FRAGMENT, "-o", a, "--quiet")).code).toBe(0);
    expect((await cliIn(os.tmpdir(), "generate", FRAGMENT, "-o", b, "--quiet")).code).toBe(0);
    const first = readDir(a);
    expect(readDir(b)).toEqual(first);
    expect(first).toEqual(readDir(GENERATED, true));
    for (const [name, text] of Object.entries(first)) {
      expect([name, text.includes(ROOT) || text.includes(os.tmpdir())]).toEqual([name, false]);
      expect([name, /\r/.test(text)]).toEqual([name, false]);
      expect([name, /\b20\d\d-\d\d-\d\dT\d\d:/.test(text)]).toEqual([name, false]);
    }
  });

  test("regenerating keeps the user's own files and removes only files an earlier run wrote", async () => {
    const dir = path.join(tmp, "mixed");
    expect((await cli("generate", FRAGMENT, "-o", dir, "--quiet")).code).toBe(0);
    writeFileSync(path.join(dir, "mine.ts"), "export const mine = 1;\n");
    writeFileSync(path.join(dir, "old-generated.ts"), "export {};\n");
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), "utf8"));
    manifest.files["old-generated.ts"] = "0";
    writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest));
    const result = await cli("generate", FRAGMENT, "-o", dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 removed/);
    expect(existsSync(path.join(dir, "mine.ts"))).toBe(true);
    expect(existsSync(path.join(dir, "old-generated.ts"))).toBe(false);
  });

  test("a failing run leaves the output directory exactly as it was", async () => {
    const dir = path.join(tmp, "kept");
    cpSync(GENERATED, dir, { recursive: true });
    const before = readDir(dir);
    const broken = path.join(tmp, "broken.yaml");
    writeFileSync(broken, readFileSync(FRAGMENT, "utf8").replace('$ref: "#/components/schemas/FineTuneMethod"', '$ref: "#/components/schemas/FineTuneMethd"').replace("$ref: '#/components/schemas/FineTuneMethod'", "$ref: '#/components/schemas/FineTuneMethd'"));
    const result = await cli("generate", broken, "-o", dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/FineTuneMethd/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readDir(dir)).toEqual(before);
    expect(readdirSync(tmp).filter((n) => n.includes("openapi-morph-"))).toEqual([]);
  });
});

describe("CLI", () => {
  test.each([
    { argv: ["--help"], code: 0, stdout: /Usage: openapi-morph/ },
    { argv: ["--version"], code: 0, stdout: new RegExp(`^${JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version.replace(/\./g, "\\.")}$`) },
    { argv: ["generate", "x.yaml", "-o", "out", "--bogus"], code: 2, stderr: /unknown option --bogus/ },
    { argv: ["frobnicate"], code: 2, stderr: /unknown command "frobnicate"/ },
    { argv: ["generate", "spec/fine-tuning.yaml"], code: 2, stderr: /needs an output directory/ },
    { argv: ["slice", "spec/fine-tuning.yaml", "-o", "x.yaml"], code: 2, stderr: /at least one --operation or --tag/ },
  ])("$argv → exit $code", async ({ argv, code, stdout, stderr }) => {
    const result = await cli(...argv);
    expect(result.code).toBe(code);
    if (stdout) expect(result.stdout).toMatch(stdout);
    if (stderr) expect(result.stderr).toMatch(stderr);
  });

  test("generate without a spec, where there is no config file, is a usage error", async () => {
    const result = await cliIn(tmp, "generate");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/needs a spec file/);
  });

  test("generate --verbose prints each inferred union on one line", async () => {
    const result = await cli("generate", FRAGMENT, "-o", path.join(tmp, "unions"), "--verbose");
    expect(result.stdout.split("\n").filter((l) => l.startsWith("union "))).toEqual([
      'union FineTuneMethod: tagged-object on "type" (supervised | dpo | reinforcement)',
      'union FineTuneReinforcementMethodGrader: single-valued-property on "type" (string_check | text_similarity | python | score_model | multi)',
      'union GraderMultiGraders: single-valued-property on "type" (string_check | text_similarity | python | score_model | label_model)',
    ]);
  });

  test("--dump-ir prints the IR as JSON", async () => {
    const result = await cli("generate", FRAGMENT, "--dump-ir");
    const ir = JSON.parse(result.stdout);
    expect(ir.declarations.map((d: { name: string }) => d.name)).toContain("FineTuningJob");
    expect(ir.operations.map((o: { name: string }) => o.name)).toEqual(["retrieveFineTuningJob"]);
  });

  test("the installed bin runs through npx", () => {
    const out = execFileSync("npx", ["--no-install", "openapi-morph", "--version"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("documented examples", () => {
  test("the conformance report names the two known upstream mismatches", () => {
    const report = checkExamples(specToIr(FRAGMENT));
    const mismatches = report.filter((r) => r.status === "mismatch").map((r) => [r.pointer, r.issues.map((i) => `${i.path} ${i.message}`)]);
    expect(mismatches).toEqual([
      ["#/components/schemas/FineTuningJob/x-oaiMeta/example", ["/error missing required property"]],
      ["#/components/schemas/GraderMulti/x-oaiMeta/example", ["/graders expected an object, got an array"]],
      ["#/paths/~1fine_tuning~1jobs~1{fine_tuning_job_id}/get/x-oaiMeta/examples/response", ["/error missing required property"]],
    ]);
    expect(formatExampleReport(report)).toMatchSnapshot();
  });
});

describe("cache: unchanged runs are skipped, never wrongly", () => {
  const cacheDir = () => path.join(tmp, "cache");
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.OPENAPI_MORPH_CACHE;
    process.env.OPENAPI_MORPH_CACHE = cacheDir();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.OPENAPI_MORPH_CACHE;
    else process.env.OPENAPI_MORPH_CACHE = saved;
  });

  const table: { name: string; change: (dir: string) => string | void; want: RegExp }[] = [
    { name: "nothing changed: skipped", change: () => undefined, want: /up to date \(inputs unchanged/ },
    { name: "an output file edited: regenerated", change: (dir) => writeFileSync(path.join(dir, "types.ts"), "// edited\n"), want: /1 written/ },
    { name: "another spec into the same directory: regenerated", change: () => "other", want: /written/ },
  ];
  test.each(table)("$name", async ({ change, want }) => {
    const dir = path.join(tmp, `cached-${Math.random().toString(36).slice(2)}`);
    expect((await cli("generate", FRAGMENT, "-o", dir, "--quiet")).code).toBe(0);
    const other = change(dir) === "other";
    const spec = other ? path.join(tmp, "other.yaml") : FRAGMENT;
    if (other) writeFileSync(spec, readFileSync(FRAGMENT, "utf8").replace("The base model that is being fine-tuned.", "The base model, changed."));
    const result = await cli("generate", spec, "-o", dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(want);
    if (other) expect(readFileSync(path.join(dir, "types.ts"), "utf8")).toContain("The base model, changed.");
  });

  test("--check still reports a stale file when the cache says the inputs are unchanged", async () => {
    const dir = path.join(tmp, "cached-check");
    expect((await cli("generate", FRAGMENT, "-o", dir, "--quiet")).code).toBe(0);
    writeFileSync(path.join(dir, "client.ts"), "// edited\n");
    const result = await cli("generate", FRAGMENT, "-o", dir, "--check");
    expect([result.code, result.stderr.includes("client.ts")]).toEqual([1, true]);
  });
});

test("the runtime template is already in prettier's format, so it is copied as it is", async () => {
  const { formatText } = await import("../generator/pipeline/format/format");
  const text = readFileSync(path.join(ROOT, "templates", "runtime.ts"), "utf8");
  expect(await formatText(text)).toBe(text);
});
