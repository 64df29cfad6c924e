import type http from "node:http";
import { Readable } from "node:stream";
import {
  APIResponseValidationError,
  InternalServerError,
  MissingAPIKeyError,
  callOperation,
  encodeForm,
  paginate,
  rawOperation,
  toFile,
  type ClientOptions,
  type OperationSpec,
  type RuntimeDefaults,
  type ValidationResult,
} from "../templates/runtime";
import { startServer, type TestServer } from "./helpers/server";
import { caught } from "./helpers/caught";

/**
 * The runtime's request bodies (multipart, form, raw), response readers, `asResponse`,
 * authentication from security schemes, idempotency keys and the pagination cursor set, against
 * a 127.0.0.1 server that records every request's raw bytes.
 */

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

type Answer = (req: Received, hit: number) => { status?: number; type?: string; body?: string | Buffer; headers?: Record<string, string> };

let server: TestServer;
let answer: Answer = () => ({ body: "{}" });
const received: Received[] = [];

beforeAll(async () => {
  server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r: Received = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks) };
      received.push(r);
      const a = answer(r, received.length - 1);
      res.writeHead(a.status ?? 200, { "content-type": a.type ?? "application/json", ...a.headers });
      res.end(a.body ?? "");
    });
  });
});
afterAll(() => server.close());
beforeEach(() => {
  received.length = 0;
  answer = () => ({ body: "{}" });
});

const defaults = (): RuntimeDefaults => ({ baseURL: server.baseURL, auth: "none" });
const opts = (extra: ClientOptions = {}): ClientOptions => ({ maxRetries: 0, ...extra });
const post = (extra: Partial<OperationSpec<unknown>>): OperationSpec<unknown> => ({ method: "POST", path: "/things", ...extra });

/** The request's parts, parsed by the platform (as a server framework would). */
async function partsOf(r: Received): Promise<FormData> {
  return new Response(new Uint8Array(r.body), { headers: { "content-type": String(r.headers["content-type"]) } }).formData();
}

describe("multipart bodies", () => {
  const bytes = new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256));

  test.each<[string, () => unknown, string]>([
    ["a Blob", () => new Blob([bytes], { type: "application/jsonl" }), "file"],
    ["a File keeps its name", () => new File([bytes], "train.jsonl", { type: "application/jsonl" }), "train.jsonl"],
    ["a Uint8Array", () => bytes, "file"],
    ["an ArrayBuffer", () => bytes.slice().buffer, "file"],
    ["a web ReadableStream", () => new Blob([bytes]).stream(), "file"],
    ["a Node stream", () => Readable.from([Buffer.from(bytes.subarray(0, 1000)), Buffer.from(bytes.subarray(1000))]), "file"],
  ])("the file part from %s carries the bytes exactly, beside the scalar fields", async (_given, make, name) => {
    await callOperation(defaults(), post({ bodyType: "multipart", body: { file: make(), purpose: "fine-tune", n: 2 } }), opts());
    const form = await partsOf(received[0]);
    const file = form.get("file") as File;
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(bytes);
    expect(file.name).toBe(name);
    expect([form.get("purpose"), form.get("n")]).toEqual(["fine-tune", "2"]);
    expect(received[0].headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
  });

  test("arrays repeat the part, objects are JSON parts, encoding sets a part's media type, undefined is left out", async () => {
    const body = {
      image: [new Blob(["a"]), new Blob(["b"])],
      tags: ["x", "y"],
      meta: { a: 1, nested: { b: [true] } },
      audio: new Uint8Array([1, 2, 3]),
      skipped: undefined,
    };
    await callOperation(defaults(), post({ bodyType: "multipart", body, encoding: { audio: { contentType: "audio/wav" } } }), opts());
    const form = await partsOf(received[0]);
    expect(await Promise.all(form.getAll("image").map((f) => (f as Blob).text()))).toEqual(["a", "b"]);
    expect(form.getAll("tags")).toEqual(["x", "y"]);
    const meta = form.get("meta") as Blob;
    expect([meta.type, JSON.parse(await meta.text())]).toEqual(["application/json", { a: 1, nested: { b: [true] } }]);
    expect((form.get("audio") as Blob).type).toBe("audio/wav");
    expect(form.has("skipped")).toBe(false);
  });

  test("a retried upload sends the same bytes again, even from a stream", async () => {
    answer = (_r, hit) => (hit === 0 ? { status: 500, body: "{}", headers: { "retry-after-ms": "0" } } : { body: "{}" });
    const source = Readable.from([Buffer.from("line 1\n"), Buffer.from("line 2\n")]);
    await callOperation(defaults(), post({ bodyType: "multipart", body: { file: source } }), opts({ maxRetries: 1 }));
    expect(received).toHaveLength(2);
    const texts = await Promise.all(received.map(async (r) => ((await partsOf(r)).get("file") as Blob).text()));
    expect(texts).toEqual(["line 1\nline 2\n", "line 1\nline 2\n"]);
  });

  test("toFile names and types any content, reading streams once", async () => {
    const file = await toFile(Readable.from([Buffer.from("{}\n")]), "a.jsonl", { type: "application/jsonl" });
    expect([file.name, file.type, await file.text()]).toEqual(["a.jsonl", "application/jsonl", "{}\n"]);
    const fromBytes = await toFile(new Uint8Array([104, 105]), "hi.txt");
    expect([fromBytes.name, await fromBytes.text()]).toEqual(["hi.txt", "hi"]);
  });
});

