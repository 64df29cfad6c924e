/** Object schemas: properties, maps (`additionalProperties`, `patternProperties`) and the tagged-object union. */
import { escapePointerSegment } from "../../errors";
import { isObject } from "../../util/object";
import { pascalCase } from "../identifiers";
import type { IrMeta, IrObject, IrProperty, IrSchema, IrUnion } from "../types";
import type { BuildContext } from "./context";
import { onlyRequired, undeclaredRequired } from "./required";
import { rawDescription, type Raw } from "./raw";

export function parseObject(ctx: BuildContext, node: Raw, pointer: string, hint: string | undefined, specName: string | undefined): IrSchema {
  const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
  const props = isObject(node.properties) ? node.properties : {};
  const propNames = Object.keys(props);

  const tagged = propNames.length > 0 && ctx.unionAllowed(specName, node) ? findTag(props, required) : undefined;

  const properties: IrProperty[] = propNames.map((name) => {
    const propPointer = `${pointer}/properties/${escapePointerSegment(name)}`;
    const propHint = hint ? `${hint}${pascalCase(name)}` : undefined;
    const parsed = ctx.parse(props[name], propPointer, propHint);
    return { name, required: required.has(name), schema: ctx.nameInline(parsed, propHint), meta: propertyMeta(ctx, parsed) };
  });
  if (!ctx.allOfMembers.has(node)) for (const name of required) if (!(name in props)) properties.push(undeclaredRequired(ctx, name, pointer));

  let additionalProperties: boolean | IrSchema = false;
  const ap = node.additionalProperties;
  if (ap === true || (isObject(ap) && Object.keys(ap).length === 0)) additionalProperties = true;
  else if (isObject(ap)) {
    const valueHint = hint ? `${hint}Value` : undefined;
    additionalProperties = ctx.nameInline(ctx.parse(ap, `${pointer}/additionalProperties`, valueHint), valueHint);
  }
  const keyPatterns: string[] = [];
  if (isObject(node.patternProperties)) {
    const values: IrSchema[] = [];
    for (const [pattern, schema] of Object.entries(node.patternProperties)) {
      keyPatterns.push(pattern);
      values.push(ctx.parse(schema, `${pointer}/patternProperties/${escapePointerSegment(pattern)}`, undefined));
    }
    if (additionalProperties === false && values.length > 0) {
      additionalProperties = values.length === 1 ? values[0] : { kind: "union", members: values };
    } else if (additionalProperties !== false && additionalProperties !== true) {
      additionalProperties = { kind: "union", members: [additionalProperties, ...values] };
    }
  }

  const closed = closedness(node, additionalProperties);
  if (properties.length === 0 && !closed.unknownKeys && !closed.notAllOf) {
    const values: IrSchema = additionalProperties === false || additionalProperties === true ? { kind: "unknown" } : additionalProperties;
    return { kind: "map", values, keyPatterns: keyPatterns.length > 0 ? keyPatterns : undefined, pointer };
  }
  // Without properties, only what `closedness` rules out makes it more than a map: `{}` itself for
  // `additionalProperties: false`, any keys but some for a `not`.
  if (properties.length === 0 && additionalProperties === false && !closed.unknownKeys) additionalProperties = true;

  const object: IrObject = { kind: "object", extends: [], properties, additionalProperties, pointer, ...closed };
  if (!tagged) return object;

  // The tagged-object pattern: `type: a | b` plus optional siblings `a`, `b`. Each member keeps
  // the tag as a literal and only its own sibling, so `{type: "a", b: …}` does not compile.
  const tagValues = new Set(tagged.values);
  const members: IrObject[] = tagged.values.map((value) => ({
    kind: "object",
    extends: [],
    additionalProperties,
    ...closedness(node, additionalProperties),
    properties: properties
      .filter((p) => !tagValues.has(p.name) || p.name === value)
      .map((p) => (p.name === tagged.property ? { ...p, schema: { kind: "literal", value, pointer: p.schema.pointer } as IrSchema } : p)),
  }));
  const union: IrUnion = {
    kind: "union",
    members,
    discriminator: { property: tagged.property, reason: "tagged-object", values: tagged.values.map((v) => [v]) },
    pointer,
  };
  ctx.unions.push({ at: hint ?? pointer, pointer, reason: "tagged-object", property: tagged.property, values: tagged.values });
  return union;
}

/**
 * What the object rules out beyond its properties: unknown keys when the spec says
 * `additionalProperties: false` (rejected by default until `passes/unknown-keys.ts` relaxes what
 * only responses reach), and the key combinations of a `not` that only lists `required` names.
 * Any other `not` is not read.
 */
function closedness(node: Raw, additionalProperties: boolean | IrSchema): Pick<IrObject, "unknownKeys" | "notAllOf"> {
  const out: Pick<IrObject, "unknownKeys" | "notAllOf"> = {};
  if (node.additionalProperties === false && additionalProperties === false) out.unknownKeys = "reject";
  const not = node.not;
  const lists = onlyRequired(not) ? [not] : isObject(not) && Object.keys(not).every((k) => k === "anyOf") && Array.isArray(not.anyOf) && not.anyOf.every(onlyRequired) ? not.anyOf : [];
  const notAllOf = (lists as Raw[]).map((m) => [...new Set((m.required as unknown[]).map(String))]).filter((names) => names.length > 0);
  if (notAllOf.length > 0) out.notAllOf = notAllOf;
  return out;
}

/** A required enum property whose every value names an optional sibling property. */
export function findTag(props: Raw, required: Set<string>): { property: string; values: string[] } | undefined {
  for (const [name, schema] of Object.entries(props)) {
    if (!required.has(name) || !isObject(schema) || !Array.isArray(schema.enum)) continue;
    const values = schema.enum;
    if (values.length < 2 || !values.every((v) => typeof v === "string")) continue;
    if (values.every((v) => v !== name && v in props && !required.has(v))) return { property: name, values: values as string[] };
  }
  return undefined;
}

/** Property docs: the property's own, else the nullable's inner schema's, else the referenced type's. */
export function propertyMeta(ctx: BuildContext, schema: IrSchema): IrMeta | undefined {
  let meta = schema.meta;
  let node: IrSchema = schema;
  while (!meta?.description && (node.kind === "nullable" || node.kind === "ref")) {
    if (node.kind === "ref") {
      const specName = ctx.specNameOf.get(node.name);
      const description = specName !== undefined ? rawDescription(ctx, ctx.rawSchemas[specName]) : undefined;
      return description ? { ...(meta ?? {}), description } : meta;
    }
    node = node.inner;
    if (node.meta) meta = { ...node.meta, ...(meta ?? {}), description: node.meta.description ?? meta?.description };
  }
  return meta;
}
