import { createHash } from "node:crypto";
import { StructureKind, type ImportDeclarationStructure } from "ts-morph";
import type { IrDeclaration, IrDocument, IrKind, IrPrimitive, IrProperty, IrSchema, Scalar } from "../../ir/types";
import { objectProperties, safeRegExp } from "../../ir/check";
import { INHERITED_KEYS } from "../../ir/identifiers";
import { codeStringLiteral, jsonLiteral, stringLiteral } from "../escape";
import { indent, layoutLongLines, splitTopLevel } from "../layout";
import { NOCHECK, printFile, siblingModule, type EmittedFile } from "../print";
import type { ImportExtension } from "../../define-config";

/*
 * Runtime validators from the IR, with `generator/ir/check.ts` as the reference semantics: the
 * same issues, paths and messages (the union message only adds the closest member's first issue).
 *
 * Each declaration gets one internal function, `vX(v, c, k?, f?, l?)`, that serves both uses:
 * - `c` is the context. Without an issue list (`c.e`), the first failure returns `true` ("give
 *   up") and nothing is allocated, so valid data costs one pass of plain comparisons. With a
 *   list, every failure records its issue and returns `false`, so the same code goes on and
 *   reports everything. One rule, `if (<fails>) return true;`, therefore serves both modes.
 * - `k` is the key or index under which the value sits; the JSON pointer (`c.p` + `k`) is only
 *   built when an issue is recorded or a nested context is needed in report mode.
 * - `f` says what a missing (`undefined`) or `null` value means: `OPT` an optional property,
 *   fine; `REQ` a required property, "missing required property"; `NUL` null is allowed. Every
 *   check handles them where its type test fails, so a property is one call,
 *   `if (str(v[(k = "name")], c, k, REQ)) return true;`, with nothing else on the valid path.
 * - `l` says whether this level reports unknown properties; it defaults to `c.s` (strict mode),
 *   which is what every property value and array item gets. An intersection member or an
 *   `extends` base is checked with `false`, since the whole object is checked against all the
 *   properties at once, while union members inherit the level of the union.
 *
 * Small checks are calls to short helpers (`str`, `lit`, `one`…). Bigger inline shapes (arrays,
 * inline objects, unions, constrained primitives) get a function of their own, named after a hash
 * of its code: the same shape used in many declarations is emitted once, and a spec edit renames
 * nothing elsewhere, which keeps diffs and the format cache local.
 *
 * The emitters are two tables keyed by IR kind: tests (an expression for one value) and bodies
 * (the statements of a function for one schema).
 */

/**
 * Where a test runs: expressions for the value, the context, the key, the flags (none: a plain
 * value) and the level to pass (none: the callee's default).
 */
interface Site {
  x: string;
  c: string;
  k: string;
  f?: string;
  l?: string;
}

/** Per-run state: the helpers the file needs and the functions and constants shared between declarations. */
class Module {
  readonly byName: Map<string, IrDeclaration>;
  readonly helpers = new Set<Helper>();
  /** Statements waiting to be placed after the declaration being emitted. */
  pending: string[] = [];
  /** Generated name → the code it names, to detect hash collisions. */
  private readonly named = new Map<string, string>();
  /** Code → its name, so identical shapes share one function or constant. */
  private readonly byCode = new Map<string, string>();
  private readonly levels = new Map<string, boolean>();

  constructor(ir: IrDocument) {
    this.byName = new Map(ir.declarations.map((d) => [d.name, d]));
  }

  use(helper: Helper): string {
    if (!this.helpers.has(helper)) {
      this.helpers.add(helper);
      for (const dep of HELPERS[helper].deps as Helper[]) this.use(dep);
    }
    return helper;
  }

  /**
   * One statement per distinct code, named `prefix` + hash. `code` spells its own name as SELF,
   * a character no emitted string literal contains (JSON escapes it).
   */
  share(prefix: string, code: string): string {
    const known = this.byCode.get(code);
    if (known) return known;
    const hash = createHash("sha256").update(code).digest("hex");
    let length = 8;
    let name = `${prefix}${hash.slice(0, length)}`;
    while (this.named.has(name)) name = `${prefix}${hash.slice(0, ++length)}`;
    this.named.set(name, code);
    this.byCode.set(code, name);
    this.pending.push(code.split(SELF).join(name));
    return name;
  }

