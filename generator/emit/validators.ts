import {
  StructureKind,
  VariableDeclarationKind,
  type FunctionDeclarationStructure,
  type ImportDeclarationStructure,
  type StatementStructures,
  type TypeAliasDeclarationStructure,
  type VariableStatementStructure,
} from "ts-morph";
import { escapePointerSegment } from "../errors";
import type { IrConstraints, IrDeclaration, IrDocument, IrKind, IrPrimitive, IrProperty, IrSchema, Scalar } from "../ir/types";
import { jsonLiteral, stringLiteral } from "./escape";
import { printFile, type EmittedFile } from "./print";

/*
 * Runtime validators from the IR, with `generator/ir/check.ts` as the reference semantics: the
 * same issues, paths and messages (the union message only adds the closest member's first issue).
 *
 * Each declaration gets two internal functions. `checkX` answers yes/no and allocates nothing, so
 * valid data (the common case) costs one pass of plain comparisons; `reportX` runs only after a
 * failure and builds JSON pointers and issues. They are printed from two tables keyed by IR kind,
 * kept side by side below so a reader can see they agree.
 *
 * Both take `strict` (report unknown properties anywhere) and `local` (report them at this level).
 * They differ only where check.ts does: an intersection member or an `extends` base is checked
 * with its own unknown-property check off, since the whole object is checked against all the
 * properties at once, while its property values still follow `strict`.
 */

/** Whether the current level reports unknown properties: an expression in the generated code. */
type Level = "local" | "strict" | "false";

/** A boolean test and its negation, both written out so generated code reads without `!(…)`. */
interface Cond {
  ok: string;
  fail: string;
}

const TRUE: Cond = { ok: "true", fail: "false" };
const FALSE: Cond = { ok: "false", fail: "true" };

function atom(ok: string, fail: string): Cond {
  return { ok, fail };
}

function all(conds: Cond[]): Cond {
  const parts = conds.filter((c) => c.ok !== "true");
  if (parts.some((c) => c.ok === "false")) return FALSE;
  if (parts.length === 0) return TRUE;
  if (parts.length === 1) return parts[0];
  return { ok: parts.map((c) => `(${c.ok})`).join(" && "), fail: parts.map((c) => `(${c.fail})`).join(" || ") };
}

function any(conds: Cond[]): Cond {
  if (conds.some((c) => c.ok === "true")) return TRUE;
  const parts = conds.filter((c) => c.ok !== "false");
  if (parts.length === 0) return FALSE;
  if (parts.length === 1) return parts[0];
  return { ok: parts.map((c) => `(${c.ok})`).join(" || "), fail: parts.map((c) => `(${c.fail})`).join(" && ") };
}

/** What a fast emitter produces: a test for simple kinds, statements that `return false` otherwise. */
type Fast = { cond: Cond } | { body: string[] };

/**
 * Globals the generated file refers to. A declaration with one of these names is imported under
 * an alias so the type does not shadow the value.
 */
const GLOBALS_USED = new Set(["Array", "Infinity", "JSON", "Number", "Object", "RegExp", "Record", "Set"]);

/** Enums longer than this test membership with a `Set` built once. */
const ENUM_CHAIN_LIMIT = 8;

/** Per-run state: which helpers, patterns and hoisted functions the file needs. */
class Module {
  readonly byName: Map<string, IrDeclaration>;
  readonly typeNames = new Map<string, string>();
  readonly helpers = new Set<keyof typeof HELPERS>();
  readonly constants: VariableStatementStructure[] = [];
  /** Pattern source → the constant holding its RegExp, or `null` when no flag set compiles it. */
  private readonly patterns = new Map<string, string | null>();
  private readonly enumSets = new Map<string, string>();
  /** Functions hoisted out of a declaration so a union member can be tested as one call. */
  private readonly hoisted = new Map<IrSchema, string>();
  private readonly hoistCounts = new Map<string, number>();
  readonly hoistedFunctions = new Map<string, FunctionDeclarationStructure[]>();

  constructor(ir: IrDocument) {
    this.byName = new Map(ir.declarations.map((d) => [d.name, d]));
    for (const d of ir.declarations) this.typeNames.set(d.name, GLOBALS_USED.has(d.name) ? `${d.name}$` : d.name);
  }

  use(helper: keyof typeof HELPERS): string {
    this.helpers.add(helper);
    return helper;
  }

  /** Module-level so each pattern compiles once, not once per call. */
  pattern(source: string): string | null {
    const known = this.patterns.get(source);
    if (known !== undefined) return known;
    const flags = compiles(source, "u") ? "u" : compiles(source, "") ? "" : null;
    const name = flags === null ? null : `pattern${this.patterns.size + 1}`;
    this.patterns.set(source, name);
    if (name !== null) {
      const args = flags ? `${stringLiteral(source)}, "u"` : stringLiteral(source);
      this.constants.push(constant(name, `new RegExp(${args})`));
    }
    return name;
  }

