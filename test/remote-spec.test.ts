import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../generator/cli/main";
import { generate, GeneratorError } from "../generator/index";
import { cli, cliIn } from "./helpers/cli";
import { startServer, type TestServer } from "./helpers/server";
import { FRAGMENT, ROOT } from "./helpers/spec";

/** Specs from a URL (and what they $ref, resolved against it) or stdin, against a 127.0.0.1 server. */

const pets = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    openapi: "3.1.0",
    info: { title: "Pets", version: "1" },
    paths: { "/pets/{id}": { get: { operationId: "getPet", parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }], responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "schemas/pet.json#/Pet" } } } } } } } },
    ...extra,
  });

let docs: Record<string, string>;
let server: TestServer;
let base: string;
let tmp: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-remote-"));
  server = await startServer((req, res) => {
    if (req.url === "/slow") return; // never answers
    const body = docs[req.url ?? ""];
    res.writeHead(body === undefined ? 404 : 200, { "content-type": "application/json" });
    res.end(body ?? "not found");
  });
  base = server.baseURL.replace(/\/v1$/, "");
});
beforeEach(() => {
  docs = {
    "/api/openapi.json": pets(),
    "/api/schemas/pet.json": JSON.stringify({ Pet: { type: "object", required: ["name"], properties: { name: { type: "string" }, owner: { $ref: "owner.json" } } } }),
    "/api/schemas/owner.json": JSON.stringify({ type: "object", properties: { email: { type: "string" } } }),
    "/api/local-ref.json": pets().replace("schemas/pet.json#/Pet", "file:///etc/hostname#/x"),
    "/api/missing-ref.json": pets().replace("schemas/pet.json#/Pet", "gone.json#/Pet"),
  };
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a spec from a URL", () => {
  test("is fetched with the documents its relative $refs name, resolved against its URL", async () => {
    const out = path.join(tmp, "url");
    const { code, stdout, stderr } = await cli("generate", `${base}/api/openapi.json`, "-o", out);
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/: 6 written, 0 unchanged \(2 types, 1 operations, 1 renamed\)/);
    const types = readFileSync(path.join(out, "types.ts"), "utf8");
    expect(types).toMatch(/export interface Pet \{/);
    expect(types).toMatch(/owner\?: Owner;/);
  });

  test.each([
    { name: "a missing spec", url: "/api/nope.json", message: /^error E_READ: http:\/\/127\.0\.0\.1:\d+\/api\/nope\.json: cannot fetch the spec: HTTP 404 Not Found$/ },
    { name: "a $ref to a local file", url: "/api/local-ref.json", message: /^error E_REF: .*local-ref\.json #\/paths\/.*: \$ref "file:\/\/\/etc\/hostname#\/x" in a remote spec names a local file or another scheme, which is refused\n  hint: / },
    { name: "a $ref to a document that is not there", url: "/api/missing-ref.json", message: /^error E_REF_FILE: .*missing-ref\.json #\/paths\/.*: \$ref "gone\.json#\/Pet" points to a document that cannot be fetched \(http:\/\/127\.0\.0\.1:\d+\/api\/gone\.json\)/ },
  ])("$name is a short error naming the URL", async ({ url, message }) => {
    const { code, stdout, stderr } = await cli("generate", `${base}${url}`, "-o", path.join(tmp, "bad"));
    expect([code, stdout]).toEqual([1, ""]);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  test("a server that does not answer times out with a clear error", async () => {
    const e = await generate({ spec: `${base}/slow`, out: path.join(tmp, "slow"), fetchTimeout: 300 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GeneratorError);
    expect((e as GeneratorError).format()).toMatch(/^error E_READ: http:\/\/127\.0\.0\.1:\d+\/slow: cannot fetch the spec: no answer within 0\.3 s$/);
  });

  test("a port nothing listens on is a connection error, not a stack trace", async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const url = `${closed.baseURL}/openapi.json`;
    const { code, stderr } = await cli("generate", url, "-o", path.join(tmp, "refused"));
    expect(code).toBe(1);
    expect(stderr).toBe(`error E_READ: ${url}: cannot fetch the spec: ECONNREFUSED\n  hint: check the URL and your connection, or download the spec and give its path`);
  });

  test("a config job can name a URL", async () => {
    const dir = mkdtempSync(path.join(tmp, "config-"));
    writeFileSync(path.join(dir, "openapi-morph.config.json"), JSON.stringify({ jobs: [{ spec: `${base}/api/openapi.json`, out: "gen", noClient: true }] }));
    const { code, stdout, stderr } = await cliIn(dir, "generate");
    expect([code, stderr]).toEqual([0, ""]);
    expect(stdout).toMatch(/^gen: 5 written, 0 unchanged \(2 types, 1 operations/);
  });

  test("--watch fetches it again every --watch-interval and regenerates only when it changed", async () => {
    const out = path.join(tmp, "watched");
    const stdout: string[] = [];
    const stderr: string[] = [];
    const stop = new AbortController();
    const running = run(["generate", `${base}/api/openapi.json`, "-o", out, "--watch", "--watch-interval", "0.1", "--no-client", "--no-validators"], { out: (l) => stdout.push(l), err: (l) => stderr.push(l), interrupt: () => stop.signal });
    const until = async (what: string, done: () => boolean) => {
      for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 25));
      if (!done()) throw new Error(`timed out waiting for ${what}: ${JSON.stringify({ stdout, stderr })}`);
    };
    try {
      await until("the first generation", () => stdout.some((l) => l.startsWith(`watching ${base}/api/openapi.json for ${out} (fetched every 0.1 s)`)));
      const written = () => stdout.filter((l) => / written, /.test(l)).length;
      expect(written()).toBe(1);
      docs["/api/schemas/owner.json"] = JSON.stringify({ type: "object", properties: { email: { type: "string" }, phone: { type: "string" } } });
      await until("the regeneration", () => written() === 2);
      expect(readFileSync(path.join(out, "types.ts"), "utf8")).toMatch(/phone\?: string;/);
      expect(stdout).toContain("changes since the last generation:");
    } finally {
      stop.abort();
    }
    expect(await running).toBe(0);
    // Fetches of an unchanged spec regenerate nothing.
    expect(stdout.filter((l) => / written, /.test(l))).toHaveLength(2);
    expect(stderr).toEqual([]);
  });

  test("diff, slice and examples take a URL too", async () => {
    const url = `${base}/api/openapi.json`;
    const diff = await cli("diff", url, url, "--json");
    expect([diff.code, (JSON.parse(diff.stdout) as { summary: { total: number } }).summary.total]).toEqual([0, 0]);
    const sliced = path.join(tmp, "sliced.yaml");
    const slice = await cli("slice", url, "--operation", "getPet", "-o", sliced);
    expect([slice.code, slice.stdout]).toEqual([0, `${sliced}: 1 operation(s), 2 schema(s)`]);
    const examples = await cli("examples", url);
    expect(examples.code).toBe(0);
  });

  test("--watch-interval must be a number of seconds", async () => {
    const { code, stderr } = await cli("generate", `${base}/api/openapi.json`, "-o", path.join(tmp, "x"), "--watch", "--watch-interval", "soon");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--watch-interval must be a number of seconds \(at least 0\.1\), not "soon"/);
  });
});

describe("a spec from stdin (-)", () => {
  test("the library reads what `stdin` gives", async () => {
    const out = path.join(tmp, "stdin-lib");
    const result = await generate({ spec: "-", out, stdin: async () => readFileSync(FRAGMENT, "utf8"), cwd: tmp });
    expect(result.write.changed).toContain("types.ts");
    expect(readFileSync(path.join(out, "types.ts"), "utf8")).toMatch(/export interface FineTuningJob \{/);
  });

  test("the CLI reads its stdin; errors name <stdin>", async () => {
    const bin = path.join(ROOT, "bin", "openapi-morph.js");
    const runWith = (input: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, [bin, "generate", "-", "-o", path.join(tmp, "stdin-cli"), "--no-client"], { cwd: tmp, env: { ...process.env, CI: "1" } }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
        );
        child.stdin?.end(input);
      });
    const good = await runWith(readFileSync(FRAGMENT, "utf8"));
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/stdin-cli: 5 written/);
    const bad = await runWith('{ "openapi": "2.0" }');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error E_VERSION: <stdin> #\/openapi: unsupported OpenAPI version "2\.0"/);
  });

  test("--watch cannot watch stdin", async () => {
    const { code, stderr } = await cli("generate", "-", "-o", path.join(tmp, "x"), "--watch");
    expect(code).toBe(2);
    expect(stderr).toMatch(/--watch needs a spec file or URL, not stdin/);
  });
});

