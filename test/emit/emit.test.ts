import * as ts from "typescript";
import { emitClient } from "../../generator/emit/client";
import { emitTypes } from "../../generator/emit/declarations";
import { emitValidators } from "../../generator/emit/validators";
import type { IrDeclaration, IrOperation, IrSchema } from "../../generator/ir/types";
import { formatCode } from "../../generator/pipeline/format/format";
import { body, declaration, document, int, object, operation, prop, ref, str } from "./ir";

/** Emitters from hand-written IR (see ./ir.ts): what each IR shape prints as, and what its validator accepts. */

describe("types from IR", () => {
  const table: { given: IrDeclaration[]; want: string }[] = [
    { given: [declaration("Pet", object(prop("id", int), prop("name", str, false)))], want: "export interface Pet {\n  id: number;\n  name?: string;\n}" },
    { given: [declaration("Kind", { kind: "enum", values: ["cat", "dog"] })], want: 'export type Kind = "cat" | "dog";' },
    { given: [declaration("Tags", { kind: "array", items: str })], want: "export type Tags = string[];" },
    { given: [declaration("Scores", { kind: "map", values: int })], want: "export type Scores = { [key: string]: number };" },
    { given: [declaration("Anything", { kind: "unknown" })], want: "export type Anything = unknown;" },
    { given: [declaration("Owner", object(prop("pet", { kind: "nullable", inner: ref("Pet") })))], want: "export interface Owner {\n  pet: Pet | null;\n}" },
    // A nullable declaration leaves null out; each reference adds it (the IR says where).
    { given: [declaration("Metadata", { kind: "map", values: str }, { nullable: true })], want: "export type Metadata = { [key: string]: string };" },
    {
      given: [declaration("Both", { kind: "intersection", members: [ref("A"), object(prop("b", str))] })],
      want: "export type Both = A & {\n  b: string;\n};",
    },
    // Object and array values: object literal types and tuples, keys quoted where they must be.
    { given: [declaration("Origin", { kind: "literal", value: { x: 0, "a-b": [1, "a", null], o: {}, l: [] } })], want: 'export type Origin = { x: 0; "a-b": [1, "a", null]; o: {}; l: [] };' },
    { given: [declaration("Mixed", { kind: "enum", values: ["a", 1, { k: { n: true } }, [[2]]] })], want: 'export type Mixed = "a" | 1 | { k: { n: true } } | [[2]];' },
    { given: [declaration("Cells", { kind: "array", items: { kind: "enum", values: [{ a: 1 }, "b"] } })], want: 'export type Cells = ({ a: 1 } | "b")[];' },
    {
      given: [declaration("Dog", object(prop("bark", { kind: "literal", value: true })), { meta: { description: "A dog." } })],
      want: "/** A dog. */\nexport interface Dog {\n  bark: true;\n}",
    },
  ];
  test.each(table)("$want", async ({ given, want }) => {
    const [file] = await formatCode([emitTypes(document(given))]);
    expect(body(file.text)).toBe(want);
  });
});

/** The validators file of an IR, compiled and loaded: its imports are type-only, so it runs alone. */
function loadValidators(declarations: IrDeclaration[]): Record<string, (v: unknown, o?: { strict?: boolean }) => unknown> {
  const js = ts.transpileModule(emitValidators(document(declarations)).text, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const module = { exports: {} as Record<string, (v: unknown) => unknown> };
  new Function("module", "exports", js)(module, module.exports);
  return module.exports;
}

describe("validators from IR", () => {
  const shape: IrSchema = {
    kind: "union",
    members: [object(prop("type", { kind: "literal", value: "circle" }), prop("r", int)), object(prop("type", { kind: "literal", value: "square" }), prop("side", int))],
    discriminator: { property: "type", reason: "discriminator", values: [["circle"], ["square"]] },
  };
  const table: { given: IrDeclaration; value: unknown; want: unknown }[] = [
    { given: declaration("Pet", object(prop("id", int), prop("name", str, false))), value: { id: 1 }, want: { ok: true, value: { id: 1 } } },
    { given: declaration("Pet", object(prop("id", int))), value: {}, want: { ok: false, errors: [{ path: "/id", message: "missing required property" }] } },
    { given: declaration("Pet", object(prop("id", int))), value: { id: 1.5 }, want: { ok: false, errors: [{ path: "/id", message: "expected an integer, got 1.5", expected: "integer" }] } },
    { given: declaration("Kind", { kind: "enum", values: ["cat", "dog"] }), value: "cow", want: { ok: false, errors: [{ path: "", message: 'expected one of "cat" | "dog", got the string "cow"', expected: '"cat" | "dog"' }] } },
    { given: declaration("Shape", shape), value: { type: "square", side: 2 }, want: { ok: true, value: { type: "square", side: 2 } } },
    { given: declaration("Shape", shape), value: { type: "circle" }, want: { ok: false, errors: [{ path: "/r", message: "missing required property" }] } },
    { given: declaration("Meta", { kind: "map", values: str }, { nullable: true }), value: null, want: { ok: true, value: null } },
  ];
  test.each(table)("$given.name: $value", ({ given, value, want }) => {
    const validators = loadValidators([given]);
    expect(validators[`validate${given.name}`](value)).toEqual(want);
    expect(validators[`is${given.name}`](value)).toBe((want as { ok: boolean }).ok);
  });
});

describe("client from IR", () => {
  const pet = declaration("Pet", object(prop("id", int)));
  const table: { given: IrOperation; want: string }[] = [
    {
      given: operation({ operationId: "getPet", name: "getPet", method: "GET", path: "/pets/{id}", pathParams: [{ name: "id", in: "path", required: true, schema: str }], response: { status: "200", kind: "json", contentType: "application/json", schema: ref("Pet") } }),
      want: "export function getPet(id: string, options?: RequestOptions): Promise<Pet> {",
    },
    {
      given: operation({ operationId: "ping", name: "ping", method: "POST", path: "/ping" }),
      want: "export function ping(options?: RequestOptions): Promise<void> {",
    },
    {
      given: operation({ operationId: "addPet", name: "addPet", method: "POST", path: "/pets", requestBody: { required: true, kind: "json", contentType: "application/json", schema: ref("Pet") } }),
      want: "export function addPet(body: Pet, options?: RequestOptions): Promise<void> {",
    },
    {
      given: operation({ operationId: "listPets", name: "listPets", method: "GET", path: "/pets", paramsType: "ListPetsParams", queryParams: [{ name: "limit", in: "query", required: false, schema: int }] }),
      want: "export function listPets(params?: ListPetsParams, options?: RequestOptions): Promise<void> {",
    },
  ];
  test.each(table)("$given.operationId", ({ given, want }) => {
    const text = emitClient(document([pet], [given]), { validators: false }).text;
    expect(text.split("\n").filter((l) => l.startsWith("export function ") && !l.startsWith("export function createClient"))).toEqual([want]);
  });
});