  enumSet(values: Scalar[]): string {
    const key = JSON.stringify(values);
    let name = this.enumSets.get(key);
    if (!name) {
      name = `enum${this.enumSets.size + 1}`;
      this.enumSets.set(key, name);
      this.constants.push(constant(name, `new Set<unknown>([${values.map(scalarLiteral).join(", ")}])`));
    }
    return name;
  }

  /** A named fast check for a schema that needs statements, so it can sit inside an expression. */
  hoist(schema: IrSchema, owner: string): string {
    const known = this.hoisted.get(schema);
    if (known) return known;
    const list = this.hoistedFunctions.get(owner) ?? [];
    this.hoistedFunctions.set(owner, list);
    // Counted before the body is built: building it may hoist further schemas of the same owner.
    const count = (this.hoistCounts.get(owner) ?? 0) + 1;
    this.hoistCounts.set(owner, count);
    const name = `check${owner}$${count}`;
    this.hoisted.set(schema, name);
    const fn = new Fn(this, owner);
    list.push(checkFunction(name, fastBody(schema, "v", "local", fn), fn));
    return name;
  }
}

function compiles(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags);
    return true;
  } catch {
    return false;
  }
}

function constant(name: string, initializer: string): VariableStatementStructure {
  return { kind: StructureKind.VariableStatement, declarationKind: VariableDeclarationKind.Const, declarations: [{ name, initializer }] };
}

/** One generated function: fresh local names and whether `strict`/`local` are read. */
class Fn {
  private counter = 0;
  usesStrict = false;
  usesLocal = false;

  constructor(
    readonly mod: Module,
    readonly owner: string,
  ) {}

  fresh(prefix: string): string {
    return `${prefix}${++this.counter}`;
  }

  level(lv: Level): string {
    if (lv === "local") this.usesLocal = true;
    if (lv === "strict") this.usesStrict = true;
    return lv;
  }

  /** The arguments passed on to another check: `strict` and this level. */
  flags(lv: Level): string {
    this.usesStrict = true;
    return `strict, ${this.level(lv)}`;
  }
}

/** Statements inside braces; each ends its line, so a trailing comment cannot swallow the `}`. */
function lines(statements: string[]): string {
  return statements.map((st) => `${st}\n`).join("");
}

function num(n: number): string {
  if (Number.isNaN(n)) return "Number.NaN";
  if (n === Infinity) return "Number.POSITIVE_INFINITY";
  if (n === -Infinity) return "Number.NEGATIVE_INFINITY";
  return String(n);
}

function scalarLiteral(value: Scalar): string {
  return typeof value === "string" ? stringLiteral(value) : jsonLiteral(value);
}

/** `"a" | "b"`, as check.ts lists allowed values. */
function allowedList(values: Scalar[]): string {
  return values.map((v) => JSON.stringify(v)).join(" | ");
}

function recordTest(x: string): Cond {
  return atom(
    `typeof ${x} === "object" && ${x} !== null && !Array.isArray(${x})`,
    `typeof ${x} !== "object" || ${x} === null || Array.isArray(${x})`,
  );
}

function segment(name: string): string {
  return stringLiteral(`/${escapePointerSegment(name)}`);
}

/** Properties an object-like schema admits, for the strict check: what check.ts computes at run time. */
function objectProperties(mod: Module, schema: IrSchema, seen = new Set<string>()): { names: string[]; open: boolean } {
  switch (schema.kind) {
    case "object": {
      const names = schema.properties.map((p) => p.name);
      let open = schema.additionalProperties !== false;
      for (const name of schema.extends) {
        if (seen.has(name)) continue;
        seen.add(name);
        const d = mod.byName.get(name);
        if (d) {
          const inherited = objectProperties(mod, d.schema, seen);
          names.push(...inherited.names);
          open ||= inherited.open;
        }
      }
      return { names, open };
    }
    case "ref": {
      const d = mod.byName.get(schema.name);
      if (!d || seen.has(schema.name)) return { names: [], open: true };
      seen.add(schema.name);
      return objectProperties(mod, d.schema, seen);
    }
    case "intersection": {
      const parts = schema.members.map((m) => objectProperties(mod, m, seen));
      return { names: parts.flatMap((p) => p.names), open: parts.some((p) => p.open) };
    }
    case "nullable":
      return objectProperties(mod, schema.inner, seen);
    default:
      return { names: [], open: true };
  }
}

/** `case "a": case "b":` for the declared names, or nothing when there are none. */
function knownCases(names: string[]): string {
  return [...new Set(names)].map((n) => `case ${stringLiteral(n)}:`).join(" ");
}

// ---------------------------------------------------------------------------------------------
// Fast checks: a test or statements that `return false`.

type FastEmitter<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, x: string, lv: Level, fn: Fn) => Fast;