describe("form bodies", () => {
  test.each<[string, unknown, Record<string, any> | undefined, string]>([
    ["Stripe's nested metadata and expand[]", { amount: 2000, currency: "usd", metadata: { order_id: "6735" }, expand: ["customer", "invoice"] }, { metadata: { style: "deepObject", explode: true }, expand: { style: "deepObject", explode: true } }, "amount=2000&currency=usd&metadata[order_id]=6735&expand[]=customer&expand[]=invoice"],
    ["arrays of objects get indexes", { items: [{ price: "p_1", quantity: 2 }] }, undefined, "items[0][price]=p_1&items[0][quantity]=2"],
    ["objects without an encoding take brackets too", { address: { city: "Paris" } }, undefined, "address[city]=Paris"],
    ["form, exploded (the default) repeats an array", { ids: [1, 2] }, undefined, "ids=1&ids=2"],
    ["form, not exploded, joins it", { ids: [1, 2] }, { ids: { style: "form", explode: false } }, "ids=1,2"],
    ["pipeDelimited", { ids: [1, 2] }, { ids: { style: "pipeDelimited", explode: false } }, "ids=1|2"],
    ["null and undefined are left out, booleans spelled", { a: null, b: undefined, c: false }, undefined, "c=false"],
    ["reserved characters are escaped", { q: "a&b=c d" }, undefined, "q=a%26b%3Dc+d"],
  ])("%s", (_name, body, encoding, want) => {
    // `want` is written unescaped, but for the row about escaping.
    const encoded = encodeForm(body, encoding);
    expect(/escaped/.test(_name) ? encoded : decodeURIComponent(encoded)).toBe(want);
  });

  test("is sent with its media type; a GET sends it as the query string", async () => {
    await callOperation(defaults(), post({ bodyType: "form", body: { a: "1" } }), opts());
    expect([received[0].headers["content-type"], received[0].body.toString()]).toEqual(["application/x-www-form-urlencoded", "a=1"]);
    await callOperation(defaults(), { method: "GET", path: "/things", bodyType: "form", body: { expand: ["x"] }, encoding: { expand: { style: "deepObject" } }, query: [{ name: "limit", value: 3 }] }, opts());
    expect([received[1].url, received[1].body.length]).toEqual(["/v1/things?limit=3&expand%5B%5D=x", 0]);
  });
});

describe("raw bodies", () => {
  test.each<[string, () => unknown, string | undefined, string]>([
    ["a string with the spec's media type", () => "hello", "text/plain", "text/plain"],
    ["bytes", () => new Uint8Array([1, 2]), "application/octet-stream", "application/octet-stream"],
    ["a Blob under a wildcard media type keeps its own", () => new Blob(["x"], { type: "image/png" }), "image/*", "image/png"],
  ])("%s", async (_n, make, contentType, want) => {
    await callOperation(defaults(), post({ bodyType: "raw", body: make(), ...(contentType ? { contentType } : {}) }), opts());
    expect(received[0].headers["content-type"]).toBe(want);
  });

  test("a web stream is sent once: a failure that would be retried says why it was not", async () => {
    answer = () => ({ status: 500, body: JSON.stringify({ error: { message: "boom" } }) });
    const error = await caught<any>(callOperation(defaults(), post({ bodyType: "raw", body: new Blob(["abc"]).stream() }), opts({ maxRetries: 2 })));
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error.message).toBe("boom (not retried: the request body is a ReadableStream, which can be sent only once; pass a Blob, a Uint8Array or toFile(…) to allow retries)");
    expect(received.map((r) => r.body.toString())).toEqual(["abc"]);
  });
});

