import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { escapeJsDoc, jsonLiteral, propertyKey, stringLiteral } from "../generator/emit/escape";
import { specToIr } from "../generator/index";
import type { IrDocument } from "../generator/ir/types";
import { MANIFEST, writeOutput } from "../generator/pipeline/write";
import { cli } from "./helpers/cli";
import { ROOT } from "./helpers/spec";
import { EQUAL, readTsFiles, requireTranspiled, typeCheck } from "./helpers/tsc";
import { suiteTempDir } from "./helpers/temp";

/**
 * A spec is input, and input can be hostile: whatever its strings say, the generated code compiles,
 * exports only what the spec defines, runs nothing it smuggles in, and is written only where it
 * belongs. The fixture tries `*\/`, quotes, backslashes, `${`, backticks, U+2028, `@ts-ignore`,
 * `__proto__`… in every place a spec string can reach the output.
 */

const FIXTURE = path.join(ROOT, "test", "fixtures", "injection", "evil.json");
const PWNED = "__pwned";

const tmp = suiteTempDir("morph-inject-");

/** The text a string literal stands for, as TypeScript parses it. */
function parsedLiteral(literal: string): string | undefined {
  const source = ts.createSourceFile("x.ts", `const x = ${literal};`, ts.ScriptTarget.ES2022);
  const statement = source.statements[0];
  if (source.statements.length !== 1 || !ts.isVariableStatement(statement)) return undefined;
  const init = statement.declarationList.declarations[0].initializer;
  return init && ts.isStringLiteral(init) ? init.text : undefined;
}

const HOSTILE = ['a"b', "a'b", "back\\slash", "trailing\\", "\\", "${x}", "`tick`", "new\nline", "sep\u2028", "para\u2029", "*/", "/*", "</script>", "\u0000nul", ""];

