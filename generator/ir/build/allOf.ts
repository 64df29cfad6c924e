/** `allOf`: `interface A extends B` where B is a plain object component, merged properties, else an intersection. */
import { escapePointerSegment } from "../../errors";
import { isObject } from "../../util/object";
import type { IrMeta, IrObject, IrProperty, IrSchema } from "../types";
import type { BuildContext } from "./context";
import { findTag, parseObject, propertyMeta } from "./objects";
import { flatProperties, metaOf, pointerToSchemaName, splitNull, withMeta, type Raw } from "./raw";
import { declaredProperties, parsedAgain, requiredNames, undeclaredRequired } from "./required";

export function parseAllOf(ctx: BuildContext, node: Raw, pointer: string, hint: string | undefined, specName: string | undefined): IrSchema {
  const rawMembers = node.allOf as unknown[];
  const { allOf: _allOf, ...siblings } = node;
  const hasSiblingShape = isObject(siblings.properties) || Array.isArray(siblings.required) || "additionalProperties" in siblings;
  if (rawMembers.length === 1 && !hasSiblingShape && !Array.isArray(node.oneOf) && !Array.isArray(node.anyOf)) {
    return ctx.parse(rawMembers[0], `${pointer}/allOf/0`, hint);
  }
  const extendsNames: string[] = [];
  const properties = new Map<string, IrProperty>();
  const others: IrSchema[] = [];
  const requiredExtra = new Set<string>(Array.isArray(node.required) ? node.required.map(String) : []);
  let additionalProperties: boolean | IrSchema = false;
  // A member that says `additionalProperties: false` closes the merged object (JSON Schema would
  // also reject the other members' properties: no spec means that).
  const closed: Pick<IrObject, "unknownKeys" | "notAllOf"> = {};
  const mergeObject = (o: IrObject) => {
    extendsNames.push(...o.extends);
    for (const p of o.properties) properties.set(p.name, p);
    if (o.additionalProperties !== false) additionalProperties = o.additionalProperties;
    if (o.unknownKeys) closed.unknownKeys = o.unknownKeys;
    if (o.notAllOf) closed.notAllOf = [...(closed.notAllOf ?? []), ...o.notAllOf];
  };
  for (const m of rawMembers) if (isObject(m)) ctx.allOfMembers.add(m);
  // `allOf: [{$ref: X}, {description: …}]` (Box, 100+ times) is X, documented by the other member;
  // `{nullable: true}` beside it is 3.0's way to say "X or null".
  let annotations: IrMeta | undefined;
  let nullableMember = false;
  rawMembers.forEach((member, i) => {
    const memberPointer = `${pointer}/allOf/${i}`;
    if (isAnnotationOnly(member)) {
      annotations = { ...annotations, ...metaOf(member as Raw) };
      nullableMember ||= (member as Raw).nullable === true;
      return;
    }
    if (isObject(member) && typeof member.$ref === "string") {
      const target = pointerToSchemaName(member.$ref);
      const raw = target !== undefined ? ctx.rawSchemas[target] : undefined;
      if (target !== undefined && isPlainObjectSchema(ctx, raw)) {
        extendsNames.push(ctx.componentNames.get(target)!);
        return;
      }
    }
    const parsed = ctx.parse(member, memberPointer, hint);
    if (parsed.kind === "object") mergeObject(parsed);
    else others.push(parsed);
  });
  if (hasSiblingShape) {
    const ownNode = { ...siblings, type: "object" };
    ctx.allOfMembers.add(ownNode);
    const own = parseObject(ctx, ownNode, pointer, hint, specName);
    if (own.kind === "object") mergeObject(own);
    else if (own.kind === "union") others.push(own);
  }
  const redeclared = requireAcrossMembers(ctx, rawMembers, requiredExtra, extendsNames, properties, others.length > 0, pointer);
  // `interface A extends B` breaks when A redeclares a property of B with a type B does not
  // allow (allOf means both hold): then an intersection says exactly that. A property declared
  // again only to make it required has B's own type.
  const seenProps = new Set([...properties.keys()].filter((n) => !redeclared.has(n)));
  let clash = false;
  for (const base of extendsNames) {
    for (const inherited of flatProperties(ctx, { $ref: `#/components/schemas/${escapePointerSegment(ctx.specNameOf.get(base)!)}` }).keys()) {
      if (seenProps.has(inherited)) clash = true;
      seenProps.add(inherited);
    }
  }
  const bases: IrSchema[] = clash ? extendsNames.splice(0).map((name) => ({ kind: "ref", name })) : [];
  const object: IrObject = { kind: "object", extends: extendsNames, properties: [...properties.values()], additionalProperties, pointer };
  if (closed.unknownKeys && additionalProperties === false) object.unknownKeys = closed.unknownKeys;
  if (closed.notAllOf) object.notAllOf = closed.notAllOf;
  if (annotations && bases.length + object.properties.length === 0 && others.length + extendsNames.length === 1 && additionalProperties === false) {
    const only: IrSchema = withMeta(extendsNames.length === 1 ? { kind: "ref", name: extendsNames[0] } : others[0], annotations, pointer);
    return nullableMember && only.kind !== "nullable" ? { kind: "nullable", inner: only, pointer } : only;
  }
  if (others.length === 0 && bases.length === 0) return object;
  const members: IrSchema[] = [...bases, ...(object.properties.length > 0 || extendsNames.length > 0 ? [object] : []), ...others];
  return members.length === 1 ? members[0] : { kind: "intersection", members, pointer };
}