describe("responses", () => {
  test.each<[string, OperationSpec<unknown>["responseType"], { type: string; body: string | Buffer; status?: number }, unknown]>([
    ["text: the body's text", "text", { type: "text/csv", body: "a,b\n1,2\n" }, "a,b\n1,2\n"],
    ["string: a JSONL file is never parsed", "string", { type: "application/jsonl", body: '{"a":1}\n{"a":2}\n' }, '{"a":1}\n{"a":2}\n'],
    ["string: a one-line JSONL file is its text too", "string", { type: "application/octet-stream", body: '{"a":1}' }, '{"a":1}'],
    ["string: a JSON string answer is parsed", "string", { type: "application/json", body: '"hi"' }, "hi"],
    ["string: JSON that is not a string stays text", "string", { type: "application/json", body: '{"a":1}' }, '{"a":1}'],
    ["void: a 204", "void", { type: "application/json", body: "", status: 204 }, undefined],
    ["void: a body is dropped", "void", { type: "application/json", body: '{"x":1}' }, undefined],
    ["json: an empty body", "json", { type: "application/json", body: "" }, undefined],
  ])("%s", async (_n, responseType, reply, want) => {
    answer = () => reply;
    const { data } = await callOperation(defaults(), { method: "GET", path: "/x", ...(responseType ? { responseType } : {}) }, opts());
    expect(data).toEqual(want);
  });

  test("binary: a Blob with the bytes and their media type; asResponse gives the unread Response", async () => {
    const bytes = Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 7919) % 256));
    answer = () => ({ type: "audio/mpeg", body: bytes });
    const { data } = await callOperation(defaults(), { method: "GET", path: "/speech", responseType: "binary" }, opts());
    const blob = data as Blob;
    expect([blob.type, Buffer.from(await blob.arrayBuffer()).equals(bytes)]).toEqual(["audio/mpeg", true]);
    const response = await rawOperation(defaults(), { method: "GET", path: "/speech", responseType: "binary" }, opts());
    expect(response.bodyUsed).toBe(false);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });

  test("asResponse still throws the status error of a failure", async () => {
    answer = () => ({ status: 404, body: JSON.stringify({ error: { message: "No such file" } }) });
    const error = await caught<any>(rawOperation(defaults(), { method: "GET", path: "/x" }, opts()));
    expect([error.name, error.message]).toEqual(["NotFoundError", "No such file"]);
  });
});

describe("authentication from security schemes", () => {
  const schemes: RuntimeDefaults["schemes"] = {
    bearerAuth: { type: "bearer", option: "apiKey" },
    basicAuth: { type: "basic", option: "username" },
    headerKey: { type: "apiKey", in: "header", name: "X-API-Key", option: "headerKey" },
    queryKey: { type: "apiKey", in: "query", name: "api_key", option: "queryKey" },
    cookieKey: { type: "apiKey", in: "cookie", name: "session", option: "cookieKey" },
    oauth: { type: "bearer", option: "accessToken" },
  };
  const secured = (security: string[][]): RuntimeDefaults => ({ baseURL: server.baseURL, schemes, security });

  test.each<[string, string[][], ClientOptions, { header?: [string, string]; url?: string; absent?: string }]>([
    ["http bearer", [["bearerAuth"]], { apiKey: "k1" }, { header: ["authorization", "Bearer k1"] }],
    ["http basic", [["basicAuth"]], { username: "ü", password: "p:w" }, { header: ["authorization", `Basic ${Buffer.from("ü:p:w").toString("base64")}`] }],
    ["apiKey in a header, under its own name, never as Bearer", [["headerKey"]], { credentials: { headerKey: "k2" } }, { header: ["x-api-key", "k2"], absent: "authorization" }],
    ["apiKey in the query", [["queryKey"]], { credentials: { queryKey: "k 3" } }, { url: "/v1/x?api_key=k+3", absent: "authorization" }],
    ["apiKey in a cookie", [["cookieKey"]], { credentials: { cookieKey: "k4" } }, { header: ["cookie", "session=k4"] }],
    ["oauth2 with an async token", [["oauth"]], { accessToken: async () => "tok" }, { header: ["authorization", "Bearer tok"] }],
    ["alternatives in order: the first one the options meet", [["headerKey"], ["bearerAuth"]], { apiKey: "k1" }, { header: ["authorization", "Bearer k1"], absent: "x-api-key" }],
    ["schemes needed together", [["headerKey", "queryKey"]], { credentials: { headerKey: "a", queryKey: "b" } }, { header: ["x-api-key", "a"], url: "/v1/x?api_key=b" }],
    ["an empty requirement means none", [[], ["bearerAuth"]], { apiKey: "k1" }, { absent: "authorization" }],
  ])("%s", async (_n, security, given, want) => {
    await callOperation(secured(security), { method: "GET", path: "/x" }, opts(given));
    const r = received[0];
    if (want.header) expect(r.headers[want.header[0]]).toBe(want.header[1]);
    if (want.url) expect(r.url).toBe(want.url);
    if (want.absent) expect(r.headers[want.absent]).toBeUndefined();
  });

  test("the access token function is called for every request", async () => {
    let n = 0;
    const accessToken = () => `t${++n}`;
    await callOperation(secured([["oauth"]]), { method: "GET", path: "/x" }, opts({ accessToken }));
    await callOperation(secured([["oauth"]]), { method: "GET", path: "/x" }, opts({ accessToken }));
    expect(received.map((r) => r.headers.authorization)).toEqual(["Bearer t1", "Bearer t2"]);
  });

  test("an operation's own requirement wins; nothing given names every way, never a secret", async () => {
    const error = await caught<any>(callOperation(secured([["bearerAuth"]]), { method: "GET", path: "/x", security: [["headerKey"], ["basicAuth"]] }, opts()));
    expect(error).toBeInstanceOf(MissingAPIKeyError);
    expect(error.message).toBe('GET /x needs credentials: pass credentials: { headerKey: "…" }, or the username and password options.');
    expect(received).toHaveLength(0);
  });

  test("a credential echoed by the server is redacted from errors", async () => {
    answer = (r) => ({ status: 400, body: JSON.stringify({ error: { message: `bad key ${r.headers["x-api-key"]}` } }) });
    const error = await caught<any>(callOperation(secured([["headerKey"]]), { method: "GET", path: "/x" }, opts({ credentials: { headerKey: "sekrit-123" } })));
    expect(error.message).toBe("bad key [redacted]");
  });
});