describe("escaping helpers", () => {
  test.each(HOSTILE)("stringLiteral(%j) is one literal that reads back as the same text, and valid JSON", (given) => {
    const literal = stringLiteral(given);
    expect(parsedLiteral(literal)).toBe(given);
    expect(JSON.parse(literal)).toBe(given);
    expect(literal).not.toMatch(/[\u2028\u2029\n]/);
    // ts-morph's writer takes a quote after a backslash for an escaped one.
    expect(literal).not.toMatch(/(^|[^\\])(\\\\)+"/);
  });

  test("jsonLiteral keeps nested strings exact", () => {
    const given = { "k\\": ["v\\", "*/", "\u2028"], n: null };
    expect(JSON.parse(jsonLiteral(given))).toEqual(given);
    expect(jsonLiteral(given)).not.toMatch(/[\u2028]|(^|[^\\])(\\\\)+"/);
  });

  test.each([
    { given: "plain", want: "plain" },
    { given: "a-b", want: '"a-b"' },
    { given: "1st", want: '"1st"' },
    { given: "__proto__", want: "__proto__" },
    { given: 'a"b', want: '"a\\"b"' },
    { given: "\\", want: '"\\u005c"' },
  ])("propertyKey($given) → $want", ({ given, want }) => {
    expect(propertyKey(given)).toBe(want);
  });

  test.each([
    { given: "ends */ here", want: "ends *\\/ here" },
    { given: "opens /* here", want: "opens /\\* here" },
    { given: "*/*", want: "*\\/\\*" },
    { given: "line\u2028sep\rcr", want: "line\nsep\ncr" },
    { given: "@ts-ignore and @TS-expect-error", want: "\\@ts-ignore and \\@TS-expect-error" },
    { given: "bell\u0007 and trailing   \nspace  ", want: "bell and trailing\nspace" },
  ])("escapeJsDoc($given) → $want", ({ given, want }) => {
    expect(escapeJsDoc(given)).toBe(want);
  });

  test("an escaped block comment never becomes a compiler directive (and unescaped, it would)", () => {
    const hostile = "API\n@ts-expect-error";
    const file = (name: string, text: string) => {
      const f = path.join(tmp, name);
      writeFileSync(f, `/* Types for ${text} */\nexport const x = 1;\n`);
      return f;
    };
    expect(typeCheck([file("escaped.ts", escapeJsDoc(hostile))])).toEqual([]);
    expect(typeCheck([file("raw.ts", hostile)]).join("\n")).toMatch(/Unused '@ts-expect-error' directive/);
  });
});

describe("a spec full of injection attempts", () => {
  let ir: IrDocument;
  let out: string;
  let generated: Record<string, unknown>;
  let runtimeExports: string[];

  /** Transpiles every `.ts` of `dir` to CommonJS in a fresh directory and requires `entry` there. */
  const load = (dir: string, entry: string) => requireTranspiled(readTsFiles(dir), mkdtempSync(path.join(tmp, "cjs-")), entry);

  beforeAll(async () => {
    out = path.join(tmp, "evil");
    const result = await cli("generate", FIXTURE, "-o", out, "--quiet");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    ir = specToIr(FIXTURE);
    expect((globalThis as Record<string, unknown>)[PWNED]).toBeUndefined();
    generated = load(out, "index.js");
    runtimeExports = Object.keys(load(path.join(ROOT, "templates"), "runtime.js"));
  });

  test("the output compiles under --strict with no errors", () => {
    expect(typeCheck([path.join(out, "index.ts")])).toEqual([]);
  });

  test("every property name reaches its type unchanged, __proto__ and constructor included", () => {
    const spec = JSON.parse(readFileSync(FIXTURE, "utf8"));
    const names = Object.keys(spec.components.schemas.Evil.properties);
    expect(names).toEqual(expect.arrayContaining(["__proto__", "constructor", 'a"b', "*/", "\\"]));
    const file = path.join(tmp, "keys.types.ts");
    writeFileSync(
      file,
      [
        `import type { Evil } from ${JSON.stringify(path.join(out, "index"))};`,
        EQUAL,
        `export const keys: Equal<keyof Evil, ${names.map((n) => JSON.stringify(n)).join(" | ")}> = true;`,
        `export const proto: Equal<Evil["__proto__"], string> = true;`,
        "",
      ].join("\n"),
    );
    expect(typeCheck([file])).toEqual([]);
  });

  test("generating twice gives the same bytes", async () => {
    const again = path.join(tmp, "evil-again");
    expect((await cli("generate", FIXTURE, "-o", again, "--quiet")).code).toBe(0);
    for (const f of readdirSync(out)) expect([f, readFileSync(path.join(again, f), "utf8")]).toEqual([f, readFileSync(path.join(out, f), "utf8")]);
  });

  test("the loaded module exports exactly the spec's operations and validators plus the runtime's", () => {
    const served = ir.operations.filter((op) => !op.unsupported).map((op) => op.name);
    const validators = ir.declarations.flatMap((d) => [`is${d.name}`, `validate${d.name}`]);
    const want = [...new Set([...runtimeExports, ...served, "createClient", ...validators])].sort();
    expect(Object.keys(generated).sort()).toEqual(want);
    expect(served.length).toBe(4);
  });

  test("every type the spec defines is exported by name, and nothing else but the client's and validators' own", () => {
    const program = ts.createProgram([path.join(out, "index.ts")], { strict: true, noEmit: true, types: [], skipLibCheck: true });
    const checker = program.getTypeChecker();
    const exported = (file: string) => checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path.join(out, file))!)!).map((s) => s.name);
    const types = new Set(exported("index.ts").filter((n) => !(n in generated)));
    const fromRuntime = new Set(exported("runtime.ts"));
    const want = [...ir.declarations.map((d) => d.name), ...ir.operations.flatMap((op) => (op.paramsType && !op.unsupported ? [op.paramsType] : []))];
    expect(want.filter((n) => !types.has(n))).toEqual([]);
    const extra = [...types].filter((n) => !want.includes(n) && !fromRuntime.has(n));
    expect(extra.sort()).toEqual(["Client", "ValidateOptions"]);
  });

  test("no injected code ran: not on load, not in validators, not in client calls", async () => {
    const requests: string[] = [];
    const fetch = async (url: string | URL) => {
      requests.push(String(url));
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    const options = { fetch, apiKey: "k", maxRetries: 0, validate: false };
    const call = (name: string, ...args: unknown[]) => (generated[name] as (...a: unknown[]) => Promise<unknown>)(...args, options);
    await call("getItemGlobalThisPwned1", "a/b?c#d", "${x}`'\"", { constructor: 5 });
    await call("constructor_", "x", "y", { "a\"b": "", __proto__: "" });
    await call("proto");
    await call("toString");
    for (const decl of ir.declarations) {
      (generated[`validate${decl.name}`] as ((v: unknown) => unknown) | undefined)?.({ "a\"b": "${globalThis.__pwned = 1}", kind: "*/" });
    }
    expect((globalThis as Record<string, unknown>)[PWNED]).toBeUndefined();

    // The server URL and the path reach the request as the spec wrote them, arguments encoded.
    const get = ir.operations.find((op) => op.name === "getItemGlobalThisPwned1")!;
    const path0 = get.path.replace("{item-id}", encodeURIComponent("a/b?c#d")).replace("{__proto__}", encodeURIComponent("${x}`'\""));
    expect(requests[0]).toBe(`${ir.baseURL}${path0}?constructor=5`);
    expect(ir.baseURL).toBe('https://x.example"; process.exit(1); //`${globalThis.__pwned = 1}`');
    expect(requests.slice(1)).toEqual([`${ir.baseURL}${get.path.replace("{item-id}", "x").replace("{__proto__}", "y")}`, `${ir.baseURL}/__proto__`, `${ir.baseURL}/toString`]);
  });

  test("validators accept the spec's own hostile values and reject near misses", () => {
    const values = ["quote \" double", "back\\slash", "line\u2028separator", "*/ globalThis.__pwned = 1; /*"];
    const isEvilName = generated.isEvilName as (v: unknown) => boolean;
    expect(typeof isEvilName).toBe("function");
    for (const v of values) expect([v, isEvilName(v)]).toEqual([v, true]);
    expect(isEvilName("back\\\\slash")).toBe(false);
    expect(isEvilName("line\nseparator")).toBe(false);
  });

  test("an enum of objects and arrays with hostile keys and strings is data: its own values pass, near misses and a prototype do not", () => {
    const spec = JSON.parse(readFileSync(FIXTURE, "utf8"));
    const [object, array, proto] = spec.components.schemas.EvilConst.enum as [Record<string, string>, string[], object];
    const isEvilConst = generated.isEvilConst as (v: unknown) => boolean;
    const rows: [unknown, boolean][] = [
      [object, true],
      [array, true],
      // JSON.parse gives `__proto__` as an own key, as the spec has it.
      [proto, true],
      [{ ...object, "a\"b": "a'b" }, false],
      [[...array].reverse(), false],
      // An object whose prototype is `{ polluted: true }` has no own `__proto__` key.
      [{ __proto__: { polluted: true } }, false],
    ];
    for (const [value, want] of rows) expect([value, isEvilConst(value)]).toEqual([value, want]);
  });

  // `params?.constructor` would read Object.prototype.constructor when the caller leaves the
  // parameter out, and send `?constructor=function Object() { [native code] }`: the client reads
  // own properties only.
  test("a query parameter named like an Object.prototype member is not sent when left out", async () => {
    const requests: string[] = [];
    const fetch = async (url: string | URL) => {
      requests.push(String(url));
      return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
    };
    await (generated.getItemGlobalThisPwned1 as (...a: unknown[]) => Promise<unknown>)("a", "b", {}, { fetch, apiKey: "k", maxRetries: 0, validate: false });
    expect(requests[0]).not.toMatch(/constructor=/);
  });
});

