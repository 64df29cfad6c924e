import Ajv2020 from "ajv/dist/2020";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emitAll } from "../generator/emit";
import { buildIr } from "../generator/ir/build";
import { checkValue } from "../generator/ir/check";
import type { IrDocument, IrSchema } from "../generator/ir/types";
import { specToIr } from "../generator";
import { loadSpec } from "../generator/pipeline/load";
import { resolveRefs } from "../generator/pipeline/resolve";
import { toJsonSchema } from "./helpers/json-schema";
import { ROOT } from "./helpers/spec";
import { EQUAL, STRICTEST_OPTIONS, requireTranspiled, typeCheck } from "./helpers/tsc";

/*
 * `enum` and `const` with object and array values (issue 17): the IR keeps them, the types print
 * them as object literal and tuple types, and the validators compare them as JSON Schema does
 * (deep equality: keys in any order, items in order, `1` is `1.0`), in both modes and as check.ts.
 */

const FIXTURE = path.join(ROOT, "test", "fixtures", "literals", "literals.yaml");

interface Issue {
  path: string;
  message: string;
}
type Result = { ok: true } | { ok: false; errors: Issue[] };
type Generated = Record<string, (value: unknown, options?: { exactOneOf?: boolean }) => Result | boolean>;

let tmp: string;
let ir: IrDocument;
let gen: Generated;
let types: string;
let ajv: Ajv2020;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-literals-"));
  const resolved = resolveRefs(loadSpec(FIXTURE));
  ir = buildIr(resolved);
  ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema(toJsonSchema(JSON.parse(JSON.stringify(resolved.root))), "spec");
  const files = emitAll(ir);
  for (const f of files) writeFileSync(path.join(tmp, f.path), f.text);
  gen = requireTranspiled<Generated>(files, tmp);
  types = files.find((f) => f.path === "types.ts")!.text;
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function schemaOf(name: string): IrSchema | undefined {
  return ir.declarations.find((d) => d.name === name)?.schema;
}

function issues(decl: string, value: unknown, exactOneOf = false): Issue[] {
  const r = gen[`validate${decl}`](value, exactOneOf ? { exactOneOf } : undefined) as Result;
  return r.ok ? [] : r.errors.map(({ path, message }) => ({ path, message }));
}

test.each([
  // given the declaration, want its IR
  ["Origin", { kind: "literal", value: { x: 0, y: 0 } }],
  ["Pair", { kind: "literal", value: [1, "a"] }],
  ["Corner", { kind: "enum", values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }],
  ["Mode", { kind: "enum", values: ["auto", { level: 2 }] }],
  ["EmptyObject", { kind: "literal", value: {} }],
  ["EmptyArray", { kind: "literal", value: [] }],
])("IR: %s", (name, want) => {
  expect(schemaOf(name)).toMatchObject(want);
});

test.each([
  // given the declaration, want its line in types.ts
  ["Origin", "export type Origin = { x: 0; y: 0 };"],
  ["Pair", 'export type Pair = [1, "a"];'],
  ["Corner", "export type Corner = { x: 0; y: 0 } | { x: 1; y: 1 };"],
  ["Mode", 'export type Mode = "auto" | { level: 2 };'],
  ["Nested", 'export type Nested = { k: "box"; size: [2, 3]; meta: { "a-b": true; none: null }; list: [] };'],
  ["Keys", 'export type Keys = { "1": "one"; __proto__: 1; say: \'a "quoted" word\'; "x y": 1 };'],
  ["EmptyObject", "export type EmptyObject = {};"],
  ["EmptyArray", "export type EmptyArray = [];"],
  ["Grid", "export type Grid = [] | [[1, 2], [3, 4]];"],
  ["RefLike", 'export type RefLike = { $ref: "#/components/schemas/Origin" };'],
  ["Choice", 'export type Choice = { a: 1 } | (string & {}) | [1] | "x";'],
  // A const inside an object, and a nullable enum of an object.
  ["Settings", "  snake_case?: { created_at: 1 };"],
  ["Settings", "  maybe?: { on: true } | null | null;"],
])("types: %s is printed %s", (_name, line) => {
  expect(types.split("\n")).toContain(line);
});

