/**
 * One schema node → IR: references, null, literals and enums, arrays, primitives; objects, unions
 * and allOf go to their own modules. Names of inline schemas come from the `hint` (their path).
 */
import { quote } from "../../errors";
import { isObject } from "../../util/object";
import { schemaExamples } from "../examples";
import type { IrSchema, JsonValue } from "../types";
import { parseAllOf } from "./allOf";
import type { BuildContext } from "./context";
import { parseObject } from "./objects";
import { componentIsNullable, constraintsOf, metaOf, pointerToSchemaName, splitNull, withMeta, type Raw } from "./raw";
import { dynamicRefTarget, onlyRequired, requiredAlternatives } from "./required";
import { parseUnion } from "./unions";

const PRIMITIVE_TYPES = new Set(["string", "number", "integer", "boolean"]);
const KNOWN_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

export function refTo(ctx: BuildContext, ref: string, pointer: string, hint: string | undefined): IrSchema {
  const specName = pointerToSchemaName(ref);
  if (specName !== undefined) {
    const name = ctx.componentNames.get(specName);
    if (name === undefined) throw ctx.errorAt("E_REF", pointer, `unresolved $ref ${quote(ref)}`);
    const r: IrSchema = { kind: "ref", name, pointer };
    return componentIsNullable(ctx, specName) ? { kind: "nullable", inner: r, pointer } : r;
  }
  // A ref into the middle of a schema or elsewhere: inline the target, guarding against cycles.
  if (ctx.inlineRefsInProgress.has(ref)) {
    ctx.warnings.push({ pointer, message: `recursive $ref ${ref} to a schema that is not a component: typed as unknown` });
    return { kind: "unknown", pointer };
  }
  const built = ctx.inlineRefs.get(ref);
  if (built) return built;
  const target = ctx.rawAt(ref);
  ctx.inlineRefsInProgress.add(ref);
  try {
    const schema = parseSchema(ctx, target, ref, hint);
    ctx.inlineRefs.set(ref, schema);
    return schema;
  } finally {
    ctx.inlineRefsInProgress.delete(ref);
  }
}

export function parseSchema(ctx: BuildContext, node: unknown, pointer: string, hint: string | undefined, specName?: string): IrSchema {
  if (node === true || (isObject(node) && Object.keys(node).length === 0)) return { kind: "unknown", pointer };
  if (!isObject(node)) {
    throw ctx.errorAt("E_SCHEMA", pointer, `a schema must be an object or a boolean, got ${quote(node)}`);
  }
  let result: IrSchema;
  const meta = metaOf(node);
  const ref = typeof node.$ref === "string" ? node.$ref : dynamicRefTarget(ctx, node, pointer);
  if (ref !== undefined) {
    const target = refTo(ctx, ref, pointer, hint);
    result = meta ? withMeta(target, meta, pointer) : target;
    if (node.nullable === true && result.kind !== "nullable") result = { kind: "nullable", inner: result, pointer };
  } else {
    const { nullable, rest } = splitNull(node);
    const inner = parseNonNull(ctx, rest, pointer, hint, specName);
    result = nullable && inner.kind !== "nullable" ? { kind: "nullable", inner, pointer } : inner;
    if (meta) result = withMeta(result, meta, pointer);
  }
  if (meta?.examples) ctx.examples.push(...schemaExamples(node, pointer, hint ?? pointer, result));
  return result;
}

function parseNonNull(ctx: BuildContext, node: Raw, pointer: string, hint: string | undefined, specName: string | undefined): IrSchema {
  // Object and array values are literals too: JSON Schema compares them by deep equality.
  if ("const" in node) return { kind: "literal", value: node.const as JsonValue, pointer };
  if (Array.isArray(node.enum)) {
    const values = node.enum as JsonValue[];
    if (values.length === 1) return { kind: "literal", value: values[0], pointer };
    // `enum: []` admits no value at all (Discord): `never`, an enum of nothing.
    return { kind: "enum", values, pointer };
  }
  if (Array.isArray(node.allOf)) return parseAllOf(ctx, node, pointer, hint, specName);
  for (const key of ["oneOf", "anyOf"] as const) {
    if (Array.isArray(node[key]) && (node[key] as unknown[]).length === 0) {
      throw ctx.errorAt("E_SCHEMA", `${pointer}/${key}`, `\`${key}\` is empty: no value can match`, `give ${key} at least one schema, or remove it`);
    }
    if (Array.isArray(node[key])) {
      const members = node[key] as unknown[];
      const union =
        isObject(node.properties) && members.every(onlyRequired)
          ? requiredAlternatives(ctx, node.properties, members as Raw[], key, pointer)
          : parseUnion(ctx, node, members, `${pointer}/${key}`, pointer, hint, specName);
      if (isObject(node.properties) && Object.keys(node.properties).length > 0) {
        const { oneOf: _o, anyOf: _a, ...objectPart } = node;
        return { kind: "intersection", members: [parseObject(ctx, objectPart, pointer, hint, specName), union], pointer };
      }
      return union;
    }
  }
  let type = node.type;
  if (Array.isArray(type)) {
    if (type.length === 0) throw ctx.errorAt("E_SCHEMA", `${pointer}/type`, "`type` is an empty list: no value can match", "list at least one type, or leave `type` out to allow anything");
    if (type.length === 1) type = type[0];
    else {
      const members = type.map((t) => parseNonNull(ctx, { ...node, type: t }, pointer, hint, specName));
      return { kind: "union", members, pointer };
    }
  }
  if (type !== undefined && (typeof type !== "string" || !KNOWN_TYPES.has(type))) {
    throw ctx.errorAt(
      "E_SCHEMA",
      `${pointer}/type`,
      `unknown schema type ${quote(type)}`,
      "use one of string, number, integer, boolean, object, array, null",
    );
  }
  if (type === "null") return { kind: "literal", value: null, pointer };
  if (type === "object" || (type === undefined && (isObject(node.properties) || "additionalProperties" in node || isObject(node.patternProperties)))) {
    return parseObject(ctx, node, pointer, hint, specName);
  }
  if (type === "array" || (type === undefined && "items" in node)) {
    const items = "items" in node ? parseSchema(ctx, node.items, `${pointer}/items`, hint ? `${hint}Item` : undefined) : ({ kind: "unknown" } as IrSchema);
    return { kind: "array", items: hint ? ctx.nameInline(items, `${hint}Item`) : items, constraints: constraintsOf(node), pointer };
  }
  if (typeof type === "string" && PRIMITIVE_TYPES.has(type)) {
    return {
      kind: "primitive",
      type: type as "string" | "number" | "integer" | "boolean",
      // 3.1 says a file's bytes with contentMediaType alone (3.0: format binary); contentEncoding makes it text.
      format: typeof node.format === "string" ? node.format : type === "string" && typeof node.contentMediaType === "string" && node.contentEncoding === undefined ? "binary" : undefined,
      constraints: constraintsOf(node),
      pointer,
    };
  }
  return { kind: "unknown", pointer };
}