// Union values and renamed names come from the spec: printed raw, a tag with a newline (`y\n${z}`)
// would split its report line (and escape sequences would reach the terminal).
test("generate --verbose prints exactly one line per inferred union and per rename", async () => {
  const ir = specToIr(FIXTURE);
  const result = await cli("generate", FIXTURE, "-o", path.join(tmp, "report"), "--verbose");
  const lines = result.stdout.split("\n");
  expect(lines.filter((l) => l.startsWith("union ")).length).toBe(ir.unions.length);
  expect(lines.filter((l) => !/^(union|renamed) /.test(l))).toEqual([expect.stringMatching(/ written, /)]);
});

// An optional header parameter the caller leaves out must not be passed as `{ name: undefined }`,
// which the runtime reads as "delete this header": it would drop the same header set by options
// (`organization`), and throw for a name fetch rejects.
describe("an optional header parameter left out has no effect", () => {
  const cases = [
    { given: "OpenAI-Organization, also set by the organization option", header: "OpenAI-Organization", want: (h: Headers) => h.get("openai-organization") === "org-1" },
    { given: "a name fetch would reject", header: "x-bad/name", want: () => true },
  ];
  test.each(cases)("$given", async ({ header, want }) => {
    const dir = mkdtempSync(path.join(tmp, "header-"));
    const spec = { openapi: "3.1.0", info: { title: "H", version: "1" }, servers: [{ url: "https://h.example" }], paths: { "/h": { get: { operationId: "getH", parameters: [{ name: header, in: "header", schema: { type: "string" } }], responses: { "200": { description: "ok" } } } } } };
    writeFileSync(path.join(dir, "spec.json"), JSON.stringify(spec));
    expect((await cli("generate", path.join(dir, "spec.json"), "-o", path.join(dir, "out"), "--quiet")).code).toBe(0);
    const { getH } = requireTranspiled<{ getH: (params: object, options: object) => Promise<unknown> }>(readTsFiles(path.join(dir, "out")), path.join(dir, "cjs"));
    let sent: Headers | undefined;
    const fetch = async (_url: string, init: RequestInit) => {
      sent = new Headers(init.headers);
      return new Response(null, { status: 200 });
    };
    await getH({}, { fetch, apiKey: "k", maxRetries: 0, organization: "org-1" });
    expect(sent && want(sent)).toBe(true);
  });
});

