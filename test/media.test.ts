import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import * as example from "../examples/fine-tuning-workflow";
import * as WorkflowClient from "../generated/fine-tuning-workflow";
import { specToIr } from "../generator/index";
import { cli } from "./helpers/cli";
import { loadGenerated } from "./helpers/load";
import { startServer, type TestServer } from "./helpers/server";
import { ROOT } from "./helpers/spec";
import { EQUAL, STRICTEST_OPTIONS, typeCheck } from "./helpers/tsc";
import { checkFineTuningWorkflow } from "./helpers/workflow";

/**
 * Request and response media and security schemes, from `test/fixtures/media/openapi.yaml`
 * (one operation per behaviour): what the IR decides, the types the client gets, and what the
 * generated client sends to and reads from a 127.0.0.1 server; and the README's fine-tuning
 * workflow (`examples/fine-tuning-workflow.ts`).
 */

const FIXTURE = path.join(ROOT, "test", "fixtures", "media", "openapi.yaml");
const EXAMPLE = path.join(ROOT, "examples", "fine-tuning-workflow.ts");
let tmp: string;
let out: string;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-media-"));
  out = path.join(tmp, "out");
  const result = await cli("generate", FIXTURE, "-o", out, "--quiet");
  expect([result.code, result.stderr]).toEqual([0, ""]);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("the IR", () => {
  const ir = specToIr(FIXTURE);
  const row = (name: string) => {
    const op = ir.operations.find((o) => o.name === name)!;
    return [op.requestBody?.kind, op.requestBody?.contentType, op.response.kind, op.security, op.unsupported];
  };
  test.each<[string, unknown[]]>([
    ["createUpload", ["multipart", "multipart/form-data", "json", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["createCharge", ["form", "application/x-www-form-urlencoded", "json", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["deleteCharge", [undefined, undefined, "void", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["putBlob", ["raw", "application/octet-stream", "text", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["createNote", ["json", "application/json", "json", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["getImage", [undefined, undefined, "binary", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["downloadContent", [undefined, undefined, "text", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["getReport", [undefined, undefined, "text", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["createSpeech", ["json", "application/json", "binary", [["bearerAuth"], ["basicAuth"]], undefined]],
    ["withOauth", [undefined, undefined, "void", [["oauth"], ["headerKey"]], undefined]],
    ["withoutAuth", [undefined, undefined, "void", [], undefined]],
    ["optionalAuth", [undefined, undefined, "void", [[], ["bearerAuth"]], undefined]],
    ["withDigest", [undefined, undefined, "void", [], undefined]],
  ])("%s", (name, want) => {
    expect(row(name)).toEqual(want);
  });

  test("security schemes get option names from their kind and name; one the client cannot apply is a warning", () => {
    expect(ir.securitySchemes.map((s) => [s.name, s.type, s.in, s.parameter, s.option, s.env])).toEqual([
      ["bearerAuth", "bearer", undefined, undefined, "apiKey", "MEDIA_TEST_API_KEY"],
      ["basicAuth", "basic", undefined, undefined, "username", undefined],
      ["headerKey", "apiKey", "header", "X-API-Key", "headerKey", "MEDIA_TEST_HEADER_KEY"],
      ["queryKey", "apiKey", "query", "api_key", "queryKey", "MEDIA_TEST_QUERY_KEY"],
      ["cookieKey", "apiKey", "cookie", "session", "cookieKey", "MEDIA_TEST_COOKIE_KEY"],
      ["oauth", "bearer", undefined, undefined, "accessToken", undefined],
    ]);
    expect(ir.warnings.filter((w) => w.pointer.startsWith("#/components/securitySchemes"))).toEqual([
      { pointer: "#/components/securitySchemes/digestAuth", message: "http digest authentication is not applied by the client: set its header with the headers option" },
    ]);
  });

  test("the body's encoding and the media types not used are recorded", () => {
    const note = ir.operations.find((o) => o.name === "createNote")!;
    expect(note.requestBody?.otherContentTypes).toEqual(["text/plain"]);
    const upload = ir.operations.find((o) => o.name === "createUpload")!;
    expect(upload.requestBody?.encoding).toEqual([{ property: "file", contentType: "application/jsonl" }]);
  });
});

test("types: multipart and form bodies, void for a 204, Blob for bytes, string for text, open string enums; the example compiles", () => {
  const file = path.join(tmp, "media.types.ts");
  const FILE = "Blob | File | Uint8Array | ArrayBuffer | ReadableStream | AsyncIterable<Uint8Array>";
  writeFileSync(
    file,
    [
      `import * as M from ${JSON.stringify(path.join(out, "index"))};`,
      EQUAL,
      `export const upload: Equal<M.Upload, { file: ${FILE}; extra?: (${FILE})[]; purpose: "fine-tune" | "batch"; options?: M.UploadOptions }> = true;`,
      `export const uploadArgs: Equal<Parameters<typeof M.createUpload>, [body: M.Upload, options?: M.RequestOptions]> = true;`,
      `export const charge: Equal<M.CreateChargeBody, { amount: number; currency?: string; metadata?: { [key: string]: string }; expand?: string[] }> = true;`,
      `export const chargeArgs: Equal<Parameters<typeof M.createCharge>, [body?: M.CreateChargeBody, options?: M.RequestOptions]> = true;`,
      `export const deleted: Equal<ReturnType<typeof M.deleteCharge>, Promise<void>> = true;`,
      `export const image: Equal<ReturnType<typeof M.getImage>, Promise<Blob>> = true;`,
      `export const speech: Equal<ReturnType<typeof M.createSpeech>, Promise<Blob>> = true;`,
      `export const speechEvents: Equal<ReturnType<typeof M.createSpeechStream>, Promise<M.EventStream<M.Charge>>> = true;`,
      `export const blob: Equal<Parameters<typeof M.putBlob>[0], Blob | Uint8Array | ArrayBuffer | ReadableStream | string> = true;`,
      `export const checksum: Equal<ReturnType<typeof M.putBlob>, Promise<string>> = true;`,
      `export const content: Equal<ReturnType<typeof M.downloadContent>, Promise<string>> = true;`,
      `export const raw: Equal<ReturnType<typeof M.getImage.asResponse>, Promise<Response>> = true;`,
      `export const model: Equal<M.Model, (string & {}) | "small" | "large"> = true;`,
      `export const anyModel: M.Model = "medium";`,
      `// @ts-expect-error a file part is not a string`,
      `export const notAFile: M.Upload = { file: "path/to/file", purpose: "batch" };`,
      `export const options: M.ClientOptions = { username: "u", password: "p", accessToken: async () => "t", credentials: { headerKey: "k" }, idempotencyHeader: "Idempotency-Key" };`,
      "",
    ].join("\n"),
  );
  // One program with the README's example (examples/fine-tuning-workflow.ts), which needs Node's types.
  expect(typeCheck([file, EXAMPLE], { ...STRICTEST_OPTIONS, types: ["node"] })).toEqual([]);
});

test("the fine-tuning workflow example runs end to end on the committed client of spec/fine-tuning-workflow.yaml", async () => {
  // real-spec.test.ts runs the same checks on the client generated from the whole OpenAI spec.
  await checkFineTuningWorkflow(WorkflowClient, example);
});

describe("the generated client against a server", () => {
  let server: TestServer;
  let M: any;
  const seen: { method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }[] = [];
  let reply: (url: string) => { status?: number; type?: string; body?: string | Buffer } = () => ({ body: "{}" });
  beforeAll(async () => {
    M = loadGenerated(out);
    server = await startServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) });
        const r = reply(req.url ?? "");
        res.writeHead(r.status ?? 200, { "content-type": r.type ?? "application/json" });
        res.end(r.body ?? "");
      });
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    seen.length = 0;
    reply = () => ({ body: JSON.stringify({ id: "ch_1", status: "pending" }) });
  });
  const client = (extra: object = {}) => M.createClient({ baseURL: server.baseURL, apiKey: "sk_test_1", maxRetries: 0, ...extra });

  test("a form-encoded create sends exactly the body Stripe documents", async () => {
    await client().createCharge({ amount: 2000, currency: "usd", metadata: { order_id: "6735" }, expand: ["customer", "invoice"] });
    expect(seen[0].headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(seen[0].body.toString()).toBe("amount=2000&currency=usd&metadata%5Border_id%5D=6735&expand%5B%5D=customer&expand%5B%5D=invoice");
  });

  test("a GET's form body goes into the query string", async () => {
    reply = () => ({ body: "[]" });
    await client().listCharges({ limit: 3, body: { expand: ["data.customer"] } });
    expect([seen[0].url, seen[0].body.length]).toEqual(["/v1/charges?limit=3&expand%5B%5D=data.customer", 0]);
  });

  test("multipart parts honour the spec's encoding", async () => {
    await client().createUpload({ file: new Uint8Array([123, 125, 10]), purpose: "fine-tune", options: { retries: 2 } });
    const form = await new Response(new Uint8Array(seen[0].body), { headers: { "content-type": String(seen[0].headers["content-type"]) } }).formData();
    const file = form.get("file") as File;
    expect([file.type, await file.text(), form.get("purpose")]).toEqual(["application/jsonl", "{}\n", "fine-tune"]);
    expect(JSON.parse(await (form.get("options") as Blob).text())).toEqual({ retries: 2 });
  });

  test.each<[string, () => Promise<unknown>, { type: string; body: string | Buffer; status?: number }, unknown]>([
    ["a 204 is undefined", () => client().deleteCharge("ch_1"), { type: "application/json", body: "", status: 204 }, undefined],
    ["text/plain is the text", () => client().putBlob("raw bytes"), { type: "text/plain", body: "abc123" }, "abc123"],
    ["text/csv is the text", () => client().getReport(), { type: "text/csv", body: "a,b\n1,2\n" }, "a,b\n1,2\n"],
    ["declared JSON, answered JSONL: the text", () => client().downloadContent("f"), { type: "application/jsonl", body: '{"a":1}\n{"a":2}\n' }, '{"a":1}\n{"a":2}\n'],
  ])("%s", async (_n, call, r, want) => {
    reply = () => r;
    expect(await call()).toEqual(want);
  });

  test("bytes come back as a Blob, or unread through asResponse", async () => {
    const png = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10, 0, 255]);
    reply = () => ({ type: "image/png", body: png });
    const blob: Blob = await client().getImage("i1");
    expect([blob.type, Buffer.from(await blob.arrayBuffer()).equals(png)]).toEqual(["image/png", true]);
    const response: Response = await client().getImage.asResponse("i1");
    expect(Buffer.from(await response.arrayBuffer()).equals(png)).toBe(true);
    expect(seen[0].headers["content-type"]).toBeUndefined();
  });

  test("an enum value the spec does not list yet passes validate: true", async () => {
    reply = () => ({ body: JSON.stringify({ id: "ch_1", status: "refunded" }) });
    expect(await client({ validate: true }).createCharge({ amount: 1 })).toEqual({ id: "ch_1", status: "refunded" });
  });

  test.each<[string, string, object, (r: (typeof seen)[number]) => unknown, unknown]>([
    ["API default: bearer", "createCharge", {}, (r) => r.headers.authorization, "Bearer sk_test_1"],
    ["API default, second alternative: basic", "createCharge", { apiKey: undefined, username: "sk_test_2", password: "" }, (r) => r.headers.authorization, `Basic ${Buffer.from("sk_test_2:").toString("base64")}`],
    ["apiKey header, under its own name", "withHeaderKey", { credentials: { headerKey: "hk" } }, (r) => [r.headers["x-api-key"], r.headers.authorization], ["hk", undefined]],
    ["apiKey query", "withQueryKey", { credentials: { queryKey: "qk" } }, (r) => r.url, "/v1/auth/query?api_key=qk"],
    ["apiKey cookie", "withCookieKey", { credentials: { cookieKey: "ck" } }, (r) => r.headers.cookie, "session=ck"],
    ["oauth2 access token, tried first", "withOauth", { accessToken: () => Promise.resolve("at"), credentials: { headerKey: "hk" } }, (r) => [r.headers.authorization, r.headers["x-api-key"]], ["Bearer at", undefined]],
    ["oauth2 missing: the next alternative", "withOauth", { credentials: { headerKey: "hk" } }, (r) => [r.headers.authorization, r.headers["x-api-key"]], [undefined, "hk"]],
    ["security: [] sends nothing", "withoutAuth", {}, (r) => r.headers.authorization, undefined],
    ["an empty requirement first sends nothing", "optionalAuth", {}, (r) => r.headers.authorization, undefined],
  ])("%s", async (_n, fn, extra, read, want) => {
    reply = () => ({ status: fn === "createCharge" ? 200 : 204, body: fn === "createCharge" ? JSON.stringify({ id: "x" }) : "" });
    await client(extra)[fn](...(fn === "createCharge" ? [{ amount: 1 }] : []));
    expect(read(seen[0])).toEqual(want);
  });
});
