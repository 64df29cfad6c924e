import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIResponseValidationError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  createClient,
  retrieveFineTuningJob,
  type FineTuningJob,
} from "../generated";
import { specToIr } from "../generator/index";
import { FRAGMENT, ROOT } from "./helpers/spec";
import { NOCHECK } from "../generator/emit/print";
import { startServer, type TestServer } from "./helpers/server";
import { readTsFiles, STRICT_OPTIONS, STRICTEST_OPTIONS, typeCheck } from "./helpers/tsc";
import { readExample } from "../generator/ir/examples";

/**
 * The generated `retrieveFineTuningJob` against a real HTTP server on 127.0.0.1: what a user
 * calls, end to end. The runtime's finer behaviour has its own suite (runtime.test.ts).
 */

const KEY = "sk-client-test-secret";
const documented = specToIr(FRAGMENT).examples.find((e) => e.pointer.endsWith("/get/x-oaiMeta/examples/response"))!;
const read = readExample(documented);
const JOB = { ...(read.ok ? (read.json as object) : {}), error: null } as FineTuningJob;

type Step = { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };
let script: Step[] = [];
let requests: { url: string; headers: http.IncomingHttpHeaders }[] = [];
let server: TestServer;
let baseURL: string;

beforeAll(async () => {
  server = await startServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    const step = script[Math.min(requests.length - 1, script.length - 1)];
    const send = () => {
      res.writeHead(step.status, { "content-type": "application/json", "x-request-id": `req_${requests.length}`, ...step.headers });
      res.end(step.body ?? "");
    };
    if (step.delayMs) {
      const timer = setTimeout(send, step.delayMs);
      res.on("close", () => clearTimeout(timer));
    } else send();
  });
  baseURL = server.baseURL;
});
afterAll(() => server.close());
beforeEach(() => {
  requests = [];
  script = [{ status: 200, body: JSON.stringify(JOB) }];
});

const opts = (extra: object = {}) => ({ apiKey: KEY, baseURL, maxRetries: 0, ...extra });
const errorBody = (message: string) => JSON.stringify({ error: { message, type: "invalid_request_error", param: null, code: null } });

test("success: the documented example comes back typed, with exact headers", async () => {
  const client = createClient(opts({ organization: "org-1", project: "proj-1", headers: { "X-Custom": "yes" } }));
  const job = await client.retrieveFineTuningJob("ftjob-abc123");
  expect(job).toEqual(JOB);
  expect(job.method?.type).toBe("supervised");
  expect(requests).toHaveLength(1);
  expect(requests[0].url).toBe("/v1/fine_tuning/jobs/ftjob-abc123");
  expect(requests[0].headers).toMatchObject({
    authorization: `Bearer ${KEY}`,
    "openai-organization": "org-1",
    "openai-project": "proj-1",
    "x-custom": "yes",
    accept: "application/json",
  });
});

test("withResponse gives the raw response and the request id", async () => {
  const { data, response, requestID } = await retrieveFineTuningJob.withResponse("ftjob-abc123", opts());
  expect([data.id, response.status, requestID]).toEqual(["ftjob-abc123", 200, "req_1"]);
});

test.each([
  { id: "a/b c", path: "/v1/fine_tuning/jobs/a%2Fb%20c" },
  { id: "../files", path: "/v1/fine_tuning/jobs/..%2Ffiles" },
  { id: "ftjob?x=1#y", path: "/v1/fine_tuning/jobs/ftjob%3Fx%3D1%23y" },
])("path parameter $id is encoded as $path", async ({ id, path: want }) => {
  await retrieveFineTuningJob(id, opts());
  expect(requests.map((r) => r.url)).toEqual([want]);
});

test("an empty id is rejected before any request", async () => {
  await expect(retrieveFineTuningJob("", opts())).rejects.toThrow(/fine_tuning_job_id/);
  expect(requests).toHaveLength(0);
});

test.each([
  { status: 400, error: BadRequestError },
  { status: 401, error: AuthenticationError },
  { status: 403, error: PermissionDeniedError },
  { status: 404, error: NotFoundError },
  { status: 409, error: ConflictError },
  { status: 422, error: UnprocessableEntityError },
  { status: 429, error: RateLimitError },
  { status: 500, error: InternalServerError },
  { status: 503, error: InternalServerError },
])("status $status → $error.name with requestID and the server's message", async ({ status, error }) => {
  script = [{ status, body: errorBody(`No fine-tuning job ${status}`) }];
  const err = await retrieveFineTuningJob("ftjob-x", opts()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(error);
  expect(err).toBeInstanceOf(APIError);
  expect(err).toMatchObject({ status, requestID: "req_1", message: `No fine-tuning job ${status}` });
  expect(JSON.stringify(err) + String(err) + (err as Error).stack).not.toContain(KEY);
});

test("429 with retry-after: 0 is retried, then succeeds", async () => {
  script = [{ status: 429, body: errorBody("slow down"), headers: { "retry-after": "0" } }, { status: 200, body: JSON.stringify(JOB) }];
  const job = await retrieveFineTuningJob("ftjob-abc123", opts({ maxRetries: 2 }));
  expect(job.id).toBe("ftjob-abc123");
  expect(requests).toHaveLength(2);
});

test("500 exhausts maxRetries, then throws", async () => {
  script = [{ status: 500, body: errorBody("boom"), headers: { "retry-after-ms": "0" } }];
  await expect(retrieveFineTuningJob("ftjob-abc123", opts({ maxRetries: 2 }))).rejects.toBeInstanceOf(InternalServerError);
  expect(requests).toHaveLength(3);
});

test("a timeout raises APIConnectionTimeoutError", async () => {
  script = [{ status: 200, body: JSON.stringify(JOB), delayMs: 2000 }];
  await expect(retrieveFineTuningJob("ftjob-abc123", opts({ timeout: 50 }))).rejects.toBeInstanceOf(APIConnectionTimeoutError);
});

test("the caller's signal raises APIUserAbortError and is not retried", async () => {
  script = [{ status: 200, body: JSON.stringify(JOB), delayMs: 2000 }];
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 30);
  await expect(retrieveFineTuningJob("ftjob-abc123", opts({ signal: controller.signal, maxRetries: 2 }))).rejects.toBeInstanceOf(APIUserAbortError);
  expect(requests).toHaveLength(1);
});