function typeTest(type: IrPrimitive["type"], x: string): Cond {
  if (type === "integer") return atom(`typeof ${x} === "number" && Number.isInteger(${x})`, `typeof ${x} !== "number" || !Number.isInteger(${x})`);
  if (type === "number") return atom(`typeof ${x} === "number" && Number.isFinite(${x})`, `typeof ${x} !== "number" || !Number.isFinite(${x})`);
  return atom(`typeof ${x} === ${stringLiteral(type)}`, `typeof ${x} !== ${stringLiteral(type)}`);
}

/** The constraints check.ts applies once the type is right, as tests on `x`. */
function constraintTests(schema: IrPrimitive, x: string, mod: Module): Cond[] {
  const c: IrConstraints = schema.constraints ?? {};
  const out: Cond[] = [];
  const cmp = (op: string, neg: string, n: number | undefined): void => {
    if (n !== undefined) out.push(atom(`${x} ${op} ${num(n)}`, `${x} ${neg} ${num(n)}`));
  };
  if (schema.type === "number" || schema.type === "integer") {
    cmp(">=", "<", c.minimum);
    cmp("<=", ">", c.maximum);
    cmp(">", "<=", c.exclusiveMinimum);
    cmp("<", ">=", c.exclusiveMaximum);
    if (c.multipleOf !== undefined && c.multipleOf > 0) {
      out.push(atom(`Number.isInteger(${x} / ${num(c.multipleOf)})`, `!Number.isInteger(${x} / ${num(c.multipleOf)})`));
    }
  } else if (schema.type === "string") {
    // A string has at least half as many code points as UTF-16 units, so most strings are decided
    // by `length` alone and only the rest are counted.
    if (c.minLength !== undefined) {
      const n = num(c.minLength);
      const count = `${mod.use("codePointLength")}(${x})`;
      out.push(atom(`${x}.length >= ${n} && (${x}.length >= 2 * ${n} || ${count} >= ${n})`, `${x}.length < ${n} || (${x}.length < 2 * ${n} && ${count} < ${n})`));
    }
    if (c.maxLength !== undefined) {
      const n = num(c.maxLength);
      const count = `${mod.use("codePointLength")}(${x})`;
      out.push(atom(`${x}.length <= ${n} || ${count} <= ${n}`, `${x}.length > ${n} && ${count} > ${n}`));
    }
    if (c.pattern !== undefined) {
      const re = mod.pattern(c.pattern);
      if (re) out.push(atom(`${re}.test(${x})`, `!${re}.test(${x})`));
    }
  }
  return out;
}

function fastRef(name: string, x: string, lv: Level, fn: Fn): Cond {
  if (!fn.mod.byName.has(name)) return TRUE;
  const call = `check${name}(${x}, ${fn.flags(lv)})`;
  return atom(call, `!${call}`);
}

function unknownKeysFast(schema: IrSchema, o: string, lv: Level, fn: Fn): string[] {
  if (lv === "false") return [];
  const { names, open } = objectProperties(fn.mod, schema);
  if (open) return [];
  const k = fn.fresh("k");
  const cases = knownCases(names);
  const reject = cases ? `switch (${k}) { ${cases} break; default: return false; }` : "return false;";
  return [`if (${fn.level(lv)}) { for (const ${k} in ${o}) { if (${fn.mod.use("hasOwn")}.call(${o}, ${k})) { ${reject} } } }`];
}

/** Reads a property as check.ts sees it: absent when not own or `undefined`. */
function readProperty(o: string, name: string, fn: Fn): { value: string; read: string; absent: string; present: string } {
  const value = fn.fresh("p");
  const key = stringLiteral(name);
  // Bracket access keeps compiling under `noPropertyAccessFromIndexSignature`; `hasOwnProperty`
  // keeps `__proto__`, `constructor` and friends from being found on the prototype.
  return {
    value,
    read: `const ${value} = ${o}[${key}];`,
    absent: `${value} === undefined || !${fn.mod.use("hasOwn")}.call(${o}, ${key})`,
    present: `${value} !== undefined && ${fn.mod.use("hasOwn")}.call(${o}, ${key})`,
  };
}

