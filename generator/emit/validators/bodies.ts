/** The body table: for each IR kind, the statements of the function that checks `v` against a schema. */
import { mayOverlap, objectProperties, taggedSiblings, untaggedMembers } from "../../ir/check";
import { INHERITED_KEYS } from "../../ir/identifiers";
import type { IrKind, IrObject, IrPrimitive, IrProperty, IrSchema } from "../../ir/types";
import { codeStringLiteral, jsonLiteral, stringLiteral } from "../escape";
import { splitTopLevel } from "../layout";
import { SELF, allowedList, call, functionText, helperCall, num, type Fn, type Module, type Site } from "./context";
import { isScalar } from "../../util/json";
import type { Helper } from "./helpers";
import { TYPE_HELPERS, canFail, test } from "./value-tests";
import { assertNever } from "../../util/assert-never";

type BodyEmitter<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, fn: Fn) => string[];

/** The function's own value, context, key, flags and level. */
const SELF_SITE: Site = { x: "v", c: "c", k: "k", f: "f", l: "l" };

/**
 * The same value for a union member, a base or an intersection member: present and not null by
 * then (or the member decides about null), so no flags.
 */
const MEMBER_SITE: Site = { x: "v", c: "c", k: "k", l: "l" };

function returnTest(schema: IrSchema, fn: Fn): string[] {
  return [`return ${test(schema, SELF_SITE, fn.mod) || "false"};`];
}

/** A test for each constraint check.ts applies once the type is right, on `v` of that type. */
function constraintTests(s: IrPrimitive, fn: Fn): { tests: string[]; notes: string[] } {
  const c = s.constraints ?? {};
  const tests: string[] = [];
  const notes: string[] = [];
  const add = (helper: Helper, n: number | undefined): void => {
    if (n !== undefined) tests.push(`${fn.mod.use(helper)}(v, ${num(n)}, c, k)`);
  };
  if (s.type === "number" || s.type === "integer") {
    add("min", c.minimum);
    add("max", c.maximum);
    add("gt", c.exclusiveMinimum);
    add("lt", c.exclusiveMaximum);
    if (c.multipleOf !== undefined && c.multipleOf > 0) add("mul", c.multipleOf);
  } else if (s.type === "string") {
    add("minLen", c.minLength);
    add("maxLen", c.maxLength);
    if (c.pattern !== undefined) {
      const re = fn.mod.pattern(c.pattern);
      if (re) tests.push(`${fn.mod.use("pat")}(v, ${re}, ${stringLiteral(c.pattern)}, c, k)`);
      // A pattern no flag set compiles cannot be checked here; the JSON literal keeps the comment
      // on one line whatever the pattern holds.
      else notes.push(`// not checked, invalid as a JavaScript regular expression: pattern ${stringLiteral(c.pattern)}`);
    }
  }
  return { tests, notes };
}

/** The failing type test of a primitive, which narrows the value for the constraints after it. */
const TYPE_FAILS: Record<IrPrimitive["type"], (x: string) => string> = {
  string: (x) => `typeof ${x} !== "string"`,
  number: (x) => `typeof ${x} !== "number" || !Number.isFinite(${x})`,
  integer: (x) => `typeof ${x} !== "number" || !Number.isInteger(${x})`,
  boolean: (x) => `typeof ${x} !== "boolean"`,
};

/**
 * One statement per property, reading it as check.ts does (absent when `undefined`). A required
 * property is one call, `str(v[(k = "id")], c, k, REQ)`, which reports it missing; an optional
 * one is tested for presence first, since absent is common and then costs no call. Only names
 * `Object.prototype` has need an own-property test: it lacks the others unless polluted, which
 * the entry points rule out (`polluted`), and that test would be the most expensive part of a
 * check.
 */
function propertyCheck(p: IrProperty, fn: Fn): string[] {
  const mod = fn.mod;
  // With `--naming camel` the client decodes before validating, so values carry the TypeScript keys.
  const name = stringLiteral(p.key ?? p.name);
  const inherited = INHERITED_KEYS.has(p.key ?? p.name);
  const read = inherited ? `${mod.use("own")}(v, (k = ${name})) ? v[k] : undefined` : `v[(k = ${name})]`;
  // Null is tested here too, since a null value is common and then costs no call.
  let schema = p.schema;
  while (schema.kind === "nullable") schema = schema.inner;
  const nullable = schema !== p.schema;
  const value = test(schema, { x: nullable || !p.required ? "x" : inherited ? "x" : read, c: "c", k: "k", f: p.required ? "REQ" : undefined }, mod);
  if (p.required) mod.use("flags");
  const conditions: string[] = [];
  if (!p.required) conditions.push(`${inherited ? "x" : `(x = ${read})`} !== undefined`);
  if (nullable && value) conditions.push(`${inherited || conditions.length > 0 ? "x" : `(x = ${read})`} !== null`);
  let statement: string;
  if (value) statement = `if (${[...conditions, value].join(" && ")}) return true;`;
  else if (p.required) statement = `if (${inherited ? "x" : read} === undefined && ${mod.use("miss")}(c, k)) return true;`;
  else return [];
  return inherited ? [`x = ${read};`, statement] : [statement];
}

