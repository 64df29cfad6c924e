import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { emitAll } from "../generator/emit";
import { codeStringLiteral } from "../generator/emit/escape";
import { assignCall, assignFunction, layoutLongLines, layoutTypeLines, objectProperty, PRINT_WIDTH, signature } from "../generator/emit/layout";
import { HELPERS } from "../generator/emit/validators";
import { alreadyFormatted, formatCode, formatText } from "../generator/pipeline/format/format";
import { specToIr } from "../generator/index";
import { GENERATED, irOfSchemas, ROOT } from "./helpers/spec";
import { typeCheck } from "./helpers/tsc";
import { suiteTempDir } from "./helpers/temp";

// The formatter keeps every statement `alreadyFormatted` accepts and the emitters' layouts
// produce: these tests hold both claims against prettier itself.

const tmp = suiteTempDir("morph-format-");

/** Prettier's own layout of `code`, without the final newline. */
const prettier = async (code: string): Promise<string> => (await formatText(code)).trimEnd();

/**
 * The contract the formatter relies on: a statement `alreadyFormatted` accepts is prettier's
 * output already (the rest go to prettier anyway). Returns how many were accepted, so a test
 * can tell it checked something.
 */
async function keptOnlyWherePrettierAgrees(statements: string[]): Promise<number> {
  let kept = 0;
  for (const s of statements) {
    if (!alreadyFormatted(s)) continue;
    kept++;
    expect(s).toBe(await prettier(s));
  }
  return kept;
}

/** A name of exactly `n` characters. */
const name = (n: number, first = "N"): string => (first + "abcdefghij".repeat(20)).slice(0, n);