const fastEmitters = {
  unknown: () => ({ cond: TRUE }),
  literal: (s, x) => ({ cond: atom(`${x} === ${scalarLiteral(s.value)}`, `${x} !== ${scalarLiteral(s.value)}`) }),
  enum: (s, x, _lv, fn) => {
    if (s.values.length > ENUM_CHAIN_LIMIT) {
      const set = fn.mod.enumSet(s.values);
      return { cond: atom(`${set}.has(${x})`, `!${set}.has(${x})`) };
    }
    return { cond: any(s.values.map((v) => atom(`${x} === ${scalarLiteral(v)}`, `${x} !== ${scalarLiteral(v)}`))) };
  },
  primitive: (s, x, _lv, fn) => ({ cond: all([typeTest(s.type, x), ...constraintTests(s, x, fn.mod)]) }),
  ref: (s, x, lv, fn) => ({ cond: fastRef(s.name, x, lv, fn) }),
  nullable: (s, x, lv, fn) => {
    const inner = fastCond(s.inner, x, lv, fn);
    return { cond: any([atom(`${x} === null`, `${x} !== null`), inner]) };
  },
  union: (s, x, lv, fn) => {
    const d = s.discriminator;
    if (!d) return { cond: any(s.members.map((m) => fastCond(m, x, lv, fn))) };
    const o = fn.fresh("o");
    const t = fn.fresh("t");
    const read = readProperty(o, d.property, fn);
    const cases: string[] = [];
    const seen = new Set<string>();
    s.members.forEach((m, i) => {
      const values = (d.values[i] ?? []).filter((v) => !seen.has(v));
      values.forEach((v) => seen.add(v));
      if (values.length === 0) return;
      const labels = values.map((v) => `case ${stringLiteral(v)}:`).join(" ");
      cases.push(`${labels} { ${lines(fastBody(m, x, lv, fn))} break; }`);
    });
    return {
      body: [
        `if (${recordTest(x).fail}) return false;`,
        `const ${o} = ${x} as Record<string, unknown>;`,
        read.read,
        `const ${t} = ${read.absent} ? undefined : ${read.value};`,
        `switch (${t}) { ${lines(cases)} default: return false; }`,
      ],
    };
  },
  array: (s, x, _lv, fn) => {
    const body = [`if (!Array.isArray(${x})) return false;`];
    const c = s.constraints;
    if (c?.minItems !== undefined) body.push(`if (${x}.length < ${num(c.minItems)}) return false;`);
    if (c?.maxItems !== undefined) body.push(`if (${x}.length > ${num(c.maxItems)}) return false;`);
    const i = fn.fresh("i");
    const e = fn.fresh("e");
    const item = fastBody(s.items, e, "strict", fn);
    if (item.length > 0) body.push(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { const ${e}: unknown = ${x}[${i}]; ${lines(item)} }`);
    return { body };
  },
  map: (s, x, _lv, fn) => {
    const o = fn.fresh("o");
    const k = fn.fresh("k");
    const e = fn.fresh("e");
    const body = [`if (${recordTest(x).fail}) return false;`];
    const value = fastBody(s.values, e, "strict", fn);
    if (value.length > 0) {
      body.push(
        `const ${o} = ${x} as Record<string, unknown>;`,
        `for (const ${k} in ${o}) { if (!${fn.mod.use("hasOwn")}.call(${o}, ${k})) continue; const ${e} = ${o}[${k}]; ${lines(value)} }`,
      );
    }
    return { body };
  },
  object: (s, x, lv, fn) => {
    const o = fn.fresh("o");
    const body = [`if (${recordTest(x).fail}) return false;`, `const ${o} = ${x} as Record<string, unknown>;`];
    for (const base of s.extends) {
      if (fn.mod.byName.has(base)) body.push(`if (!check${base}(${o}, ${fn.flags("false")})) return false;`);
    }
    for (const p of s.properties) body.push(...fastProperty(p, o, fn));
    if (typeof s.additionalProperties === "object") {
      const k = fn.fresh("k");
      const e = fn.fresh("e");
      const extra = fastBody(s.additionalProperties, e, "strict", fn);
      if (extra.length > 0) {
        const cases = knownCases(s.properties.map((p) => p.name));
        const skip = cases ? `switch (${k}) { ${cases} continue; }` : "";
        body.push(`for (const ${k} in ${o}) { if (!${fn.mod.use("hasOwn")}.call(${o}, ${k})) continue; ${skip} const ${e} = ${o}[${k}]; ${lines(extra)} }`);
      }
    }
    body.push(...unknownKeysFast(s, o, lv, fn));
    return { body };
  },
  intersection: (s, x, lv, fn) => {
    const o = fn.fresh("o");
    const body = [`if (${recordTest(x).fail}) return false;`, `const ${o} = ${x} as Record<string, unknown>;`];
    for (const m of s.members) {
      const member = fastBody(m, o, "false", fn);
      if (member.length > 0) body.push(`{ ${lines(member)} }`);
    }
    body.push(...unknownKeysFast(s, o, lv, fn));
    return { body };
  },
} satisfies { [K in IrKind]: FastEmitter<K> };

function fast(schema: IrSchema, x: string, lv: Level, fn: Fn): Fast {
  return (fastEmitters[schema.kind] as FastEmitter<typeof schema.kind>)(schema as never, x, lv, fn);
}

/** Statements that `return false` when `x` does not match. */
function fastBody(schema: IrSchema, x: string, lv: Level, fn: Fn): string[] {
  const f = fast(schema, x, lv, fn);
  if ("body" in f) return f.body;
  return f.cond.ok === "true" ? [] : [`if (${f.cond.fail}) return false;`];
}

/** A test, hoisting statement-shaped checks into a function of their own. */
function fastCond(schema: IrSchema, x: string, lv: Level, fn: Fn): Cond {
  const f = fast(schema, x, lv, fn);
  if ("cond" in f) return f.cond;
  const call = `${fn.mod.hoist(schema, fn.owner)}(${x}, ${fn.flags(lv)})`;
  return atom(call, `!${call}`);
}

function fastProperty(p: IrProperty, o: string, fn: Fn): string[] {
  const read = readProperty(o, p.name, fn);
  const value = fastBody(p.schema, read.value, "strict", fn);
  if (p.required) return [read.read, `if (${read.absent}) return false;`, ...value];
  if (value.length === 0) return [];
  return [read.read, `if (${read.present}) { ${lines(value)} }`];
}

// ---------------------------------------------------------------------------------------------
// Reports: statements that push check.ts's issues into `out`, run only after a failed fast check.

type ReportEmitter<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, x: string, path: string, out: string, lv: Level, fn: Fn) => string[];

/** A call that records one issue; a helper keeps the many report sites on one line each. */
function push(fn: Fn, out: string, path: string, message: string, expected?: string): string {
  return `${fn.mod.use("issue")}(${out}, ${path}, ${message}${expected === undefined ? "" : `, ${stringLiteral(expected)}`});`;
}

function got(prefix: string, x: string, fn: Fn): string {
  return `${stringLiteral(prefix)} + ${fn.mod.use("describe")}(${x})`;
}

function notRecord(x: string, path: string, out: string, fn: Fn): string {
  return `if (${recordTest(x).fail}) ${push(fn, out, path, got("expected an object, got ", x, fn), "object")}`;
}

function unknownKeysReport(schema: IrSchema, o: string, path: string, out: string, lv: Level, fn: Fn): string[] {
  if (lv === "false") return [];
  const { names, open } = objectProperties(fn.mod, schema);
  if (open) return [];
  const k = fn.fresh("k");
  const report = push(fn, out, `${path} + "/" + ${fn.mod.use("pointerSegment")}(${k})`, `"unknown property"`);
  const cases = knownCases(names);
  const body = cases ? `switch (${k}) { ${cases} break; default: ${report} }` : report;
  return [`if (${fn.level(lv)}) { for (const ${k} of Object.keys(${o})) { ${body} } }`];
}

function numberReports(c: IrConstraints, x: string, path: string, out: string, fn: Fn): string[] {
  const body: string[] = [];
  const bound = (n: number | undefined, failOp: string, text: string): void => {
    if (n !== undefined) body.push(`if (${x} ${failOp} ${num(n)}) ${push(fn, out, path, `${stringLiteral(`must be ${text} ${n}, got `)} + ${x}`)}`);
  };
  bound(c.minimum, "<", ">=");
  bound(c.maximum, ">", "<=");
  bound(c.exclusiveMinimum, "<=", ">");
  bound(c.exclusiveMaximum, ">=", "<");
  if (c.multipleOf !== undefined && c.multipleOf > 0) {
    body.push(`if (!Number.isInteger(${x} / ${num(c.multipleOf)})) ${push(fn, out, path, stringLiteral(`must be a multiple of ${c.multipleOf}`))}`);
  }
  return body;
}

function stringReports(c: IrConstraints, x: string, path: string, out: string, fn: Fn): string[] {
  const body: string[] = [];
  if (c.minLength !== undefined || c.maxLength !== undefined) {
    const n = fn.fresh("n");
    body.push(`const ${n} = ${fn.mod.use("codePointLength")}(${x});`);
    if (c.minLength !== undefined) {
      body.push(`if (${n} < ${num(c.minLength)}) ${push(fn, out, path, `${stringLiteral(`must have at least ${c.minLength} characters, got `)} + ${n}`)}`);
    }
    if (c.maxLength !== undefined) {
      body.push(`if (${n} > ${num(c.maxLength)}) ${push(fn, out, path, `${stringLiteral(`must have at most ${c.maxLength} characters, got `)} + ${n}`)}`);
    }
  }
  if (c.pattern !== undefined) {
    const re = fn.mod.pattern(c.pattern);
    if (re) body.push(`if (!${re}.test(${x})) ${push(fn, out, path, stringLiteral(`must match the pattern ${c.pattern}`))}`);
    // A pattern that compiles under no flags cannot be checked here; the JSON literal keeps the
    // comment on one line whatever the pattern holds.
    else body.push(`// not checked, invalid as a JavaScript regular expression: pattern ${stringLiteral(c.pattern)}`);
  }
  return body;
}

const reportEmitters = {
  unknown: () => [],
  literal: (s, x, path, out, _lv, fn) => {
    const expected = JSON.stringify(s.value);
    return [`if (${x} !== ${scalarLiteral(s.value)}) ${push(fn, out, path, got(`expected ${expected}, got `, x, fn), expected)}`];
  },
  enum: (s, x, path, out, lv, fn) => {
    const allowed = allowedList(s.values);
    const test = fastCond(s, x, lv, fn);
    return [`if (${test.fail}) ${push(fn, out, path, got(`expected one of ${allowed}, got `, x, fn), allowed)}`];
  },
  primitive: (s, x, path, out, _lv, fn) => {
    const type = typeTest(s.type === "integer" ? "number" : s.type, x);
    const body = [`if (${type.fail}) ${push(fn, out, path, got(`expected ${s.type}, got `, x, fn), s.type)}`];
    if (s.type === "integer") body.push(`else if (!Number.isInteger(${x})) ${push(fn, out, path, `"expected an integer, got " + ${x}`, "integer")}`);
    const c = s.constraints ?? {};
    const checks = s.type === "string" ? stringReports(c, x, path, out, fn) : s.type === "boolean" ? [] : numberReports(c, x, path, out, fn);
    if (checks.length > 0) body.push(`else { ${lines(checks)} }`);
    return body;
  },
  ref: (s, x, path, out, lv, fn) => (fn.mod.byName.has(s.name) ? [`report${s.name}(${x}, ${path}, ${out}, ${fn.flags(lv)});`] : []),
  nullable: (s, x, path, out, lv, fn) => {
    const inner = report(s.inner, x, path, out, lv, fn);
    return inner.length > 0 ? [`if (${x} !== null) { ${lines(inner)} }`] : [];
  },
  union: (s, x, path, out, lv, fn) => {
    const d = s.discriminator;
    if (!d) {
      const test = any(s.members.map((m) => fastCond(m, x, lv, fn)));
      const attempts = s.members.map(() => fn.fresh("a"));
      const tries = s.members.map((m, i) => [`const ${attempts[i]}: ValidationIssue[] = [];`, ...report(m, x, path, attempts[i], lv, fn)].join("\n"));
      const message = `${stringLiteral(`does not match any of the ${s.members.length} allowed shapes`)} + ${fn.mod.use("closest")}([${attempts.join(", ")}], ${path})`;
      return [`if (${test.fail}) { ${lines(tries)}\n${push(fn, out, path, message)} }`];
    }
    const o = fn.fresh("o");
    const t = fn.fresh("t");
    const read = readProperty(o, d.property, fn);
    const allowed = allowedList(d.values.flat());
    const at = `${path} + ${segment(d.property)}`;
    const cases: string[] = [];
    const seen = new Set<string>();
    s.members.forEach((m, i) => {
      const values = (d.values[i] ?? []).filter((v) => !seen.has(v));
      values.forEach((v) => seen.add(v));
      if (values.length === 0) return;
      const labels = values.map((v) => `case ${stringLiteral(v)}:`).join(" ");
      cases.push(`${labels} { ${lines(report(m, x, path, out, lv, fn))} break; }`);
    });
    const message = `${t} === undefined ? ${stringLiteral(`missing discriminator; expected one of ${allowed}`)} : ${got(`expected one of ${allowed}, got `, t, fn)}`;
    return [
      `${notRecord(x, path, out, fn)} else {`,
      `const ${o} = ${x} as Record<string, unknown>;`,
      read.read,
      `const ${t} = ${read.absent} ? undefined : ${read.value};`,
      `switch (${t}) { ${lines(cases)} default: ${push(fn, out, at, message, allowed)} }`,
      `}`,
    ];
  },
  array: (s, x, path, out, _lv, fn) => {
    const body: string[] = [];
    const c = s.constraints;
    if (c?.minItems !== undefined) {
      body.push(`if (${x}.length < ${num(c.minItems)}) ${push(fn, out, path, `${stringLiteral(`must have at least ${c.minItems} items, got `)} + ${x}.length`)}`);
    }
    if (c?.maxItems !== undefined) {
      body.push(`if (${x}.length > ${num(c.maxItems)}) ${push(fn, out, path, `${stringLiteral(`must have at most ${c.maxItems} items, got `)} + ${x}.length`)}`);
    }
    const i = fn.fresh("i");
    const e = fn.fresh("e");
    const item = report(s.items, e, `${path} + "/" + ${i}`, out, "strict", fn);
    if (item.length > 0) body.push(`for (let ${i} = 0; ${i} < ${x}.length; ${i}++) { const ${e}: unknown = ${x}[${i}]; ${lines(item)} }`);
    const fail = push(fn, out, path, got("expected an array, got ", x, fn), "array");
    return body.length > 0 ? [`if (!Array.isArray(${x})) ${fail} else { ${lines(body)} }`] : [`if (!Array.isArray(${x})) ${fail}`];
  },
  map: (s, x, path, out, _lv, fn) => {
    const o = fn.fresh("o");
    const k = fn.fresh("k");
    const e = fn.fresh("e");
    const value = report(s.values, e, `${path} + "/" + ${fn.mod.use("pointerSegment")}(${k})`, out, "strict", fn);
    if (value.length === 0) return [notRecord(x, path, out, fn)];
    return [
      `${notRecord(x, path, out, fn)} else {`,
      `const ${o} = ${x} as Record<string, unknown>;`,
      `for (const ${k} of Object.keys(${o})) { const ${e} = ${o}[${k}]; ${lines(value)} }`,
      `}`,
    ];
  },
  object: (s, x, path, out, lv, fn) => {
    const o = fn.fresh("o");
    const body = [`const ${o} = ${x} as Record<string, unknown>;`];
    for (const base of s.extends) {
      if (fn.mod.byName.has(base)) body.push(`report${base}(${o}, ${path}, ${out}, ${fn.flags("false")});`);
    }
    for (const p of s.properties) body.push(...reportProperty(p, o, path, out, fn));
    if (typeof s.additionalProperties === "object") {
      const k = fn.fresh("k");
      const e = fn.fresh("e");
      const extra = report(s.additionalProperties, e, `${path} + "/" + ${fn.mod.use("pointerSegment")}(${k})`, out, "strict", fn);
      if (extra.length > 0) {
        const cases = knownCases(s.properties.map((p) => p.name));
        const skip = cases ? `switch (${k}) { ${cases} continue; }` : "";
        body.push(`for (const ${k} of Object.keys(${o})) { ${skip} const ${e} = ${o}[${k}]; ${lines(extra)} }`);
      }
    }
    body.push(...unknownKeysReport(s, o, path, out, lv, fn));
    return [`${notRecord(x, path, out, fn)} else {`, ...body, `}`];
  },
  intersection: (s, x, path, out, lv, fn) => {
    const o = fn.fresh("o");
    const body = [`const ${o} = ${x} as Record<string, unknown>;`];
    for (const m of s.members) {
      const member = report(m, o, path, out, "false", fn);
      if (member.length > 0) body.push(`{ ${lines(member)} }`);
    }
    body.push(...unknownKeysReport(s, o, path, out, lv, fn));
    return [`${notRecord(x, path, out, fn)} else {`, ...body, `}`];
  },
} satisfies { [K in IrKind]: ReportEmitter<K> };

function report(schema: IrSchema, x: string, path: string, out: string, lv: Level, fn: Fn): string[] {
  return (reportEmitters[schema.kind] as ReportEmitter<typeof schema.kind>)(schema as never, x, path, out, lv, fn);
}

function reportProperty(p: IrProperty, o: string, path: string, out: string, fn: Fn): string[] {
  const read = readProperty(o, p.name, fn);
  const at = `${path} + ${segment(p.name)}`;
  const value = report(p.schema, read.value, at, out, "strict", fn);
  if (p.required) return [read.read, `if (${read.absent}) ${push(fn, out, at, `"missing required property"`)}`, ...(value.length > 0 ? [`else { ${lines(value)} }`] : [])];
  if (value.length === 0) return [];
  return [read.read, `if (${read.present}) { ${lines(value)} }`];
}

// ---------------------------------------------------------------------------------------------
// Helpers the generated file defines when it uses them.

const HELPERS = {
  issue: `function issue(out: ValidationIssue[], path: string, message: string, expected?: string): void {
  out.push(expected === undefined ? { path, message } : { path, message, expected });
}`,
  hasOwn: `const hasOwn = Object.prototype.hasOwnProperty;`,
  describe: `/** How a wrong value reads in a message. */
function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return "the string " + JSON.stringify(v.length > 40 ? v.slice(0, 40) + "\\u2026" : v);
  // JSON.stringify throws on a bigint.
  return typeof v + " " + (typeof v === "bigint" ? v.toString() : JSON.stringify(v));
}`,
  pointerSegment: `/** A key as one JSON pointer segment (RFC 6901). */
function pointerSegment(key: string): string {
  return key.split("~").join("~0").split("/").join("~1");
}`,
  codePointLength: `/** Lengths count code points, as JSON Schema does, not UTF-16 units. */
function codePointLength(s: string): number {
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
  closest: `/**
 * The first issue of the member that came closest, so a failed union says more than "no match".
 * A member whose type, literal or tag is wrong right here is furthest off; otherwise the fewest
 * issues win, the first member on a tie.
 */
function closest(attempts: ValidationIssue[][], path: string): string {
  let best: ValidationIssue | undefined;
  let bestScore = Infinity;
  for (const a of attempts) {
    const first = a[0];
    if (first === undefined) continue;
    let score = a.length;
    for (const i of a) if (i.path === path && i.expected !== undefined) score += 1e9;
    if (score < bestScore) {
      best = first;
      bestScore = score;
    }
  }
  if (best === undefined) return "";
  return " (closest: " + (best.path === path ? "" : best.path + ": ") + best.message + ")";
}`,
} as const;

// ---------------------------------------------------------------------------------------------
// Declarations.

function checkFunction(name: string, body: string[], fn: Fn, nullable = false): FunctionDeclarationStructure {
  const used = nullable || body.length > 0;
  const statements = [...(nullable ? ["if (v === null) return true;"] : []), ...body, "return true;"];
  return {
    kind: StructureKind.Function,
    name,
    parameters: [
      { name: used ? "v" : "_v", type: "unknown" },
      { name: fn.usesStrict ? "strict" : "_strict", type: "boolean" },
      { name: fn.usesLocal ? "local" : "_local", type: "boolean" },
    ],
    returnType: "boolean",
    statements,
  };
}

function declarationFunctions(decl: IrDeclaration, mod: Module): StatementStructures[] {
  const name = decl.name;
  const typeName = mod.typeNames.get(name) ?? name;
  const type = decl.nullable ? `${typeName} | null` : typeName;

  const checkFn = new Fn(mod, name);
  const check = checkFunction(`check${name}`, fastBody(decl.schema, "v", "local", checkFn), checkFn, decl.nullable);

  const reportFn = new Fn(mod, name);
  const reportBody = report(decl.schema, "v", "path", "out", "local", reportFn);
  const reportUsed = reportBody.length > 0;
  const reportStatements = [...(decl.nullable && reportUsed ? ["if (v === null) return;"] : []), ...reportBody];
  const reportDecl: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: `report${name}`,
    parameters: [
      { name: reportUsed ? "v" : "_v", type: "unknown" },
      { name: reportUsed ? "path" : "_path", type: "string" },
      { name: reportUsed ? "out" : "_out", type: "ValidationIssue[]" },
      { name: reportFn.usesStrict ? "strict" : "_strict", type: "boolean" },
      { name: reportFn.usesLocal ? "local" : "_local", type: "boolean" },
    ],
    returnType: "void",
    statements: reportStatements,
  };

  const isDecl: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: `is${name}`,
    isExported: true,
    docs: [`Whether \`value\` is a {@link ${typeName}}${decl.nullable ? " or `null`" : ""}. Allocates nothing; unknown properties are allowed.`],
    parameters: [{ name: "value", type: "unknown" }],
    returnType: `value is ${type}`,
    statements: [`return check${name}(value, false, false);`],
  };
  const validateDecl: FunctionDeclarationStructure = {
    kind: StructureKind.Function,
    name: `validate${name}`,
    isExported: true,
    docs: [
      `Checks \`value\` against {@link ${typeName}}${decl.nullable ? " (or `null`)" : ""} and lists every issue, each at a JSON pointer into the value.\n` +
        "With `strict`, properties the schema does not declare are issues too.",
    ],
    parameters: [
      { name: "value", type: "unknown" },
      { name: "options", type: "ValidateOptions", hasQuestionToken: true },
    ],
    returnType: `ValidationResult<${type}>`,
    statements: [
      `const strict = options?.strict === true;`,
      `if (check${name}(value, strict, strict)) return { ok: true, value: value as ${type} };`,
      `const errors: ValidationIssue[] = [];`,
      `report${name}(value, "", errors, strict, strict);`,
      // The report mirrors check.ts; were it ever to find nothing after a failed check, it decides.
      `return errors.length === 0 ? { ok: true, value: value as ${type} } : { ok: false, errors };`,
    ],
  };
  return [isDecl, validateDecl, check, ...(mod.hoistedFunctions.get(name) ?? []), reportDecl];
}

