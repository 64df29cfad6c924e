import { eachNested } from "../../generator/ir/children";
import type { IrDocument, IrSchema } from "../../generator/ir/types";

/**
 * The classes of disagreement between the generated validators and JSON Schema, each written as
 * the JSON Schema that says what the generator does instead: a disagreement belongs to the first
 * class whose rewritten schema gives ajv the generator's verdict. So a class is a precise claim
 * ("the validator reads this schema as if `additionalProperties: false` were not there"), checked
 * on every value it is said to explain, never a guess from error messages.
 */

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === "object" && !Array.isArray(v);

export interface DisagreementClass {
  name: string;
  /** Rewrites (in place) a deep copy of the spec's JSON Schema, `toJsonSchema`'s output. */
  rewrite(doc: Raw, ir: IrDocument, original: Raw): void;
}

/** Every schema object in the document with its pointer, parents before children. */
function* nodes(node: unknown, pointer = "#"): Generator<[Raw, string]> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) yield* nodes(node[i], `${pointer}/${i}`);
    return;
  }
  if (!isObj(node)) return;
  yield [node, pointer];
  for (const [k, v] of Object.entries(node)) if (k !== "enum" && k !== "const" && k !== "default" && k !== "examples") yield* nodes(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
}

function at(doc: Raw, pointer: string): unknown {
  let node: unknown = doc;
  for (const seg of pointer.replace(/^#\/?/, "").split("/").filter((s) => s !== "")) {
    const key = seg.replace(/~1/g, "/").replace(/~0/g, "~");
    node = isObj(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

/** Property names a schema declares itself, through `$ref` and `allOf`. */
function declared(doc: Raw, node: unknown, seen = new Set<unknown>()): Set<string> {
  const out = new Set<string>();
  if (!isObj(node) || seen.has(node)) return out;
  seen.add(node);
  if (typeof node.$ref === "string") for (const n of declared(doc, at(doc, node.$ref), seen)) out.add(n);
  if (isObj(node.properties)) for (const n of Object.keys(node.properties)) out.add(n);
  if (Array.isArray(node.allOf)) for (const m of node.allOf) for (const n of declared(doc, m, seen)) out.add(n);
  return out;
}

/** Every IR union with a discriminator, by the pointer of the schema it was built from. */
function unions(ir: IrDocument): { pointer: string; schema: Extract<IrSchema, { kind: "union" }> }[] {
  const out: { pointer: string; schema: Extract<IrSchema, { kind: "union" }> }[] = [];
  const walk = (s: IrSchema): void => {
    switch (s.kind) {
      case "union":
        if (s.discriminator && s.pointer) out.push({ pointer: s.pointer, schema: s });
        s.members.forEach(walk);
        return;
      case "intersection":
        s.members.forEach(walk);
        return;
      case "object":
        s.properties.forEach((p) => walk(p.schema));
        if (typeof s.additionalProperties === "object") walk(s.additionalProperties);
        return;
      case "array":
        return walk(s.items);
      case "map":
        return walk(s.values);
      case "nullable":
        return walk(s.inner);
      default:
        return;
    }
  };
  for (const d of ir.declarations) walk(d.schema);
  return out;
}

/** A schema that only lists required names: a constraint on an object, not a shape of its own. */
const constraintOnly = (m: unknown): boolean => isObj(m) && Object.keys(m).length > 0 && Object.keys(m).every((k) => k === "required" || k === "description" || k === "title");

export const CLASSES: DisagreementClass[] = [
  {
    // Deliberate (README, semantics table): servers add fields to what they answer, so a schema
    // only responses reach accepts unknown keys unless `{ strict: true }`.
    name: "additionalProperties: false in a schema only responses reach: unknown keys accepted unless { strict: true }",
    rewrite(doc, ir) {
      for (const d of ir.declarations) {
        eachNested(d.schema, (s) => {
          const node = s.kind === "object" && s.unknownKeys === "strict" && s.pointer ? at(doc, s.pointer) : undefined;
          if (isObj(node)) delete node.additionalProperties;
        });
      }
    },
  },
  {
    name: "$recursiveRef / $dynamicRef read as unknown",
    rewrite(doc, _ir, original) {
      for (const [n, p] of nodes(original)) {
        if (typeof n.$recursiveRef !== "string" && typeof n.$dynamicRef !== "string") continue;
        // A member that allows anything makes its union allow anything, as the IR has it.
        const parent = /^(.*)\/(?:oneOf|anyOf)\/\d+$/.exec(p);
        const target = at(doc, parent ? parent[1] : p);
        if (isObj(target)) for (const k of Object.keys(target)) delete target[k];
      }
    },
  },
  {
    name: "required in one allOf member naming a property another member declares is dropped",
    rewrite(doc) {
      for (const [n] of nodes(doc)) {
        if (!Array.isArray(n.allOf)) continue;
        const members = n.allOf.map((m) => (isObj(m) && typeof m.$ref === "string" ? at(doc, m.$ref) : m));
        const all = [n, ...members];
        for (const m of all) {
          if (!isObj(m) || !Array.isArray(m.required)) continue;
          const own = isObj(m.properties) ? Object.keys(m.properties) : [];
          const others = new Set(all.filter((o) => o !== m).flatMap((o) => [...declared(doc, o)]));
          m.required = m.required.filter((r) => own.includes(r as string) || !others.has(r as string));
        }
      }
    },
  },
  {
    name: "required naming a property no member declares is dropped",
    rewrite(doc) {
      for (const [n] of nodes(doc)) {
        if (!Array.isArray(n.required) || !(isObj(n.properties) || Array.isArray(n.allOf))) continue;
        const known = declared(doc, n);
        n.required = n.required.filter((r) => known.has(r as string));
      }
    },
  },
  {
    name: "overlapping oneOf members accepted (read as anyOf)",
    rewrite(doc) {
      for (const [n] of nodes(doc)) {
        if (Array.isArray(n.oneOf)) {
          n.anyOf = n.oneOf;
          delete n.oneOf;
        }
      }
    },
  },
  {
    // Deliberate (README, semantics table): OpenAPI's discriminator selects the member by its value,
    // so a value no member is mapped to is rejected; JSON Schema ignores the keyword.
    name: "discriminator value outside the union's values rejected (the discriminator selects the member)",
    rewrite: (doc, ir) => pinDiscriminants(doc, ir, { required: false }),
  },
  {
    name: "discriminator required although the member makes it optional or nullable",
    rewrite: (doc, ir) => pinDiscriminants(doc, ir, { required: true }),
  },
  {
    name: "tagged-object union: siblings the tag does not select are not checked",
    rewrite(doc, ir) {
      for (const { pointer, schema } of unions(ir)) {
        const d = schema.discriminator!;
        if (d.reason !== "tagged-object") continue;
        const node = at(doc, pointer);
        if (!isObj(node) || !isObj(node.properties)) continue;
        const props = node.properties;
        const conditions = d.values.map(([v]) => ({ if: { properties: { [d.property]: { const: v } }, required: [d.property] }, then: { properties: { [v]: props[v] ?? true } } }));
        for (const [v] of d.values) props[v] = true;
        node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), ...conditions];
      }
    },
  },
  {
    name: "not: { required } ignored",
    rewrite(doc) {
      for (const [n] of nodes(doc)) {
        if (isObj(n.not) && (constraintOnly(n.not) || (Array.isArray(n.not.anyOf) && n.not.anyOf.every(constraintOnly)))) delete n.not;
      }
    },
  },
];

/**
 * What the validator does with a discriminated union, as JSON Schema: each member (of an explicit
 * `discriminator`, or also of an inferred union when `required`) gets its discriminant values as an
 * enum, and with `required` the discriminant must be present.
 */
function pinDiscriminants(doc: Raw, ir: IrDocument, { required }: { required: boolean }): void {
  for (const { pointer, schema } of unions(ir)) {
    const d = schema.discriminator!;
    if (required ? d.reason === "tagged-object" : d.reason !== "discriminator") continue;
    const node = at(doc, pointer);
    if (!isObj(node)) continue;
    const key = Array.isArray(node.oneOf) ? "oneOf" : "anyOf";
    const members = node[key];
    if (!Array.isArray(members)) continue;
    // The IR dropped `{type: "null"}` members; the others keep their order.
    const real = members.filter((m) => !(isObj(m) && m.type === "null"));
    node[key] = members.map((m) => {
      const i = real.indexOf(m);
      if (i < 0 || !d.values[i]) return m;
      const pin = { properties: { [d.property]: { enum: d.values[i] } } };
      return { allOf: [m, required ? { required: [d.property], ...pin } : pin] };
    });
  }
}