  /** A shared function checking `schema`. */
  hoist(schema: IrSchema): string {
    const fn = new Fn(this, SELF);
    const body = bodyOf(schema, fn);
    return this.share("h", functionText(SELF, body, takesLevel(this, schema)));
  }

  /** Membership is one `Set` lookup; the message lists the values from the set itself. */
  enumSet(values: Scalar[]): string {
    // Typed `unknown` so `has` takes any value.
    return this.share("e", `const ${SELF} = new Set<unknown>([${values.map(jsonLiteral).join(", ")}]);`);
  }

  /** Module-level so each pattern compiles once; `null` when no flag set compiles it. */
  pattern(source: string): string | null {
    const re = safeRegExp(source);
    if (!re) return null;
    return this.share("re", `const ${SELF} = new RegExp(${stringLiteral(source)}${re.flags ? `, "u"` : ""});`);
  }

  declarationTakesLevel(name: string): boolean {
    const known = this.levels.get(name);
    if (known !== undefined) return known;
    // A cycle of plain refs has no object in it to report unknown properties.
    this.levels.set(name, false);
    const d = this.byName.get(name);
    const takes = d ? takesLevel(this, d.schema) : false;
    this.levels.set(name, takes);
    return takes;
  }
}

const SELF = "\u0001";

/** One generated function: its own name, for a union to call itself. */
class Fn {
  constructor(
    readonly mod: Module,
    readonly self: string,
  ) {}

  /**
   * A set of property names. Space-separated in one string when no name holds a space: prettier
   * would put each name of an array on a line of its own.
   */
  keys(names: string[]): string {
    const unique = [...new Set(names)];
    const init =
      unique.length === 0
        ? "new Set<string>()"
        : unique.some((n) => n.includes(" "))
          ? `new Set([${unique.map(stringLiteral).join(", ")}])`
          : `${this.mod.use("keys")}(${stringLiteral(unique.join(" "))})`;
    return this.mod.share("ks", `const ${SELF} = ${init};`);
  }
}

/** Whether a function for this schema takes the level argument: it reports unknown properties or passes the level on. */
function takesLevel(mod: Module, schema: IrSchema): boolean {
  switch (schema.kind) {
    case "object":
    case "intersection":
    case "union":
      return true;
    case "ref":
      return mod.declarationTakesLevel(schema.name);
    case "nullable":
      return takesLevel(mod, schema.inner);
    default:
      return false;
  }
}

function num(n: number): string {
  if (Number.isNaN(n)) return "Number.NaN";
  if (n === Infinity) return "Number.POSITIVE_INFINITY";
  if (n === -Infinity) return "Number.NEGATIVE_INFINITY";
  return String(n);
}

/** `"a" | "b"`, as check.ts lists allowed values. */
function allowedList(values: Scalar[]): string {
  return values.map((v) => JSON.stringify(v)).join(" | ");
}

/** A call to a generated function; a level is passed only to a function that takes one. */
function call(fn: string, takes: boolean, at: Site): string {
  const level = takes && at.l !== undefined;
  const flags = at.f !== undefined ? `, ${at.f}` : level ? ", 0" : "";
  return `${fn}(${at.x}, ${at.c}, ${at.k}${flags}${level ? `, ${at.l}` : ""})`;
}

/** A helper call: value, context, key and the site's flags. */
function helperCall(helper: string, at: Site, ...args: string[]): string {
  const rest = args.length > 0 ? `, ${args.join(", ")}` : "";
  return `${helper}(${at.x}${rest}, ${at.c}, ${at.k}${at.f !== undefined ? `, ${at.f}` : ""})`;
}

/** The flags with null allowed too. */
function withNull(f: string | undefined, mod: Module): string {
  mod.use("flags");
  if (f === undefined) return "NUL";
  return f.includes("NUL") ? f : `${f} | NUL`;
}

// ---------------------------------------------------------------------------------------------
// Tests: an expression that is true when the caller must give up; "" when nothing can fail.

type TestEmitter<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, at: Site, mod: Module) => string;

/** The helper that tests and reports each primitive type. */
const TYPE_HELPERS = { string: "str", number: "num", integer: "int", boolean: "bool" } as const satisfies Record<IrPrimitive["type"], Helper>;

function constrained(s: IrPrimitive): boolean {
  const c = s.constraints;
  if (!c) return false;
  if (s.type === "string") return c.minLength !== undefined || c.maxLength !== undefined || c.pattern !== undefined;
  if (s.type === "boolean") return false;
  return (
    c.minimum !== undefined ||
    c.maximum !== undefined ||
    c.exclusiveMinimum !== undefined ||
    c.exclusiveMaximum !== undefined ||
    (c.multipleOf !== undefined && c.multipleOf > 0)
  );
}

