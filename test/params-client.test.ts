import type http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "./helpers/cli";
import { ROOT } from "./helpers/spec";
import { startServer, type TestServer } from "./helpers/server";
import { readTsFiles, requireTranspiled, STRICTEST_OPTIONS, typeCheck } from "./helpers/tsc";

/**
 * A generated client for a spec with every parameter style, shape and location, and a server URL
 * with variables and a query string (`test/fixtures/params/openapi.yaml`), sending real requests to
 * a server on 127.0.0.1: what arrives is what the OpenAPI style examples table says.
 */

const SPEC = path.join(ROOT, "test", "fixtures", "params", "openapi.yaml");
const COLOR = { R: 100, G: 200, B: 150 };

type Call = (...args: unknown[]) => Promise<unknown>;
interface Generated {
  getSimple: Call;
  getStyled: Call;
  getQuery: Call;
  createClient(options: object): Record<string, Call>;
}

let tmp: string;
let out: string;
let server: TestServer;
let port: string;
let generated: Generated;
let received: { url: string; headers: http.IncomingHttpHeaders }[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-params-"));
  out = path.join(tmp, "out");
  const result = await cli("generate", SPEC, "-o", out, "--quiet");
  expect(result.stderr).toBe("");
  generated = requireTranspiled<Generated>(readTsFiles(out), path.join(out, "cjs"));
  server = await startServer((req, res) => {
    received.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ url: req.url }));
  });
  port = new URL(server.baseURL).port;
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  received = [];
});

/** The server's port fills `{port}`; `{version}` is chosen per test. */
const options = (version?: "v1" | "v2") => ({ maxRetries: 0, serverVariables: version ? { port, version } : { port } });

test.each<{ given: string; call: () => Promise<unknown>; want: string }>([
  {
    given: "path simple: string, boolean, integer, array, object, exploded object",
    call: () => generated.getSimple("blue", true, 7, ["blue", "black", "brown"], COLOR, COLOR, options()),
    want: "/v1/simple/blue/true/7/blue,black,brown/R,100,G,200,B,150/R=100,G=200,B=150?api-version=2024-10-21",
  },
  {
    given: "path label and matrix, exploded and not",
    call: () => generated.getStyled(["blue", "black"], COLOR, ["blue", "black"], ["blue", "black"], COLOR, options()),
    want: "/v1/styled/.blue,black/.R=100.G=200.B=150/;matrix=blue,black;matrixExploded=blue;matrixExploded=black;R=100;G=200;B=150?api-version=2024-10-21",
  },
  {
    given: "query form, spaceDelimited, pipeDelimited, deepObject, allowReserved, after the server URL's own query",
    call: () =>
      generated.getQuery(
        {
          form: ["blue", "black"],
          formFlat: ["blue", "black"],
          formObject: COLOR,
          spaced: ["blue", "black"],
          piped: [1, 2],
          deep: COLOR,
          reserved: "a/b?c",
          flag: false,
          coords: { R: 1, G: 2, B: 3 },
        },
        options(),
      ),
    want:
      "/v1/query?api-version=2024-10-21&form=blue&form=black&formFlat=blue,black&formObject=R,100,G,200,B,150&spaced=blue%20black" +
      "&piped=1%7C2&deep%5BR%5D=100&deep%5BG%5D=200&deep%5BB%5D=150&reserved=a/b?c&flag=false&coords=%7B%22R%22%3A1%2C%22G%22%3A2%2C%22B%22%3A3%7D",
  },
  {
    given: "a server variable set to another enum value",
    call: () => generated.getQuery({}, options("v2")),
    want: "/v2/query?api-version=2024-10-21",
  },
  {
    given: "server variables from createClient, merged with the call's",
    call: () => generated.createClient({ serverVariables: { port, version: "v2" } }).getQuery!({ flag: true }, { maxRetries: 0 }),
    want: "/v2/query?api-version=2024-10-21&flag=true",
  },
])("$given", async ({ call, want }) => {
  await call();
  expect(received.map((r) => r.url)).toEqual([want]);
});

test("header parameters in the simple style (arrays, exploded objects, booleans), and one given as JSON content", async () => {
  await generated.getQuery({ "X-List": ["blue", "black"], "X-Object": COLOR, "X-Flag": false, "X-Json": COLOR }, options());
  const { headers } = received[0]!;
  expect([headers["x-list"], headers["x-object"], headers["x-flag"], headers["x-json"]]).toEqual(["blue,black", "R=100,G=200,B=150", "false", '{"R":100,"G":200,"B":150}']);
});

test("cookie parameters in the form style, in one Cookie header; an absent one sends nothing", async () => {
  await generated.getQuery({ session: "a b", tags: ["x", "y"], prefs: COLOR }, options());
  await generated.getQuery({ flag: true }, options());
  expect(received.map((r) => r.headers.cookie)).toEqual(["session=a%20b; tags=x; tags=y; prefs=R,100,G,200,B,150", undefined]);
});

test("parameter types follow the schema; server variables are typed from the spec's enum", () => {
  const file = path.join(tmp, "params.types.ts");
  writeFileSync(
    file,
    [
      `import { createClient, getSimple, getStyled, type ServerVariables } from ${JSON.stringify(path.join(out, "index"))};`,
      `export const a = getSimple("s", true, 1, ["x"], { R: 1, G: 2, B: 3 }, { R: 1, G: 2, B: 3 });`,
      `// @ts-expect-error a boolean path parameter is not a string`,
      `export const b = getSimple("s", "true", 1, ["x"], { R: 1, G: 2, B: 3 }, { R: 1, G: 2, B: 3 });`,
      `// @ts-expect-error an array path parameter is not a string`,
      `export const c = getStyled("x", { R: 1, G: 2, B: 3 }, [], [], { R: 1, G: 2, B: 3 });`,
      `export const d = createClient({ serverVariables: { port: "8080", version: "v2" } });`,
      `// @ts-expect-error version is one of the spec's enum values`,
      `export const e = createClient({ serverVariables: { version: "v3" } });`,
      `// @ts-expect-error the spec declares no such variable`,
      `export const f = createClient({ serverVariables: { region: "eu" } });`,
      `export const g: ServerVariables = { port: "1" };`,
    ].join("\n"),
  );
  expect(typeCheck([file], STRICTEST_OPTIONS)).toEqual([]);
});