test("connection refused raises APIConnectionError", async () => {
  // A port that was just freed refuses connections.
  const closed = await startServer(() => undefined);
  await closed.close();
  const err = await retrieveFineTuningJob("ftjob-abc123", opts({ baseURL: closed.baseURL })).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(APIConnectionError);
  expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
});

test("a body that is not JSON is an APIError, not a SyntaxError", async () => {
  script = [{ status: 200, body: "<html>gateway</html>", headers: { "content-type": "text/html" } }];
  const err = await retrieveFineTuningJob("ftjob-abc123", opts()).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(APIError);
  expect(err).not.toBeInstanceOf(SyntaxError);
});

test("per-call options are merged over the client's", async () => {
  const client = createClient(opts({ headers: { "X-A": "client", "X-B": "client" } }));
  await client.retrieveFineTuningJob("ftjob-abc123", { headers: { "X-B": "call" } });
  expect(requests[0].headers).toMatchObject({ "x-a": "client", "x-b": "call" });
});

describe("validate option with the generated validator", () => {
  // The documented example as the API sends it today: without the required `error`.
  const { error: _omitted, ...withoutError } = JOB as FineTuningJob & { error: unknown };
  test.each([
    { validate: true as const, want: "throws" },
    { validate: "warn" as const, want: "warns" },
    { validate: false as const, want: "passes" },
  ])("validate: $validate → $want", async ({ validate, want }) => {
    script = [{ status: 200, body: JSON.stringify(withoutError) }];
    const warnings: string[] = [];
    const logger = { warn: (message: string) => void warnings.push(message) };
    const result = await retrieveFineTuningJob("ftjob-abc123", opts({ validate, logger })).then(
      (job) => ({ job }),
      (error: unknown) => ({ error }),
    );
    if (want === "throws") {
      expect("error" in result && result.error).toBeInstanceOf(APIResponseValidationError);
      const err = (result as { error: APIResponseValidationError }).error;
      expect(err.issues.map((i) => i.path)).toEqual(["/error"]);
      expect(err.requestID).toBe("req_1");
    } else {
      expect("job" in result && result.job.id).toBe("ftjob-abc123");
      expect(warnings.some((w) => w.includes("/error"))).toBe(want === "warns");
    }
  });

  test("a valid response passes validation untouched", async () => {
    await expect(retrieveFineTuningJob("ftjob-abc123", opts({ validate: true }))).resolves.toEqual(JOB);
  });
});

test("types: the return type is FineTuningJob and wrong arguments do not compile", () => {
  const file = path.join(ROOT, "test", "types", "client.types.ts");
  expect(typeCheck([file])).toEqual([]);
});

describe("the @ts-nocheck line of client.ts", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "morph-nocheck-"));
    for (const f of readTsFiles(path.join(ROOT, "generated"))) writeFileSync(path.join(dir, f.path), f.text);
    // A body that is wrong but whose declared types are intact: only checking the body finds it.
    const client = readFileSync(path.join(dir, "client.ts"), "utf8");
    expect(client.split("\n").slice(0, 3)).toContain(NOCHECK);
    expect(client).toContain("validate: validateFineTuningJob,");
    writeFileSync(path.join(dir, "broken.ts"), client.replace("validate: validateFineTuningJob,", "validate: 42,"));
    writeFileSync(path.join(dir, "user.ts"), `import { retrieveFineTuningJob } from "./broken";\nexport const id: Promise<string> = retrieveFineTuningJob("x").then((job) => job.id);\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const userBuild = (files: string[]): string[] =>
    ts.getPreEmitDiagnostics(ts.createProgram(files, STRICT_OPTIONS)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, " "));

  test.each([
    { given: "a user's build (the line kept)", check: userBuild, want: [] },
    { given: "openapi-morph's tests (the line removed)", check: typeCheck, want: [expect.stringMatching(/broken\.ts:\d+: Type 'number' is not assignable/)] },
  ])("a wrong body: $given", ({ check, want }) => {
    expect(check([path.join(dir, "user.ts")])).toEqual(want);
  });

  test.each(["generated", "generated/fine-tuning-all"])("%s compiles under the strictest flags users turn on", (dir) => {
    expect(typeCheck([path.join(ROOT, dir, "index.ts")], STRICTEST_OPTIONS)).toEqual([]);
  });
});
