/**
 * Reading OpenAPI schema objects as they stand in the spec (before they become IR): the null
 * spellings, docs, constraints, and the look-ups through `$ref`s and `allOf` that union inference
 * and allOf merging need.
 */
import { unescapePointerSegment } from "../../errors";
import { isObject, type JsonObject } from "../../util/object";
import { isScalar } from "../../util/json";
import type { IrConstraints, IrMeta, IrSchema, JsonValue, Scalar } from "../types";
import type { BuildContext } from "./context";

export type Raw = JsonObject;


/** A schema that admits only `null` (`{type: "null"}`, possibly with a description). */
function isNullSchema(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (v.type === "null") return true;
  return Array.isArray(v.enum) && v.enum.length === 1 && v.enum[0] === null;
}

/**
 * Splits "may be null" from the rest of a schema. OpenAPI has three spellings (3.0 `nullable`,
 * 3.1 `type: [x, "null"]`, `anyOf: [x, {type: "null"}]`) and they must all mean the same.
 */
export function splitNull(node: Raw): { nullable: boolean; rest: Raw } {
  let nullable = false;
  let rest = node;
  if (rest.nullable === true) {
    nullable = true;
    rest = { ...rest };
    delete rest.nullable;
  }
  if (Array.isArray(rest.type) && rest.type.includes("null") && rest.type.length > 1) {
    nullable = true;
    const types = rest.type.filter((t) => t !== "null");
    rest = { ...rest, type: types.length === 1 ? types[0] : types };
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const members = rest[key];
    if (Array.isArray(members) && members.some(isNullSchema) && members.some((m) => !isNullSchema(m))) {
      nullable = true;
      rest = { ...rest, [key]: members.filter((m) => !isNullSchema(m)) };
    }
  }
  return { nullable, rest };
}

export function pointerToSchemaName(ref: string): string | undefined {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  return m ? unescapePointerSegment(m[1]) : undefined;
}

export function metaOf(node: Raw): IrMeta | undefined {
  const meta: IrMeta = {};
  if (typeof node.title === "string") meta.title = node.title;
  if (typeof node.description === "string" && node.description.trim() !== "") meta.description = node.description.trim();
  if ("default" in node) meta.default = { value: node.default as JsonValue };
  if (node.deprecated === true) meta.deprecated = true;
  const examples: JsonValue[] = [];
  if ("example" in node) examples.push(node.example as JsonValue);
  if (Array.isArray(node.examples)) examples.push(...(node.examples as JsonValue[]));
  if (examples.length > 0) meta.examples = examples;
  if (typeof node.format === "string") meta.format = node.format;
  if (node.readOnly === true) meta.readOnly = true;
  if (node.writeOnly === true) meta.writeOnly = true;
  return Object.keys(meta).length > 0 ? meta : undefined;
}

export function constraintsOf(node: Raw): IrConstraints | undefined {
  const c: IrConstraints = {};
  const num = (k: keyof IrConstraints) => {
    const v = node[k];
    if (typeof v === "number") (c as Record<string, number>)[k] = v;
  };
  num("minimum");
  num("maximum");
  num("multipleOf");
  num("minLength");
  num("maxLength");
  num("minItems");
  num("maxItems");
  // 3.0 spells exclusive bounds as booleans beside minimum/maximum; 3.1 as numbers.
  if (node.exclusiveMinimum === true && typeof node.minimum === "number") {
    c.exclusiveMinimum = node.minimum;
    delete c.minimum;
  } else if (typeof node.exclusiveMinimum === "number") c.exclusiveMinimum = node.exclusiveMinimum;
  if (node.exclusiveMaximum === true && typeof node.maximum === "number") {
    c.exclusiveMaximum = node.maximum;
    delete c.maximum;
  } else if (typeof node.exclusiveMaximum === "number") c.exclusiveMaximum = node.exclusiveMaximum;
  if (typeof node.pattern === "string") c.pattern = node.pattern;
  if (node.uniqueItems === true) c.uniqueItems = true;
  return Object.keys(c).length > 0 ? c : undefined;
}

export function withMeta<T extends IrSchema>(schema: T, meta: IrMeta | undefined, pointer: string): T {
  const out = { ...schema, pointer };
  if (meta) out.meta = { ...(schema.meta ?? {}), ...meta };
  return out;
}