test("prettier leaves every committed generated file as it is", async () => {
  const files = readdirSync(GENERATED, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  expect(files.length).toBeGreaterThan(8);
  for (const f of files) {
    const text = readFileSync(path.join(GENERATED, f), "utf8");
    expect([f, await formatText(text)]).toEqual([f, text]);
  }
});

test.each(["validators/edge.yaml", "validators/hostile.yaml", "multi-file/openapi.yaml", "injection/evil.json", "streaming/openapi.yaml", "params/openapi.yaml", "format/quirks.yaml"])(
  "the fixture %s: formatting statement by statement gives prettier's bytes",
  async (fixture) => {
    const emitted = emitAll(specToIr(path.join(ROOT, "test", "fixtures", fixture)));
    const formatted = await formatCode(emitted);
    for (const f of emitted) expect([f.path, formatted.find((x) => x.path === f.path)!.text]).toEqual([f.path, await formatText(f.text)]);
  },
);

test("__proto__ as a key of an object the client builds is computed, so it stays a property", () => {
  const client = emitAll(specToIr(path.join(ROOT, "test", "fixtures", "format", "quirks.yaml"))).find((f) => f.path === "client.ts")!.text;
  for (const key of ['schemes: {\n    ["__proto__"]: {', 'encoding: { ["__proto__"]: { contentType: "application/json" } }', 'serverVariables: { ["__proto__"]: "api" }']) expect(client).toContain(key);
  // Only the ServerVariables type names it plainly (a type has no prototype to set), and the docs.
  const code = client.replace(/^\s*(?:\/\*\*|\*).*$/gm, "");
  expect(code.match(/(?<![["])__proto__\??: /g)).toEqual(["__proto__?: "]);
});

test("a key or doc that spells the placeholder of a multi-line type is printed as itself", async () => {
  const forged = "\u00010\u0001";
  const ir = irOfSchemas({
    Base: { oneOf: [{ type: "string" }, { type: "number" }] },
    Forged: {
      allOf: [
        { $ref: "#/components/schemas/Base" },
        { type: "object", description: `${forged} doc`, properties: { [forged]: { type: "string", description: forged }, [`${forged}x`]: { type: "object", properties: { a: { type: "string" } } } } },
      ],
    },
  });
  const dir = path.join(tmp, "forged");
  mkdirSync(dir, { recursive: true });
  const files = await formatCode(emitAll(ir, { client: false, validators: false }));
  for (const f of files) writeFileSync(path.join(dir, f.path), f.text);
  const types = files.find((f) => f.path === "types.ts")!.text;
  expect(types).not.toContain("\u0001");
  expect(types).toContain('"\\u00010\\u0001"?: string;');
  expect(types).toBe(await formatText(types));
  expect(typeCheck([path.join(dir, "index.ts")])).toEqual([]);
});

describe("alreadyFormatted", () => {
  const long = "x".repeat(PRINT_WIDTH);
  const rows: [string, string, boolean][] = [
    ["a short statement", "export type A = B | C;", true],
    ["a code line one past the width", `export type A = "${"x".repeat(PRINT_WIDTH - 18)}";`, false],
    ["a code line exactly at the width", `export type A = "${"x".repeat(PRINT_WIDTH - 19)}";`, true],
    ["a long JSDoc line (prettier never rewraps comments)", `/**\n * ${long}\n */\nexport type A = B;`, true],
    ["a long one-line JSDoc", `/** ${long} */\nexport type A = B;`, true],
    ["a long line comment", `// ${long}\nconst a = 1;`, true],
    ["an interface extending one long name", `export interface ${name(60)} extends ${name(60, "M")} {\n  a: string;\n}`, true],
    ["an interface extending two names", `export interface ${name(60)} extends ${name(30, "M")}, ${name(30, "O")} {\n  a: string;\n}`, false],
    ["a lone long string argument", `const a = keys(\n  "${long}",\n);`, true],
    ["an escaped double quote (prettier may switch quotes)", 'const a = "say \\"hi\\"";', false],
    ["trailing whitespace", "const a = 1; ", false],
    ["a property typed by one long name", `export interface A {\n  key?: ${name(110)};\n}`, true],
    ["a long name or null (prettier hugs it)", `export interface A {\n  key?: ${name(110)} | null;\n}`, true],
    ["a long array or null (prettier breaks it)", `export interface A {\n  key?: ${name(110)}[] | null;\n}`, false],
    ["a long key typed string or null (prettier breaks it)", `export interface A {\n  ${name(100).toLowerCase()}?: string | null;\n}`, false],
    ["a short key and a long string", `const a = {\n  path: "${long}",\n};`, true],
    ["a five-letter key and a long string (prettier breaks after the colon)", `const a = {\n  paths: "${long}",\n};`, false],
    ["a long union member that is one name", `export type A =\n  | ${name(110)}\n  | B;`, true],
    ["a call's long head before its arguments", `f(\n  ${name(110)}(\n    a,\n  ),\n);`, true],
  ];
  test.each(rows)("%s", (_label, statement, want) => {
    expect(alreadyFormatted(statement)).toBe(want);
  });

  test("the table's claims hold for prettier: each statement it keeps, prettier keeps", async () => {
    for (const [label, statement, kept] of rows) {
      if (kept) expect([label, await prettier(statement)]).toEqual([label, statement]);
    }
  });
});

test("the validators' fixed helpers are written in prettier's format already", async () => {
  for (const [helper, { code }] of Object.entries(HELPERS)) {
    expect([helper, alreadyFormatted(code)]).toEqual([helper, true]);
    expect([helper, await prettier(code)]).toEqual([helper, code]);
  }
});

test.each([
  ["no quote", "a b", '"a b"'],
  ["as many of each", `a "b" 'c'`, `"a \\"b\\" 'c'"`],
  ["more double quotes", '"a" | "b"', `'"a" | "b"'`],
  ["more double quotes and an apostrophe", `"a" | "b's"`, `'"a" | "b\\'s"'`],
  ["a backslash before a quote", 'x\\"', `'x\\\\"'`],
])("codeStringLiteral, %s: the quotes prettier keeps", async (_label, value, want) => {
  const literal = codeStringLiteral(value);
  expect(literal).toBe(want);
  expect(await prettier(`f(${literal});`)).toBe(`f(${literal});`);
  expect(eval(literal)).toBe(value);
});

describe("the emitters' layouts are prettier's, on each side of the width", () => {
  // Every length from well inside to well past the width, so each branch meets its boundary.
  const lengths = Array.from({ length: 75 }, (_, i) => 15 + i);

  test("assignCall: `export const x = f<T>(arg);` and `const x = keys(\"…\");`", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      cases.push(assignCall(`export const validate${name(n)} =`, `validator<T.${name(n)}>`, `v${name(n)}`));
      cases.push(assignCall(`export const is${name(n)} =`, `guard<T.${name(n)}>`, `v${name(n)}`));
      cases.push(assignCall(`export const is${name(n)} =`, `guard<T.${name(n, "M")}>`, `v${name(Math.max(1, 40 - (n % 30)))}`));
      cases.push(assignCall(`const ks${name(8)} =`, "keys", `"${"ab cd ".repeat(n).trim()}"`));
    }
    // Every case is laid out within the width but those with a name too long for any layout.
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.9);
  });

  test("assignCall with a union type argument: prettier breaks inside the call first", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      cases.push(assignCall(`export const validate${name(n)} =`, `validator<T.${name(n)} | null>`, `v${name(n)}`));
      cases.push(assignCall(`export const is${name(n)} =`, `guard<T.${name(n, "M")} | null>`, `v${name(Math.max(1, 40 - (n % 30)))}`));
    }
    // Every case is laid out within the width but those with a name too long for any layout.
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.8);
  });

  test("assignFunction: `x.withResponse = function …;`, under `=` when its head overflows", async () => {
    const cases = lengths.map((n) =>
      assignFunction(
        `${name(n)}.withResponse`,
        `function ${name(n)}WithResponse(id: string, options?: RequestOptions): Promise<APIResult<${name(1 + (n % 40), "M")}>> {\n  return call<${name(1 + (n % 40), "M")}>(DEFAULTS, { method: "GET" }, options);\n}`,
      ),
    );
    // Not kept: names so long that even the function's own head overflows.
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.8);
  });

  test("imports: one name per line when the line is too long", async () => {
    const cases = lengths.map((n) => layoutLongLines(`import type { ${Array.from({ length: 1 + (n % 7) }, (_, i) => name(4 + ((n * (i + 1)) % 23), "ABCDEFG"[i])).join(", ")} } from "./types";`));
    expect(await keptOnlyWherePrettierAgrees(cases)).toBe(cases.length);
  });

  test("layoutLongLines: `return f(a, b);` and `return a && b;` / `a || b` chains", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      const calls = Array.from({ length: 2 + (n % 4) }, (_, i) => `v${name(4 + ((n * (i + 3)) % 29))}(v, c, k, 0, l)`);
      for (const line of [
        `    return tag(t, c, k, "type", ${codeStringLiteral(Array.from({ length: 1 + (n % 12) }, (_, i) => JSON.stringify(name(3 + i).toLowerCase())).join(" | "))});`,
        `    return ${calls.join(" && ")};`,
        `    return typeof v !== "string" && ${calls.join(" && ")};`,
        `    return ${calls.join(" || ")};`,
        `    if (typeof v === "object") return ${calls.join(" && ")};`,
      ]) {
        cases.push(layoutLongLines(`function f(v: unknown, c: Ctx, k?: Key, l = c.s): boolean {\n  switch (v) {\n    case "x":\n  ${line}\n  }\n  return false;\n}`));
      }
    }
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.9);
  });

  test("objectProperty: `key: { … }` on one line or one entry per line, nested objects alike", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      const inner = (i: number) => [{ key: "type", value: '"apiKey"' }, { key: "name", value: JSON.stringify(name(1 + ((n * i) % 30)).toLowerCase()) }];
      const entries = Array.from({ length: 1 + (n % 4) }, (_, i) => ({ key: name(3 + ((n + i * 7) % 25)), value: inner(i + 1) }));
      cases.push(`const DEFAULTS = {\n  ${objectProperty("schemes", entries, 2)},\n  security: [],\n};`);
      cases.push(`f(\n  DEFAULTS,\n  {\n    method: "POST",\n    ${objectProperty("encoding", entries, 4)},\n  },\n  options,\n);`);
    }
    expect(await keptOnlyWherePrettierAgrees(cases)).toBe(cases.length);
  });

  test("layoutTypeLines: a union or an array of one after `:` or `=`, `Name | null` kept on its line", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      const literals = Array.from({ length: 2 + (n % 9) }, (_, i) => JSON.stringify(name(3 + ((n * (i + 1)) % 19)).toLowerCase()));
      const names = Array.from({ length: 2 + (n % 3) }, (_, i) => name(8 + ((n * (i + 2)) % 37), "ABC"[i]));
      const array = `(${literals.join(" | ")})[]`;
      for (const type of [literals.join(" | "), array, `(${names.join(" | ")})[]`, `${names[0]} | null`, `"${name(n)}" | null`, `${array} | null`, `${names[1]} | ${array} | string`]) {
        cases.push(layoutTypeLines(`export interface I {\n  ${name(4 + (n % 20)).toLowerCase()}?: ${type};\n}`));
        cases.push(layoutTypeLines(`export type ${name(n % 40 + 3)} = ${type};`));
      }
    }
    // Not kept: a name or literal too long for any line.
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.95);
  });

  test("layoutLongLines: a call's plain arguments one per line, alone or in a chain", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      const calls = Array.from({ length: 1 + (n % 3) }, (_, i) => `v${name(20 + ((n * (i + 3)) % 70))}(v, c, k, 0, l)`);
      for (const second of ["vShort(v, c, k, 0, l)", 'v !== ""', '(typeof v !== "string" || v.length > 5)']) {
        cases.push(layoutLongLines(`function f(v: unknown, c: Ctx, k?: Key, l = c.s): boolean {\n  if (c.e === undefined) return v${name(n + 10)}(v, c, k, 0, l) && ${second};\n  return false;\n}`));
      }
      cases.push(layoutLongLines(`function f(v: unknown, c: Ctx, k?: Key, l = c.s): boolean {\n  if (c.e === undefined) return ${calls.join(" && ")};\n  ${calls[0]};\n  return false;\n}`));
      cases.push(layoutLongLines(`function f(v: unknown[], c: Ctx): boolean {\n  for (let i = 0; i < v.length; i++) if (v${name(n)}(v[i], c, i)) return true;\n  return false;\n}`));
      const attempts = Array.from({ length: 2 + (n % 20) }, (_, i) => `m${i + 1}`).join(", ");
      cases.push(layoutLongLines(`function f(v: unknown, c: Ctx, k?: Key): boolean {\n  const entered = enter(v, c, k, v${name(n)});\n  return none(c, k, [${attempts}]);\n}`));
    }
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.9);
  });

  test("signature: a function head on one line or one parameter per line", async () => {
    const params = ["v: unknown", "c: Ctx", "k?: Key", "f = 0", "l = c.s"];
    const cases = lengths.map((n) => `${signature(`function ${name(n)}`, params, "boolean")} {\n  return true;\n}`);
    expect(await keptOnlyWherePrettierAgrees(cases)).toBe(cases.length);
  });

  test("layoutLongLines: `if (…) return true;` alone and as a loop body, a Set of strings", async () => {
    const cases: string[] = [];
    for (const n of lengths) {
      const key = name(n).toLowerCase();
      for (const line of [
        `  if ((x = v[(k = "${key}")]) !== undefined && x !== null && v${name(n)}(x, c, k)) return true;`,
        `  if (v${name(n)}(v[(k = "${key}")], c, k, REQ)) return true;`,
        `  for (let i = 0; i < v.length; i++) if (v${name(n)}Item(v[i], c, i)) return true;`,
        `  if (v${name(n)}(v, c, k, 0, false) || v${name(40 - (n % 30), "M")}(v, c, k, 0, false)) return true;`,
        `  if (c.e === undefined && c.x) return notOne(v${name(n)}(v, c, k, 0, l), typeof v !== "string", !e${name(8)}.has(v));`,
      ]) {
        cases.push(layoutLongLines(`function f(v: Record<string, unknown>, c: Ctx, k?: Key): boolean {\n  let x: unknown;\n${line}\n  return false;\n}`));
      }
      cases.push(layoutLongLines(`const e${name(8)} = new Set<unknown>([${Array.from({ length: 1 + (n % 9) }, (_, i) => `"${name(5 + i * 3).toLowerCase()}"`).join(", ")}]);`));
    }
    expect(await keptOnlyWherePrettierAgrees(cases)).toBeGreaterThan(cases.length * 0.6);
  });
});