describe("idempotency keys", () => {
  test("one automatic key per call, resent on its retries; none for GET; a given key wins", async () => {
    answer = (_r, hit) => (hit === 0 ? { status: 500, body: "{}", headers: { "retry-after-ms": "0" } } : { body: "{}" });
    await callOperation(defaults(), post({ body: {} }), opts({ idempotencyHeader: "Idempotency-Key", maxRetries: 1 }));
    const [first, retry] = received.map((r) => r.headers["idempotency-key"]);
    expect(first).toMatch(/^openapi-morph-retry-/);
    expect(retry).toBe(first);
    await callOperation(defaults(), post({ body: {} }), opts({ idempotencyHeader: "Idempotency-Key" }));
    expect(received[2].headers["idempotency-key"]).not.toBe(first);
    await callOperation(defaults(), { method: "GET", path: "/x" }, opts({ idempotencyHeader: "Idempotency-Key" }));
    expect(received[3].headers["idempotency-key"]).toBeUndefined();
    await callOperation(defaults(), post({}), opts({ idempotencyKey: "mine" }));
    expect(received[4].headers["idempotency-key"]).toBe("mine");
  });
});

describe("forward compatibility", () => {
  const validate = (value: unknown): ValidationResult<unknown> =>
    (value as { status?: string }).status === "running"
      ? { ok: true, value }
      : { ok: false, errors: [{ path: "/status", message: `expected one of "running", got the string "paused"`, expected: '"running"' }] };

  test("a new enum value passes validate: true; 'warn' logs it and returns the data; other issues still throw", async () => {
    answer = () => ({ body: JSON.stringify({ status: "paused" }) });
    const op = { method: "GET" as const, path: "/job", validate };
    expect((await callOperation(defaults(), op, opts({ validate: true }))).data).toEqual({ status: "paused" });
    const warnings: string[] = [];
    const logger = { warn: (m: string) => warnings.push(m) };
    expect((await callOperation(defaults(), op, opts({ validate: "warn", logger }))).data).toEqual({ status: "paused" });
    expect(warnings).toEqual(['The response of GET /job does not match its schema: /status: expected one of "running", got the string "paused"']);
    const strict = { ...op, validate: () => ({ ok: false as const, errors: [{ path: "/id", message: "expected string, got number 1" }] }) };
    expect(await caught<any>(callOperation(defaults(), strict, opts({ validate: true })))).toBeInstanceOf(APIResponseValidationError);
  });

  test("pagination stops on any cursor it has sent before, not just the last one", async () => {
    const cursors = ["A", "B", "A", "B", "A"];
    const asked: (string | undefined)[] = [];
    const items: number[] = [];
    for await (const item of paginate(async (after) => {
      asked.push(after);
      return { items: [asked.length], more: true, next: cursors[asked.length - 1] };
    })) {
      items.push(item);
      if (items.length > 10) break;
    }
    expect(asked).toEqual([undefined, "A", "B"]);
    expect(items).toEqual([1, 2, 3]);
  });
});