describe("the writer stays inside the output directory", () => {
  test.each(["../x.ts", "a/../../x.ts", "/tmp/abs.ts", "..\\x.ts", "C:\\x.ts", "", ".", "a/./b.ts", "a//b.ts"])("refuses %j and writes nothing", (rel) => {
    const base = mkdtempSync(path.join(tmp, "write-"));
    const out = path.join(base, "out");
    expect(() => writeOutput(out, [{ path: "ok.ts", text: "x" }, { path: rel, text: "x" }])).toThrow(
      expect.objectContaining({ code: "E_WRITE", message: `refusing to write outside the output directory: ${rel}` }),
    );
    expect(readdirSync(base)).toEqual([]);
  });

  test("the harness can fail: a nested relative path is written", () => {
    const out = path.join(mkdtempSync(path.join(tmp, "write-")), "out");
    writeOutput(out, [{ path: "sub/ok.ts", text: "x" }]);
    expect(readFileSync(path.join(out, "sub", "ok.ts"), "utf8")).toBe("x");
  });

  test("only files the previous manifest lists are deleted: never the user's, never outside, never a directory", async () => {
    const base = mkdtempSync(path.join(tmp, "manifest-"));
    const out = path.join(base, "out");
    mkdirSync(path.join(out, "listed-dir"), { recursive: true });
    writeFileSync(path.join(base, "victim.txt"), "outside");
    writeFileSync(path.join(out, "mine.ts"), "user");
    writeFileSync(path.join(out, "stale.ts"), "generated earlier");
    writeFileSync(path.join(out, "listed-dir", "keep.ts"), "user");
    const listed = ["../victim.txt", path.join(base, "victim.txt"), "listed-dir", "stale.ts", "missing.ts"];
    writeFileSync(path.join(out, MANIFEST), JSON.stringify({ generator: "openapi-morph", files: Object.fromEntries(listed.map((f) => [f, "0"])) }));

    const result = await cli("generate", FIXTURE, "-o", out, "--quiet");
    expect(result.code).toBe(0);
    expect(readFileSync(path.join(base, "victim.txt"), "utf8")).toBe("outside");
    expect(readFileSync(path.join(out, "mine.ts"), "utf8")).toBe("user");
    expect(readFileSync(path.join(out, "listed-dir", "keep.ts"), "utf8")).toBe("user");
    expect(existsSync(path.join(out, "stale.ts"))).toBe(false);
    expect(readdirSync(base)).toEqual(["out", "victim.txt"]);
  });
});