test("a spec with names of every length: formatting statement by statement gives prettier's bytes", async () => {
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  for (let n = 4; n <= 70; n += 3) {
    const values = Array.from({ length: 2 + (n % 7) }, (_, i) => name(3 + ((n * (i + 1)) % 17)).toLowerCase() + i);
    schemas[`Enum${name(n)}`] = { type: "string", enum: values };
    schemas[`Obj${name(n)}`] = {
      type: "object",
      required: ["kind"],
      description: `An object ${"with a long description ".repeat(n % 9)}`,
      properties: {
        kind: { type: "string", enum: ["obj"] },
        [name(n).toLowerCase()]: { type: "string", enum: values },
        nested: { type: "object", properties: { inner: { type: "integer", minimum: 0 } } },
        either: { anyOf: [{ type: "string" }, { $ref: `#/components/schemas/Enum${name(n)}` }] },
        // Object literals two deep, with docs, and after a name (`A & {`), on each side of the width.
        [`deep_${name(n).toLowerCase()}`]: {
          type: "object",
          description: "Two levels of literal.",
          properties: {
            [name(n, "L").toLowerCase()]: { type: "object", required: ["x"], properties: { x: { type: "string", description: `Doc ${"word ".repeat(n % 5)}` }, [name(n).toLowerCase()]: { $ref: `#/components/schemas/Enum${name(n)}` } } },
            listed: { type: "array", items: { type: "object", properties: { y: { type: "number" } } } },
          },
        },
        [`ext_${name(n).toLowerCase()}`]: { allOf: [{ $ref: `#/components/schemas/Enum${name(n)}` }, { type: "object", properties: { z: { type: "boolean" } } }] },
      },
    };
    // Found on real specs: an object without properties, a long `Name | null`, a long array of
    // a union, and an object literal in a client function's head and in a params interface.
    schemas[`Empty${name(n)}`] = { type: "object", properties: {} };
    schemas[`Holder${name(n)}`] = {
      type: "object",
      properties: {
        [`maybe_${name(n).toLowerCase()}`]: { anyOf: [{ $ref: `#/components/schemas/Obj${name(n)}` }, { type: "null" }] },
        [`kinds_${name(n).toLowerCase()}`]: { type: "array", items: { type: "string", enum: values } },
      },
    };
    paths[`/literal/${name(n).toLowerCase()}`] = {
      post: {
        operationId: `post${name(n)}`,
        parameters: [{ name: `filter_${name(n % 30 + 1).toLowerCase()}`, in: "query", schema: { type: "object", properties: { a: { type: "string", description: "A doc." } } } }],
        requestBody: { content: { "application/json": { schema: { allOf: [{ $ref: `#/components/schemas/Enum${name(n)}` }, { type: "object", properties: { b: { type: "string", description: "B doc." } } }] } } } },
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { c: { type: "string" } } } } } } },
      },
    };
    // Tagged objects (an enum naming optional siblings) print as unions of object literals:
    // alone, as a property and nested.
    const tagged = (prefix: string) => ({
      type: "object",
      required: ["type"],
      properties: {
        type: { type: "string", enum: [`${prefix}_a`, `${prefix}_b`] },
        [`${prefix}_a`]: { type: "string", description: `Doc ${"word ".repeat(n % 30)}` },
        [`${prefix}_b`]: { type: "integer" },
      },
    });
    schemas[`Inline${name(n)}`] = tagged(name(n % 40 + 1).toLowerCase());
    schemas[`HasInline${name(n)}`] = { type: "object", properties: { either: tagged("e"), deep: { type: "object", properties: { or: tagged("d") } } } };
    schemas[`Ext${name(n)}`] = { allOf: [{ $ref: `#/components/schemas/Union${name(n)}` }, { type: "object", required: ["extra"], properties: { extra: { type: "object", properties: { [name(n).toLowerCase()]: { type: "string" } } } } }] };
    schemas[`Union${name(n)}`] = { oneOf: Array.from({ length: 2 + (n % 4) }, (_, i) => ({ $ref: `#/components/schemas/Obj${name(4 + ((n + i * 3) % 67 - ((n + i * 3) % 67) % 3))}` })) };
    // A cursor-paginated list, so the …All function meets the width at every length.
    paths[`/lists/${name(n).toLowerCase()}`] = {
      get: {
        operationId: `list${name(n)}`,
        parameters: [{ name: "after", in: "query", schema: { type: "string" } }],
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  required: ["data", "has_more"],
                  properties: { data: { type: "array", items: { $ref: `#/components/schemas/Obj${name(n)}` } }, has_more: { type: "boolean" }, ...(n % 2 ? { last_id: { type: "string" } } : {}) },
                },
              },
            },
          },
        },
      },
    };
    paths[`/things/{${name(n).toLowerCase()}_id}/${name(n % 20 + 1).toLowerCase()}`] = {
      get: {
        operationId: `get${name(n)}`,
        parameters: [
          { name: `${name(n).toLowerCase()}_id`, in: "path", required: true, schema: { type: "string" } },
          ...Array.from({ length: n % 3 }, (_, i) => ({ name: `q${i}`, in: "query", schema: { type: "integer" } })),
        ],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: `#/components/schemas/Obj${name(n)}` } } } } },
      },
    };
  }
  const spec = path.join(tmp, "lengths.yaml");
  writeFileSync(spec, JSON.stringify({ openapi: "3.1.0", info: { title: "Lengths", version: "1" }, paths, components: { schemas } }));
  const emitted = emitAll(specToIr(spec));
  const formatted = await formatCode(emitted);
  let kept = 0;
  let keptLiterals = 0;
  let keptUnions = 0;
  for (const f of emitted) {
    const keptHere = (f.statements ?? []).filter((s) => !s.reformat && alreadyFormatted(s.text));
    kept += keptHere.length;
    keptLiterals += keptHere.filter((s) => /^export type \w+ = \{\n/m.test(s.text)).length;
    keptUnions += keptHere.filter((s) => /^export type Inline\w+ =\n {2}\| \{\n/m.test(s.text)).length;
    const got = formatted.find((x) => x.path === f.path)!.text;
    expect([f.path, got]).toEqual([f.path, await formatText(f.text)]);
  }
  // The test means something only if most statements skipped prettier, nested literals too.
  expect(kept).toBeGreaterThan(200);
  expect(keptLiterals).toBeGreaterThan(20);
  expect(keptUnions).toBeGreaterThan(20);
});
