import type http from "node:http";
import {
  APIResponseTooLargeError,
  APIUserError,
  OpenAPIMorphError,
  callOperation,
  type ClientOptions,
  type OperationSpec,
  type RuntimeDefaults,
} from "../../templates/runtime";
import { startServer, type TestServer } from "../helpers/server";

/**
 * Finding 11: the runtime on a hostile or unlucky server and hostile arguments. Credentials stay
 * with the origin they were given for, a lone surrogate is the library's own error before any
 * request, a body can be capped while it streams in, and redaction never garbles its own marker.
 */

const KEY = "sk-security-test-key";
const defaults: RuntimeDefaults = { baseURL: "", auth: "bearer" };
const get = (path: string, pathParams?: Record<string, string>): OperationSpec<unknown> => ({ method: "GET", path, ...(pathParams ? { pathParams } : {}) });

let api: TestServer;
let other: TestServer;
const seen: { server: string; url: string; headers: http.IncomingHttpHeaders; method: string }[] = [];

beforeAll(async () => {
  other = await startServer((req, res) => {
    seen.push({ server: "other", url: req.url ?? "", headers: req.headers, method: req.method ?? "" });
    res.writeHead(200, { "content-type": "application/json" }).end('{"at":"other"}');
  });
  api = await startServer((req, res) => {
    seen.push({ server: "api", url: req.url ?? "", headers: req.headers, method: req.method ?? "" });
    const url = req.url ?? "";
    if (url === "/v1/away") res.writeHead(302, { location: `${other.baseURL}/landed` }).end();
    else if (url === "/v1/away-303") res.writeHead(303, { location: `${other.baseURL}/landed` }).end();
    else if (url === "/v1/here") res.writeHead(307, { location: "/v1/final" }).end();
    else if (url === "/v1/loop") res.writeHead(302, { location: "/v1/loop" }).end();
    else if (url === "/v1/big") {
      // 1 MB in 64 KB chunks, no content-length: only counting while reading can stop it.
      res.writeHead(200, { "content-type": "application/json" });
      let sent = 0;
      const more = (): void => {
        while (sent < 16 && res.write(`"${"x".repeat(65_536)}"`)) sent++;
        if (sent >= 16) res.end();
        else res.once("drain", more);
      };
      res.on("error", () => undefined);
      more();
    } else if (url === "/v1/declared") res.writeHead(200, { "content-type": "application/json", "content-length": "5000" }).end(`"${"y".repeat(4998)}"`);
    else res.writeHead(200, { "content-type": "application/json" }).end('{"at":"api"}');
  });
});
afterAll(async () => {
  await api.close();
  await other.close();
});
beforeEach(() => {
  seen.length = 0;
});

const options = (extra: ClientOptions = {}): ClientOptions => ({
  apiKey: KEY,
  baseURL: api.baseURL,
  maxRetries: 0,
  organization: "org-secret-1234",
  project: "proj-secret-1234",
  headers: { "api-key": KEY, "X-Custom-Token": "tok-secret-1234", Cookie: "session=s3cr3t-cookie", "X-Trace": "visible" },
  ...extra,
});

describe("redirects (finding 11)", () => {
  const cases = [
    { given: "a 302 to another origin", path: "/away", want: { server: "other", method: "GET" } },
    { given: "a 303 to another origin", path: "/away-303", want: { server: "other", method: "GET" } },
  ];
  test.each(cases)("$given drops every credential header the client added", async ({ path, want }) => {
    const { data } = await callOperation(defaults, get(path), options());
    expect(data).toEqual({ at: "other" });
    const landed = seen.find((s) => s.server === want.server)!;
    expect(landed.method).toBe(want.method);
    for (const name of ["authorization", "api-key", "openai-organization", "openai-project", "x-custom-token", "cookie"]) expect([name, landed.headers[name]]).toEqual([name, undefined]);
    expect(JSON.stringify(landed.headers)).not.toMatch(/secret|s3cr3t|sk-security/);
    expect(landed.headers["x-trace"]).toBe("visible");
  });

  test("a same-origin redirect keeps them", async () => {
    await callOperation(defaults, get("/here"), options());
    expect(seen.map((s) => [s.server, s.url])).toEqual([["api", "/v1/here"], ["api", "/v1/final"]]);
    expect(seen[1].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(seen[1].headers["openai-organization"]).toBe("org-secret-1234");
  });

  test("a redirect loop ends with the library's error", async () => {
    const error = await callOperation(defaults, get("/loop"), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAPIMorphError);
    expect(String((error as Error).cause)).toMatch(/More than 20 redirects/);
  });
});

describe("path parameters (finding 11)", () => {
  const cases = [
    { given: "a lone high surrogate", value: "ab\ud83d" },
    { given: "a lone low surrogate", value: "\ude00x" },
  ];
  test.each(cases)("$given is an APIUserError before any request", async ({ value }) => {
    const error = await callOperation(defaults, get("/items/{id}", { id: value }), options()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIUserError);
    expect(error).toBeInstanceOf(OpenAPIMorphError);
    expect((error as Error).message).toBe('Path parameter "id" of GET /items/{id} is not well-formed Unicode (it holds a lone surrogate, such as half of an emoji).');
    expect(seen).toEqual([]);
  });

  test("a whole emoji is fine", async () => {
    await callOperation(defaults, get("/items/{id}", { id: "a😀" }), options());
    expect(seen[0].url).toBe("/v1/items/a%F0%9F%98%80");
  });
});

describe("maxResponseBytes (finding 11)", () => {
  const cases = [
    { given: "a body that streams past the limit", path: "/big", max: 100_000 },
    { given: "a body whose content-length is over the limit", path: "/declared", max: 1000 },
  ];
  test.each(cases)("$given aborts with APIResponseTooLargeError", async ({ path, max }) => {
    const error = await callOperation(defaults, get(path), options({ maxResponseBytes: max, maxRetries: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIResponseTooLargeError);
    expect((error as Error).message).toBe(`The response body is larger than the maxResponseBytes option (${max} bytes); it was not read further.`);
    expect(seen).toHaveLength(1); // not retried
  });

  test("a body within the limit is read", async () => {
    expect((await callOperation(defaults, get("/small"), options({ maxResponseBytes: 100 }))).data).toEqual({ at: "api" });
  });
});

describe("redaction (finding 11)", () => {
  const cases = [
    { given: "a 1-character key is not a secret to hunt for", apiKey: "r", echo: "error for [r]", want: "error for [r]" },
    { given: "a key that is the marker's own word", apiKey: "redacted", echo: "key redacted, then [redacted]", want: "key [redacted], then [redacted]" },
    { given: "an 8-character key", apiKey: "abcdefgh", echo: "bad key abcdefgh!", want: "bad key [redacted]!" },
  ];
  test.each(cases)("$given", async ({ apiKey, echo, want }) => {
    const fetchImpl: typeof fetch = async () => new Response(JSON.stringify({ error: { message: echo } }), { status: 400, headers: { "content-type": "application/json" } });
    const error = await callOperation(defaults, get("/x"), { apiKey, baseURL: "http://127.0.0.1:9", maxRetries: 0, fetch: fetchImpl }).catch((e: unknown) => e);
    expect((error as Error).message).toContain(want);
  });
});
