import fc from "fast-check";

/**
 * Values for a JSON Schema (as `toJsonSchema` gives it), drawn with fast-check: mostly valid ones
 * built from the schema, then one mutation at a random place of the value, of the kinds schema
 * bugs hide behind. Seeded, so a run is reproducible from its seed and index.
 */

type Raw = Record<string, unknown>;
const isObj = (v: unknown): v is Raw => v !== null && typeof v === "object" && !Array.isArray(v);

export type Mutation = "none" | "drop-required" | "wrong-type" | "extra-key" | "out-of-enum" | "null" | "deep";
export const MUTATIONS: Mutation[] = ["none", "drop-required", "wrong-type", "extra-key", "out-of-enum", "null", "deep"];

/** Where a generated value sits, with the schema it was drawn from. */
interface Place {
  parent: Raw | unknown[];
  key: string | number;
  schema: Raw;
  depth: number;
  /** Required keys of the object drawn there (objects only). */
  required?: string[];
}

type Gen = fc.GeneratorValue;

/** Plain strings and loose values: a draw from a short list costs far less than fast-check's string arbitrary, and these catch as much. */
const STRINGS = ["", "a", "hello world", "é\u0301", "42", "null", "user", "gpt-4o", "x".repeat(40), "💡"];
const ANY: unknown[] = [null, true, 0, -1.5, "", "s", [], {}, [1, "a"], { a: 1 }];

export interface Drawn {
  value: unknown;
  mutation: Mutation;
}

/** Draws one value for `schema` (inside `root`, which its `$ref`s point into) and mutates it as the seed says. */
export function draw(g: Gen, root: Raw, schema: Raw): Drawn {
  const mutation = g(fc.constantFrom, ...MUTATIONS);
  const places: Place[] = [];
  const holder: Raw = {};
  const drawer = new Drawer(g, root, places, mutation === "deep" ? 9 : 4);
  holder.v = drawer.value(schema, 0, holder, "v");
  for (const p of places) while (drawer.moved.has(p.parent)) p.parent = drawer.moved.get(p.parent)!;
  mutate(g, mutation, places);
  return { value: holder.v, mutation };
}

