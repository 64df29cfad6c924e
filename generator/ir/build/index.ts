import { GeneratorError, escapePointerSegment, unescapePointerSegment } from "../../errors";
import type { ResolvedSpec } from "../../pipeline/resolve";
import { getAtPointer } from "../../pipeline/resolve";
import { TAKEN_NAMES, apiKeyEnvFor, camelCase, compareCodePoints, pascalCase } from "../identifiers";
import { recognizeConventions } from "../passes/conventions";
import { applyCamelNaming } from "../passes/naming";
import { oaiMetaExamples, operationExamples, schemaExamples } from "../examples";
import { serializationOf, serverVariablesOf } from "./serialization";
import type {
  IrConstraints,
  IrDeclaration,
  IrDiscriminator,
  IrDocument,
  IrExample,
  IrMeta,
  IrObject,
  IrOperation,
  IrParameter,
  IrProperty,
  IrRename,
  IrSchema,
  IrUnion,
  IrUnionReport,
  JsonValue,
  Scalar,
} from "../types";

export interface BuildOptions {
  /** Infer discriminated unions (rules 2 and 3; an explicit `discriminator` is always honoured). Default true. */
  inferUnions?: boolean;
  /** Schema names (as in the spec) for which no union is inferred, like `x-openapi-morph-union: false`. */
  noUnionFor?: string[];
  /**
   * `camel`: properties get camelCase TypeScript keys (`IrProperty.key`) and the client converts
   * to and from the wire's names. Default `wire`: the types use the API's own names.
   */
  naming?: "camel" | "wire";
}

type Raw = Record<string, unknown>;

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch"] as const;
const PRIMITIVE_TYPES = new Set(["string", "number", "integer", "boolean"]);
const KNOWN_TYPES = new Set(["string", "number", "integer", "boolean", "object", "array", "null"]);

