import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as fc from "fast-check";
import { emitAll } from "../generator/emit";
import { buildIr } from "../generator/ir/build";
import { checkValue } from "../generator/ir/check";
import type { IrDocument, IrObject, IrSchema } from "../generator/ir/types";
import { loadSpec } from "../generator/pipeline/load";
import { resolveRefs } from "../generator/pipeline/resolve";
import { ROOT } from "./helpers/spec";
import { requireTranspiled, typeCheck } from "./helpers/tsc";

/*
 * `additionalProperties: false` by direction (passes/unknown-keys.ts) and `not: { required }`,
 * on one fixture: the IR's reading, the validators' issues (the same as check.ts's, and `isX`
 * agreeing with `validateX`), and what the types say.
 */

const FIXTURE = path.join(ROOT, "test", "fixtures", "unknown-keys", "closed.yaml");

interface Issue {
  path: string;
  message: string;
}
type Result = { ok: true } | { ok: false; errors: Issue[] };
type Generated = Record<string, (value: unknown, options?: { strict?: boolean }) => Result | boolean>;

let tmp: string;
let ir: IrDocument;
let gen: Generated;
let types: string;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-unknown-keys-"));
  ir = buildIr(resolveRefs(loadSpec(FIXTURE)));
  const files = emitAll(ir);
  for (const f of files) writeFileSync(path.join(tmp, f.path), f.text);
  gen = requireTranspiled<Generated>(files, tmp);
  types = files.find((f) => f.path === "types.ts")!.text;
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The objects at a declaration's top: itself, or an intersection's object members. */
function topObjects(name: string): IrObject[] {
  const s = ir.declarations.find((d) => d.name === name)?.schema;
  const all: IrSchema[] = s?.kind === "intersection" ? s.members : s ? [s] : [];
  return all.filter((m): m is IrObject => m.kind === "object");
}

function issues(decl: string, value: unknown, strict = false): Issue[] {
  const r = gen[`validate${decl}`](value, strict ? { strict: true } : undefined) as Result;
  return r.ok ? [] : r.errors.map(({ path, message }) => ({ path, message }));
}

test.each([
  // given the declaration, want how its validators treat unknown keys and what `not` rules out
  ["Sent", "reject", undefined],
  ["Answered", "strict", undefined],
  ["Filter", "reject", undefined], // a parameter, and answered inside Answered: both directions
  ["Unused", "reject", undefined], // no operation reaches it: the spec's word
  ["Pet", "strict", undefined], // the answered half of a readOnly split
  ["PetWrite", "reject", undefined], // the sent half
  ["ImageRef", "reject", [["url", "file"]]],
  ["NoSecret", undefined, [["secret"]]],
  ["Choice", undefined, [["a", "b"], ["c"]]],
])("IR: %s has unknownKeys %s and notAllOf %j", (name, unknownKeys, notAllOf) => {
  const objects = topObjects(name);
  expect(objects.length).toBeGreaterThan(0);
  expect(objects.map((o) => o.unknownKeys).find((u) => u !== undefined)).toBe(unknownKeys);
  expect(objects.map((o) => o.notAllOf).find((n) => n !== undefined)).toEqual(notAllOf);
});