test("types: tsc accepts the values and rejects the others, and the generated code compiles", () => {
  const file = path.join(tmp, "use.ts");
  const rows: [string, string, boolean][] = [
    // given a type and a value, want whether it compiles
    ["Origin", "{ x: 0, y: 0 }", true],
    ["Origin", "{ y: 0, x: 0 }", true],
    ["Origin", "{ x: 0, y: 1 }", false],
    ["Origin", "{ x: 0 }", false],
    ["Origin", "{ x: 0, y: 0, z: 0 }", false],
    ["Pair", '[1, "a"]', true],
    ["Pair", '["a", 1]', false],
    ["Pair", "[1]", false],
    ["Corner", "{ x: 1, y: 1 }", true],
    ["Corner", "{ x: 0, y: 1 }", false],
    ["Mode", '"auto"', true],
    ["Mode", "{ level: 2 }", true],
    ["Mode", '"manual"', false],
    ["Mode", "{ level: 3 }", false],
    ["Nested", '{ k: "box", size: [2, 3], meta: { "a-b": true, none: null }, list: [] }', true],
    ["Nested", '{ k: "box", size: [3, 2], meta: { "a-b": true, none: null }, list: [] }', false],
    ["Nested", '{ k: "box", size: [2, 3], meta: { "a-b": true, none: null }, list: [1] }', false],
    ["EmptyArray", "[]", true],
    ["EmptyArray", "[1]", false],
    ["Grid", "[[1, 2], [3, 4]]", true],
    ["Grid", "[[1, 2]]", false],
    ["Settings", "{ origin: { x: 0, y: 0 }, mode: { level: 2 }, snake_case: { created_at: 1 }, maybe: null }", true],
    ["Settings", '{ origin: { x: 0, y: 0 }, mode: "auto", maybe: { on: false } }', false],
  ];
  const lines = ['import type * as T from "./types";', EQUAL, 'export const keys: Equal<T.Keys["x y"] | T.Keys["1"], 1 | "one"> = true;'];
  rows.forEach(([type, value, ok], i) => {
    if (!ok) lines.push("// @ts-expect-error");
    lines.push(`export const v${i}: T.${type} = ${value};`);
  });
  writeFileSync(file, lines.join("\n"));
  const generated = ["types.ts", "validators.ts", "index.ts"].map((f) => path.join(tmp, f));
  expect(typeCheck([file, ...generated], STRICTEST_OPTIONS)).toEqual([]);
});

test("validators: given a value, want these issues (deep equality, as JSON Schema)", () => {
  const at = (p: string, message: string): Issue => ({ path: p, message });
  const rows: [string, unknown, Issue[]][] = [
    ["Origin", { x: 0, y: 0 }, []],
    // Key order does not matter, and 0 is 0.0.
    ["Origin", { y: 0.0, x: 0 }, []],
    ["Origin", { x: 0, y: 0, z: 0 }, [at("", 'expected {"x":0,"y":0}, got an object')]],
    ["Origin", { x: 0 }, [at("", 'expected {"x":0,"y":0}, got an object')]],
    ["Origin", { x: 0, y: "0" }, [at("", 'expected {"x":0,"y":0}, got an object')]],
    ["Origin", [0, 0], [at("", 'expected {"x":0,"y":0}, got an array')]],
    ["Origin", null, [at("", 'expected {"x":0,"y":0}, got null')]],
    ["Pair", [1, "a"], []],
    ["Pair", ["a", 1], [at("", 'expected [1,"a"], got an array')]],
    ["Pair", [1, "a", 1], [at("", 'expected [1,"a"], got an array')]],
    ["Pair", { 0: 1, 1: "a" }, [at("", 'expected [1,"a"], got an object')]],
    ["EmptyObject", {}, []],
    ["EmptyObject", [], [at("", "expected {}, got an array")]],
    ["EmptyArray", [], []],
    ["EmptyArray", {}, [at("", "expected [], got an object")]],
    ["Corner", { y: 1, x: 1 }, []],
    ["Corner", { x: 0, y: 1 }, [at("", 'expected one of {"x":0,"y":0} | {"x":1,"y":1}, got an object')]],
    ["Mode", "auto", []],
    ["Mode", { level: 2 }, []],
    ["Mode", { level: 2, extra: true }, [at("", 'expected one of "auto" | {"level":2}, got an object')]],
    ["Mode", "manual", [at("", 'expected one of "auto" | {"level":2}, got the string "manual"')]],
    ["Nested", { list: [], meta: { none: null, "a-b": true }, size: [2, 3], k: "box" }, []],
    ["Nested", { k: "box", size: [3, 2], meta: { "a-b": true, none: null }, list: [] }, [at("", 'expected {"k":"box","size":[2,3],"meta":{"a-b":true,"none":null},"list":[]}, got an object')]],
    ["Nested", { k: "box", size: [2, 3], meta: { "a-b": true }, list: [] }, [at("", 'expected {"k":"box","size":[2,3],"meta":{"a-b":true,"none":null},"list":[]}, got an object')]],
    ["Keys", JSON.parse('{"__proto__": 1, "1": "one", "say": "a \\"quoted\\" word", "x y": 1}'), []],
    ["Keys", { "1": "one", say: 'a "quoted" word', "x y": 1 }, [at("", 'expected {"1":"one","__proto__":1,"say":"a \\"quoted\\" word","x y":1}, got an object')]],
    ["Grid", [[1, 2], [3, 4]], []],
    ["Grid", [], []],
    ["Grid", [[3, 4], [1, 2]], [at("", "expected one of [] | [[1,2],[3,4]], got an array")]],
    ["Settings", { origin: { x: 0, y: 0 }, mode: "auto", corners: [{ x: 1, y: 1 }], maybe: null }, []],
    [
      "Settings",
      { origin: { x: 1, y: 0 }, mode: { level: 1 }, pair: [1, "a"], snake_case: { createdAt: 1 }, maybe: { on: false }, corners: [{ x: 0, y: 0 }, { x: 2 }] },
      [
        at("/origin", 'expected {"x":0,"y":0}, got an object'),
        at("/mode", 'expected one of "auto" | {"level":2}, got an object'),
        at("/snake_case", 'expected {"created_at":1}, got an object'),
        at("/maybe", 'expected one of {"on":true} | null, got an object'),
        at("/corners/1", 'expected one of {"x":0,"y":0} | {"x":1,"y":1}, got an object'),
      ],
    ],
    ["Settings", { mode: "auto" }, [at("/origin", "missing required property")]],
    ["RefLike", { $ref: "#/components/schemas/Origin" }, []],
    ["RefLike", { x: 0, y: 0 }, [at("", 'expected {"$ref":"#/components/schemas/Origin"}, got an object')]],
    ["Choice", { a: 1.0 }, []],
    ["Choice", [1], []],
    ["Choice", { a: 2 }, [at("", 'does not match any of the 3 allowed shapes (closest: expected {"a":1}, got an object)')]],
    ["Choice", [1, 1], [at("", 'does not match any of the 3 allowed shapes (closest: expected {"a":1}, got an array)')]],
  ];
  for (const [decl, value, want] of rows) expect([decl, value, issues(decl, value)]).toEqual([decl, value, want]);
});