/** `for` over the own keys of `v`, testing each value whose key is not in the set `skip`. */
function valuesLoop(schema: IrSchema, fn: Fn, skip?: string): string[] {
  const value = test(schema, { x: "v[i]", c: "c", k: "i" }, fn.mod);
  if (!value) return [];
  return [`for (const i in v) if (${fn.mod.use("hasOwn")}.call(v, i)${skip ? ` && !${skip}.has(i)` : ""} && ${value}) return true;`];
}

/**
 * The last statement of an object's check: unknown keys, rejected whenever this level checks them
 * (`l`) where `additionalProperties: false` says so, else only in strict mode, when the object is
 * closed.
 */
function unknownKeys(schema: IrSchema, fn: Fn, context: () => string): string {
  // The properties the check admits: what check.ts computes at run time.
  const { props, open, rejects } = objectProperties(fn.mod.byName, schema);
  const names = props.map((p) => p.key ?? p.name);
  if (open && !rejects) return "return false;";
  return `return l && ${rejects ? "" : "c.s && "}${fn.mod.use("extra")}(v, ${fn.keys(names)}, ${context()});`;
}

/** One statement per `not: { required }` list: the object must not have all of its keys. */
function notAllOf(s: IrObject, fn: Fn): string[] {
  const key = (name: string): string => s.properties.find((p) => p.name === name)?.key ?? name;
  return (s.notAllOf ?? []).map((names) => `if (${fn.mod.use("together")}(v, ${fn.keys(names.map(key))}, c)) return true;`);
}

/** The start of every object-like check: not an object (or missing, or null) is settled here. */
function notRecord(fn: Fn): string {
  return `if (!${fn.mod.use("rec")}(v)) return ${fn.mod.use("obj")}(v, c, k, f);`;
}