test("validators: given a value, want these issues", () => {
  const unknown = (at: string): Issue => ({ path: at, message: "unknown property" });
  const rows: [string, unknown, Issue[], boolean?][] = [
    ["Sent", { name: "n" }, []],
    ["Sent", { name: "n", extra: 1 }, [unknown("/extra")]],
    ["Answered", { id: "a", extra: 1 }, []],
    ["Answered", { id: "a", extra: 1 }, [unknown("/extra")], true],
    // A closed schema inside a lenient one is still closed.
    ["Answered", { shared: { key: "k", extra: 1 } }, [unknown("/shared/extra")]],
    ["Filter", { key: "k", other: true }, [unknown("/other")]],
    ["Unused", { a: "x", b: "y" }, [unknown("/b")]],
    ["Pet", { id: "1", name: "rex", age: 3 }, []],
    ["PetWrite", { name: "rex", age: 3 }, [unknown("/age")]],
    // The readOnly `id` is not part of what is sent.
    ["PetWrite", { id: "1", name: "rex" }, [unknown("/id")]],
    ["ImageRef", { url: "u" }, []],
    ["ImageRef", { file: "f" }, []],
    ["ImageRef", { url: "u", file: "f" }, [{ path: "", message: 'must not have "url" and "file" together' }]],
    ["ImageRef", { url: "u", file: undefined }, []],
    ["ImageRef", { url: "u", tag: 1 }, [unknown("/tag")]],
    ["Sent", { name: "n", image: { url: "u", file: "f", x: 1 } }, [{ path: "/image", message: 'must not have "url" and "file" together' }, unknown("/image/x")]],
    ["NoSecret", { user: "u" }, []],
    ["NoSecret", { user: "u", secret: "s" }, [{ path: "", message: 'must not have "secret"' }]],
    ["NoSecret", { extra: 1 }, []],
    ["Choice", { a: "a" }, []],
    ["Choice", { a: "a", b: "b", c: "c" }, [{ path: "", message: 'must not have "a" and "b" together' }, { path: "", message: 'must not have "c"' }]],
    ["Sent", { name: "n", choice: { c: "c" } }, [{ path: "/choice", message: 'must not have "c"' }]],
    ["BareNot", { other: 1 }, []],
    ["BareNot", { secret: "s" }, [{ path: "", message: 'must not have "secret"' }]],
    ["EmptyOnly", {}, []],
    ["EmptyOnly", { a: 1 }, [unknown("/a")]],
  ];
  for (const [decl, value, want, strict] of rows) expect([decl, value, strict ?? false, issues(decl, value, strict)]).toEqual([decl, value, strict ?? false, want]);
});

test("validators: the same issues as check.ts in both modes, and isX agrees with validateX", () => {
  const seeds: unknown[] = [
    { name: "n", image: { url: "u" }, secretless: { user: "u" }, choice: { a: "a" } },
    { id: "a", shared: { key: "k" } },
    { url: "u", file: "f" },
    { a: "a", b: "b", c: "c" },
    { id: "1", name: "rex" },
    {},
    { constructor: 1 },
  ];
  const values = [...seeds, ...seeds.flatMap((s) => [{ ...(s as object), extra: 1 }, ...Object.keys(s as object).map((k) => ({ ...(s as object), [k]: 1 }))])];
  values.push(...fc.sample(fc.dictionary(fc.constantFrom("a", "b", "c", "url", "file", "secret", "key", "name", "x"), fc.oneof(fc.string(), fc.constant(1))), { seed: 15, numRuns: 60 }));
  const mismatches: unknown[] = [];
  for (const d of ir.declarations) {
    for (const value of values) {
      for (const strict of [false, true]) {
        const want = checkValue(ir, { kind: "ref", name: d.name }, value, { strict }).map(({ path, message }) => ({ path, message }));
        // The union message adds the closest member's first issue to what check.ts says.
        const got = issues(d.name, value, strict).map((i) => ({ ...i, message: i.message.replace(/ \(closest: [\s\S]*\)$/, "") }));
        if (JSON.stringify(got) !== JSON.stringify(want)) mismatches.push({ decl: d.name, strict, value, got, want });
      }
      if (gen[`is${d.name}`](value) !== (issues(d.name, value).length === 0)) mismatches.push({ decl: d.name, value, note: "isX and validateX disagree" });
    }
  }
  expect(mismatches.slice(0, 3)).toEqual([]);
});

test("types: a single forbidden key is `?: never`, the rest is said in the JSDoc", () => {
  expect(types).toContain("secret?: never;");
  expect(types).toContain("Must not have `url` and `file` together (`not: { required }`); the validators check it.");
  expect(types).toContain("Must not have `a` and `b` together (`not: { required }`); the validators check it.");
  expect(types).toMatch(/`additionalProperties: false`: the validators reject unknown properties\.\s*\*\/\s*export interface Sent /);
  expect(types).toMatch(/`additionalProperties: false`, but only ever answered: the validators accept unknown properties unless `\{ strict: true \}`\.\s*\*\/\s*export interface Answered /);
  const file = path.join(tmp, "use.ts");
  writeFileSync(
    file,
    [
      'import type { Choice, NoSecret } from "./types";',
      'export const fine: NoSecret = { user: "u" };',
      "// @ts-expect-error `not: { required: [secret] }`",
      'export const secret: NoSecret = { user: "u", secret: "s" };',
      'export const c: Choice = { a: "a" };',
      "// @ts-expect-error a single key of an anyOf list",
      'export const cc: Choice = { c: "c" };',
    ].join("\n"),
  );
  expect(typeCheck([file])).toEqual([]);
});