/** Whether a component admits null at its top; decided syntactically so forward references agree. */
export function componentIsNullable(ctx: BuildContext, specName: string, seen = new Set<string>()): boolean {
  const memo = ctx.nullableMemo.get(specName);
  if (memo !== undefined) return memo;
  if (seen.has(specName)) return false;
  seen.add(specName);
  const node = ctx.rawSchemas[specName];
  let result = false;
  if (isObject(node)) {
    if (typeof node.$ref === "string") {
      const target = pointerToSchemaName(node.$ref);
      result = node.nullable === true || (target !== undefined && componentIsNullable(ctx, target, seen));
    } else result = splitNull(node).nullable;
  }
  ctx.nullableMemo.set(specName, result);
  return result;
}

/**
 * A raw schema with `$ref`s and `allOf` followed, as a flat list of property schemas. Memoised
 * by node (every base of a long allOf chain asks for the whole chain below it), except where a
 * cycle cut the walk short: that result depends on where the walk started.
 */
export function flatProperties(ctx: BuildContext, node: unknown, seen = new Set<unknown>(), cut = { hit: false }): Map<string, Raw> {
  if (!isObject(node)) return new Map();
  const known = ctx.flatMemo.get(node);
  if (known) return known;
  if (seen.has(node)) {
    cut.hit = true;
    return new Map();
  }
  seen.add(node);
  const inner = { hit: false };
  let out = new Map<string, Raw>();
  if (typeof node.$ref === "string") out = flatProperties(ctx, ctx.rawAt(node.$ref), seen, inner);
  else {
    if (Array.isArray(node.allOf)) for (const m of node.allOf) for (const [k, v] of flatProperties(ctx, m, seen, inner)) out.set(k, v);
    if (isObject(node.properties)) {
      for (const [k, v] of Object.entries(node.properties)) if (isObject(v)) out.set(k, v);
    }
  }
  if (inner.hit) cut.hit = true;
  else ctx.flatMemo.set(node, out);
  return out;
}

/** The one value a property schema allows (`const`, or an enum of one), if any. */
export function singleValue(ctx: BuildContext, prop: Raw, seen = new Set<unknown>()): Scalar | undefined {
  if (seen.has(prop)) return undefined;
  seen.add(prop);
  if (typeof prop.$ref === "string") {
    const target = ctx.rawAt(prop.$ref);
    return isObject(target) ? singleValue(ctx, target, seen) : undefined;
  }
  if ("const" in prop && isScalar(prop.const)) return prop.const;
  if (Array.isArray(prop.enum) && prop.enum.length === 1 && isScalar(prop.enum[0])) return prop.enum[0];
  // `anyOf: [{enum: [x]}, {type: "null"}]` still names one value.
  const { rest } = splitNull(prop);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const members = rest[key];
    if (Array.isArray(members) && members.length === 1 && isObject(members[0])) return singleValue(ctx, members[0], seen);
  }
  return undefined;
}

/** The values a schema allows for a discriminant property, looking through refs, unions and allOf. */
export function discriminantValues(ctx: BuildContext, node: unknown, property: string, seen = new Set<unknown>()): string[] {
  if (!isObject(node) || seen.has(node)) return [];
  seen.add(node);
  if (typeof node.$ref === "string") return discriminantValues(ctx, ctx.rawAt(node.$ref), property, seen);
  const { rest } = splitNull(node);
  for (const key of ["oneOf", "anyOf"] as const) {
    const members = rest[key];
    if (Array.isArray(members)) return [...new Set(members.flatMap((m) => discriminantValues(ctx, m, property, seen)))];
  }
  const prop = flatProperties(ctx, node).get(property);
  if (!prop) return [];
  const one = singleValue(ctx, prop);
  if (typeof one === "string") return [one];
  const target = typeof prop.$ref === "string" ? ctx.rawAt(prop.$ref) : prop;
  return isObject(target) && Array.isArray(target.enum) ? target.enum.filter((v): v is string => typeof v === "string") : [];
}

/** A component's description, looking through `anyOf: [X, null]` and `$ref`s as its declaration does. */
export function rawDescription(ctx: BuildContext, raw: unknown, depth = 0): string | undefined {
  if (!isObject(raw) || depth > 8) return undefined;
  if (typeof raw.description === "string" && raw.description.trim()) return raw.description.trim();
  if (typeof raw.$ref === "string") return rawDescription(ctx, ctx.rawAt(raw.$ref), depth + 1);
  const { rest } = splitNull(raw);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    const members = rest[key];
    if (Array.isArray(members) && members.length === 1) return rawDescription(ctx, members[0], depth + 1);
  }
  return undefined;
}