/** A map, array or object that only needs its type checked. */
function onlyType(mod: Module, s: IrSchema): boolean {
  switch (s.kind) {
    case "map":
      return !canFail(mod, s.values);
    case "array":
      return s.constraints?.minItems === undefined && s.constraints?.maxItems === undefined && !canFail(mod, s.items);
    case "object":
      return (
        s.properties.length === 0 &&
        s.extends.length === 0 &&
        (s.additionalProperties === true || (typeof s.additionalProperties === "object" && !canFail(mod, s.additionalProperties)))
      );
    default:
      return false;
  }
}

function hoisted(s: IrSchema, at: Site, mod: Module): string {
  if (onlyType(mod, s)) return helperCall(mod.use(s.kind === "array" ? "arr" : "obj"), at);
  return call(mod.hoist(s), takesLevel(mod, s), at);
}

const testEmitters = {
  unknown: () => "",
  literal: (s, at, mod) => helperCall(mod.use("lit"), at, jsonLiteral(s.value)),
  enum: (s, at, mod) => {
    const test = helperCall(mod.use("one"), at, mod.enumSet(s.values));
    // A set drops repeated values, which check.ts still lists: then the list is spelled out.
    if (new Set(s.values).size === s.values.length) return test;
    return `${test.slice(0, -1)}${at.f === undefined ? ", 0" : ""}, ${codeStringLiteral(allowedList(s.values))})`;
  },
  primitive: (s, at, mod) => (constrained(s) ? hoisted(s, at, mod) : helperCall(mod.use(TYPE_HELPERS[s.type]), at)),
  ref: (s, at, mod) => (canFail(mod, s, new Set()) ? call(`v${s.name}`, mod.declarationTakesLevel(s.name), at) : ""),
  nullable: (s, at, mod) => (canFail(mod, s.inner, new Set()) ? test(s.inner, { ...at, f: withNull(at.f, mod) }, mod) : ""),
  union: (s, at, mod) => (canFail(mod, s, new Set()) ? hoisted(s, at, mod) : ""),
  array: hoisted,
  map: hoisted,
  object: hoisted,
  intersection: hoisted,
} satisfies { [K in IrKind]: TestEmitter<K> };

/** The test for one value. */
function test(schema: IrSchema, at: Site, mod: Module): string {
  return (testEmitters[schema.kind] as TestEmitter<typeof schema.kind>)(schema as never, at, mod);
}