export function emitValidators(ir: IrDocument): EmittedFile {
  const mod = new Module(ir);
  const functions = ir.declarations.flatMap((d) => declarationFunctions(d, mod));

  const imports: ImportDeclarationStructure[] = [];
  if (ir.declarations.length > 0) {
    imports.push({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: "./types",
      namedImports: ir.declarations.map((d) => {
        const alias = mod.typeNames.get(d.name);
        return alias && alias !== d.name ? { name: d.name, alias } : { name: d.name };
      }),
    });
    imports.push({
      kind: StructureKind.ImportDeclaration,
      isTypeOnly: true,
      moduleSpecifier: "./runtime",
      namedImports: [{ name: "ValidationIssue" }, { name: "ValidationResult" }],
    });
  }
  const options: TypeAliasDeclarationStructure = {
    kind: StructureKind.TypeAlias,
    name: "ValidateOptions",
    isExported: true,
    docs: ["Options of every `validateX` function."],
    type: "{\n/** Report properties the schema does not declare (default false). */\nstrict?: boolean;\n}",
  };
  const helpers = (Object.keys(HELPERS) as (keyof typeof HELPERS)[]).filter((h) => mod.helpers.has(h)).map((h) => HELPERS[h]);

  const header = `Runtime validators for ${ir.title}${ir.apiVersion ? ` ${ir.apiVersion}` : ""}, generated by openapi-morph from the same IR as the types. Do not edit by hand: regenerate.`;
  return printFile("validators.ts", header, [...imports, options, ...helpers, ...mod.constants, ...functions]);
}
