import { escapePointerSegment } from "../errors";
import { readExample } from "./examples";
import { patternTest } from "./patterns";
import type { IrDeclaration, IrDocument, IrObject, IrProperty, IrSchema, JsonValue } from "./types";
import { isObject } from "../util/object";
import { jsonEqual } from "../util/json";
import { assertNever } from "../util/assert-never";

/**
 * Checks a value against an IR schema by walking the IR. The generator uses it to check the
 * spec's documented examples; it is the reference the generated validators are tested against.
 */
export interface CheckIssue {
  /** JSON pointer into the value; `""` is the value itself. */
  path: string;
  message: string;
  expected?: string;
  /** TypeScript's types would reject this too (a wrong type, a missing or unknown property), not only a runtime check. */
  typeLevel: boolean;
}

export interface CheckOptions {
  /** Report properties the schema does not declare. */
  strict?: boolean;
  /** A value that matches several members of a `oneOf` is an issue (see `ValidateOptions.exactOneOf`). */
  exactOneOf?: boolean;
}

type Decls = Pick<IrDocument, "declarations">;


function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * Every property an object-like schema has (its own, then what it extends, then each
 * intersection member's, each declaration once), whether it admits others, and whether it
 * rejects the others by default (`additionalProperties: false` where `IrObject.unknownKeys` says
 * so, here or in what it extends or intersects; rejecting wins over admitting). The check below,
 * the validators, camelCase naming and the conventions all read objects this way.
 */
export function objectProperties(
  byName: ReadonlyMap<string, IrDeclaration>,
  schema: IrSchema,
  seen = new Set<string>(),
): { props: IrProperty[]; open: boolean; rejects: boolean } {
  switch (schema.kind) {
    case "object": {
      const props = [...schema.properties];
      let open = schema.additionalProperties !== false;
      let rejects = schema.unknownKeys === "reject";
      for (const name of schema.extends) {
        if (seen.has(name)) continue;
        seen.add(name);
        const d = byName.get(name);
        if (d) {
          const inherited = objectProperties(byName, d.schema, seen);
          props.push(...inherited.props);
          open ||= inherited.open;
          rejects ||= inherited.rejects;
        }
      }
      return { props, open, rejects };
    }
    case "ref": {
      const d = byName.get(schema.name);
      if (!d || seen.has(schema.name)) return { props: [], open: true, rejects: false };
      seen.add(schema.name);
      return objectProperties(byName, d.schema, seen);
    }
    case "intersection": {
      const all = schema.members.map((m) => objectProperties(byName, m, seen));
      return { props: all.flatMap((a) => a.props), open: all.some((a) => a.open), rejects: all.some((a) => a.rejects) };
    }
    case "nullable":
      return objectProperties(byName, schema.inner, seen);
    case "union":
    case "enum":
    case "literal":
    case "array":
    case "map":
    case "primitive":
    case "unknown":
      return { props: [], open: true, rejects: false };
    default:
      return assertNever(schema);
  }
}

/**
 * The members of a discriminated union that take a value whose discriminant is missing
 * (`undefined`) or `null`: those whose own schema makes it optional, or nullable. OpenAI's
 * `EasyInputMessage` has `type?: "message"`, so `{ role: "user", content: "hi" }` is an input
 * item. A tagged object's tag is required by construction.
 */
export function untaggedMembers(byName: ReadonlyMap<string, IrDeclaration>, union: Extract<IrSchema, { kind: "union" }>, tag: undefined | null): number[] {
  const d = union.discriminator;
  if (!d || d.reason === "tagged-object") return [];
  const allowsNull = (s: IrSchema): boolean =>
    s.kind === "nullable" || (s.kind === "literal" && s.value === null) || (s.kind === "ref" && byName.get(s.name)?.nullable === true);
  const takes = (m: IrSchema, seen: Set<string>): boolean => {
    // A member that is itself a union on the same property takes it when one of its members does.
    const inner = m.kind === "ref" && !seen.has(m.name) ? byName.get(m.name)?.schema : undefined;
    if (m.kind === "ref" && inner?.kind === "union" && inner.discriminator?.property === d.property) {
      seen.add(m.name);
      return inner.members.some((x) => takes(x, seen));
    }
    const own = objectProperties(byName, m).props.filter((p) => p.name === d.property);
    if (own.length === 0) return false;
    return tag === undefined ? own.every((p) => !p.required) : own.every((p) => allowsNull(p.schema));
  };
  return union.members.flatMap((m, i) => (takes(m, new Set()) ? [i] : []));
}

/**
 * A tagged object's member `i` has only the sibling its tag selects; the others are still checked
 * when present, as JSON Schema checks every property (`{ type: "dpo", supervised: 5 }` fails):
 * this is them, optional, in an object that admits the rest. The type leaves them out, so an
 * object literal with one does not compile.
 */
export function taggedSiblings(union: Extract<IrSchema, { kind: "union" }>, i: number): IrObject | undefined {
  const d = union.discriminator;
  if (d?.reason !== "tagged-object") return undefined;
  const properties = union.members.flatMap((m, j) => (j === i || m.kind !== "object" ? [] : m.properties.filter((p) => p.name === d.values[j][0]).map((p) => ({ ...p, required: false }))));
  return properties.length > 0 ? { kind: "object", extends: [], properties, additionalProperties: true } : undefined;
}

type JsonType = "string" | "number" | "boolean" | "null" | "object" | "array";
const ANY_TYPE: JsonType[] = ["string", "number", "boolean", "null", "object", "array"];

/** The JSON types a value of `schema` can have. */
function jsonTypes(byName: ReadonlyMap<string, IrDeclaration>, schema: IrSchema, seen = new Set<string>()): Set<JsonType> {
  const of = (v: unknown): JsonType => (v === null ? "null" : Array.isArray(v) ? "array" : (typeof v as JsonType));
  switch (schema.kind) {
    case "primitive":
      return new Set([schema.type === "integer" ? "number" : schema.type]);
    case "literal":
      return new Set([of(schema.value)]);
    case "enum":
      return new Set(schema.values.map(of));
    case "array":
      return new Set(["array"]);
    case "object":
    case "map":
    case "intersection":
      return new Set(["object"]);
    case "nullable":
      return new Set([...jsonTypes(byName, schema.inner, seen), "null"]);
    case "union":
      return new Set(schema.members.flatMap((m) => [...jsonTypes(byName, m, seen)]));
    case "ref": {
      const d = byName.get(schema.name);
      if (!d || seen.has(schema.name)) return new Set(ANY_TYPE);
      seen.add(schema.name);
      const types = jsonTypes(byName, d.schema, seen);
      if (d.nullable) types.add("null");
      return types;
    }
    case "unknown":
      return new Set(ANY_TYPE);
  }
}

/** Whether a value can match two members of a `oneOf`: only then is there exclusivity to check. Members of different JSON types cannot. */
export function mayOverlap(byName: ReadonlyMap<string, IrDeclaration>, members: IrSchema[]): boolean {
  const seen = new Set<JsonType>();
  for (const m of members) {
    const types = jsonTypes(byName, m);
    if ([...types].some((t) => seen.has(t))) return true;
    for (const t of types) seen.add(t);
  }
  return false;
}

/** The issue of a value that matches several members of a `oneOf`, which allows exactly one. */
export function overlap(matched: number, of: number): string {
  return `matches ${matched} of the ${of} allowed shapes; oneOf allows exactly one`;
}

/**
 * The issue of an object that has every key one of its `not: { required }` lists names (the
 * keys present, as `required` counts them: not `undefined`), in the object's order of lists.
 */
function forbidden(schema: IrObject, value: Record<string, unknown>, push: (message: string, typeLevel: boolean) => void): void {
  for (const names of schema.notAllOf ?? []) {
    // Own keys only, as the validators' `together` reads them.
    if (names.every((n) => Object.prototype.hasOwnProperty.call(value, n) && value[n] !== undefined)) push(notTogether(names), names.length === 1);
  }
}

/** What `not: { required: names }` says when a value has them all. */
export function notTogether(keys: string[]): string {
  if (keys.length === 1) return `must not have ${JSON.stringify(keys[0])}`;
  return `must not have ${keys.slice(0, -1).map((k) => JSON.stringify(k)).join(", ")} and ${JSON.stringify(keys[keys.length - 1])} together`;
}

export function checkValue(ir: Decls, schema: IrSchema, value: unknown, options: CheckOptions = {}): CheckIssue[] {
  const byName = new Map<string, IrDeclaration>(ir.declarations.map((d) => [d.name, d]));
  const issues: CheckIssue[] = [];

  const strict = options.strict === true;
  // `level`: whether this value's unknown keys are reported here; false for a base or an
  // intersection member, whose whole object is checked against all its properties at once.
  const check = (schema: IrSchema, value: unknown, path: string, out: CheckIssue[], level: boolean): void => {
    const push = (message: string, typeLevel: boolean, expected?: string): void => {
      out.push({ path, message, expected, typeLevel });
    };
    switch (schema.kind) {
      case "unknown":
        return;
      case "nullable":
        if (value === null) return;
        return check(schema.inner, value, path, out, level);
      case "ref": {
        const d = byName.get(schema.name);
        if (!d) return;
        if (d.nullable && value === null) return;
        return check(d.schema, value, path, out, level);
      }
      case "literal":
        if (!jsonEqual(value, schema.value)) push(`expected ${JSON.stringify(schema.value)}, got ${describe(value)}`, true, JSON.stringify(schema.value));
        return;
      case "enum":
        if (!schema.values.some((v) => jsonEqual(value, v))) {
          const allowed = schema.values.map((v) => JSON.stringify(v)).join(" | ");
          push(`expected one of ${allowed}, got ${describe(value)}`, true, allowed);
        }
        return;
      case "primitive": {
        const t = schema.type;
        const ok = t === "integer" || t === "number" ? typeof value === "number" && Number.isFinite(value) : typeof value === t;
        if (!ok) return push(`expected ${t}, got ${describe(value)}`, true, t);
        if (t === "integer" && !Number.isInteger(value)) return push(`expected an integer, got ${value as number}`, false, "integer");
        const c = schema.constraints;
        if (!c) return;
        if (typeof value === "number") {
          if (c.minimum !== undefined && value < c.minimum) push(`must be >= ${c.minimum}, got ${value}`, false);
          if (c.maximum !== undefined && value > c.maximum) push(`must be <= ${c.maximum}, got ${value}`, false);
          if (c.exclusiveMinimum !== undefined && value <= c.exclusiveMinimum) push(`must be > ${c.exclusiveMinimum}, got ${value}`, false);
          if (c.exclusiveMaximum !== undefined && value >= c.exclusiveMaximum) push(`must be < ${c.exclusiveMaximum}, got ${value}`, false);
          if (c.multipleOf !== undefined && c.multipleOf > 0 && !Number.isInteger(value / c.multipleOf)) push(`must be a multiple of ${c.multipleOf}`, false);
        } else if (typeof value === "string") {
          const length = [...value].length;
          if (c.minLength !== undefined && length < c.minLength) push(`must have at least ${c.minLength} characters, got ${length}`, false);
          if (c.maxLength !== undefined && length > c.maxLength) push(`must have at most ${c.maxLength} characters, got ${length}`, false);
          // A pattern JavaScript cannot compile fails every value; one not checked at generation time (see patterns.ts) passes.
          const test = c.pattern === undefined ? undefined : patternTest(c.pattern);
          if (test === null || (test !== undefined && !test(value))) push(`must match the pattern ${c.pattern}`, false);
        }
        return;
      }
      case "array": {
        if (!Array.isArray(value)) return push(`expected an array, got ${describe(value)}`, true, "array");
        const c = schema.constraints;
        if (c?.minItems !== undefined && value.length < c.minItems) push(`must have at least ${c.minItems} items, got ${value.length}`, false);
        if (c?.maxItems !== undefined && value.length > c.maxItems) push(`must have at most ${c.maxItems} items, got ${value.length}`, false);
        value.forEach((item, i) => check(schema.items, item, `${path}/${i}`, out, true));
        return;
      }
      case "map": {
        if (!isObject(value)) return push(`expected an object, got ${describe(value)}`, true, "object");
        for (const key of Object.keys(value)) check(schema.values, value[key], `${path}/${escapePointerSegment(key)}`, out, true);
        return;
      }
      case "object":
      case "intersection": {
        if (!isObject(value)) return push(`expected an object, got ${describe(value)}`, true, "object");
        if (schema.kind === "intersection") {
          for (const m of schema.members) check(m, value, path, out, false);
        } else {
          checkObject(schema, value, path, out);
          forbidden(schema, value, push);
        }
        if (level) {
          const { props, open, rejects } = objectProperties(byName, schema);
          if (rejects || (strict && !open)) {
            const known = new Set(props.map((p) => p.name));
            for (const key of Object.keys(value)) {
              if (!known.has(key)) out.push({ path: `${path}/${escapePointerSegment(key)}`, message: "unknown property", typeLevel: true });
            }
          }
        }
        return;
      }
      case "union": {
        const d = schema.discriminator;
        if (d) {
          if (!isObject(value)) return push(`expected an object, got ${describe(value)}`, true, "object");
          const tag = value[d.property];
          const at = `${path}/${escapePointerSegment(d.property)}`;
          const allowed = d.values.flat();
          // Several members may share a value (specs do this); the value matches if one of them does.
          // Without a discriminant (or with null) the candidates are the members whose own schema allows that.
          const candidates =
            tag === undefined || tag === null
              ? untaggedMembers(byName, schema, tag).map((i) => schema.members[i])
              : schema.members.filter((_m, i) => d.values[i].includes(tag as string));
          if (candidates.length === 0) {
            const expected = allowed.map((v) => JSON.stringify(v)).join(" | ");
            out.push({ path: at, message: tag === undefined ? `missing discriminator; expected one of ${expected}` : `expected one of ${expected}, got ${describe(tag)}`, expected, typeLevel: true });
            return;
          }
          const attempts = candidates.map((m) => {
            const attempt: CheckIssue[] = [];
            check(m, value, path, attempt, level);
            const siblings = taggedSiblings(schema, schema.members.indexOf(m));
            if (siblings) check(siblings, value, path, attempt, false);
            return attempt;
          });
          const matched = attempts.filter((a) => a.length === 0).length;
          if (matched > 1 && schema.exclusive && options.exactOneOf === true) return push(overlap(matched, attempts.length), false);
          if (matched > 0) return;
          // The fewest issues win, the first on a tie.
          out.push(...attempts.reduce((a, b) => (b.length < a.length ? b : a)));
          return;
        }
        const attempts = schema.members.map((m) => {
          const attempt: CheckIssue[] = [];
          check(m, value, path, attempt, level);
          return attempt;
        });
        const matched = attempts.filter((a) => a.length === 0).length;
        if (matched > 1 && schema.exclusive && options.exactOneOf === true) return push(overlap(matched, attempts.length), false);
        if (matched > 0) return;
        const best = attempts.reduce((a, b) => (b.length < a.length ? b : a));
        push(`does not match any of the ${schema.members.length} allowed shapes`, best.some((i) => i.typeLevel));
        return;
      }
      default:
        return assertNever(schema);
    }
  };

  const checkObject = (schema: IrObject, value: Record<string, unknown>, path: string, out: CheckIssue[]) => {
    for (const name of schema.extends) {
      const d = byName.get(name);
      if (d) check(d.schema, value, path, out, false);
    }
    const declared = new Set<string>();
    for (const p of schema.properties) {
      declared.add(p.name);
      const at = `${path}/${escapePointerSegment(p.name)}`;
      if (!(p.name in value) || value[p.name] === undefined) {
        if (p.required) out.push({ path: at, message: "missing required property", typeLevel: true });
        continue;
      }
      check(p.schema, value[p.name], at, out, true);
    }
    const extra = schema.additionalProperties;
    if (typeof extra === "object") {
      for (const key of Object.keys(value)) {
        if (!declared.has(key)) check(extra, value[key], `${path}/${escapePointerSegment(key)}`, out, true);
      }
    }
  };

  check(schema, value, "", issues, true);
  return issues;
}

export interface ExampleReportEntry {
  pointer: string;
  label: string;
  status: "ok" | "mismatch" | "unreadable";
  issues: CheckIssue[];
  reason?: string;
  value?: JsonValue;
}

/** Checks every documented example against its schema, strictly: documentation should not carry unknown fields. */
export function checkExamples(ir: IrDocument): ExampleReportEntry[] {
  return ir.examples.map((ex) => {
    const value = readExample(ex);
    if (!value.ok) return { pointer: ex.pointer, label: ex.label, status: "unreadable", issues: [], reason: value.reason };
    const issues = checkValue(ir, ex.schema, value.json, { strict: true });
    return { pointer: ex.pointer, label: ex.label, status: issues.length ? "mismatch" : "ok", issues, value: value.json };
  });
}

export function formatExampleReport(entries: ExampleReportEntry[]): string {
  const lines: string[] = [];
  const count = (s: ExampleReportEntry["status"]) => entries.filter((e) => e.status === s).length;
  lines.push(`${entries.length} documented examples: ${count("ok")} match, ${count("mismatch")} mismatch, ${count("unreadable")} unreadable`);
  for (const e of entries) {
    if (e.status === "ok") lines.push(`ok        ${e.pointer} (${e.label})`);
    else if (e.status === "unreadable") lines.push(`skipped   ${e.pointer} (${e.label}): ${e.reason}`);
    else {
      lines.push(`MISMATCH  ${e.pointer} (${e.label})`);
      for (const i of e.issues) lines.push(`            ${i.path || "(root)"}: ${i.message}`);
    }
  }
  return lines.join("\n");
}
