/** The value-test table: for each IR kind, an expression that is true when the caller must give up ("" when nothing can fail). */
import type { IrKind, IrPrimitive, IrSchema } from "../../ir/types";
import { codeStringLiteral, jsonLiteral } from "../escape";
import { allowedList, call, helperCall, takesLevel, withNull, type Module, type Site } from "./context";
import { isScalar } from "../../util/json";
import type { Helper } from "./helpers";
import { assertNever } from "../../util/assert-never";


type TestEmitter<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, at: Site, mod: Module) => string;

/** The helper that tests and reports each primitive type. */
export const TYPE_HELPERS = { string: "str", number: "num", integer: "int", boolean: "bool" } as const satisfies Record<IrPrimitive["type"], Helper>;

function constrained(s: IrPrimitive): boolean {
  const c = s.constraints;
  if (!c) return false;
  if (s.type === "string") return c.minLength !== undefined || c.maxLength !== undefined || c.pattern !== undefined;
  if (s.type === "boolean") return false;
  return (
    c.minimum !== undefined ||
    c.maximum !== undefined ||
    c.exclusiveMinimum !== undefined ||
    c.exclusiveMaximum !== undefined ||
    (c.multipleOf !== undefined && c.multipleOf > 0)
  );
}

/** A map, array or object that only needs its type checked. */
function onlyType(mod: Module, s: IrSchema): boolean {
  switch (s.kind) {
    case "map":
      return !canFail(mod, s.values);
    case "array":
      return s.constraints?.minItems === undefined && s.constraints?.maxItems === undefined && !canFail(mod, s.items);
    case "object":
      return (
        s.properties.length === 0 &&
        s.extends.length === 0 &&
        (s.additionalProperties === true || (typeof s.additionalProperties === "object" && !canFail(mod, s.additionalProperties)))
      );
    case "union":
    case "enum":
    case "literal":
    case "primitive":
    case "ref":
    case "nullable":
    case "unknown":
    case "intersection":
      return false;
    default:
      return assertNever(s);
  }
}

function viaSharedCheck(s: IrSchema, at: Site, mod: Module): string {
  if (onlyType(mod, s)) return helperCall(mod.use(s.kind === "array" ? "arr" : "obj"), at);
  return call(mod.sharedCheck(s), takesLevel(mod, s), at);
}

const testEmitters = {
  unknown: () => "",
  literal: (s, at, mod) => (isScalar(s.value) ? helperCall(mod.use("lit"), at, jsonLiteral(s.value)) : helperCall(mod.use("same"), at, mod.constant(s.value))),
  enum: (s, at, mod) => {
    const scalars = s.values.filter(isScalar);
    const allowed = codeStringLiteral(allowedList(s.values));
    if (scalars.length < s.values.length) return helperCall(mod.use("among"), at, mod.enumSet(scalars), mod.constant(s.values.filter((v) => !isScalar(v)), true), allowed);
    const test = helperCall(mod.use("one"), at, mod.enumSet(scalars));
    // A set drops repeated values, which check.ts still lists: then the list is spelled out.
    if (new Set(scalars).size === scalars.length) return test;
    return `${test.slice(0, -1)}${at.f === undefined ? ", 0" : ""}, ${allowed})`;
  },
  primitive: (s, at, mod) => (constrained(s) ? viaSharedCheck(s, at, mod) : helperCall(mod.use(TYPE_HELPERS[s.type]), at)),
  ref: (s, at, mod) => (canFail(mod, s, new Set()) ? call(`v${s.name}`, mod.declarationTakesLevel(s.name), at) : ""),
  nullable: (s, at, mod) => (canFail(mod, s.inner, new Set()) ? test(s.inner, { ...at, f: withNull(at.f, mod) }, mod) : ""),
  union: (s, at, mod) => (canFail(mod, s, new Set()) ? viaSharedCheck(s, at, mod) : ""),
  array: viaSharedCheck,
  map: viaSharedCheck,
  object: viaSharedCheck,
  intersection: viaSharedCheck,
} satisfies { [K in IrKind]: TestEmitter<K> };

/** The test for one value. */
export function test(schema: IrSchema, at: Site, mod: Module): string {
  return (testEmitters[schema.kind] as TestEmitter<typeof schema.kind>)(schema as never, at, mod);
}

/** Whether any value can fail `schema`: otherwise it needs no test at all. */
export function canFail(mod: Module, schema: IrSchema, seen = new Set<string>()): boolean {
  switch (schema.kind) {
    case "unknown":
      return false;
    case "ref": {
      const d = mod.byName.get(schema.name);
      if (!d || seen.has(schema.name)) return false;
      seen.add(schema.name);
      return canFail(mod, d.schema, seen);
    }
    case "nullable":
      return canFail(mod, schema.inner, seen);
    case "union":
      return schema.discriminator !== undefined || schema.members.every((m) => canFail(mod, m, new Set(seen)));
    case "object":
    case "enum":
    case "literal":
    case "array":
    case "map":
    case "primitive":
    case "intersection":
      return true;
    default:
      return assertNever(schema);
  }
}
