// Parameter serialisation against the OpenAPI specification's style examples table
// (https://spec.openapis.org/oas/v3.1.1.html#style-examples): `color` is "blue", ["blue", "black",
// "brown"] or { R: 100, G: 200, B: 150 }. Requests go to a fetch that records them, so each row
// checks the exact URL or header the runtime would send.

import {
  callOperation,
  headerValue,
  mergeOptions,
  OpenAPIMorphError,
  type OperationSpec,
  type ParamStyle,
  type QueryParam,
  type RequestOptions,
  type RuntimeDefaults,
} from "../templates/runtime";

const BASE = "https://api.example.com/v1";
const STRING = "blue";
const ARRAY = ["blue", "black", "brown"];
const OBJECT = { R: 100, G: 200, B: 150 };

/** The URL and headers of the one request `op` sends. */
async function sent(op: OperationSpec<unknown>, options: RequestOptions = {}, defaults?: Partial<RuntimeDefaults>): Promise<{ url: string; headers: Headers }> {
  const urls: string[] = [];
  let headers = new Headers();
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    urls.push(String(input));
    headers = new Headers(init?.headers);
    return new Response("{}", {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  await callOperation({ baseURL: BASE, auth: "none", ...defaults }, op, {
    maxRetries: 0,
    ...options,
    fetch,
  });
  expect(urls).toHaveLength(1);
  return { url: urls[0], headers };
}

async function pathOf(value: unknown, how: ParamStyle | undefined): Promise<string> {
  const op: OperationSpec<unknown> = {
    method: "GET",
    path: "/colors/{color}",
    pathParams: { color: value },
  };
  if (how) op.pathStyles = { color: how };
  return (await sent(op)).url.slice(`${BASE}/colors/`.length);
}

async function queryOf(param: Omit<QueryParam, "name">): Promise<string> {
  const { url } = await sent({
    method: "GET",
    path: "/colors",
    query: [{ name: "color", ...param }],
  });
  return url.slice(`${BASE}/colors`.length);
}

describe("path parameters: the spec's table", () => {
  test.each<{
    style?: "simple" | "label" | "matrix";
    explode?: boolean;
    string: string;
    array: string;
    object: string;
  }>([
    {
      style: "matrix",
      explode: false,
      string: ";color=blue",
      array: ";color=blue,black,brown",
      object: ";color=R,100,G,200,B,150",
    },
    {
      style: "matrix",
      explode: true,
      string: ";color=blue",
      array: ";color=blue;color=black;color=brown",
      object: ";R=100;G=200;B=150",
    },
    {
      style: "label",
      explode: false,
      string: ".blue",
      array: ".blue,black,brown",
      object: ".R,100,G,200,B,150",
    },
    {
      style: "label",
      explode: true,
      string: ".blue",
      array: ".blue.black.brown",
      object: ".R=100.G=200.B=150",
    },
    {
      style: "simple",
      explode: false,
      string: "blue",
      array: "blue,black,brown",
      object: "R,100,G,200,B,150",
    },
    {
      style: "simple",
      explode: true,
      string: "blue",
      array: "blue,black,brown",
      object: "R=100,G=200,B=150",
    },
    { string: "blue", array: "blue,black,brown", object: "R,100,G,200,B,150" },
  ])("%p", async ({ style, explode, ...want }) => {
    const how: ParamStyle | undefined = style === undefined ? undefined : { style, explode };
    expect({
      string: await pathOf(STRING, how),
      array: await pathOf(ARRAY, how),
      object: await pathOf(OBJECT, how),
    }).toEqual(want);
  });

  test.each<{ given: string; value: unknown; how?: ParamStyle; want: string }>([
    { given: "a boolean", value: true, want: "true" },
    { given: "a number", value: 4.5, want: "4.5" },
    {
      given: "reserved characters in an item, encoded; the delimiters not",
      value: ["a,b", "c/d"],
      want: "a%2Cb,c%2Fd",
    },
    {
      given: "a label with a dot in its value",
      value: "v1.2",
      how: { style: "label" },
      want: ".v1.2",
    },
    {
      given: "a matrix empty string",
      value: "",
      how: { style: "matrix" },
      want: ";color",
    },
    { given: "null items left out", value: ["a", null, "b"], want: "a,b" },
    {
      given: "a Date",
      value: new Date(Date.UTC(2024, 0, 2)),
      want: "2024-01-02T00%3A00%3A00.000Z",
    },
    { given: "JSON content", value: { R: 1 }, how: { json: true }, want: "%7B%22R%22%3A1%7D" },
  ])("$given", async ({ value, how, want }) => {
    expect(await pathOf(value, how)).toBe(want);
  });

  test.each<{ given: string; value: unknown; how?: ParamStyle }>([
    { given: "an empty array", value: [] },
    { given: "an empty object", value: {} },
    { given: "an array of one '..'", value: [".."] },
    { given: "an empty label ('.')", value: "", how: { style: "label" } },
  ])("rejects $given before sending", async ({ value, how }) => {
    await expect(pathOf(value, how)).rejects.toThrow(OpenAPIMorphError);
  });
});

describe("query parameters: the spec's table", () => {
  test.each<{
    style?: QueryParam["style"];
    explode?: boolean;
    string?: string;
    array: string;
    object: string;
  }>([
    {
      style: "form",
      explode: false,
      string: "?color=blue",
      array: "?color=blue,black,brown",
      object: "?color=R,100,G,200,B,150",
    },
    {
      style: "form",
      explode: true,
      string: "?color=blue",
      array: "?color=blue&color=black&color=brown",
      object: "?R=100&G=200&B=150",
    },
    {
      string: "?color=blue",
      array: "?color=blue&color=black&color=brown",
      object: "?R=100&G=200&B=150",
    },
    {
      style: "spaceDelimited",
      explode: false,
      array: "?color=blue%20black%20brown",
      object: "?color=R%20100%20G%20200%20B%20150",
    },
    {
      style: "spaceDelimited",
      array: "?color=blue%20black%20brown",
      object: "?color=R%20100%20G%20200%20B%20150",
    },
    {
      style: "pipeDelimited",
      explode: false,
      array: "?color=blue%7Cblack%7Cbrown",
      object: "?color=R%7C100%7CG%7C200%7CB%7C150",
    },
    {
      style: "deepObject",
      explode: true,
      array: "?color=blue&color=black&color=brown",
      object: "?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
    },
    {
      style: "deepObject",
      array: "?color=blue&color=black&color=brown",
      object: "?color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150",
    },
  ])("%p", async ({ style, explode, ...want }) => {
    const how: Omit<QueryParam, "name" | "value"> = {};
    if (style !== undefined) how.style = style;
    if (explode !== undefined) how.explode = explode;
    const got: Record<string, string> = {
      array: await queryOf({ ...how, value: ARRAY }),
      object: await queryOf({ ...how, value: OBJECT }),
    };
    if (want.string !== undefined) got.string = await queryOf({ ...how, value: STRING });
    expect(got).toEqual(want);
  });

  test.each<{ given: string; param: Omit<QueryParam, "name">; want: string }>([
    { given: "an empty string", param: { value: "" }, want: "?color=" },
    { given: "undefined", param: { value: undefined }, want: "" },
    { given: "null", param: { value: null }, want: "" },
    { given: "an empty array", param: { value: [] }, want: "" },
    {
      given: "a space and the form delimiters inside a value",
      param: { value: "a b&c=d,e+f" },
      want: "?color=a%20b%26c%3Dd%2Ce%2Bf",
    },
    {
      given: "a comma inside an unexploded item",
      param: { value: ["a,b", "c"], explode: false },
      want: "?color=a%2Cb,c",
    },
    {
      given: "a non-ASCII value",
      param: { value: "é" },
      want: "?color=%C3%A9",
    },
    {
      given: "nested deepObject",
      param: { value: { a: { b: 1 }, c: [1, 2] }, style: "deepObject" },
      want: "?color%5Ba%5D%5Bb%5D=1&color%5Bc%5D=1&color%5Bc%5D=2",
    },
    { given: "JSON content", param: { value: { R: 1, list: ["a"] }, json: true }, want: "?color=%7B%22R%22%3A1%2C%22list%22%3A%5B%22a%22%5D%7D" },
    { given: "JSON content of a string", param: { value: "a b", json: true }, want: "?color=%22a%20b%22" },
    {
      given: "a nested object in form, as JSON",
      param: { value: [{ a: 1 }] },
      want: "?color=%7B%22a%22%3A1%7D",
    },
    {
      given: "allowReserved: reserved characters and %XX pass, the query's own delimiters do not",
      param: {
        value: "a/b?c:d@e!$'()*,;=f%20g&h#i[j]+k l%zz",
        allowReserved: true,
      },
      want: "?color=a/b?c:d@e!$'()*,;=f%20g%26h%23i%5Bj%5D%2Bk%20l%25zz",
    },
  ])("$given", async ({ param, want }) => {
    expect(await queryOf(param)).toBe(want);
  });
});

describe("header parameters: simple", () => {
  test.each<{
    explode?: boolean;
    string: string;
    array: string;
    object: string;
  }>([
    {
      explode: false,
      string: "blue",
      array: "blue,black,brown",
      object: "R,100,G,200,B,150",
    },
    {
      explode: true,
      string: "blue",
      array: "blue,black,brown",
      object: "R=100,G=200,B=150",
    },
    { string: "blue", array: "blue,black,brown", object: "R,100,G,200,B,150" },
  ])("%p", ({ explode, ...want }) => {
    expect({
      string: headerValue(STRING, explode),
      array: headerValue(ARRAY, explode),
      object: headerValue(OBJECT, explode),
    }).toEqual(want);
  });

  test("a value is sent unencoded", async () => {
    const { headers } = await sent({ method: "GET", path: "/x" }, { headers: { "x-color": headerValue(["a b", "c/d"]) } });
    expect(headers.get("x-color")).toBe("a b,c/d");
  });

  test.each<{ given: string; param: Omit<QueryParam, "name">; options?: RequestOptions; want: string | null }>([
    { given: "a string", param: { value: "blue" }, want: "blue" },
    { given: "an array", param: { value: ARRAY }, want: "blue,black,brown" },
    { given: "an object, exploded", param: { value: OBJECT, explode: true }, want: "R=100,G=200,B=150" },
    { given: "content: application/json", param: { value: OBJECT, json: true }, want: JSON.stringify(OBJECT) },
    { given: "undefined: no header", param: { value: undefined }, want: null },
    { given: "the options' header wins", param: { value: "blue" }, options: { headers: { "x-color": "red" } }, want: "red" },
    { given: "the options may remove it", param: { value: "blue" }, options: { headers: { "x-color": null } }, want: null },
    { given: "null: no header", param: { value: null }, want: null },
  ])("the operation's header parameter: $given", async ({ param, options, want }) => {
    const { headers } = await sent({ method: "GET", path: "/x", headers: [{ name: "x-color", ...param }] }, options);
    expect(headers.get("x-color")).toBe(want);
  });
});

test("a Content-Type header parameter gives way to the body's, and is sent without a body", async () => {
  const param = { name: "Content-Type", value: "application/x-custom" };
  // Multipart: fetch sets the type and its boundary from the FormData, so none is given here.
  const multipart = await sent({ method: "POST", path: "/x", body: { a: "x" }, bodyType: "multipart", headers: [param] });
  const json = await sent({ method: "POST", path: "/x", body: { a: "x" }, headers: [param] });
  expect([multipart.headers.get("content-type"), json.headers.get("content-type")]).toEqual([null, "application/json"]);
  const without = await sent({ method: "GET", path: "/x", headers: [param, { name: "Accept", value: "application/vnd.api+json;version=2" }] });
  expect([without.headers.get("content-type"), without.headers.get("accept")]).toEqual(["application/x-custom", "application/vnd.api+json;version=2"]);
});

describe("cookie parameters: form", () => {
  test.each<{ given: string; cookies: QueryParam[]; want: string | null }>([
    { given: "a string", cookies: [{ name: "id", value: 5 }], want: "id=5" },
    { given: "two, one undefined", cookies: [{ name: "id", value: 5 }, { name: "gone", value: undefined }, { name: "lang", value: "en us" }], want: "id=5; lang=en%20us" },
    { given: "an array, exploded (form's default)", cookies: [{ name: "color", value: ARRAY }], want: "color=blue; color=black; color=brown" },
    { given: "an array, explode: false", cookies: [{ name: "color", value: ARRAY, explode: false }], want: "color=blue,black,brown" },
    { given: "an object, exploded", cookies: [{ name: "color", value: OBJECT }], want: "R=100; G=200; B=150" },
    { given: "none set", cookies: [{ name: "id", value: undefined }], want: null },
  ])("$given", async ({ cookies, want }) => {
    const { headers } = await sent({ method: "GET", path: "/x", cookies });
    expect(headers.get("cookie")).toBe(want);
  });

  test("after an API key sent as a cookie", async () => {
    const defaults: Partial<RuntimeDefaults> = { auth: undefined, schemes: { session: { type: "apiKey", in: "cookie", name: "sid", option: "apiKey" } }, security: [["session"]] };
    const { headers } = await sent({ method: "GET", path: "/x", cookies: [{ name: "lang", value: "en" }] }, { apiKey: "k" }, defaults);
    expect(headers.get("cookie")).toBe("sid=k; lang=en");
  });
});

describe("server URL", () => {
  const op: OperationSpec<unknown> = {
    method: "GET",
    path: "/models",
    query: [{ name: "limit", value: 2 }],
  };

  test.each<{
    given: string;
    defaults: Partial<RuntimeDefaults>;
    options?: RequestOptions;
    want: string;
  }>([
    {
      given: "variables left at their defaults",
      defaults: {
        baseURL: "https://{region}.api.example.com/{version}",
        serverVariables: { region: "us", version: "v2" },
      },
      want: "https://us.api.example.com/v2/models?limit=2",
    },
    {
      given: "a variable set by the caller",
      defaults: {
        baseURL: "https://{region}.api.example.com/{version}",
        serverVariables: { region: "us", version: "v2" },
      },
      options: { serverVariables: { region: "eu" } },
      want: "https://eu.api.example.com/v2/models?limit=2",
    },
    {
      given: "a baseURL with a query string: kept after the path, merged with the operation's",
      defaults: {
        baseURL: "https://res.example.com/openai?api-version=2024-10-21",
      },
      want: "https://res.example.com/openai/models?api-version=2024-10-21&limit=2",
    },
    {
      given: "a baseURL query name the operation sets itself: the operation's wins",
      defaults: { baseURL: "https://res.example.com/openai/?limit=9&x=1#frag" },
      want: "https://res.example.com/openai/models?x=1&limit=2",
    },
    {
      given: "the caller's baseURL, with variables of its own",
      defaults: {
        baseURL: "https://{region}.api.example.com",
        serverVariables: { region: "us" },
      },
      options: { baseURL: "http://127.0.0.1:8080/{region}/?k=v" },
      want: "http://127.0.0.1:8080/us/models?k=v&limit=2",
    },
  ])("$given", async ({ defaults, options, want }) => {
    expect((await sent(op, options, defaults)).url).toBe(want);
  });

  test("a variable without a value is an error naming it", async () => {
    const defaults = { baseURL: "https://{tenant}.{region}.example.com", serverVariables: { region: "eu" } };
    await expect(sent(op, {}, defaults)).rejects.toThrow(/needs a value for \{tenant\}: set serverVariables.tenant/);
  });

  test("braces in a URL are left alone when neither the spec nor the caller has variables", async () => {
    expect((await sent(op, {}, { baseURL: "https://x.example/{literal}" })).url).toBe("https://x.example/{literal}/models?limit=2");
  });

  test("mergeOptions lays per-call variables over the client's one by one", () => {
    const merged = mergeOptions({ serverVariables: { region: "eu", version: "v1" } }, { serverVariables: { version: "v2", region: undefined } });
    expect(merged.serverVariables).toEqual({ region: "eu", version: "v2" });
  });
});