function resolve(root: Raw, ref: string): unknown {
  let node: unknown = root;
  for (const seg of ref.replace(/^#\/?/, "").split("/").filter((s) => s !== "")) {
    const key = decodeURIComponent(seg).replace(/~1/g, "/").replace(/~0/g, "~");
    node = isObj(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

class Drawer {
  /** Objects merged into another (allOf members): their places now live in it. */
  readonly moved = new Map<unknown, Raw>();

  constructor(
    readonly g: Gen,
    readonly root: Raw,
    readonly places: Place[],
    readonly maxDepth: number,
  ) {}

  pick<T>(list: readonly T[]): T {
    return list[this.g(fc.integer, { min: 0, max: list.length - 1 })];
  }

  chance(p: number): boolean {
    return this.g(fc.double, { min: 0, max: 1, noNaN: true }) < p;
  }

  value(schema: unknown, depth: number, parent: Raw | unknown[], key: string | number): unknown {
    if (schema === true || schema === undefined) return this.any();
    if (schema === false || !isObj(schema)) return null;
    const place: Place = { parent, key, schema, depth };
    this.places.push(place);
    const v = this.shape(schema, depth, place);
    return v;
  }

  private any(): unknown {
    return this.pick(ANY);
  }

  private shape(s: Raw, depth: number, place: Place): unknown {
    // Past the depth budget a value is cut short; it is still a value to judge.
    if (depth > this.maxDepth + 6) return null;
    if (typeof s.$ref === "string") {
      const target = resolve(this.root, s.$ref);
      const rest = Object.keys(s).filter((k) => k !== "$ref" && k !== "description" && k !== "title");
      const own = rest.length > 0 ? this.shape({ ...s, $ref: undefined }, depth, place) : undefined;
      const v = this.value(target, depth + 1, place.parent, place.key);
      return isObj(own) && isObj(v) ? this.merge([v, own]) : v;
    }
    if ("const" in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length > 0) return this.pick(s.enum);
    const parts: unknown[] = [];
    if (Array.isArray(s.allOf)) {
      for (const m of s.allOf) parts.push(this.value(m, depth + 1, place.parent, place.key));
    }
    for (const key of ["oneOf", "anyOf"] as const) {
      const members = s[key];
      if (Array.isArray(members) && members.length > 0) {
        // Deep down, leaf-like members first, so recursion ends.
        const shallow = members.filter((m) => !(isObj(m) && (typeof m.$ref === "string" || typeof m.$recursiveRef === "string")));
        const from = depth >= this.maxDepth && shallow.length > 0 ? shallow : members;
        parts.push(this.value(this.pick(from), depth + 1, place.parent, place.key));
      }
    }
    const own = this.typed(s, depth, place, parts.length > 0);
    if (own !== undefined) parts.push(own);
    if (parts.length === 0) return this.any();
    const objects = parts.filter(isObj);
    if (objects.length === parts.length) return this.merge(objects);
    return parts[0];
  }

  /** One object with the keys of all, and the places drawn inside them moved to it. */
  private merge(objects: Raw[]): Raw {
    const merged = Object.assign({}, ...objects) as Raw;
    for (const o of objects) this.moved.set(o, merged);
    return merged;
  }

  /** The value for the schema's own `type` (or what its keywords imply); undefined when it says nothing. */
  private typed(s: Raw, depth: number, place: Place, combined: boolean): unknown {
    let type = s.type;
    if (Array.isArray(type)) type = this.pick(type);
    if (type === undefined) {
      if (isObj(s.properties) || isObj(s.additionalProperties) || isObj(s.patternProperties) || Array.isArray(s.required)) type = "object";
      else if ("items" in s || "prefixItems" in s) type = "array";
      else if (combined) return undefined;
      else return this.any();
    }
    switch (type) {
      case "null":
        return null;
      case "boolean":
        return this.g(fc.boolean);
      case "integer":
      case "number":
        return this.number(s, type === "integer");
      case "string":
        return this.string(s);
      case "array":
        return this.array(s, depth);
      case "object":
        return this.object(s, depth, place);
      default:
        return this.any();
    }
  }

  private number(s: Raw, integer: boolean): number {
    const lo = typeof s.minimum === "number" ? s.minimum : typeof s.exclusiveMinimum === "number" ? s.exclusiveMinimum + (integer ? 1 : 1e-6) : -1000;
    const hi = typeof s.maximum === "number" ? s.maximum : typeof s.exclusiveMaximum === "number" ? s.exclusiveMaximum - (integer ? 1 : 1e-6) : Math.max(lo, 0) + 1000;
    if (typeof s.multipleOf === "number" && s.multipleOf > 0) {
      const from = Math.ceil(lo / s.multipleOf);
      return this.int(from, Math.max(from, Math.floor(hi / s.multipleOf))) * s.multipleOf;
    }
    if (integer || this.chance(0.5)) return this.int(Math.ceil(lo), Math.max(Math.ceil(lo), Math.floor(hi)));
    return this.g(fc.double, { min: lo, max: Math.max(lo, hi), noNaN: true, noDefaultInfinity: true });
  }

  /** An integer in [lo, hi], drawn near `lo` when the range is wider than fast-check's 32-bit integers. */
  private int(lo: number, hi: number): number {
    const span = Math.min(hi - lo, 2 ** 31 - 2);
    return lo + this.g(fc.integer, { min: 0, max: Math.max(0, span) });
  }

  private string(s: Raw): string {
    const min = typeof s.minLength === "number" ? s.minLength : 0;
    const max = typeof s.maxLength === "number" ? s.maxLength : Math.max(min, 12);
    if (typeof s.pattern === "string") {
      try {
        const re = new RegExp(s.pattern, "u");
        const v = this.g(fc.stringMatching, re);
        if ([...v].length >= min && [...v].length <= max) return v;
      } catch {
        // A pattern JavaScript cannot read: any string, which both sides then judge.
      }
    }
    if (min === 0 && max >= 12) return this.pick(STRINGS);
    return this.g(fc.string, { minLength: min, maxLength: Math.min(max, min + 12) });
  }

  private array(s: Raw, depth: number): unknown[] {
    const min = typeof s.minItems === "number" ? s.minItems : 0;
    const max = typeof s.maxItems === "number" ? s.maxItems : min + 3;
    const n = depth >= this.maxDepth ? min : this.g(fc.integer, { min, max: Math.min(max, min + 3) });
    const out: unknown[] = [];
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    for (let i = 0; i < n; i++) out.push(this.value(i < prefix.length ? prefix[i] : s.items, depth + 1, out, i));
    return out;
  }

  private object(s: Raw, depth: number, place: Place): Raw {
    const out: Raw = {};
    const props = isObj(s.properties) ? s.properties : {};
    const required = Array.isArray(s.required) ? s.required.map(String) : [];
    place.required = [...(place.required ?? []), ...required];
    // One draw says which optional properties are there (a draw per property is most of the cost).
    let mask = depth < this.maxDepth ? this.g(fc.integer, { min: 0, max: 2 ** 30 }) : 0;
    for (const [name, schema] of Object.entries(props)) {
      const take = required.includes(name) || (mask & 1) === 1;
      mask = mask === 0 ? 0 : Math.floor(mask / 2) || (depth < this.maxDepth ? this.g(fc.integer, { min: 0, max: 2 ** 30 }) : 0);
      if (take) out[name] = this.value(schema, depth + 1, out, name);
    }
    // A required key no property declares still needs a value.
    for (const name of required) if (!(name in out)) out[name] = this.any();
    const extra = isObj(s.additionalProperties) ? s.additionalProperties : undefined;
    if (extra && depth < this.maxDepth) {
      const n = this.g(fc.integer, { min: 0, max: 2 });
      for (let i = 0; i < n; i++) {
        const key = `k${this.g(fc.string, { maxLength: 4 })}`;
        if (!(key in props)) out[key] = this.value(extra, depth + 1, out, key);
      }
    }
    return out;
  }
}

/** A value of another JSON type than `v`. */
function otherType(v: unknown): unknown {
  if (typeof v === "string") return 42;
  if (typeof v === "number") return "42";
  if (typeof v === "boolean") return "true";
  if (Array.isArray(v)) return { length: v.length };
  if (isObj(v)) return [v];
  return true;
}

function mutate(g: Gen, mutation: Mutation, places: Place[]): void {
  const any = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[g(fc.integer, { min: 0, max: list.length - 1 })]);
  // A depth first (the shallower of two draws), then a place at that depth: the top of a big
  // value is more likely than any one of its leaves.
  const pick = (list: Place[]): Place | undefined => {
    const depths = [...new Set(list.map((p) => p.depth))].sort((a, b) => a - b);
    const i = Math.min(g(fc.integer, { min: 0, max: Math.max(0, depths.length - 1) }), g(fc.integer, { min: 0, max: Math.max(0, depths.length - 1) }));
    return any(list.filter((p) => p.depth === depths[i]));
  };
  const get = (p: Place): unknown => (p.parent as Record<string | number, unknown>)[p.key];
  const set = (p: Place, v: unknown): void => {
    (p.parent as Record<string | number, unknown>)[p.key] = v;
  };
  switch (mutation) {
    case "none":
    case "deep":
      return;
    case "drop-required": {
      const p = pick(places.filter((q) => isObj(get(q)) && (q.required ?? []).some((k) => k in (get(q) as Raw))));
      if (!p) return;
      const o = get(p) as Raw;
      const key = any((p.required ?? []).filter((k) => k in o));
      if (key !== undefined) delete o[key];
      return;
    }
    case "wrong-type": {
      const p = pick(places);
      if (p) set(p, otherType(get(p)));
      return;
    }
    case "extra-key": {
      const p = pick(places.filter((q) => isObj(get(q))));
      if (p) (get(p) as Raw)[any(["zz_extra", "type", "id", "role"])!] = any([1, "x", null, {}]);
      return;
    }
    case "out-of-enum": {
      const p = pick(places.filter((q) => Array.isArray(q.schema.enum) || "const" in q.schema));
      if (p) set(p, typeof get(p) === "string" ? `${get(p) as string}_not_listed` : "not_listed");
      return;
    }
    case "null": {
      const p = pick(places.filter((q) => get(q) !== null));
      if (p) set(p, null);
      return;
    }
  }
}