const bodyEmitters = {
  unknown: () => ["return false;"],
  literal: returnTest,
  enum: returnTest,
  ref: returnTest,
  nullable: returnTest,
  primitive: (s, fn) => {
    const { tests, notes } = constraintTests(s, fn);
    const typed = helperCall(fn.mod.use(TYPE_HELPERS[s.type]), SELF_SITE);
    if (tests.length === 0) return [...notes, `return ${typed};`];
    // In report mode each test records its issue and yields false, so `||` goes on to the next.
    return [`if (${TYPE_FAILS[s.type]("v")}) return ${typed};`, ...notes, `return ${tests.join(" || ")};`];
  },
  array: (s, fn) => {
    const body = [`if (!Array.isArray(v)) return ${fn.mod.use("arr")}(v, c, k, f);`];
    const c = s.constraints;
    const limits: string[] = [];
    if (c?.minItems !== undefined) limits.push(`${fn.mod.use("minItems")}(v, ${num(c.minItems)}, c, k)`);
    if (c?.maxItems !== undefined) limits.push(`${fn.mod.use("maxItems")}(v, ${num(c.maxItems)}, c, k)`);
    if (limits.length > 0) body.push(`if (${limits.join(" || ")}) return true;`);
    const item = test(s.items, { x: "v[i]", c: "c", k: "i" }, fn.mod);
    if (item) body.push(`c = ${fn.mod.use("at")}(c, k);`, `for (let i = 0; i < v.length; i++) if (${item}) return true;`);
    body.push("return false;");
    return body;
  },
  map: (s, fn) => {
    const loop = valuesLoop(s.values, fn);
    if (loop.length === 0) return [`return ${fn.mod.use("obj")}(v, c, k, f);`];
    return [notRecord(fn), `c = ${fn.mod.use("at")}(c, k);`, ...loop, "return false;"];
  },
  object: (s, fn) => {
    const mod = fn.mod;
    const body = [notRecord(fn)];
    const bases = s.extends.filter((b) => mod.byName.has(b)).map((b) => call(`v${b}`, mod.declarationTakesLevel(b), { ...MEMBER_SITE, l: "false" }));
    if (bases.length > 0) body.push(`if (${bases.join(" || ")}) return true;`);
    const properties = s.properties.flatMap((p) => propertyCheck(p, fn));
    let extra: string[] = [];
    if (typeof s.additionalProperties === "object" && canFail(mod, s.additionalProperties)) {
      const names = s.properties.map((p) => p.key ?? p.name);
      // Only this object's own properties are skipped, as in check.ts.
      extra = valuesLoop(s.additionalProperties, fn, names.length > 0 ? fn.keys(names) : undefined);
    }
    const excluded = notAllOf(s, fn);
    const last = unknownKeys(s, fn, () => "c");
    if (properties.length > 0 || extra.length > 0 || excluded.length > 0 || last !== "return false;") body.push(`c = ${mod.use("at")}(c, k);`);
    if (properties.some((line) => /\bx\b/.test(line.replace(/"(?:[^"\\]|\\.)*"/g, "")))) body.push("let x: unknown;");
    return [...body, ...properties, ...extra, ...excluded, last];
  },
  intersection: (s, fn) => {
    const body = [notRecord(fn)];
    const members = s.members.map((m) => test(m, { ...MEMBER_SITE, l: "false" }, fn.mod)).filter(Boolean);
    if (members.length > 0) body.push(`if (${members.join(" || ")}) return true;`);
    return [...body, unknownKeys(s, fn, () => `${fn.mod.use("at")}(c, k)`)];
  },
  union: (s, fn) => {
    const mod = fn.mod;
    const d = s.discriminator;
    const exclusive = s.exclusive === true && mayOverlap(mod.byName, s.members);
    if (!d) {
      if (s.members.some((m) => !canFail(mod, m))) return ["return false;"];
      const tests = s.members.map((m) => fails(m, "v", mod) ?? test(m, MEMBER_SITE, mod));
      const attempts = s.members.map((_m, i) => `m${i + 1}`);
      return [
        // A missing or null value is settled by the flags before any member is tried.
        `if (${mod.use("skip")}(v, f)) return false;`,
        `if (v === undefined && f & REQ) return ${mod.use("miss")}(c, k);`,
        ...fastPath(tests, exclusive, mod),
        `if (!${fn.self}(v, ${mod.use("fast")}(c), k, f, l)) return false;`,
        ...attempts.map((a) => `const ${a} = ${mod.use("attempt")}(c);`),
        ...s.members.map((m, i) => `${test(m, { ...MEMBER_SITE, c: attempts[i] }, mod)};`),
        ...verdict(`[${attempts.join(", ")}]`, exclusive, mod, (list) => `${mod.use("none")}(c, k, ${list})`),
      ];
    }
    // Specs let several members share a value (the Realtime conversation items all say
    // "message"); then each of them is tried, as in check.ts.
    const selected = new Map<string, number[]>();
    d.values.forEach((values, i) => {
      for (const v of values) {
        const members = selected.get(v) ?? [];
        if (!members.includes(i)) members.push(i);
        selected.set(v, members);
      }
    });
    const groups = new Map<string, { values: string[]; members: IrSchema[] }>();
    for (const [value, indexes] of selected) {
      const key = indexes.join(",");
      const group = groups.get(key) ?? { values: [], members: indexes.map((i) => s.members[i]).filter((m) => m !== undefined) };
      group.values.push(value);
      groups.set(key, group);
    }
    const cases = [...groups.values()].map(({ values, members }) => {
      let check = members.length === 1 ? test(members[0], MEMBER_SITE, mod) : candidates(members, mod, exclusive);
      const siblings = members.length === 1 ? taggedSiblings(s, s.members.indexOf(members[0])) : undefined;
      if (siblings) check = [check, test(siblings, { ...MEMBER_SITE, l: "false" }, mod)].filter(Boolean).join(" || ");
      return [...values.map((v) => `  case ${stringLiteral(v)}:`), `    return ${check || "false"};`];
    }).flat();
    const property = d.key ?? d.property;
    const tag = stringLiteral(property);
    // A member whose own discriminant is optional or nullable takes a value without one.
    const untagged = ([undefined, null] as const).flatMap((t) => {
      const members = untaggedMembers(mod.byName, s, t).map((i) => s.members[i]);
      if (members.length === 0) return [];
      const check = members.length === 1 ? test(members[0], MEMBER_SITE, mod) : candidates(members, mod, exclusive);
      return [`if (t === ${String(t)}) return ${check || "false"};`];
    });
    return [
      notRecord(fn),
      INHERITED_KEYS.has(property) ? `const t = ${mod.use("own")}(v, ${tag}) ? v[${tag}] : undefined;` : `const t = v[${tag}];`,
      ...(cases.length > 0 ? [`switch (t) {`, ...cases, `}`] : []),
      ...untagged,
      `return ${mod.use("tag")}(t, c, k, ${tag}, ${tagValues(d.values.flat(), mod)});`,
    ];
  },
} satisfies { [K in IrKind]: BodyEmitter<K> };

/**
 * The members one discriminator value selects, tried in turn: the first that matches decides;
 * when none does, the one with the fewest issues reports them. "" when one cannot fail.
 */
function candidates(members: IrSchema[], mod: Module, exclusive: boolean): string {
  const tests = members.map((m) => test(m, MEMBER_SITE, mod));
  if (tests.some((t) => t === "")) return "";
  const attempts = members.map((_m, i) => `m${i + 1}`);
  const list = `[${attempts.join(", ")}]`;
  const body = [
    ...fastPath(tests, exclusive, mod),
    `if (!${SELF}(v, ${mod.use("fast")}(c), k, 0, l)) return false;`,
    ...attempts.map((a) => `const ${a} = ${mod.use("attempt")}(c);`),
    ...members.map((m, i) => `${test(m, { ...MEMBER_SITE, c: attempts[i] }, mod)};`),
    ...verdict(list, exclusive, mod, (all) => `${mod.use("fewest")}(c, ${all})`),
  ];
  return call(mod.share("h", functionText(SELF, body, true)), true, MEMBER_SITE);
}

/**
 * The first statements of a union's check when no issues are collected: the members' failure
 * tests, true (give up) when all fail; for an exact `oneOf` (`c.x`) also when several pass. Two
 * statements and a helper call rather than one expression, so that each has a shape
 * `layoutLongLines` prints as prettier does.
 */
function fastPath(tests: string[], exclusive: boolean, mod: Module): string[] {
  const all = `if (c.e === undefined) return ${tests.map(orGroup).join(" && ")};`;
  return exclusive ? [`if (c.e === undefined && c.x) return ${mod.use("notOne")}(${tests.join(", ")});`, all] : [all];
}

/**
 * The last statements of a union's check once each member was attempted: `otherwise(list)`,
 * unless an exact `oneOf` (`c.x`) found several members matching. The list gets a name there,
 * so that each statement stays short enough for `layoutLongLines`.
 */
function verdict(list: string, exclusive: boolean, mod: Module, otherwise: (list: string) => string): string[] {
  if (!exclusive) return [`return ${otherwise(list)};`];
  return [`const all = ${list};`, `return (c.x ? ${mod.use("onlyOne")}(c, k, all) : undefined) ?? ${otherwise("all")};`];
}

/** Parentheses around an `||` inside an `&&`: the only ones prettier keeps, so the only ones printed. */
function orGroup(condition: string): string {
  return (splitTopLevel(condition, " || ")?.length ?? 2) > 1 ? `(${condition})` : condition;
}

/**
 * A plain condition that a simple schema fails, for a union's yes-or-no answer: no helper to
 * call, so trying a member that does not match costs no call either. `undefined` for the rest.
 */
function fails(schema: IrSchema, x: string, mod: Module): string | undefined {
  switch (schema.kind) {
    // An object or array value is compared by the test's helper.
    case "literal":
      return isScalar(schema.value) ? `${x} !== ${jsonLiteral(schema.value)}` : undefined;
    case "enum":
      return schema.values.every(isScalar) ? `!${mod.enumSet(schema.values)}.has(${x})` : undefined;
    case "nullable": {
      const inner = fails(schema.inner, x, mod);
      return inner === undefined ? undefined : `${x} !== null && ${orGroup(inner)}`;
    }
    case "primitive": {
      const tests = [TYPE_FAILS[schema.type](x)];
      const c = schema.constraints ?? {};
      const bound = (op: string, n: number | undefined): void => {
        if (n !== undefined) tests.push(`${x} ${op} ${num(n)}`);
      };
      if (schema.type === "number" || schema.type === "integer") {
        bound("<", c.minimum);
        bound(">", c.maximum);
        bound("<=", c.exclusiveMinimum);
        bound(">=", c.exclusiveMaximum);
        if (c.multipleOf !== undefined && c.multipleOf > 0) tests.push(`!Number.isInteger(${x} / ${num(c.multipleOf)})`);
      } else if (schema.type === "string") {
        const points = (): string => mod.use("codePoints");
        if (c.minLength !== undefined) tests.push(`(${x}.length < ${num(2 * c.minLength)} && ${points()}(${x}) < ${num(c.minLength)})`);
        if (c.maxLength !== undefined) tests.push(`(${x}.length > ${num(c.maxLength)} && ${points()}(${x}) > ${num(c.maxLength)})`);
        const re = c.pattern === undefined ? null : mod.pattern(c.pattern);
        if (re) tests.push(`!${re}.test(${x})`);
      }
      return tests.join(" || ");
    }
    case "object":
    case "union":
    case "array":
    case "map":
    case "ref":
    case "unknown":
    case "intersection":
      return undefined;
    default:
      return assertNever(schema);
  }
}

/** The discriminator's values as a shared set, or spelled out when some repeat (check.ts lists them all). */
function tagValues(values: string[], mod: Module): string {
  return new Set(values).size === values.length ? mod.enumSet(values) : codeStringLiteral(allowedList(values));
}

export function bodyOf(schema: IrSchema, fn: Fn): string[] {
  return (bodyEmitters[schema.kind] as BodyEmitter<typeof schema.kind>)(schema as never, fn);
}