function isObj(v: unknown): v is Raw {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isScalar(v: unknown): v is Scalar {
  return v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

/** A schema that admits only `null` (`{type: "null"}`, possibly with a description). */
function isNullSchema(v: unknown): boolean {
  if (!isObj(v)) return false;
  if (v.type === "null") return true;
  return Array.isArray(v.enum) && v.enum.length === 1 && v.enum[0] === null;
}

/**
 * Splits "may be null" from the rest of a schema. OpenAPI has three spellings (3.0 `nullable`,
 * 3.1 `type: [x, "null"]`, `anyOf: [x, {type: "null"}]`) and they must all mean the same.
 */
function splitNull(node: Raw): { nullable: boolean; rest: Raw } {
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

function pointerToSchemaName(ref: string): string | undefined {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  return m ? unescapePointerSegment(m[1]) : undefined;
}

function metaOf(node: Raw): IrMeta | undefined {
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

function constraintsOf(node: Raw): IrConstraints | undefined {
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

function withMeta<T extends IrSchema>(schema: T, meta: IrMeta | undefined, pointer: string): T {
  const out = { ...schema, pointer };
  if (meta) out.meta = { ...(schema.meta ?? {}), ...meta };
  return out;
}

/** Builds the IR from a resolved spec. Pure: the same spec and options give the same IR. */
export function buildIr(spec: ResolvedSpec, options: BuildOptions = {}): IrDocument {
  const root = spec.root;
  const inferUnions = options.inferUnions !== false;
  const noUnionFor = new Set(options.noUnionFor ?? []);
  const declarations = new Map<string, IrDeclaration>();
  const usedNames = new Set<string>();
  const componentNames = new Map<string, string>(); // spec name → declaration name
  const renames: IrRename[] = [];
  const unions: IrUnionReport[] = [];
  const warnings: { pointer: string; message: string }[] = [];
  const warn = (pointer: string, message: string): void => void warnings.push({ pointer, message });
  const examples: IrExample[] = [];
  const inlineRefsInProgress = new Set<string>();

  const errorAt = (code: ConstructorParameters<typeof GeneratorError>[0], pointer: string, message: string, hint?: string) => {
    const loc = spec.locate(pointer);
    return new GeneratorError(code, message, loc, hint);
  };

  const components = isObj(root.components) ? root.components : {};
  const rawSchemas = isObj(components.schemas) ? components.schemas : {};

  const claimName = (wanted: string, pointer: string, original: string): string => {
    let name = wanted;
    let reason = name !== original ? "sanitised to a TypeScript identifier" : "";
    if (TAKEN_NAMES.has(name)) {
      name = `${name}Schema`;
      reason = "the name is taken by the generated runtime or a global type";
    }
    if (usedNames.has(name)) {
      let i = 2;
      while (usedNames.has(`${name}${i}`)) i++;
      name = `${name}${i}`;
      reason = reason ? `${reason}, then numbered: it collides with another name` : "it collides with another name";
    }
    usedNames.add(name);
    if (name !== original && name !== wanted) renames.push({ from: original, to: name, pointer, reason });
    else if (name !== original && reason) renames.push({ from: original, to: name, pointer, reason });
    return name;
  };

  const specNameOf = new Map<string, string>(); // declaration name → spec name
  // Component names first, in code-point order, so numbering after a collision never depends on spec order.
  const specNames = Object.keys(rawSchemas).sort(compareCodePoints);
  for (const specName of specNames) {
    const pointer = `#/components/schemas/${escapePointerSegment(specName)}`;
    const name = claimName(pascalCase(specName), pointer, specName);
    componentNames.set(specName, name);
    specNameOf.set(name, specName);
  }

  const rawAt = (ref: string): unknown => getAtPointer(root, ref.slice(1)).value;

  // Whether a component admits null at its top; decided syntactically so forward references agree.
  const nullableMemo = new Map<string, boolean>();
  const componentIsNullable = (specName: string, seen = new Set<string>()): boolean => {
    const memo = nullableMemo.get(specName);
    if (memo !== undefined) return memo;
    if (seen.has(specName)) return false;
    seen.add(specName);
    const node = rawSchemas[specName];
    let result = false;
    if (isObj(node)) {
      if (typeof node.$ref === "string") {
        const target = pointerToSchemaName(node.$ref);
        result = node.nullable === true || (target !== undefined && componentIsNullable(target, seen));
      } else result = splitNull(node).nullable;
    }
    nullableMemo.set(specName, result);
    return result;
  };

  /** A raw schema with `$ref`s and `allOf` followed, as a flat list of property schemas. */
  const flatProperties = (node: unknown, seen = new Set<unknown>()): Map<string, Raw> => {
    const out = new Map<string, Raw>();
    if (!isObj(node) || seen.has(node)) return out;
    seen.add(node);
    if (typeof node.$ref === "string") return flatProperties(rawAt(node.$ref), seen);
    if (Array.isArray(node.allOf)) for (const m of node.allOf) for (const [k, v] of flatProperties(m, seen)) out.set(k, v);
    if (isObj(node.properties)) {
      for (const [k, v] of Object.entries(node.properties)) if (isObj(v)) out.set(k, v);
    }
    return out;
  };

  /** The one value a property schema allows (`const`, or an enum of one), if any. */
  const singleValue = (prop: Raw, seen = new Set<unknown>()): Scalar | undefined => {
    if (seen.has(prop)) return undefined;
    seen.add(prop);
    if (typeof prop.$ref === "string") {
      const target = rawAt(prop.$ref);
      return isObj(target) ? singleValue(target, seen) : undefined;
    }
    if ("const" in prop && isScalar(prop.const)) return prop.const;
    if (Array.isArray(prop.enum) && prop.enum.length === 1 && isScalar(prop.enum[0])) return prop.enum[0];
    // `anyOf: [{enum: [x]}, {type: "null"}]` still names one value.
    const { rest } = splitNull(prop);
    for (const key of ["anyOf", "oneOf", "allOf"] as const) {
      const members = rest[key];
      if (Array.isArray(members) && members.length === 1 && isObj(members[0])) return singleValue(members[0], seen);
    }
    return undefined;
  };

  /** The values a schema allows for a discriminant property, looking through refs, unions and allOf. */
  const discriminantValues = (node: unknown, property: string, seen = new Set<unknown>()): string[] => {
    if (!isObj(node) || seen.has(node)) return [];
    seen.add(node);
    if (typeof node.$ref === "string") return discriminantValues(rawAt(node.$ref), property, seen);
    const { rest } = splitNull(node);
    for (const key of ["oneOf", "anyOf"] as const) {
      const members = rest[key];
      if (Array.isArray(members)) return [...new Set(members.flatMap((m) => discriminantValues(m, property, seen)))];
    }
    const prop = flatProperties(node).get(property);
    if (!prop) return [];
    const one = singleValue(prop);
    if (typeof one === "string") return [one];
    const target = typeof prop.$ref === "string" ? rawAt(prop.$ref) : prop;
    return isObj(target) && Array.isArray(target.enum) ? target.enum.filter((v): v is string => typeof v === "string") : [];
  };

  const unionAllowed = (specName: string | undefined, node: Raw) =>
    inferUnions && node["x-openapi-morph-union"] !== false && !(specName && noUnionFor.has(specName));

  const addDeclaration = (decl: IrDeclaration) => {
    declarations.set(decl.name, decl);
  };

  /**
   * Gives an anonymous object or discriminated union at a property a name of its own
   * (`FineTuningJob.error` → `FineTuningJobError`), as a hand-written SDK would.
   */
  const hoist = (schema: IrSchema, name: string | undefined): IrSchema => {
    if (!name) return schema;
    switch (schema.kind) {
      case "nullable":
        return { ...schema, inner: hoist(schema.inner, name) };
      case "array":
        return { ...schema, items: hoist(schema.items, `${name}Item`) };
      case "object":
        if (schema.properties.length === 0 && schema.extends.length === 0) return schema;
        break;
      case "union":
        if (!schema.discriminator) return schema;
        break;
      default:
        return schema;
    }
    const declName = claimName(name, schema.pointer ?? "", name);
    addDeclaration({
      name: declName,
      schema,
      source: "inline",
      pointer: schema.pointer ?? "",
      nullable: false,
      meta: schema.meta,
    });
    return { kind: "ref", name: declName, pointer: schema.pointer };
  };

  const refTo = (ref: string, pointer: string, hint: string | undefined): IrSchema => {
    const specName = pointerToSchemaName(ref);
    if (specName !== undefined) {
      const name = componentNames.get(specName);
      if (name === undefined) throw errorAt("E_REF", pointer, `unresolved $ref ${JSON.stringify(ref)}`);
      const r: IrSchema = { kind: "ref", name, pointer };
      return componentIsNullable(specName) ? { kind: "nullable", inner: r, pointer } : r;
    }
    // A ref into the middle of a schema or elsewhere: inline the target, guarding against cycles.
    if (inlineRefsInProgress.has(ref)) {
      warnings.push({ pointer, message: `recursive $ref ${ref} to a schema that is not a component: typed as unknown` });
      return { kind: "unknown", pointer };
    }
    const target = rawAt(ref);
    inlineRefsInProgress.add(ref);
    try {
      return parse(target, ref, hint);
    } finally {
      inlineRefsInProgress.delete(ref);
    }
  };

  function parse(node: unknown, pointer: string, hint: string | undefined, specName?: string): IrSchema {
    if (node === true || (isObj(node) && Object.keys(node).length === 0)) return { kind: "unknown", pointer };
    if (!isObj(node)) {
      throw errorAt("E_SCHEMA", pointer, `a schema must be an object or a boolean, got ${JSON.stringify(node)}`);
    }
    let result: IrSchema;
    const meta = metaOf(node);
    if (typeof node.$ref === "string") {
      const target = refTo(node.$ref, pointer, hint);
      result = meta ? withMeta(target, meta, pointer) : target;
      if (node.nullable === true && result.kind !== "nullable") result = { kind: "nullable", inner: result, pointer };
    } else {
      const { nullable, rest } = splitNull(node);
      const inner = parseNonNull(rest, pointer, hint, specName);
      result = nullable && inner.kind !== "nullable" ? { kind: "nullable", inner, pointer } : inner;
      if (meta) result = withMeta(result, meta, pointer);
    }
    if (meta?.examples) examples.push(...schemaExamples(node, pointer, hint ?? pointer, result));
    return result;
  }

  function parseNonNull(node: Raw, pointer: string, hint: string | undefined, specName: string | undefined): IrSchema {
    if ("const" in node) {
      if (!isScalar(node.const)) return { kind: "unknown", pointer };
      return { kind: "literal", value: node.const, pointer };
    }
    if (Array.isArray(node.enum)) {
      const values = node.enum.filter(isScalar);
      if (values.length === 0) return { kind: "unknown", pointer };
      if (values.length === 1) return { kind: "literal", value: values[0], pointer };
      return { kind: "enum", values, pointer };
    }
    if (Array.isArray(node.allOf)) return parseAllOf(node, pointer, hint, specName);
    for (const key of ["oneOf", "anyOf"] as const) {
      if (Array.isArray(node[key]) && (node[key] as unknown[]).length === 0) {
        throw errorAt("E_SCHEMA", `${pointer}/${key}`, `\`${key}\` is empty: no value can match`, `give ${key} at least one schema, or remove it`);
      }
      if (Array.isArray(node[key])) {
        const union = parseUnion(node, node[key] as unknown[], `${pointer}/${key}`, pointer, hint, specName);
        if (isObj(node.properties) && Object.keys(node.properties).length > 0) {
          const { oneOf: _o, anyOf: _a, ...objectPart } = node;
          return { kind: "intersection", members: [parseObject(objectPart, pointer, hint, specName), union], pointer };
        }
        return union;
      }
    }
    let type = node.type;
    if (Array.isArray(type)) {
      if (type.length === 0) throw errorAt("E_SCHEMA", `${pointer}/type`, "`type` is an empty list: no value can match", "list at least one type, or leave `type` out to allow anything");
      if (type.length === 1) type = type[0];
      else {
        const members = type.map((t) => parseNonNull({ ...node, type: t }, pointer, hint, specName));
        return { kind: "union", members, pointer };
      }
    }
    if (type !== undefined && (typeof type !== "string" || !KNOWN_TYPES.has(type))) {
      throw errorAt(
        "E_SCHEMA",
        `${pointer}/type`,
        `unknown schema type ${JSON.stringify(type)}`,
        "use one of string, number, integer, boolean, object, array, null",
      );
    }
    if (type === "null") return { kind: "literal", value: null, pointer };
    if (type === "object" || (type === undefined && (isObj(node.properties) || "additionalProperties" in node || isObj(node.patternProperties)))) {
      return parseObject(node, pointer, hint, specName);
    }
    if (type === "array" || (type === undefined && "items" in node)) {
      const items = "items" in node ? parse(node.items, `${pointer}/items`, hint ? `${hint}Item` : undefined) : ({ kind: "unknown" } as IrSchema);
      return { kind: "array", items: hint ? hoist(items, `${hint}Item`) : items, constraints: constraintsOf(node), pointer };
    }
    if (typeof type === "string" && PRIMITIVE_TYPES.has(type)) {
      return {
        kind: "primitive",
        type: type as "string" | "number" | "integer" | "boolean",
        format: typeof node.format === "string" ? node.format : undefined,
        constraints: constraintsOf(node),
        pointer,
      };
    }
    return { kind: "unknown", pointer };
  }

  function parseObject(node: Raw, pointer: string, hint: string | undefined, specName: string | undefined): IrSchema {
    const required = new Set(Array.isArray(node.required) ? node.required.map(String) : []);
    const props = isObj(node.properties) ? node.properties : {};
    const propNames = Object.keys(props);

    const tagged = propNames.length > 0 && unionAllowed(specName, node) ? findTag(props, required) : undefined;

    const properties: IrProperty[] = propNames.map((name) => {
      const propPointer = `${pointer}/properties/${escapePointerSegment(name)}`;
      const propHint = hint ? `${hint}${pascalCase(name)}` : undefined;
      const parsed = parse(props[name], propPointer, propHint);
      return { name, required: required.has(name), schema: hoist(parsed, propHint), meta: propertyMeta(parsed) };
    });

    let additionalProperties: boolean | IrSchema = false;
    const ap = node.additionalProperties;
    if (ap === true || (isObj(ap) && Object.keys(ap).length === 0)) additionalProperties = true;
    else if (isObj(ap)) {
      const valueHint = hint ? `${hint}Value` : undefined;
      additionalProperties = hoist(parse(ap, `${pointer}/additionalProperties`, valueHint), valueHint);
    }
    const keyPatterns: string[] = [];
    if (isObj(node.patternProperties)) {
      const values: IrSchema[] = [];
      for (const [pattern, schema] of Object.entries(node.patternProperties)) {
        keyPatterns.push(pattern);
        values.push(parse(schema, `${pointer}/patternProperties/${escapePointerSegment(pattern)}`, undefined));
      }
      if (additionalProperties === false && values.length > 0) {
        additionalProperties = values.length === 1 ? values[0] : { kind: "union", members: values };
      } else if (additionalProperties !== false && additionalProperties !== true) {
        additionalProperties = { kind: "union", members: [additionalProperties, ...values] };
      }
    }

    if (properties.length === 0) {
      const values: IrSchema = additionalProperties === false || additionalProperties === true ? { kind: "unknown" } : additionalProperties;
      return { kind: "map", values, keyPatterns: keyPatterns.length > 0 ? keyPatterns : undefined, pointer };
    }

    const object: IrObject = { kind: "object", extends: [], properties, additionalProperties, pointer };
    if (!tagged) return object;

    // The tagged-object pattern: `type: a | b` plus optional siblings `a`, `b`. Each member keeps
    // the tag as a literal and only its own sibling, so `{type: "a", b: …}` does not compile.
    const tagValues = new Set(tagged.values);
    const members: IrObject[] = tagged.values.map((value) => ({
      kind: "object",
      extends: [],
      additionalProperties,
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
    unions.push({ at: hint ?? pointer, pointer, reason: "tagged-object", property: tagged.property, values: tagged.values });
    return union;
  }

  /** A required enum property whose every value names an optional sibling property. */
  function findTag(props: Raw, required: Set<string>): { property: string; values: string[] } | undefined {
    for (const [name, schema] of Object.entries(props)) {
      if (!required.has(name) || !isObj(schema) || !Array.isArray(schema.enum)) continue;
      const values = schema.enum;
      if (values.length < 2 || !values.every((v) => typeof v === "string")) continue;
      if (values.every((v) => v !== name && v in props && !required.has(v))) return { property: name, values: values as string[] };
    }
    return undefined;
  }

  /** Property docs: the property's own, else the nullable's inner schema's, else the referenced type's. */
  function propertyMeta(schema: IrSchema): IrMeta | undefined {
    let meta = schema.meta;
    let node: IrSchema = schema;
    while (!meta?.description && (node.kind === "nullable" || node.kind === "ref")) {
      if (node.kind === "ref") {
        const specName = specNameOf.get(node.name);
        const description = specName !== undefined ? rawDescription(rawSchemas[specName]) : undefined;
        return description ? { ...(meta ?? {}), description } : meta;
      }
      node = node.inner;
      if (node.meta) meta = { ...node.meta, ...(meta ?? {}), description: node.meta.description ?? meta?.description };
    }
    return meta;
  }

  /** A component's description, looking through `anyOf: [X, null]` and `$ref`s as its declaration does. */
  function rawDescription(raw: unknown, depth = 0): string | undefined {
    if (!isObj(raw) || depth > 8) return undefined;
    if (typeof raw.description === "string" && raw.description.trim()) return raw.description.trim();
    if (typeof raw.$ref === "string") return rawDescription(rawAt(raw.$ref), depth + 1);
    const { rest } = splitNull(raw);
    for (const key of ["anyOf", "oneOf", "allOf"] as const) {
      const members = rest[key];
      if (Array.isArray(members) && members.length === 1) return rawDescription(members[0], depth + 1);
    }
    return undefined;
  }

  function parseUnion(
    node: Raw,
    givenMembers: unknown[],
    membersPointer: string,
    pointer: string,
    hint: string | undefined,
    specName: string | undefined,
  ): IrSchema {
    let rawMembers = givenMembers;
    // `A: anyOf [$ref A, …]` adds nothing to A (a value matching A matches A); printed, it would be
    // `type A = A | …`, which does not compile.
    if (specName !== undefined) {
      const self = `#/components/schemas/${escapePointerSegment(specName)}`;
      const kept = rawMembers.filter((m) => !(isObj(m) && m.$ref === self));
      if (kept.length !== rawMembers.length) {
        warnings.push({ pointer, message: "the union lists its own schema as a member; that member is dropped" });
        if (kept.length === 0) throw errorAt("E_SCHEMA", pointer, "the union has no member but itself", "a schema cannot be only a union of itself");
        rawMembers = kept;
      }
    }
    // One member left (after dropping `{type: "null"}`) is that member, named as the union would be.
    if (rawMembers.length === 1) return parse(rawMembers[0], `${membersPointer}/0`, hint);
    const parsed = rawMembers.map((m, i) => parse(m, `${membersPointer}/${i}`, undefined));
    // A member that allows anything makes the union allow anything (`unknown | X` is `unknown`).
    if (parsed.some((m) => m.kind === "unknown")) return { kind: "unknown", pointer };
    const discriminator = decideDiscriminator(node, rawMembers, specName, pointer);
    let members = parsed;
    if (discriminator) {
      members = parsed.map((member, i) => {
        const raw = rawMembers[i];
        const values = discriminator.values[i];
        // A member whose discriminant is typed wider than its mapped value(s) gets narrowed here,
        // so `switch (x[prop])` narrows in TypeScript.
        const own = discriminantValues(raw, discriminator.property);
        let m = member;
        if (!values.every((v) => own.includes(v)) || own.some((v) => !values.includes(v))) {
          const literal: IrSchema = values.length === 1 ? { kind: "literal", value: values[0] } : { kind: "enum", values };
          m = {
            kind: "intersection",
            members: [member, { kind: "object", extends: [], additionalProperties: false, properties: [{ name: discriminator.property, required: true, schema: literal }] }],
          };
        }
        const memberName = hint ? `${hint}${pascalCase(values[0] ?? `Variant${i + 1}`)}` : undefined;
        return m.kind === "object" ? hoist(m, memberName) : m;
      });
      unions.push({
        at: hint ?? pointer,
        pointer,
        reason: discriminator.reason,
        property: discriminator.property,
        values: discriminator.values.flat(),
      });
    } else if (hint) {
      members = parsed.map((m, i) => (m.kind === "object" ? hoist(m, `${hint}${pascalCase(m.meta?.title ?? `Variant${i + 1}`)}`) : m));
    }
    return { kind: "union", members, discriminator, pointer };
  }

  function decideDiscriminator(node: Raw, rawMembers: unknown[], specName: string | undefined, pointer: string): IrDiscriminator | undefined {
    const d = node.discriminator;
    if (isObj(d) && typeof d.propertyName === "string") {
      const property = d.propertyName;
      const mapping = isObj(d.mapping) ? d.mapping : {};
      const values = rawMembers.map((m) => {
        const ref = isObj(m) && typeof m.$ref === "string" ? m.$ref : undefined;
        const mapped = Object.entries(mapping)
          .filter(([, target]) => target === ref || (ref && typeof target === "string" && `#/components/schemas/${target}` === ref))
          .map(([value]) => value);
        if (mapped.length > 0) return mapped;
        // A member that is itself a union contributes its members' values, not its own name.
        const own = discriminantValues(m, property);
        if (own.length > 0) return own;
        const target = ref ? pointerToSchemaName(ref) : undefined;
        return target ? [target] : [];
      });
      if (values.every((v) => v.length > 0)) return { property, reason: "discriminator", values };
      warnings.push({ pointer, message: `discriminator on "${property}" does not name every member; emitted as a plain union` });
      return undefined;
    }
    if (!unionAllowed(specName, node)) return undefined;
    const propsOf = rawMembers.map((m) => flatProperties(m));
    if (propsOf.some((p) => p.size === 0)) return undefined;
    const candidates = [...propsOf[0].keys()].sort((a, b) => (a === "type" ? -1 : b === "type" ? 1 : 0));
    for (const property of candidates) {
      const values = propsOf.map((p) => {
        const prop = p.get(property);
        return prop ? singleValue(prop) : undefined;
      });
      if (values.every((v): v is string => typeof v === "string") && new Set(values).size === values.length) {
        return { property, reason: "single-valued-property", values: values.map((v) => [v]) };
      }
    }
    return undefined;
  }

  function parseAllOf(node: Raw, pointer: string, hint: string | undefined, specName: string | undefined): IrSchema {
    const rawMembers = node.allOf as unknown[];
    const { allOf: _allOf, ...siblings } = node;
    const hasSiblingShape = isObj(siblings.properties) || Array.isArray(siblings.required) || "additionalProperties" in siblings;
    if (rawMembers.length === 1 && !hasSiblingShape && !Array.isArray(node.oneOf) && !Array.isArray(node.anyOf)) {
      return parse(rawMembers[0], `${pointer}/allOf/0`, hint);
    }
    const extendsNames: string[] = [];
    const properties = new Map<string, IrProperty>();
    const others: IrSchema[] = [];
    const requiredExtra = new Set<string>(Array.isArray(node.required) ? node.required.map(String) : []);
    let additionalProperties: boolean | IrSchema = false;
    const mergeObject = (o: IrObject) => {
      extendsNames.push(...o.extends);
      for (const p of o.properties) properties.set(p.name, p);
      if (o.additionalProperties !== false) additionalProperties = o.additionalProperties;
    };
    rawMembers.forEach((member, i) => {
      const memberPointer = `${pointer}/allOf/${i}`;
      if (isObj(member) && typeof member.$ref === "string") {
        const target = pointerToSchemaName(member.$ref);
        const raw = target !== undefined ? rawSchemas[target] : undefined;
        if (target !== undefined && isPlainObjectSchema(raw)) {
          extendsNames.push(componentNames.get(target)!);
          return;
        }
      }
      const parsed = parse(member, memberPointer, hint);
      if (parsed.kind === "object") mergeObject(parsed);
      else others.push(parsed);
    });
    if (hasSiblingShape) {
      const own = parseObject({ ...siblings, type: "object" }, pointer, hint, specName);
      if (own.kind === "object") mergeObject(own);
      else if (own.kind === "union") others.push(own);
    }
    for (const name of requiredExtra) {
      const p = properties.get(name);
      if (p) properties.set(name, { ...p, required: true });
    }
    // `interface A extends B` breaks when A redeclares a property of B with a type B does not
    // allow (allOf means both hold): then an intersection says exactly that.
    const seenProps = new Set(properties.keys());
    let clash = false;
    for (const base of extendsNames) {
      for (const inherited of flatProperties({ $ref: `#/components/schemas/${escapePointerSegment(specNameOf.get(base)!)}` }).keys()) {
        if (seenProps.has(inherited)) clash = true;
        seenProps.add(inherited);
      }
    }
    const bases: IrSchema[] = clash ? extendsNames.splice(0).map((name) => ({ kind: "ref", name })) : [];
    const object: IrObject = { kind: "object", extends: extendsNames, properties: [...properties.values()], additionalProperties, pointer };
    if (others.length === 0 && bases.length === 0) return object;
    const members: IrSchema[] = [...bases, ...(object.properties.length > 0 || extendsNames.length > 0 ? [object] : []), ...others];
    return members.length === 1 ? members[0] : { kind: "intersection", members, pointer };
  }

  /** An object schema an interface can extend: properties, no union, no null, no map. */
  function isPlainObjectSchema(raw: unknown): boolean {
    if (!isObj(raw) || typeof raw.$ref === "string") return false;
    if (splitNull(raw).nullable || Array.isArray(raw.oneOf) || Array.isArray(raw.anyOf) || Array.isArray(raw.enum)) return false;
    if (Array.isArray(raw.allOf)) return raw.allOf.every((m) => isObj(m) && (typeof m.$ref !== "string" || isPlainObjectSchema(rawAt(m.$ref))));
    if (raw.additionalProperties !== undefined && raw.additionalProperties !== false) return false;
    if (findTag(isObj(raw.properties) ? raw.properties : {}, new Set(Array.isArray(raw.required) ? raw.required.map(String) : []))) return false;
    return isObj(raw.properties) && Object.keys(raw.properties).length > 0;
  }

  // `A allOf [B]`, `B allOf [A]` has no meaning: report it instead of emitting `interface A extends B` loops.
  const checkAllOfCycles = () => {
    const state = new Map<string, "active" | "done">();
    const visit = (name: string, trail: string[]) => {
      if (state.get(name) === "done") return;
      if (state.get(name) === "active") {
        const cycle = [...trail.slice(trail.indexOf(name)), name];
        throw errorAt(
          "E_CIRCULAR_ALLOF",
          `#/components/schemas/${escapePointerSegment(name)}/allOf`,
          `circular allOf: ${cycle.join(" → ")}`,
          "a schema cannot include itself through allOf; use a property to nest it instead",
        );
      }
      state.set(name, "active");
      const node = rawSchemas[name];
      if (isObj(node) && Array.isArray(node.allOf)) {
        for (const m of node.allOf) {
          const target = isObj(m) && typeof m.$ref === "string" ? pointerToSchemaName(m.$ref) : undefined;
          if (target !== undefined) visit(target, [...trail, name]);
        }
      }
      state.set(name, "done");
    };
    for (const name of specNames) visit(name, []);
  };
  checkAllOfCycles();

  for (const specName of specNames) {
    const name = componentNames.get(specName)!;
    const pointer = `#/components/schemas/${escapePointerSegment(specName)}`;
    const raw = rawSchemas[specName];
    let schema = parse(raw, pointer, name, specName);
    const nullable = componentIsNullable(specName);
    if (nullable && schema.kind === "nullable") schema = { ...schema.inner, meta: { ...(schema.inner.meta ?? {}), ...(schema.meta ?? {}) } };
    addDeclaration({ name, schema, source: "component", pointer, specName, nullable, meta: schema.meta });
    if (isObj(raw)) examples.push(...oaiMetaExamples(raw, pointer, name, { kind: "ref", name }));
  }

  const operations = buildOperations();
  for (const op of operations) examples.push(...operationExamples(root, op));

  const info = isObj(root.info) ? root.info : {};
  const servers = Array.isArray(root.servers) ? root.servers : [];
  const firstServer = isObj(servers[0]) && typeof servers[0].url === "string" ? servers[0].url : "";
  const variables = serverVariablesOf(root, warn);
  const title = typeof info.title === "string" ? info.title : "API";

  const doc: IrDocument = {
    version: spec.version,
    title,
    apiVersion: typeof info.version === "string" ? info.version : String(info.version ?? ""),
    baseURL: firstServer,
    ...(variables.length > 0 ? { serverVariables: { typeName: claimName("ServerVariables", "#/servers/0/variables", "ServerVariables"), variables } } : {}),
    apiKeyEnv: apiKeyEnvFor(title),
    declarations: [...declarations.values()].sort((a, b) => compareCodePoints(a.name, b.name)),
    operations,
    unions,
    examples,
    renames,
    warnings,
  };
  return recognizeConventions(options.naming === "camel" ? applyCamelNaming(doc) : doc);

  function deref(node: unknown, pointer: string): { node: Raw; pointer: string } {
    let current = node;
    let at = pointer;
    const seen = new Set<string>();
    while (isObj(current) && typeof current.$ref === "string") {
      if (seen.has(current.$ref)) throw errorAt("E_REF", at, `circular $ref ${current.$ref}`);
      seen.add(current.$ref);
      at = current.$ref;
      current = rawAt(current.$ref);
    }
    if (!isObj(current)) throw errorAt("E_SCHEMA", at, "expected an object");
    return { node: current, pointer: at };
  }

  function buildOperations(): IrOperation[] {
    const paths = isObj(root.paths) ? root.paths : {};
    const out: IrOperation[] = [];
    const seenIds = new Map<string, string>();
    // Validators export `validateX`/`isX`, the client `createClient` and the runtime its helpers beside the operations.
    const usedFunctionNames = new Set<string>(["createClient", "mergeOptions", "callOperation", "fromWire", "toWire", "headerValue"]);
    for (const name of componentNames.values()) usedFunctionNames.add(`validate${name}`).add(`is${name}`);
    const globalAuth = authOf(root.security);
    for (const path of Object.keys(paths)) {
      const pathPointer = `#/paths/${escapePointerSegment(path)}`;
      const item = deref(paths[path], pathPointer);
      for (const method of METHODS) {
        const rawOp = item.node[method];
        if (!isObj(rawOp)) continue;
        const pointer = `${item.pointer}/${method}`;
        const operationId = typeof rawOp.operationId === "string" ? rawOp.operationId : `${method}${pascalCase(path)}`;
        const firstAt = seenIds.get(operationId);
        if (firstAt !== undefined) {
          throw errorAt("E_DUPLICATE_OPERATION", `${pointer}/operationId`, `duplicate operationId ${JSON.stringify(operationId)}, first used at ${firstAt}`, "operationIds must be unique");
        }
        seenIds.set(operationId, `${pointer}/operationId`);
        let name = camelCase(operationId);
        if (usedFunctionNames.has(name)) {
          let i = 2;
          while (usedFunctionNames.has(`${name}${i}`)) i++;
          renames.push({ from: operationId, to: `${name}${i}`, pointer, reason: "function name collides with another operation" });
          name = `${name}${i}`;
        } else if (name !== operationId) {
          renames.push({ from: operationId, to: name, pointer, reason: "operationId turned into a camelCase function name" });
        }
        usedFunctionNames.add(name);
        out.push(buildOperation(rawOp, item.node, path, method, pointer, item.pointer, operationId, name, globalAuth));
      }
    }
    return out;
  }

  function authOf(security: unknown): "bearer" | "none" | undefined {
    if (!Array.isArray(security)) return undefined;
    return security.length === 0 || security.every((s) => isObj(s) && Object.keys(s).length === 0) ? "none" : "bearer";
  }

  function buildOperation(
    rawOp: Raw,
    pathItem: Raw,
    path: string,
    method: (typeof METHODS)[number],
    pointer: string,
    pathPointer: string,
    operationId: string,
    name: string,
    globalAuth: "bearer" | "none" | undefined,
  ): IrOperation {
    const typeBase = pascalCase(name);
    const params = new Map<string, IrParameter>();
    const addParams = (list: unknown, listPointer: string) => {
      if (!Array.isArray(list)) return;
      list.forEach((p, i) => {
        const { node, pointer: at } = deref(p, `${listPointer}/${i}`);
        const where = node.in;
        if (where !== "path" && where !== "query" && where !== "header" && where !== "cookie") {
          throw errorAt("E_SCHEMA", `${at}/in`, `parameter "in" must be path, query, header or cookie, got ${JSON.stringify(where)}`);
        }
        if (typeof node.name !== "string") throw errorAt("E_SCHEMA", `${at}/name`, "parameter without a name");
        const hint = `${typeBase}${pascalCase(node.name)}`;
        // A path parameter without a schema is still a URL segment: a string or a number.
        let schema: IrSchema = where === "path"
          ? { kind: "union", members: [{ kind: "primitive", type: "string" }, { kind: "primitive", type: "number" }] }
          : { kind: "unknown" };
        if (node.schema !== undefined) schema = hoist(parse(node.schema, `${at}/schema`, hint), hint);
        else if (isObj(node.content)) {
          const first = Object.keys(node.content)[0];
          const media = (node.content as Raw)[first];
          if (isObj(media) && media.schema !== undefined) schema = hoist(parse(media.schema, `${at}/content/${escapePointerSegment(first)}/schema`, hint), hint);
        }
        const meta = metaOf(node) ?? propertyMeta(schema);
        params.set(`${where}:${node.name}`, {
          name: node.name,
          in: where,
          required: where === "path" ? true : node.required === true,
          schema,
          ...serializationOf(node, where, at, warn),
          meta,
        });
      });
    };
    addParams(pathItem.parameters, `${pathPointer}/parameters`);
    addParams(rawOp.parameters, `${pointer}/parameters`);
    const all = [...params.values()];
    const pathOrder = [...new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]))];
    for (const p of pathOrder) {
      if (!params.has(`path:${p}`)) {
        throw errorAt("E_SCHEMA", `${pointer}/parameters`, `path template ${path} names {${p}} but no path parameter ${JSON.stringify(p)} is declared`);
      }
    }
    const pathParams = pathOrder.map((p) => params.get(`path:${p}`)!);

    let unsupported: string | undefined;
    let requestBody: IrOperation["requestBody"];
    if (rawOp.requestBody !== undefined) {
      const { node: body, pointer: bodyPointer } = deref(rawOp.requestBody, `${pointer}/requestBody`);
      const content = isObj(body.content) ? body.content : {};
      const types = Object.keys(content);
      const json = types.find(isJsonMediaType);
      if (json) {
        const media = content[json];
        const hint = `${typeBase}Body`;
        const schema = isObj(media) && media.schema !== undefined
          ? hoist(parse(media.schema, `${bodyPointer}/content/${escapePointerSegment(json)}/schema`, hint), hint)
          : ({ kind: "unknown" } as IrSchema);
        requestBody = { required: body.required === true, contentType: json, schema, description: typeof body.description === "string" ? body.description : undefined };
      } else if (types.length > 0) {
        unsupported = `request body ${types.join(", ")} (only JSON bodies are generated so far)`;
      }
    }

    // Only a component names the events' type: an inline event schema would add declarations of its own.
    const eventStreamOf = (events: unknown, resPointer: string): { schema?: IrSchema } => {
      const ref = isObj(events) && isObj(events.schema) && typeof events.schema.$ref === "string" ? events.schema.$ref : undefined;
      const at = `${resPointer}/content/text~1event-stream/schema`;
      return ref !== undefined && pointerToSchemaName(ref) !== undefined ? { schema: refTo(ref, at, undefined) } : {};
    };
    const responses = isObj(rawOp.responses) ? rawOp.responses : {};
    const codes = Object.keys(responses).sort(compareCodePoints);
    const success = codes.find((c) => /^2\d\d$/.test(c)) ?? codes.find((c) => /^2XX$/i.test(c)) ?? codes.find((c) => c === "default");
    let response: IrOperation["response"] = { status: success ?? "200" };
    if (success) {
      const { node: res, pointer: resPointer } = deref(responses[success], `${pointer}/responses/${success}`);
      const content = isObj(res.content) ? res.content : {};
      const types = Object.keys(content);
      const json = types.find(isJsonMediaType);
      const description = typeof res.description === "string" ? res.description : undefined;
      if (json) {
        const media = content[json];
        const hint = `${typeBase}Response`;
        const schema = isObj(media) && media.schema !== undefined
          ? hoist(parse(media.schema, `${resPointer}/content/${escapePointerSegment(json)}/schema`, hint), hint)
          : ({ kind: "unknown" } as IrSchema);
        response = { status: success, contentType: json, schema, description };
        if (content["text/event-stream"] !== undefined) response.eventStream = eventStreamOf(content["text/event-stream"], resPointer);
      } else if (types.length === 1 && types[0] === "text/event-stream") {
        // Only events: the client's function for it is a stream.
        response = { status: success, contentType: types[0], description, eventStream: eventStreamOf(content[types[0]], resPointer) };
      } else if (types.length > 0) {
        response = { status: success, contentType: types[0], description };
        unsupported ??= types.some((t) => t === "text/event-stream") ? "streaming response (text/event-stream)" : `non-JSON response ${types.join(", ")}`;
      } else response = { status: success, description };
    }

    const queryParams = all.filter((p) => p.in === "query");
    const headerParams = all.filter((p) => p.in === "header");
    for (const p of all) if (p.in === "cookie") warnings.push({ pointer, message: `cookie parameter ${p.name} is not sent by the generated client` });
    const paramsType = queryParams.length + headerParams.length > 0 ? claimName(`${typeBase}Params`, pointer, `${typeBase}Params`) : undefined;
    return {
      operationId,
      name,
      paramsType,
      method: method.toUpperCase() as IrOperation["method"],
      path,
      pointer,
      summary: typeof rawOp.summary === "string" ? rawOp.summary.trim() : undefined,
      description: typeof rawOp.description === "string" ? rawOp.description.trim() : undefined,
      deprecated: rawOp.deprecated === true,
      tags: Array.isArray(rawOp.tags) ? rawOp.tags.map(String) : [],
      pathParams,
      queryParams,
      headerParams,
      requestBody,
      response,
      unsupported,
      auth: authOf(rawOp.security) ?? globalAuth ?? "none",
    };
  }
}

function isJsonMediaType(type: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(type) || type === "*/*";
}
