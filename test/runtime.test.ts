import http from "node:http";
import type { AddressInfo } from "node:net";

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
  MissingAPIKeyError,
  NotFoundError,
  OpenAPIMorphError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  callOperation,
  mergeOptions,
  readEvents,
  streamOperation,
  type ClientOptions,
  type ServerSentEvent,
  type OperationSpec,
  type QueryParam,
  type RuntimeDefaults,
  type ValidationResult,
} from "../templates/runtime";
import { caught } from "./helpers/caught";

// A scriptable server: each test registers what a path answers, and every request is recorded.

interface Received {
  method: string;
  rawPath: string;
  query: URLSearchParams;
  rawQuery: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, hit: number) => void;

// 8 characters or more: shorter keys are not redacted (see makeRedactor).
const KEY = "sk-test-key";
const ENV_NAME = "OPENAPI_MORPH_RUNTIME_TEST_KEY";

const routes = new Map<string, Handler>();
const received: Received[] = [];
let server: http.Server;
let baseURL = "";
let closedPortURL = "";

function route(path: string, handler: Handler): void {
  routes.set(path, handler);
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Handler {
  return (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };
}

/** Answers the scripted handlers in turn, repeating the last one. */
function sequence(...handlers: Handler[]): Handler {
  return (req, res, hit) => handlers[Math.min(hit, handlers.length - 1)](req, res, hit);
}

/** Never answers before `ms`, and forgets the request if the client goes away first. */
function delayed(ms: number, then: Handler): Handler {
  return (req, res, hit) => {
    const timer = setTimeout(() => then(req, res, hit), ms);
    res.on("close", () => clearTimeout(timer));
  };
}

function hitsTo(rawPath: string): number {
  return received.filter((r) => r.rawPath === rawPath).length;
}

const defaults = (): RuntimeDefaults => ({ baseURL, apiKeyEnv: ENV_NAME, auth: "bearer" });
const base = (extra: ClientOptions = {}): ClientOptions => ({ apiKey: KEY, maxRetries: 0, ...extra });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const raw = req.url ?? "/";
      const q = raw.indexOf("?");
      const rawPath = q === -1 ? raw : raw.slice(0, q);
      const rawQuery = q === -1 ? "" : raw.slice(q + 1);
      const hit = hitsTo(rawPath);
      received.push({ method: req.method ?? "", rawPath, query: new URLSearchParams(rawQuery), rawQuery, headers: req.headers, body });
      const handler = routes.get(rawPath);
      if (handler) handler(req, res, hit);
      else json(599, { error: { message: `no route for ${rawPath}` } })(req, res, hit);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;

  // A port that was just freed refuses connections.
  const spare = http.createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  closedPortURL = `http://127.0.0.1:${(spare.address() as AddressInfo).port}/v1`;
  await new Promise<void>((resolve) => spare.close(() => resolve()));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  routes.clear();
  received.length = 0;
});

const get = <T = unknown>(path: string, extra: Partial<OperationSpec<T>> = {}): OperationSpec<T> => ({
  method: "GET",
  path,
  ...extra,
});