test("validators: an array const overlaps an array type, so an exact oneOf rejects a value both take", () => {
  expect(issues("Overlap", [1.0])).toEqual([]);
  expect(issues("Overlap", [1], true)).toEqual([{ path: "", message: "matches 2 of the 2 allowed shapes; oneOf allows exactly one" }]);
  expect(issues("Overlap", [2], true)).toEqual([]);
});

test("validators: the same issues as check.ts, isX agrees with validateX, and ajv with the exact oneOf verdict", () => {
  const values: unknown[] = [
    { x: 0, y: 0 },
    { y: 0, x: 0 },
    { x: 1, y: 1 },
    { x: 0, y: 0, z: 0 },
    { x: 0 },
    [1, "a"],
    ["a", 1],
    [],
    {},
    [[1, 2], [3, 4]],
    [[1, 2]],
    "auto",
    { level: 2 },
    { level: 2.0 },
    null,
    { k: "box", size: [2, 3], meta: { "a-b": true, none: null }, list: [] },
    { origin: { x: 0, y: 0 }, mode: { level: 2 }, corners: [{ x: 0, y: 0 }, { x: 1, y: 2 }], maybe: { on: true } },
    { origin: { x: 0, y: 0 }, mode: "auto", snake_case: { created_at: 1.0 }, pair: [1, "a", 2] },
    { a: 1 },
    [1.0],
    "x",
    ...JSON.parse("[[1.0], {\"x\": 0.0, \"y\": 0}]"),
  ];
  const mismatches: unknown[] = [];
  for (const d of ir.declarations) {
    for (const [value, exactOneOf] of values.flatMap((v) => [[v, false], [v, true]] as const)) {
      const want = checkValue(ir, { kind: "ref", name: d.name }, value, { exactOneOf }).map(({ path, message }) => ({ path, message }));
      const got = issues(d.name, value, exactOneOf).map((i) => ({ ...i, message: i.message.replace(/ \(closest: [\s\S]*\)$/, "") }));
      if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ decl: d.name, value, got, want });
      if (!exactOneOf && gen[`is${d.name}`](value) !== (want.length === 0)) mismatches.push({ decl: d.name, value, note: "isX disagrees" });
      // JSON Schema's verdict is the exact oneOf one.
      if (exactOneOf && ajv.getSchema(`spec#/components/schemas/${d.name}`)!(value) !== (got.length === 0)) mismatches.push({ decl: d.name, value, got, note: "ajv disagrees" });
    }
  }
  expect(mismatches.slice(0, 3)).toEqual([]);
});

test("naming camel: the keys inside a const value are data, kept as the spec spells them", () => {
  const files = emitAll(specToIr(FIXTURE, { naming: "camel" }));
  const text = (name: string): string => files.find((f) => f.path === name)!.text;
  expect(text("types.ts").split("\n")).toContain("  snakeCase?: { created_at: 1 };");
  // The property is renamed on the wire and back; the value inside it is not.
  expect(text("client.ts")).toContain('const plan$Settings: WirePlan = { p: { snake_case: ["snakeCase"] } };');
  expect(text("validators.ts")).toContain("= { created_at: 1 };");
});
