/**
 * What an object requires, wherever the spec says it: `required` in any allOf member (through
 * `$ref`s), names no property declares, and constraint-only `anyOf`/`oneOf` of `required` lists.
 */
import { escapePointerSegment } from "../../errors";
import { isObject } from "../../util/object";
import type { IrProperty, IrSchema, IrUnion } from "../types";
import type { BuildContext } from "./context";
import type { Raw } from "./raw";

/** A schema that only lists required names (a constraint on the object around it, not a shape). */
export function onlyRequired(v: unknown): boolean {
  return isObject(v) && Array.isArray(v.required) && Object.keys(v).every((k) => k === "required" || k === "description" || k === "title");
}

/** The names a schema requires itself, through `$ref`s and `allOf` (not through unions). */
export function requiredNames(ctx: BuildContext, node: unknown, seen = new Set<unknown>()): Set<string> {
  const out = new Set<string>();
  if (!isObject(node) || seen.has(node)) return out;
  seen.add(node);
  if (typeof node.$ref === "string") return requiredNames(ctx, ctx.rawAt(node.$ref), seen);
  if (Array.isArray(node.required)) for (const n of node.required) out.add(String(n));
  if (Array.isArray(node.allOf)) for (const m of node.allOf) for (const n of requiredNames(ctx, m, seen)) out.add(n);
  return out;
}

/** The properties a schema declares, through `$ref`s and `allOf`, each with its pointer. */
export function declaredProperties(ctx: BuildContext, node: unknown, pointer: string, seen = new Set<unknown>()): Map<string, { raw: Raw; pointer: string }> {
  const out = new Map<string, { raw: Raw; pointer: string }>();
  if (!isObject(node) || seen.has(node)) return out;
  seen.add(node);
  if (typeof node.$ref === "string") return declaredProperties(ctx, ctx.rawAt(node.$ref), node.$ref, seen);
  if (Array.isArray(node.allOf)) {
    node.allOf.forEach((m, i) => {
      for (const [k, v] of declaredProperties(ctx, m, `${pointer}/allOf/${i}`, seen)) out.set(k, v);
    });
  }
  if (isObject(node.properties)) {
    for (const [k, v] of Object.entries(node.properties)) if (isObject(v)) out.set(k, { raw: v, pointer: `${pointer}/properties/${escapePointerSegment(k)}` });
  }
  return out;
}

/**
 * A schema parsed a second time (a base's property declared again): without a hint nothing is
 * named, and the examples, unions and warnings it reports were reported the first time.
 */
export function parsedAgain(ctx: BuildContext, raw: Raw, pointer: string): IrSchema {
  const lengths = [ctx.examples.length, ctx.unions.length, ctx.warnings.length];
  const schema = ctx.parse(raw, pointer, undefined);
  ctx.examples.length = lengths[0];
  ctx.unions.length = lengths[1];
  ctx.warnings.length = lengths[2];
  return schema;
}

/** A required name no property declares: the spec is inconsistent, so a warning, and a key of any value. */
export function undeclaredRequired(ctx: BuildContext, name: string, pointer: string): IrProperty {
  ctx.warnings.push({ pointer: `${pointer}/required`, message: `required property ${JSON.stringify(name)} is declared by no property: typed unknown` });
  return { name, required: true, schema: { kind: "unknown" } };
}

/**
 * `anyOf: [{ required: [a] }, { required: [b] }]` beside `properties` says which properties must
 * be there, not another shape: a union of objects that each require theirs, with the types the
 * properties declare, which the caller intersects with the properties (`{ a?: A; b?: B } & ({ a:
 * A } | { b: B })`), so both the type and the validators enforce it.
 */
export function requiredAlternatives(ctx: BuildContext, props: Raw, members: Raw[], key: "anyOf" | "oneOf", pointer: string): IrSchema {
  const alternatives: IrSchema[] = members.map((m, i) => ({
    kind: "object",
    extends: [],
    additionalProperties: false,
    pointer: `${pointer}/${key}/${i}`,
    properties: (m.required as unknown[]).map(String).map((name) =>
      isObject(props[name])
        ? { name, required: true, schema: parsedAgain(ctx, props[name] as Raw, `${pointer}/properties/${escapePointerSegment(name)}`) }
        : undeclaredRequired(ctx, name, `${pointer}/${key}/${i}`),
    ),
  }));
  const union: IrUnion = { kind: "union", members: alternatives, pointer: `${pointer}/${key}` };
  if (key === "oneOf") union.exclusive = true;
  return union;
}

/**
 * Where `$recursiveRef: "#"` or `$dynamicRef: "#name"` points: the nearest schema around it with
 * `$recursiveAnchor: true` or `$dynamicAnchor: name`, found by walking up its pointer. That is the
 * recursion every real spec means (OpenAI's `CompoundFilter.filters`); a dynamic scope that
 * another document extends has no meaning for generated types. No such schema: a warning, and
 * the value is `unknown`, as before.
 */
export function dynamicRefTarget(ctx: BuildContext, node: Raw, pointer: string): string | undefined {
  const recursive = node.$recursiveRef === "#";
  const anchor = typeof node.$dynamicRef === "string" && node.$dynamicRef.startsWith("#") ? node.$dynamicRef.slice(1) : undefined;
  const keyword = typeof node.$recursiveRef === "string" ? "$recursiveRef" : "$dynamicRef";
  if (!recursive && anchor === undefined) {
    if (typeof node.$recursiveRef === "string" || typeof node.$dynamicRef === "string") {
      ctx.warnings.push({ pointer, message: `${keyword} to another document is not followed: typed as unknown` });
    }
    return undefined;
  }
  const segments = pointer.split("/");
  for (let n = segments.length - 1; n >= 1; n--) {
    const at = segments.slice(0, n).join("/");
    const holder = ctx.rawAt(at);
    if (isObject(holder) && (recursive ? holder.$recursiveAnchor === true : holder.$dynamicAnchor === anchor)) return at;
  }
  ctx.warnings.push({ pointer, message: `${keyword} without a matching anchor around it: typed as unknown` });
  return undefined;
}