/** Whether any value can fail `schema`: otherwise it needs no test at all. */
function canFail(mod: Module, schema: IrSchema, seen = new Set<string>()): boolean {
  switch (schema.kind) {
    case "unknown":
      return false;
    case "ref": {
      const d = mod.byName.get(schema.name);
      if (!d || seen.has(schema.name)) return false;
      seen.add(schema.name);
      return canFail(mod, d.schema, seen);
    }
    case "nullable":
      return canFail(mod, schema.inner, seen);
    case "union":
      return schema.discriminator !== undefined || schema.members.every((m) => canFail(mod, m, new Set(seen)));
    default:
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// Bodies: the statements of the function that checks `v` against a schema.

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

/** The last statement of an object's check: the strict check when the object is closed. */
function unknownKeys(schema: IrSchema, fn: Fn, context: () => string): string {
  // The properties the strict check admits: what check.ts computes at run time.
  const { props, open } = objectProperties(fn.mod.byName, schema);
  const names = props.map((p) => p.key ?? p.name);
  if (open) return "return false;";
  return `return l && ${fn.mod.use("extra")}(v, ${fn.keys(names)}, ${context()});`;
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
    const last = unknownKeys(s, fn, () => "c");
    if (properties.length > 0 || extra.length > 0 || last !== "return false;") body.push(`c = ${mod.use("at")}(c, k);`);
    if (properties.some((line) => /\bx\b/.test(line.replace(/"(?:[^"\\]|\\.)*"/g, "")))) body.push("let x: unknown;");
    return [...body, ...properties, ...extra, last];
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
    if (!d) {
      if (s.members.some((m) => !canFail(mod, m))) return ["return false;"];
      const tests = s.members.map((m) => {
        const pure = fails(m, "v", mod);
        return pure === undefined ? test(m, MEMBER_SITE, mod) : orGroup(pure);
      });
      const attempts = s.members.map((_m, i) => `m${i + 1}`);
      return [
        // A missing or null value is settled by the flags before any member is tried.
        `if (${mod.use("skip")}(v, f)) return false;`,
        `if (v === undefined && f & REQ) return ${mod.use("miss")}(c, k);`,
        `if (c.e === undefined) return ${tests.join(" && ")};`,
        `if (!${fn.self}(v, ${mod.use("fast")}(c), k, f, l)) return false;`,
        ...attempts.map((a) => `const ${a} = ${mod.use("attempt")}(c);`),
        ...s.members.map((m, i) => `${test(m, { ...MEMBER_SITE, c: attempts[i] }, mod)};`),
        `return ${mod.use("none")}(c, k, [${attempts.join(", ")}]);`,
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
      const check = members.length === 1 ? test(members[0], MEMBER_SITE, mod) : candidates(members, mod);
      return [...values.map((v) => `  case ${stringLiteral(v)}:`), `    return ${check || "false"};`];
    }).flat();
    const property = d.key ?? d.property;
    const tag = stringLiteral(property);
    return [
      notRecord(fn),
      INHERITED_KEYS.has(property) ? `const t = ${mod.use("own")}(v, ${tag}) ? v[${tag}] : undefined;` : `const t = v[${tag}];`,
      ...(cases.length > 0 ? [`switch (t) {`, ...cases, `}`] : []),
      `return ${mod.use("tag")}(t, c, k, ${tag}, ${tagValues(d.values.flat(), mod)});`,
    ];
  },
} satisfies { [K in IrKind]: BodyEmitter<K> };

/**
 * The members one discriminator value selects, tried in turn: the first that matches decides;
 * when none does, the one with the fewest issues reports them. "" when one cannot fail.
 */
function candidates(members: IrSchema[], mod: Module): string {
  const tests = members.map((m) => test(m, MEMBER_SITE, mod));
  if (tests.some((t) => t === "")) return "";
  const attempts = members.map((_m, i) => `m${i + 1}`);
  const body = [
    `if (c.e === undefined) return ${tests.join(" && ")};`,
    `if (!${SELF}(v, ${mod.use("fast")}(c), k, 0, l)) return false;`,
    ...attempts.map((a) => `const ${a} = ${mod.use("attempt")}(c);`),
    ...members.map((m, i) => `${test(m, { ...MEMBER_SITE, c: attempts[i] }, mod)};`),
    `return ${mod.use("fewest")}(c, [${attempts.join(", ")}]);`,
  ];
  return call(mod.share("h", functionText(SELF, body, true)), true, MEMBER_SITE);
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
    case "literal":
      return `${x} !== ${jsonLiteral(schema.value)}`;
    case "enum":
      return `!${mod.enumSet(schema.values)}.has(${x})`;
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
    default:
      return undefined;
  }
}

/** The discriminator's values as a shared set, or spelled out when some repeat (check.ts lists them all). */
function tagValues(values: string[], mod: Module): string {
  return new Set(values).size === values.length ? mod.enumSet(values) : codeStringLiteral(allowedList(values));
}

function bodyOf(schema: IrSchema, fn: Fn): string[] {
  return (bodyEmitters[schema.kind] as BodyEmitter<typeof schema.kind>)(schema as never, fn);
}

/** Parameters named by use, so `noUnusedParameters` holds. */
function functionText(name: string, body: string[], level: boolean): string {
  const code = body.join("\n").replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/gm, "");
  const uses = (id: string): boolean => new RegExp(`\\b${id}\\b`).test(code);
  const l = uses("l");
  const params = [`${uses("v") ? "v" : "_v"}: unknown`, `${uses("c") || l ? "c" : "_c"}: Ctx`, `${uses("k") ? "k" : "_k"}?: Key`];
  params.push(uses("f") ? "f = 0" : "_f?: number");
  if (level) params.push(l ? "l = c.s" : "_l?: boolean");
  return `function ${name}(${params.join(", ")}): boolean {\n${indent(body.join("\n"))}\n}`;
}

// ---------------------------------------------------------------------------------------------
// Helpers the generated file defines when it uses them, each with the helpers it calls.

type Helper = keyof typeof HELPERS;

export const HELPERS = {
  hasOwn: { deps: [], code: `const hasOwn = Object.prototype.hasOwnProperty;` },
  own: {
    deps: ["hasOwn"],
    code: `function own(o: object, k: string): boolean {
  return hasOwn.call(o, k);
}`,
  },
  describe: {
    deps: [],
    code: `/** How a wrong value reads in a message. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string")
    return "the string " + JSON.stringify(v.length > 40 ? v.slice(0, 40) + "\\u2026" : v);
  // JSON.stringify throws on a bigint.
  return typeof v + " " + (typeof v === "bigint" ? v.toString() : JSON.stringify(v));
}`,
  },
  seg: {
    deps: [],
    code: `/** A key as one JSON pointer segment (RFC 6901). */
function seg(k: Key): string {
  if (typeof k === "number") return "" + k;
  return k.includes("~") || k.includes("/") ? k.replace(/~/g, "~0").replace(/\\//g, "~1") : k;
}`,
  },
  at: {
    deps: ["seg"],
    // Split in two so the part every object runs stays small enough for V8 to always inline.
    code: `/** The context of the value at \`k\`: the same one unless issues are being collected. */
function at(c: Ctx, k: Key | undefined): Ctx {
  return c.e === undefined ? c : below(c, k);
}

function below(c: Ctx, k: Key | undefined): Ctx {
  return k === undefined ? c : { s: c.s, e: c.e, p: c.p + "/" + seg(k) };
}`,
  },
  issue: {
    deps: ["seg"],
    code: `/** Records an issue at \`k\`; true (give up) when no issues are being collected. */
function issue(c: Ctx, k: Key | undefined, message: string, expected?: string): boolean {
  if (c.e === undefined) return true;
  const path = k === undefined ? c.p : c.p + "/" + seg(k);
  c.e.push(expected === undefined ? { path, message } : { path, message, expected });
  return false;
}`,
  },
  flags: {
    deps: ["skip", "wrong"],
    code: `/** What a missing (\`undefined\`) or \`null\` value means to a check; see \`skip\` and \`wrong\`. */
const OPT = 1;

const REQ = 2;

const NUL = 4;`,
  },
  skip: {
    deps: ["flags"],
    // Small enough for V8 to always inline, so an absent optional property costs one call.
    code: `/** Truthy for a missing or null value the flags allow: an absent optional property, an allowed null. */
function skip(x: unknown, f: number): number | boolean {
  return x === undefined ? f & OPT : x === null && f & NUL;
}`,
  },
  miss: {
    deps: ["issue"],
    code: `function miss(c: Ctx, k: Key | undefined): boolean {
  return issue(c, k, "missing required property");
}`,
  },
  wrong: {
    deps: ["flags", "miss", "issue", "describe"],
    code: `/** A value of the wrong type (one \`skip\` did not allow), or a required property that is missing. */
function wrong(
  x: unknown,
  c: Ctx,
  k: Key | undefined,
  f: number,
  expected: string,
  what = expected,
): boolean {
  if (x === undefined && f & REQ) return miss(c, k);
  return c.e === undefined || issue(c, k, "expected " + what + ", got " + describe(x), expected);
}`,
  },
  rec: {
    deps: [],
    // \`isArray\` held in a constant keeps \`rec\` small enough for V8 to always inline.
    code: `const isArray = Array.isArray;

function rec(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !isArray(v);
}`,
  },
  // Tests: each checks one thing and, when it fails, records the issue and returns false, or
  // returns true (give up) when no issues are collected.
  str: {
    deps: ["skip", "wrong"],
    code: `function str(x: unknown, c: Ctx, k?: Key, f = 0): boolean {
  return typeof x !== "string" && !skip(x, f) && wrong(x, c, k, f, "string");
}`,
  },
  num: {
    deps: ["skip", "wrong"],
    // Number.isFinite and Number.isInteger are false for anything but a number.
    code: `function num(x: unknown, c: Ctx, k?: Key, f = 0): boolean {
  return !Number.isFinite(x) && !skip(x, f) && wrong(x, c, k, f, "number");
}`,
  },
  int: {
    deps: ["skip", "wrong", "issue"],
    code: `function int(x: unknown, c: Ctx, k?: Key, f = 0): boolean {
  if (Number.isInteger(x) || skip(x, f)) return false;
  if (typeof x !== "number" || !Number.isFinite(x)) return wrong(x, c, k, f, "integer");
  return c.e === undefined || issue(c, k, "expected an integer, got " + x, "integer");
}`,
  },
  bool: {
    deps: ["skip", "wrong"],
    code: `function bool(x: unknown, c: Ctx, k?: Key, f = 0): boolean {
  return typeof x !== "boolean" && !skip(x, f) && wrong(x, c, k, f, "boolean");
}`,
  },
  obj: {
    deps: ["rec", "skip", "wrong"],
    code: `function obj(x: unknown, c: Ctx, k?: Key, f = 0): boolean {
  return !rec(x) && !skip(x, f) && wrong(x, c, k, f, "object", "an object");
}`,
  },
  arr: {
    deps: ["skip", "wrong"],
    code: `function arr(x: unknown, c: Ctx, k?: Key, f = 0): boolean {
  return !Array.isArray(x) && !skip(x, f) && wrong(x, c, k, f, "array", "an array");
}`,
  },
  lit: {
    deps: ["skip", "wrong"],
    code: `function lit(x: unknown, value: string | number | boolean | null, c: Ctx, k?: Key, f = 0): boolean {
  if (x === value || skip(x, f)) return false;
  return c.e === undefined || wrong(x, c, k, f, JSON.stringify(value));
}`,
  },
  one: {
    deps: ["skip", "wrong", "listed"],
    code: `function one(
  x: unknown,
  values: ReadonlySet<unknown>,
  c: Ctx,
  k?: Key,
  f = 0,
  allowed?: string,
): boolean {
  if (values.has(x) || skip(x, f)) return false;
  if (c.e === undefined) return true;
  const list = allowed ?? listed(values);
  return wrong(x, c, k, f, list, "one of " + list);
}`,
  },
  listed: {
    deps: [],
    code: `/** Allowed values as check.ts lists them: \`"a" | "b"\`. */
function listed(values: ReadonlySet<unknown>): string {
  return [...values].map((v) => JSON.stringify(v)).join(" | ");
}`,
  },
  min: {
    deps: ["issue"],
    code: `function min(x: number, n: number, c: Ctx, k?: Key): boolean {\n  return x < n && (c.e === undefined || issue(c, k, "must be >= " + n + ", got " + x));\n}`,
  },
  max: {
    deps: ["issue"],
    code: `function max(x: number, n: number, c: Ctx, k?: Key): boolean {\n  return x > n && (c.e === undefined || issue(c, k, "must be <= " + n + ", got " + x));\n}`,
  },
  gt: {
    deps: ["issue"],
    code: `function gt(x: number, n: number, c: Ctx, k?: Key): boolean {\n  return x <= n && (c.e === undefined || issue(c, k, "must be > " + n + ", got " + x));\n}`,
  },
  lt: {
    deps: ["issue"],
    code: `function lt(x: number, n: number, c: Ctx, k?: Key): boolean {\n  return x >= n && (c.e === undefined || issue(c, k, "must be < " + n + ", got " + x));\n}`,
  },
  mul: {
    deps: ["issue"],
    code: `function mul(x: number, n: number, c: Ctx, k?: Key): boolean {
  return (
    !Number.isInteger(x / n) && (c.e === undefined || issue(c, k, "must be a multiple of " + n))
  );
}`,
  },
  codePoints: {
    deps: [],
    code: `/** Lengths count code points, as JSON Schema does, not UTF-16 units. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}`,
  },
  minLen: {
    deps: ["issue", "codePoints"],
    // A string has at least half as many code points as UTF-16 units, so most strings are decided
    // by \`length\` alone and only the rest are counted.
    code: `function minLen(x: string, n: number, c: Ctx, k?: Key): boolean {
  if (x.length >= 2 * n || (x.length >= n && codePoints(x) >= n)) return false;
  return (
    c.e === undefined ||
    issue(c, k, "must have at least " + n + " characters, got " + codePoints(x))
  );
}`,
  },
  maxLen: {
    deps: ["issue", "codePoints"],
    code: `function maxLen(x: string, n: number, c: Ctx, k?: Key): boolean {
  if (x.length <= n || codePoints(x) <= n) return false;
  return (
    c.e === undefined || issue(c, k, "must have at most " + n + " characters, got " + codePoints(x))
  );
}`,
  },
  pat: {
    deps: ["issue"],
    code: `function pat(x: string, re: RegExp, source: string, c: Ctx, k?: Key): boolean {\n  return !re.test(x) && (c.e === undefined || issue(c, k, "must match the pattern " + source));\n}`,
  },
  minItems: {
    deps: ["issue"],
    code: `function minItems(x: unknown[], n: number, c: Ctx, k?: Key): boolean {
  return (
    x.length < n &&
    (c.e === undefined || issue(c, k, "must have at least " + n + " items, got " + x.length))
  );
}`,
  },
  maxItems: {
    deps: ["issue"],
    code: `function maxItems(x: unknown[], n: number, c: Ctx, k?: Key): boolean {
  return (
    x.length > n &&
    (c.e === undefined || issue(c, k, "must have at most " + n + " items, got " + x.length))
  );
}`,
  },
  keys: {
    deps: [],
    code: `function keys(names: string): ReadonlySet<string> {
  return new Set(names.split(" "));
}`,
  },
  extra: {
    deps: ["hasOwn", "issue"],
    code: `/** The strict check: own keys the object does not declare. */
function extra(o: Record<string, unknown>, known: ReadonlySet<string>, c: Ctx): boolean {
  for (const key in o) {
    if (hasOwn.call(o, key) && !known.has(key) && issue(c, key, "unknown property")) return true;
  }
  return false;
}`,
  },
  tag: {
    deps: ["at", "issue", "wrong", "listed"],
    code: `/** A discriminator that selects no member. */
function tag(
  t: unknown,
  c: Ctx,
  k: Key | undefined,
  name: string,
  values: ReadonlySet<unknown> | string,
): boolean {
  if (c.e === undefined) return true;
  const allowed = typeof values === "string" ? values : listed(values);
  c = at(c, k);
  if (t === undefined)
    return issue(c, name, "missing discriminator; expected one of " + allowed, allowed);
  return wrong(t, c, name, 0, allowed, "one of " + allowed);
}`,
  },
  fast: {
    deps: [],
    code: `/** The context that only answers yes or no, in the same mode. */
function fast(c: Ctx): Ctx {
  return c.s ? STRICT : LOOSE;
}`,
  },
  attempt: {
    deps: [],
    code: `/** A union member's own issue list, to find the closest member. */
function attempt(c: Ctx): Ctx {
  return { s: c.s, e: [], p: c.p };
}`,
  },
  fewest: {
    deps: [],
    code: `/** The issues of the attempt with the fewest (the first on a tie), as check.ts reports a discriminated union. */
function fewest(c: Ctx, attempts: Ctx[]): boolean {
  let best: ValidationIssue[] | undefined;
  for (const { e = [] } of attempts) if (best === undefined || e.length < best.length) best = e;
  if (c.e !== undefined && best !== undefined) c.e.push(...best);
  return false;
}`,
  },
  none: {
    deps: ["issue", "seg"],
    code: `/**
 * No union member matches. The message adds the first issue of the member that came closest: a
 * member whose type, literal or tag is wrong right here is furthest off; otherwise the fewest
 * issues win, the first member on a tie.
 */
function none(c: Ctx, k: Key | undefined, attempts: Ctx[]): boolean {
  // Every issue of an attempt lies at the union's path or below it, so the length tells whether
  // it is right here, without comparing the strings (concatenated, and slow to compare).
  const here = (k === undefined ? c.p : c.p + "/" + seg(k)).length;
  let best: ValidationIssue | undefined;
  let bestScore = Infinity;
  for (const { e = [] } of attempts) {
    const first = e[0];
    if (first === undefined) continue;
    let score = e.length;
    for (const i of e) if (i.path.length === here && i.expected !== undefined) score += 1e9;
    if (score < bestScore) {
      best = first;
      bestScore = score;
    }
  }
  const closest =
    best === undefined
      ? ""
      : " (closest: " + (best.path.length === here ? "" : best.path + ": ") + best.message + ")";
  return issue(c, k, "does not match any of the " + attempts.length + " allowed shapes" + closest);
}`,
  },
} satisfies Record<string, { deps: string[]; code: string }>;

/** Always present when there is a declaration: the context and the two public wrappers. */
const PRELUDE = `/**
 * What a check needs besides the value: strict mode (\`s\`) and, only when issues are collected,
 * the list (\`e\`) and the JSON pointer of the current value (\`p\`). Every check returns true to
 * give up, which it does on the first failure when nothing is collected.
 */
interface Ctx {
  s: boolean;
  e: ValidationIssue[] | undefined;
  p: string;
}

type Key = string | number;

const LOOSE: Ctx = { s: false, e: undefined, p: "" };

const STRICT: Ctx = { s: true, e: undefined, p: "" };

const proto = Object.prototype;

/**
 * Whether something enumerable was added to \`Object.prototype\`: every object would then seem to
 * have it, so the checks, which read properties without asking whether they are the object's
 * own, run on a copy without prototypes instead (\`bare\`).
 */
function polluted(): boolean {
  for (const _key in proto) return true;
  return false;
}

/** A deep copy of own enumerable properties on objects without a prototype. */
function bare(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(bare);
  if (typeof v !== "object" || v === null) return v;
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(v)) copy[key] = bare((v as Record<string, unknown>)[key]);
  return copy;
}

/** \`isX\`: allocates nothing (unless \`Object.prototype\` is polluted); unknown properties are allowed. */
function guard<V>(check: (v: unknown, c: Ctx) => boolean): (value: unknown) => value is V {
  return (value): value is V => !check(polluted() ? bare(value) : value, LOOSE);
}

/** \`validateX\`: every issue, each at a JSON pointer into the value; with \`strict\`, unknown properties too. */
function validator<V>(check: (v: unknown, c: Ctx) => boolean): (value: unknown, options?: ValidateOptions) => ValidationResult<V> {
  return (value, options) => {
    const s = options?.strict === true;
    const v = polluted() ? bare(value) : value;
    if (!check(v, s ? STRICT : LOOSE)) return { ok: true, value: value as V };
    const errors: ValidationIssue[] = [];
    check(v, { s, e: errors, p: "" });
    // The report mirrors check.ts; were it ever to find nothing after a failed check, it decides.
    return errors.length === 0 ? { ok: true, value: value as V } : { ok: false, errors };
  };
}`;

// ---------------------------------------------------------------------------------------------
// Declarations.

function declarationStatements(decl: IrDeclaration, mod: Module): string[] {
  const name = decl.name;
  // Qualified, so a schema named like a global the code uses (`JSON`, `Set`) shadows nothing.
  const typeName = `T.${name}`;
  const type = decl.nullable ? `${typeName} | null` : typeName;
  const fn = new Fn(mod, `v${name}`);
  const body = [...(decl.nullable ? ["if (v === null) return false;"] : []), ...bodyOf(decl.schema, fn)];
  const orNull = decl.nullable ? " or `null`" : "";
  const exports = [
    `/** Whether \`value\` is a {@link ${typeName}}${orNull}. */`,
    `export const is${name} = guard<${type}>(v${name});`,
    `/** Every issue of \`value\` as a {@link ${typeName}}${orNull}. */`,
    `export const validate${name} = validator<${type}>(v${name});`,
  ].join("\n");
  const statements = [exports, functionText(`v${name}`, body, takesLevel(mod, decl.schema)), ...mod.pending];
  mod.pending = [];
  return statements;
}

export function emitValidators(ir: IrDocument, importExtension?: ImportExtension): EmittedFile {
  const mod = new Module(ir);
  const declarations = ir.declarations.flatMap((d) => declarationStatements(d, mod));

  const imports: ImportDeclarationStructure[] = [];
  if (ir.declarations.length > 0) {
    imports.push({ kind: StructureKind.ImportDeclaration, isTypeOnly: true, moduleSpecifier: siblingModule("types", importExtension), namespaceImport: "T" });
    imports.push({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: siblingModule("runtime", importExtension),
      namedImports: [{ name: "ValidationIssue" }, { name: "ValidationResult" }],
    });
  }
  const options = [
    "/** Options of every `validateX` function. */",
    "export type ValidateOptions = {",
    "  /** Report properties the schema does not declare (default false). */",
    "  strict?: boolean;",
    "};",
  ].join("\n");
  const helpers = (Object.keys(HELPERS) as Helper[]).filter((h) => mod.helpers.has(h)).map((h) => HELPERS[h].code);
  const prelude = ir.declarations.length > 0 ? [PRELUDE] : [];
  const nocheck = ir.declarations.length > 0 ? [NOCHECK] : [];

  const header = `Runtime validators for ${ir.title}${ir.apiVersion ? ` ${ir.apiVersion}` : ""}, generated by openapi-morph from the same IR as the types. Do not edit by hand: regenerate.`;
  // Laid out once names are final: a shared function's name replaces a one-character placeholder.
  return printFile("validators.ts", header, [...nocheck, ...imports, options, ...prelude, ...helpers, ...declarations.map(layoutLongLines)]);
}