/**
 * `required` in any member holds for the whole object, whichever member declares the property:
 * merged properties become required; one a base declares optional is declared again, required,
 * with the base's type; one nobody declares is an `unknown`-typed required key and a warning.
 * Returns the names declared again.
 */
function requireAcrossMembers(
  ctx: BuildContext,
  rawMembers: unknown[],
  own: Set<string>,
  extendsNames: string[],
  properties: Map<string, IrProperty>,
  hasOthers: boolean,
  pointer: string,
): Set<string> {
  const required = new Set([...own, ...rawMembers.flatMap((m) => [...requiredNames(ctx, m)])]);
  const inherited = new Map<string, { raw: Raw; pointer: string }>();
  for (const base of extendsNames) {
    const at = `#/components/schemas/${escapePointerSegment(ctx.specNameOf.get(base)!)}`;
    for (const [name, prop] of declaredProperties(ctx, ctx.rawAt(at), at)) if (!inherited.has(name)) inherited.set(name, prop);
  }
  const baseRequires = (name: string): boolean => extendsNames.some((b) => requiredNames(ctx, ctx.rawSchemas[ctx.specNameOf.get(b)!]).has(name));
  const redeclared = new Set<string>();
  for (const name of required) {
    const p = properties.get(name);
    const base = inherited.get(name);
    if (p) properties.set(name, { ...p, required: true });
    else if (baseRequires(name)) continue;
    else if (base) {
      const schema = parsedAgain(ctx, base.raw, base.pointer);
      properties.set(name, { name, required: true, schema, meta: propertyMeta(ctx, schema) });
      redeclared.add(name);
    } else if (!hasOthers) properties.set(name, undeclaredRequired(ctx, name, pointer));
  }
  return redeclared;
}

/**
 * An object schema an interface can extend: properties, no union, no null, no map. Memoised per
 * schema: allOf members naming the same schema twice per level would make it exponential.
 */
function isPlainObjectSchema(ctx: BuildContext, raw: unknown): boolean {
  if (!isObject(raw)) return false;
  const known = ctx.plainObjects.get(raw);
  if (known !== undefined) return known;
  const result = isPlainObjectSchemaOnce(ctx, raw);
  ctx.plainObjects.set(raw, result);
  return result;
}

function isPlainObjectSchemaOnce(ctx: BuildContext, raw: Record<string, unknown>): boolean {
  if (typeof raw.$ref === "string") return false;
  if (splitNull(raw).nullable || Array.isArray(raw.oneOf) || Array.isArray(raw.anyOf) || Array.isArray(raw.enum)) return false;
  if (Array.isArray(raw.allOf)) return raw.allOf.every((m) => isObject(m) && (typeof m.$ref !== "string" || isPlainObjectSchema(ctx, ctx.rawAt(m.$ref))));
  if (raw.additionalProperties !== undefined && raw.additionalProperties !== false) return false;
  if (findTag(isObject(raw.properties) ? raw.properties : {}, new Set(Array.isArray(raw.required) ? raw.required.map(String) : []))) return false;
  return isObject(raw.properties) && Object.keys(raw.properties).length > 0;
}

// `A allOf [B]`, `B allOf [A]` has no meaning: report it instead of emitting `interface A extends B` loops.
export function checkAllOfCycles(ctx: BuildContext): void {
  const state = new Map<string, "active" | "done">();
  const visit = (name: string, trail: string[]) => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "active") {
      const cycle = [...trail.slice(trail.indexOf(name)), name];
      throw ctx.errorAt(
        "E_CIRCULAR_ALLOF",
        `#/components/schemas/${escapePointerSegment(name)}/allOf`,
        `circular allOf: ${cycle.join(" → ")}`,
        "a schema cannot include itself through allOf; use a property to nest it instead",
      );
    }
    state.set(name, "active");
    const node = ctx.rawSchemas[name];
    if (isObject(node) && Array.isArray(node.allOf)) {
      for (const m of node.allOf) {
        const target = isObject(m) && typeof m.$ref === "string" ? pointerToSchemaName(m.$ref) : undefined;
        if (target !== undefined) visit(target, [...trail, name]);
      }
    }
    state.set(name, "done");
  };
  for (const name of ctx.specNames) visit(name, []);
}

/** Keywords that document a schema without constraining it. */
const ANNOTATIONS = new Set(["title", "description", "example", "examples", "default", "deprecated", "readOnly", "writeOnly", "externalDocs", "$comment", "nullable"]);

/** An allOf member that only documents (`{description: …}`): it adds no type. */
function isAnnotationOnly(member: unknown): boolean {
  return isObject(member) && Object.keys(member).length > 0 && Object.keys(member).every((k) => ANNOTATIONS.has(k) || k.startsWith("x-"));
}