describe("request building", () => {
  test("sends the auth, organization, project, accept and custom headers; null and undefined remove one", async () => {
    route("/v1/headers", json(200, { ok: true }, { "x-request-id": "req_headers" }));
    const client: ClientOptions = base({
      organization: "org-1",
      project: "proj-1",
      headers: { "X-Client": "client", "X-Drop-Null": "yes", "X-Drop-Undefined": "yes" },
    });
    const call: ClientOptions = { headers: { "x-custom": "custom", "x-drop-null": null, "X-Drop-Undefined": undefined } };

    const result = await callOperation(defaults(), get("/headers"), mergeOptions(client, call));

    expect(result.data).toEqual({ ok: true });
    expect(result.requestID).toBe("req_headers");
    expect(result.response.status).toBe(200);
    expect(received).toHaveLength(1);
    const h = received[0].headers;
    expect(received[0].method).toBe("GET");
    expect(h.authorization).toBe("Bearer sk-test-key");
    expect(h["openai-organization"]).toBe("org-1");
    expect(h["openai-project"]).toBe("proj-1");
    expect(h.accept).toBe("application/json");
    expect(h["x-client"]).toBe("client");
    expect(h["x-custom"]).toBe("custom");
    expect(h["x-drop-null"]).toBeUndefined();
    expect(h["x-drop-undefined"]).toBeUndefined();
    expect(h["content-type"]).toBeUndefined();
  });

  test.each([
    { given: "organization/project null", options: { organization: null, project: null }, absent: ["openai-organization", "openai-project"] },
    { given: "a null header over a runtime default", options: { organization: "org-1", headers: { "OpenAI-Organization": null } }, absent: ["openai-organization"] },
  ])("omits headers: $given", async ({ options, absent }) => {
    route("/v1/omit", json(200, {}));
    await callOperation(defaults(), get("/omit"), base(options));
    for (const name of absent) expect(received[0].headers[name]).toBeUndefined();
    expect(received[0].headers.authorization).toBe("Bearer sk-test-key");
  });

  test("a custom Authorization header overrides the bearer key", async () => {
    route("/v1/auth-override", json(200, {}));
    await callOperation(defaults(), get("/auth-override"), base({ headers: { Authorization: "Bearer other" } }));
    expect(received[0].headers.authorization).toBe("Bearer other");
  });

  test("auth none sends no Authorization and needs no key", async () => {
    route("/v1/open", json(200, { open: true }));
    const result = await callOperation({ baseURL, auth: "none" }, get("/open"), { maxRetries: 0 });
    expect(result.data).toEqual({ open: true });
    expect(received[0].headers.authorization).toBeUndefined();
  });

  test.each([
    { given: "a/b c", want: "/v1/files/a%2Fb%20c" },
    { given: "../files", want: "/v1/files/..%2Ffiles" },
    { given: "file-ü?x=1#y", want: "/v1/files/file-%C3%BC%3Fx%3D1%23y" },
    { given: 42, want: "/v1/files/42" },
  ])("encodes path parameter $given as $want", async ({ given, want }) => {
    route(want, json(200, { id: String(given) }));
    const result = await callOperation(defaults(), get("/files/{file_id}", { pathParams: { file_id: given } }), base());
    expect(result.data).toEqual({ id: String(given) });
    expect(received.map((r) => r.rawPath)).toEqual([want]);
  });

  test.each<{ given: string; pathParams: Record<string, string> | undefined; path?: string }>([
    { given: "an empty string", pathParams: { file_id: "" } },
    { given: "a missing parameter", pathParams: {} },
    { given: "no pathParams at all", pathParams: undefined },
    { given: "an inherited name", pathParams: {}, path: "/files/{constructor}" },
    { given: '".."', pathParams: { file_id: ".." } },
    { given: '"."', pathParams: { file_id: "." } },
  ])("rejects $given as a path parameter before sending anything", async ({ pathParams, path }) => {
    const fetchSpy = jest.fn(fetch);
    const err = await caught(
      callOperation(defaults(), get(path ?? "/files/{file_id}", { pathParams }), base({ fetch: fetchSpy })),
    );
    expect(err).toBeInstanceOf(OpenAPIMorphError);
    expect(err).not.toBeInstanceOf(APIError);
    expect((err as Error).message).toMatch(/Path parameter "(file_id|constructor)"/);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(received).toHaveLength(0);
  });

  test.each<{ given: string; query: QueryParam[]; want: Record<string, string[]> }>([
    {
      given: "form scalars; undefined and null skipped",
      query: [
        { name: "after", value: "ftjob-1" },
        { name: "limit", value: 20 },
        { name: "stream", value: false },
        { name: "skipped", value: undefined },
        { name: "nulled", value: null },
      ],
      want: { after: ["ftjob-1"], limit: ["20"], stream: ["false"] },
    },
    {
      given: "an array, exploded by default",
      query: [{ name: "ids", value: ["a", "b c"] }],
      want: { ids: ["a", "b c"] },
    },
    {
      given: "an array with explode false",
      query: [{ name: "ids", value: ["a", "b"], explode: false }],
      want: { ids: ["a,b"] },
    },
    {
      given: "a deepObject",
      query: [{ name: "metadata", value: { key: "value", "k 2": "x&y" }, style: "deepObject" }],
      want: { "metadata[key]": ["value"], "metadata[k 2]": ["x&y"] },
    },
    {
      given: "an exploded form object",
      query: [{ name: "filter", value: { role: "admin", active: true } }],
      want: { role: ["admin"], active: ["true"] },
    },
    {
      given: "characters that need encoding",
      query: [{ name: "q", value: "a+b=c&d é" }],
      want: { q: ["a+b=c&d é"] },
    },
  ])("serializes the query: $given", async ({ query, want }) => {
    route("/v1/query", json(200, {}));
    await callOperation(defaults(), get("/query", { query }), base());
    const got: Record<string, string[]> = {};
    for (const name of new Set(received[0].query.keys())) got[name] = received[0].query.getAll(name);
    expect(got).toEqual(want);
  });

  test("query strings are percent-encoded as the spec's style examples are (%20, delimiters as they are)", async () => {
    route("/v1/raw-query", json(200, {}));
    const query: QueryParam[] = [
      { name: "ids", value: ["a", "b"], explode: false },
      { name: "metadata", value: { key: "v w" }, style: "deepObject" },
      { name: "n", value: 1 },
    ];
    await callOperation(defaults(), get("/raw-query", { query }), base());
    expect(received[0].rawQuery).toBe("ids=a,b&metadata%5Bkey%5D=v%20w&n=1");
  });

  test("a trailing slash on baseURL is dropped and an empty query adds no '?'", async () => {
    route("/v1/slash", json(200, {}));
    await callOperation(defaults(), get("/slash", { query: [{ name: "x", value: undefined }] }), base({ baseURL: `${baseURL}//` }));
    expect(received.map((r) => [r.rawPath, r.rawQuery])).toEqual([["/v1/slash", ""]]);
  });

  test("sends a JSON body with its content type", async () => {
    route("/v1/jobs", json(200, { id: "ftjob-1", status: "queued" }));
    const body = { model: "gpt-4o-mini", hyperparameters: { n_epochs: 3 }, suffix: null, tags: ["a", "é"] };
    const result = await callOperation(defaults(), { method: "POST", path: "/jobs", body }, base());
    expect(result.data).toEqual({ id: "ftjob-1", status: "queued" });
    expect(received[0].method).toBe("POST");
    expect(received[0].headers["content-type"]).toBe("application/json");
    expect(JSON.parse(received[0].body)).toEqual(body);
  });

  test("a 204 with no body gives undefined data", async () => {
    route("/v1/empty", (_req, res) => {
      res.writeHead(204, { "x-request-id": "req_204" });
      res.end();
    });
    const result = await callOperation(defaults(), { method: "DELETE", path: "/empty" }, base());
    expect(result.data).toBeUndefined();
    expect(result.requestID).toBe("req_204");
  });

  test.each([
    { given: "a negative maxRetries", options: { maxRetries: -1 } },
    { given: "a fractional maxRetries", options: { maxRetries: 1.5 } },
    { given: "a NaN timeout", options: { timeout: Number.NaN } },
    { given: "a body on GET", options: {}, op: { method: "GET" as const, path: "/x", body: {} } },
  ])("rejects $given before sending anything", async ({ options, op }) => {
    const fetchSpy = jest.fn(fetch);
    const err = await caught(callOperation(defaults(), op ?? get("/x"), base({ ...options, fetch: fetchSpy })));
    expect(err).toBeInstanceOf(OpenAPIMorphError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe("API key", () => {
  const saved = process.env[ENV_NAME];
  afterEach(() => {
    if (saved === undefined) delete process.env[ENV_NAME];
    else process.env[ENV_NAME] = saved;
  });

  test.each([
    { given: "no option and no env var", env: undefined, apiKey: undefined },
    { given: "an empty env var", env: "  ", apiKey: undefined },
    { given: "an empty apiKey option", env: undefined, apiKey: "" },
  ])("throws MissingAPIKeyError before any request with $given", async ({ env, apiKey }) => {
    if (env === undefined) delete process.env[ENV_NAME];
    else process.env[ENV_NAME] = env;
    const fetchSpy = jest.fn(fetch);
    const options: ClientOptions = { fetch: fetchSpy };
    if (apiKey !== undefined) options.apiKey = apiKey;
    const err = await caught(callOperation(defaults(), get("/needs-key"), options));
    expect(err).toBeInstanceOf(MissingAPIKeyError);
    expect(err).toBeInstanceOf(OpenAPIMorphError);
    expect(err).not.toBeInstanceOf(APIError);
    expect((err as Error).name).toBe("MissingAPIKeyError");
    expect((err as Error).message).toContain(ENV_NAME);
    expect((err as Error).message).toContain("apiKey");
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test("reads the key from the env var the defaults name", async () => {
    process.env[ENV_NAME] = "sk-from-env";
    route("/v1/env-key", json(200, {}));
    await callOperation(defaults(), get("/env-key"), { maxRetries: 0 });
    expect(received[0].headers.authorization).toBe("Bearer sk-from-env");
  });

  test("the apiKey option wins over the env var", async () => {
    process.env[ENV_NAME] = "sk-from-env";
    route("/v1/option-key", json(200, {}));
    await callOperation(defaults(), get("/option-key"), base());
    expect(received[0].headers.authorization).toBe("Bearer sk-test-key");
  });
});

describe("errors by status", () => {
  const cases = [
    { status: 400, Class: BadRequestError, retried: false },
    { status: 401, Class: AuthenticationError, retried: false },
    { status: 403, Class: PermissionDeniedError, retried: false },
    { status: 404, Class: NotFoundError, retried: false },
    { status: 409, Class: ConflictError, retried: true },
    { status: 422, Class: UnprocessableEntityError, retried: false },
    { status: 429, Class: RateLimitError, retried: true },
    { status: 500, Class: InternalServerError, retried: true },
    { status: 503, Class: InternalServerError, retried: true },
    { status: 408, Class: APIError, retried: true },
    { status: 418, Class: APIError, retried: false },
  ];

  test.each(cases)("$status → $Class.name (retried: $retried)", async ({ status, Class, retried }) => {
    const error = { message: `server says ${status}`, type: "invalid_request_error", param: null, code: `code_${status}` };
    route(`/v1/status/${status}`, json(status, { error }, { "x-request-id": `req_${status}`, "retry-after-ms": "0" }));

    const err = await caught(callOperation(defaults(), get(`/status/${status}`), base({ maxRetries: 2 })));

    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(APIError);
    expect(err).toBeInstanceOf(OpenAPIMorphError);
    expect(err).not.toBeInstanceOf(APIConnectionError);
    const e = err as APIError;
    expect(e.name).toBe(Class.name);
    expect(e.status).toBe(status);
    expect(e.message).toBe(`server says ${status}`);
    expect(e.error).toEqual(error);
    expect(e.requestID).toBe(`req_${status}`);
    expect(e.headers?.["x-request-id"]).toBe(`req_${status}`);
    expect(e.headers?.["content-type"]).toBe("application/json");
    expect(hitsTo(`/v1/status/${status}`)).toBe(retried ? 3 : 1);
  });

  test.each([
    {
      given: "a JSON body without an error wrapper",
      handler: json(400, { detail: "bad" }),
      message: "400 Bad Request",
      error: { detail: "bad" },
    },
    {
      given: "a plain-text body and a status text",
      handler: ((_req, res) => {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("nothing here");
      }) as Handler,
      message: "404 Not Found",
      error: "nothing here",
    },
    {
      given: "a plain-text body and no status text",
      handler: ((_req, res) => {
        res.writeHead(404, "", { "content-type": "text/plain" });
        res.end("nothing   here\n");
      }) as Handler,
      message: "404 nothing here",
      error: "nothing   here\n",
    },
    {
      given: "a body whose top-level message is used",
      handler: json(422, { message: "top-level message" }),
      message: "top-level message",
      error: { message: "top-level message" },
    },
  ])("falls back sensibly for $given", async ({ handler, message, error }) => {
    route("/v1/fallback", handler);
    const err = (await caught(callOperation(defaults(), get("/fallback"), base()))) as APIError;
    expect(err).toBeInstanceOf(APIError);
    expect(err.message).toBe(message);
    expect(err.error).toEqual(error);
    expect(err.requestID).toBeNull();
  });

  test("a 200 whose body is not JSON is an APIError, not a SyntaxError", async () => {
    route("/v1/html", (_req, res) => {
      res.writeHead(200, { "content-type": "text/html", "x-request-id": "req_html" });
      res.end("<html>proxy login</html>");
    });
    const err = await caught(callOperation(defaults(), get("/html"), base()));
    expect(err).toBeInstanceOf(APIError);
    expect(err).not.toBeInstanceOf(SyntaxError);
    const e = err as APIError;
    expect(e.status).toBe(200);
    expect(e.requestID).toBe("req_html");
    expect(e.message).toMatch(/not JSON/);
    expect(e.message).toContain("text/html");
    expect(e.message).toContain("<html>proxy login</html>");
  });

  test("a 200 that streams server-sent events is an APIError naming text/event-stream", async () => {
    route("/v1/sse", (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"delta":"a"}\n\n');
      res.end("data: [DONE]\n\n");
    });
    const err = await caught(callOperation(defaults(), get("/sse"), base()));
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toMatch(/200 with a body that is not JSON \(text\/event-stream\)/);
  });
});

describe("retries", () => {
  test.each<{ given: string; headers: Record<string, string>; min: number; max: number }>([
    { given: "retry-after: 0", headers: { "retry-after": "0" }, min: 0, max: 300 },
    { given: "retry-after-ms: 0", headers: { "retry-after-ms": "0" }, min: 0, max: 300 },
    { given: "retry-after-ms: 150", headers: { "retry-after-ms": "150" }, min: 140, max: 360 },
    { given: "retry-after: 0.2 (seconds)", headers: { "retry-after": "0.2" }, min: 190, max: 370 },
    { given: "retry-after-ms over retry-after", headers: { "retry-after-ms": "0", "retry-after": "30" }, min: 0, max: 300 },
  ])("429 with $given then 200: two requests, honouring the delay", async ({ headers, min, max }) => {
    route("/v1/limited", sequence(json(429, { error: { message: "slow down" } }, headers), json(200, { done: true })));
    const started = Date.now();
    const result = await callOperation(defaults(), get("/limited"), base({ maxRetries: 2 }));
    const elapsed = Date.now() - started;
    expect(result.data).toEqual({ done: true });
    expect(hitsTo("/v1/limited")).toBe(2);
    // The default backoff is at least 375 ms, so staying under `max` proves the hint was used.
    expect(elapsed).toBeGreaterThanOrEqual(min);
    expect(elapsed).toBeLessThan(max);
  });

  test("x-should-retry: false stops a 500 from being retried", async () => {
    route("/v1/no-retry", json(500, { error: { message: "fatal" } }, { "x-should-retry": "false", "retry-after-ms": "0" }));
    const err = await caught(callOperation(defaults(), get("/no-retry"), base({ maxRetries: 2 })));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(hitsTo("/v1/no-retry")).toBe(1);
  });

  test("x-should-retry: true retries a 400", async () => {
    route(
      "/v1/do-retry",
      sequence(json(400, { error: { message: "try again" } }, { "x-should-retry": "true", "retry-after-ms": "0" }), json(200, { ok: 1 })),
    );
    const result = await callOperation(defaults(), get("/do-retry"), base({ maxRetries: 1 }));
    expect(result.data).toEqual({ ok: 1 });
    expect(hitsTo("/v1/do-retry")).toBe(2);
  });

  test.each([0, 1, 3])("a persistent 500 with maxRetries %i makes maxRetries + 1 requests", async (maxRetries) => {
    route("/v1/down", json(500, { error: { message: "down" } }, { "retry-after-ms": "0", "x-request-id": "req_down" }));
    const err = (await caught(callOperation(defaults(), get("/down"), base({ maxRetries })))) as APIError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.requestID).toBe("req_down");
    expect(hitsTo("/v1/down")).toBe(maxRetries + 1);
  });

  test("retries are sent with the same method, headers and body", async () => {
    route("/v1/post-retry", sequence(json(503, {}, { "retry-after-ms": "0" }), json(200, { ok: true })));
    await callOperation(defaults(), { method: "POST", path: "/post-retry", body: { n: 1 } }, base({ maxRetries: 1 }));
    expect(received.map((r) => [r.method, r.body, r.headers.authorization])).toEqual([
      ["POST", '{"n":1}', "Bearer sk-test-key"],
      ["POST", '{"n":1}', "Bearer sk-test-key"],
    ]);
  });
});

describe("timeouts, aborts and connection failures", () => {
  test("a slow server raises APIConnectionTimeoutError", async () => {
    route("/v1/slow", delayed(2000, json(200, {})));
    const started = Date.now();
    const err = await caught(callOperation(defaults(), get("/slow"), base({ timeout: 50 })));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).toBeInstanceOf(APIError);
    const e = err as APIError;
    expect(e.name).toBe("APIConnectionTimeoutError");
    expect(e.status).toBeUndefined();
    expect(e.message).toBe("Request timed out.");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(hitsTo("/v1/slow")).toBe(1);
  });

  test("a timeout is retried, then raised", async () => {
    route("/v1/slow-retry", delayed(2000, json(200, {})));
    const err = await caught(callOperation(defaults(), get("/slow-retry"), base({ timeout: 50, maxRetries: 1 })));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(hitsTo("/v1/slow-retry")).toBe(2);
  });

  test("a server that stalls mid-body also times out", async () => {
    route("/v1/stall", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial":');
    });
    const err = await caught(callOperation(defaults(), get("/stall"), base({ timeout: 100 })));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test.each([0, 2])("the caller aborting mid-request raises APIUserAbortError without retrying (maxRetries %i)", async (maxRetries) => {
    route("/v1/abort", delayed(2000, json(200, {})));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const started = Date.now();
    const err = await caught(callOperation(defaults(), get("/abort"), base({ maxRetries, signal: controller.signal })));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(err).not.toBeInstanceOf(APIConnectionError);
    expect((err as APIError).name).toBe("APIUserAbortError");
    expect(Date.now() - started).toBeLessThan(1500);
    expect(hitsTo("/v1/abort")).toBe(1);
  });

  test("a per-call signal merged over the client's still aborts", async () => {
    route("/v1/abort-merged", delayed(2000, json(200, {})));
    const clientSignal = new AbortController();
    const callSignal = new AbortController();
    setTimeout(() => callSignal.abort(), 50);
    const options = mergeOptions(base({ signal: clientSignal.signal }), { signal: callSignal.signal });
    const err = await caught(callOperation(defaults(), get("/abort-merged"), options));
    expect(err).toBeInstanceOf(APIUserAbortError);
  });

  test("aborting during the retry wait stops at once", async () => {
    route("/v1/abort-wait", json(429, {}, { "retry-after-ms": "5000" }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const err = await caught(callOperation(defaults(), get("/abort-wait"), base({ maxRetries: 2, signal: controller.signal })));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hitsTo("/v1/abort-wait")).toBe(1);
  });

  test("an already-aborted signal fails before fetch", async () => {
    const fetchSpy = jest.fn(fetch);
    const err = await caught(callOperation(defaults(), get("/never"), base({ signal: AbortSignal.abort(), fetch: fetchSpy })));
    expect(err).toBeInstanceOf(APIUserAbortError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  test("a refused connection raises APIConnectionError with the fetch error as cause", async () => {
    const err = await caught(callOperation(defaults(), get("/x"), base({ baseURL: closedPortURL })));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    const e = err as APIError & { cause?: unknown };
    expect(e.name).toBe("APIConnectionError");
    expect(e.status).toBeUndefined();
    expect(e.headers).toBeUndefined();
    expect(e.requestID).toBeNull();
    // undici's errors come from another realm than jest's, so instanceof Error cannot be used here.
    expect(e.cause).toMatchObject({ name: "TypeError", message: "fetch failed" });
  });

  test("connection errors are retried through the custom fetch", async () => {
    const fetchSpy = jest.fn(fetch);
    const err = await caught(callOperation(defaults(), get("/x"), base({ baseURL: closedPortURL, maxRetries: 1, fetch: fetchSpy })));
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(fetchSpy).toHaveBeenCalledTimes(2);
  });

  test("a custom fetch whose body never ends, ignoring the signal, still times out", async () => {
    const endless: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new TextEncoder().encode('{"partial":'));
          },
        }),
        { status: 200, headers: { "content-type": "application/json" } },
      );
    const err = await caught(callOperation(defaults(), get("/x"), base({ timeout: 30, fetch: endless })));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test("a custom fetch that ignores the signal still times out", async () => {
    const hanging: typeof fetch = () => new Promise<Response>(() => undefined);
    const err = await caught(callOperation(defaults(), get("/x"), base({ timeout: 30, fetch: hanging })));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe("response validation", () => {
  interface Job {
    id: string;
  }
  const validateJob = (value: unknown): ValidationResult<Job> =>
    typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "string"
      ? { ok: true, value: value as Job }
      : {
          ok: false,
          errors: [
            { path: "id", message: "expected string", expected: "string" },
            { path: "status", message: "is required" },
          ],
        };
  const jobOp = (path: string): OperationSpec<Job> => ({ method: "GET", path, validate: validateJob });

  test("validate true throws APIResponseValidationError with the issues", async () => {
    route("/v1/job-bad", json(200, { id: 7 }, { "x-request-id": "req_bad" }));
    const err = await caught(callOperation(defaults(), jobOp("/job-bad"), base({ validate: true })));
    expect(err).toBeInstanceOf(APIResponseValidationError);
    expect(err).toBeInstanceOf(APIError);
    const e = err as APIResponseValidationError;
    expect(e.name).toBe("APIResponseValidationError");
    expect(e.issues).toEqual([
      { path: "id", message: "expected string", expected: "string" },
      { path: "status", message: "is required" },
    ]);
    expect(e.requestID).toBe("req_bad");
    expect(e.status).toBe(200);
    expect(e.message).toContain("id: expected string");
    expect(e.message).toContain("status: is required");
  });

  test("validate true passes valid data through", async () => {
    route("/v1/job-good", json(200, { id: "ftjob-1" }));
    const result = await callOperation(defaults(), jobOp("/job-good"), base({ validate: true }));
    expect(result.data.id).toBe("ftjob-1");
  });

  test('validate "warn" logs once and returns the data', async () => {
    route("/v1/job-warn", json(200, { id: 7 }));
    const warn = jest.fn();
    const result = await callOperation(defaults(), jobOp("/job-warn"), base({ validate: "warn", logger: { warn } }));
    expect(result.data).toEqual({ id: 7 });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toContain("id: expected string");
  });

  test.each([{ validate: false }, { validate: undefined }])("validate $validate never calls the validator", async ({ validate }) => {
    route("/v1/job-off", json(200, { id: 7 }));
    const spy = jest.fn(validateJob);
    const options = base();
    if (validate !== undefined) options.validate = validate;
    const result = await callOperation(defaults(), { method: "GET", path: "/job-off", validate: spy }, options);
    expect(result.data).toEqual({ id: 7 });
    expect(spy).not.toHaveBeenCalled();
  });
});

describe("mergeOptions", () => {
  test.each<{ given: string; a: ClientOptions | undefined; b: ClientOptions | undefined; want: ClientOptions }>([
    { given: "nothing", a: undefined, b: undefined, want: {} },
    { given: "scalars from b win", a: { timeout: 1, maxRetries: 1 }, b: { timeout: 2 }, want: { timeout: 2, maxRetries: 1 } },
    { given: "undefined in b keeps a", a: { apiKey: "k", timeout: 1 }, b: { apiKey: undefined, timeout: undefined }, want: { apiKey: "k", timeout: 1 } },
    { given: "null in b clears a", a: { organization: "org" }, b: { organization: null }, want: { organization: null } },
    {
      given: "headers merge by name, ignoring case",
      a: { headers: { "X-A": "1", "X-B": "1", "X-C": "1" } },
      b: { headers: { "x-b": "2", "X-C": null } },
      want: { headers: { "X-A": "1", "x-b": "2", "X-C": null } },
    },
  ])("$given", ({ a, b, want }) => {
    expect(mergeOptions(a, b)).toEqual(want);
  });

  test("does not mutate its inputs", () => {
    const a: ClientOptions = { headers: { "X-A": "1" } };
    const b: ClientOptions = { headers: { "X-B": "2" } };
    mergeOptions(a, b);
    expect(a).toEqual({ headers: { "X-A": "1" } });
    expect(b).toEqual({ headers: { "X-B": "2" } });
  });

  test("either merged signal aborts", () => {
    const client = new AbortController();
    const merged = mergeOptions({ signal: client.signal }, { signal: new AbortController().signal });
    expect(merged.signal?.aborted).toBe(false);
    client.abort();
    expect(merged.signal?.aborted).toBe(true);
  });
});

describe("the API key never leaks", () => {
  // Each scenario makes an error of a different kind; some servers and fetches echo the key back.
  const scenarios: { given: string; Class: new (...args: never[]) => Error; run: () => Promise<unknown> }[] = [
    {
      given: "a 401 whose message echoes the key",
      Class: AuthenticationError,
      run: () => {
        route("/v1/leak-401", json(401, { error: { message: `Incorrect API key provided: ${KEY}`, key: KEY } }, { "x-echo": KEY }));
        return callOperation(defaults(), get("/leak-401"), base());
      },
    },
    {
      given: "a 500 plain-text body echoing the key",
      Class: InternalServerError,
      run: () => {
        route("/v1/leak-500", (_req, res) => {
          res.writeHead(500, "");
          res.end(`Authorization: Bearer ${KEY}`);
        });
        return callOperation(defaults(), get("/leak-500"), base());
      },
    },
    {
      given: "a non-JSON 200 echoing the key",
      Class: APIError,
      run: () => {
        route("/v1/leak-html", (_req, res) => {
          res.writeHead(200, { "content-type": "text/html" });
          res.end(`<p>${KEY}</p>`);
        });
        return callOperation(defaults(), get("/leak-html"), base());
      },
    },
    {
      given: "a refused connection",
      Class: APIConnectionError,
      run: () => callOperation(defaults(), get("/x"), base({ baseURL: closedPortURL })),
    },
    {
      given: "a custom fetch whose error quotes the request headers",
      Class: APIConnectionError,
      run: () =>
        callOperation(
          defaults(),
          get("/x"),
          base({
            fetch: async (_input, init) => {
              const auth = new Headers(init?.headers).get("authorization");
              const inner = new Error(`socket said ${auth}`);
              throw Object.assign(new TypeError(`fetch failed for ${auth}`, { cause: inner }), { auth });
            },
          }),
        ),
    },
    {
      given: "a timeout",
      Class: APIConnectionTimeoutError,
      run: () => {
        route("/v1/leak-slow", delayed(2000, json(200, {})));
        return callOperation(defaults(), get("/leak-slow"), base({ timeout: 30 }));
      },
    },
    {
      given: "a user abort",
      Class: APIUserAbortError,
      run: () => callOperation(defaults(), get("/x"), base({ signal: AbortSignal.abort(KEY) })),
    },
    {
      given: "a validation failure quoting the key",
      Class: APIResponseValidationError,
      run: () => {
        route("/v1/leak-valid", json(200, { token: KEY }));
        return callOperation(
          defaults(),
          { method: "GET", path: "/leak-valid", validate: () => ({ ok: false, errors: [{ path: "token", message: `unexpected ${KEY}` }] }) },
          base({ validate: true }),
        );
      },
    },
    {
      given: "an invalid API key",
      Class: OpenAPIMorphError,
      run: () => callOperation(defaults(), get("/x"), base({ apiKey: `${KEY}\nInjected: 1` })),
    },
    {
      given: "a missing path parameter",
      Class: OpenAPIMorphError,
      run: () => callOperation(defaults(), get("/files/{id}"), base()),
    },
  ];

  test.each(scenarios)("in $given", async ({ Class, run }) => {
    const err = await caught(run());
    expect(err).toBeInstanceOf(Class);
    const e = err as Error & { cause?: unknown };
    const texts = [String(e), e.message, e.stack ?? "", JSON.stringify(e)];
    for (let cause: unknown = e.cause, depth = 0; cause !== undefined && depth < 5; depth++) {
      texts.push(String(cause), JSON.stringify(cause) ?? "");
      if (cause instanceof Error) {
        texts.push(cause.stack ?? "", cause.message);
        cause = (cause as { cause?: unknown }).cause;
      } else {
        cause = undefined;
      }
    }
    for (const text of texts) expect(text).not.toContain(KEY);
  });

  test('the "warn" log line does not contain the key', async () => {
    route("/v1/leak-warn", json(200, { token: KEY }));
    const warn = jest.fn();
    await callOperation(
      defaults(),
      { method: "GET", path: "/leak-warn", validate: () => ({ ok: false, errors: [{ path: "token", message: `unexpected ${KEY}` }] }) },
      base({ validate: "warn", logger: { warn } }),
    );
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(KEY);
    expect(JSON.stringify(warn.mock.calls)).toContain("[redacted]");
  });
});

describe("server-sent events", () => {
  async function events(chunks: string[]): Promise<ServerSentEvent[]> {
    const out: ServerSentEvent[] = [];
    async function* source(): AsyncGenerator<string> {
      yield* chunks;
    }
    for await (const e of readEvents(source())) out.push(e);
    return out;
  }

  test.each([
    { given: "two events, LF", chunks: ["data: a\n\ndata: b\n\n"], want: [{ event: "message", data: "a" }, { event: "message", data: "b" }] },
    { given: "CRLF and lone CR line ends", chunks: ["data: a\r\n\r\ndata: b\r\r"], want: [{ event: "message", data: "a" }, { event: "message", data: "b" }] },
    { given: "CR, LF and CRLF ends mixed in one chunk", chunks: ["data: a\r\rdata: b\n\ndata: c\r\n\r\ndata: d\n\r"], want: ["a", "b", "c", "d"].map((data) => ({ event: "message", data })) },
    { given: "a CRLF split between chunks", chunks: ["data: a\r", "\n\r", "\n"], want: [{ event: "message", data: "a" }] },
    { given: "a line split mid-field", chunks: ["da", "ta: {\"x\"", ":1}\n", "\n"], want: [{ event: "message", data: '{"x":1}' }] },
    { given: "data lines joined, comments, other fields, a named event", chunks: [": keep-alive\nevent: delta\nid: 7\nretry: 10\ndata: one\ndata:two\n\n"], want: [{ event: "delta", data: "one\ntwo" }] },
    { given: "a field without a colon", chunks: ["data\n\n"], want: [{ event: "message", data: "" }] },
    { given: "an event name without data (nothing to dispatch)", chunks: ["event: ping\n\ndata: x\n\n"], want: [{ event: "message", data: "x" }] },
    { given: "an unfinished event at the end", chunks: ["data: a\n\ndata: cut"], want: [{ event: "message", data: "a" }] },
    { given: "a body ending in CR", chunks: ["data: a\n\r"], want: [{ event: "message", data: "a" }] },
  ])("$given", async ({ chunks, want }) => {
    expect(await events(chunks)).toEqual(want);
  });

  /** Writes each piece after the one before has been flushed, so the client sees separate chunks. */
  function sse(pieces: string[], gapMs = 2): Handler {
    return (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_sse" });
      let i = 0;
      const next = (): void => {
        if (i === pieces.length) return void res.end();
        res.write(pieces[i++], () => setTimeout(next, gapMs));
      };
      next();
    };
  }

  async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const e of stream) out.push(e);
    return out;
  }

  const post = <T = unknown>(path: string, extra: Partial<OperationSpec<T>> = {}): OperationSpec<T> => ({ method: "POST", path, body: { stream: true }, ...extra });

  test("yields each event parsed, stops at [DONE], asks for text/event-stream", async () => {
    route("/v1/chat", sse(['data: {"delta":"h', 'i"}\n\n', 'data: {"delta":"!"}\n\n', "data: [DONE]\n\n", 'data: {"after":"done"}\n\n']));
    const stream = await streamOperation<{ delta: string }>(defaults(), post("/chat"), base());
    expect(stream.requestID).toBe("req_sse");
    expect(await collect(stream)).toEqual([{ delta: "hi" }, { delta: "!" }]);
    expect(received[0].headers.accept).toBe("text/event-stream");
    expect(JSON.parse(received[0].body)).toEqual({ stream: true });
  });

  test("a 200 that is not text/event-stream is an APIError, not an empty stream", async () => {
    route("/v1/json-instead", json(200, { text: "whole" }));
    const err = await caught(streamOperation(defaults(), post("/json-instead"), base()));
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toBe('POST /json-instead answered application/json instead of text/event-stream: {"text":"whole"}');
  });

  test("a 200 that is not text/event-stream and stalls can still be aborted", async () => {
    route("/v1/stall", (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"text":');
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    expect(await caught(streamOperation(defaults(), post("/stall"), base({ signal: controller.signal })))).toBeInstanceOf(APIUserAbortError);
  });

  test("a multi-byte character split between chunks arrives whole", async () => {
    route("/v1/bytes", (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      const bytes = Buffer.from('data: {"t":"\u00e9\u4e2d"}\n\n', "utf8");
      res.write(bytes.subarray(0, 13), () => setTimeout(() => res.end(bytes.subarray(13)), 5));
    });
    expect(await collect(await streamOperation(defaults(), post("/bytes"), base()))).toEqual([{ t: "\u00e9\u4e2d" }]);
  });

  test.each([
    { given: "a 429 before the stream (retried, then thrown)", status: 429, Want: RateLimitError },
    { given: "a 400 before the stream", status: 400, Want: BadRequestError },
  ])("$given is the status's error class", async ({ status, Want }) => {
    route("/v1/err", json(status, { error: { message: "nope" } }, { "retry-after-ms": "1" }));
    const err = await caught(streamOperation(defaults(), post("/err"), base({ maxRetries: 1 })));
    expect(err).toBeInstanceOf(Want);
    expect((err as APIError).message).toMatch(/nope/);
    expect(hitsTo("/v1/err")).toBe(status === 429 ? 2 : 1);
  });

  test.each([
    { given: "an error event", pieces: ['data: {"a":1}\n\n', 'event: error\ndata: {"error":{"message":"overloaded"}}\n\n'], want: /overloaded/ },
    { given: "an event that is not JSON", pieces: ['data: {"a":1}\n\n', "data: <html>\n\n"], want: /sent an event that is not JSON: <html>/ },
  ])("$given mid-stream throws an APIError after the events before it", async ({ pieces, want }) => {
    route("/v1/mid", sse(pieces));
    const seen: unknown[] = [];
    const err = await caught((async () => {
      for await (const e of await streamOperation(defaults(), post("/mid"), base())) seen.push(e);
    })());
    expect(seen).toEqual([{ a: 1 }]);
    expect(err).toBeInstanceOf(APIError);
    expect((err as APIError).message).toMatch(want);
  });

  test("leaving the loop early closes the connection; the stream cannot be read twice", async () => {
    let closed = false;
    route("/v1/long", (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"n":1}\n\n');
      const timer = setInterval(() => res.write('data: {"n":2}\n\n'), 5);
      res.on("close", () => {
        closed = true;
        clearInterval(timer);
      });
    });
    const stream = await streamOperation<{ n: number }>(defaults(), post("/long"), base());
    for await (const e of stream) {
      expect(e).toEqual({ n: 1 });
      break;
    }
    for (let i = 0; i < 100 && !closed; i++) await new Promise((r) => setTimeout(r, 5));
    expect(closed).toBe(true);
    expect(await caught(collect(stream))).toBeInstanceOf(OpenAPIMorphError);
  });

  test.each([
    { given: "the caller's signal", abort: (c: AbortController) => c.abort() },
    { given: "stream.abort()", abort: (_c: AbortController, s: { abort(): void }) => s.abort() },
  ])("aborting mid-stream with $given is an APIUserAbortError", async ({ abort }) => {
    route("/v1/slow", (_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write('data: {"n":1}\n\n');
    });
    const controller = new AbortController();
    const stream = await streamOperation(defaults(), post("/slow"), base({ signal: controller.signal }));
    const err = await caught((async () => {
      for await (const _e of stream) abort(controller, stream);
    })());
    expect(err).toBeInstanceOf(APIUserAbortError);
  });

  test("the timeout covers the wait for headers, not the stream after them", async () => {
    // Three events 250 ms apart under a 200 ms timeout (roomy, so a busy machine still gets its headers in time).
    route("/v1/paced", sse(['data: {"n":1}\n\n', 'data: {"n":2}\n\n', 'data: {"n":3}\n\n'], 250));
    const stream = await streamOperation(defaults(), post("/paced"), base({ timeout: 200 }));
    expect(await collect(stream)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    route("/v1/late", delayed(200, sse(["data: {}\n\n"])));
    expect(await caught(streamOperation(defaults(), post("/late"), base({ timeout: 20 })))).toBeInstanceOf(APIConnectionTimeoutError);
  });

  test.each([
    { mode: true as const, want: "throws" },
    { mode: "warn" as const, want: "warns" },
  ])("validate: $mode $want on an event that does not match", async ({ mode, want }) => {
    route("/v1/checked", sse(['data: {"n":1}\n\n', 'data: {"n":"two"}\n\n']));
    const validate = (v: unknown): ValidationResult<{ n: number }> =>
      typeof (v as { n: unknown }).n === "number" ? { ok: true, value: v as { n: number } } : { ok: false, errors: [{ path: "/n", message: "expected number" }] };
    const warnings: string[] = [];
    const stream = await streamOperation(defaults(), post("/checked", { validate }), base({ validate: mode, logger: { warn: (m: string) => warnings.push(m) } }));
    const seen: unknown[] = [];
    const outcome = await (async () => {
      try {
        for await (const e of stream) seen.push(e);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    if (want === "throws") {
      expect(outcome).toBeInstanceOf(APIResponseValidationError);
      expect(seen).toEqual([{ n: 1 }]);
    } else {
      expect(outcome).toBeUndefined();
      expect(seen).toEqual([{ n: 1 }, { n: "two" }]);
      expect(warnings).toEqual([expect.stringMatching(/^An event of POST \/checked \(request ID req_sse\) does not match its schema: \/n: expected number/)]);
    }
  });
});
