/**
 * The code the generated validators.ts defines, kept here as strings: helpers (each with the
 * helpers it calls), written in prettier's format (test/format.test.ts holds each one to it), and
 * the prelude every file with a declaration starts with.
 */


export type Helper = keyof typeof HELPERS;

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
  return k === undefined ? c : { s: c.s, x: c.x, e: c.e, p: c.p + "/" + seg(k) };
}`,
  },
  issue: {
    deps: ["seg"],
    code: `/**
 * Records an issue at \`k\`; true (give up) when no issues are being collected. Past
 * \`maxIssues\` an issue is only counted: a million bad items must not make a million issues.
 */
function issue(c: Ctx, k: Key | undefined, message: string, expected?: string): boolean {
  if (c.e === undefined) return true;
  if (c.e.length >= run.maxIssues) {
    c.e.n = (c.e.n ?? 0) + 1;
    return false;
  }
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
  equal: {
    deps: ["hasOwn"],
    code: `/** Equal as JSON Schema compares values: keys in any order, items in the same order. */
function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) if (!hasOwn.call(y, key) || !equal(x[key], y[key])) return false;
  return true;
}`,
  },
  same: {
    deps: ["equal", "skip", "wrong"],
    code: `/** \`lit\` for an object or array value. */
function same(x: unknown, value: unknown, c: Ctx, k?: Key, f = 0): boolean {
  if (equal(x, value) || skip(x, f)) return false;
  return c.e === undefined || wrong(x, c, k, f, JSON.stringify(value));
}`,
  },
  among: {
    deps: ["equal", "skip", "wrong"],
    code: `/** \`one\` for an enum with object or array values: scalars in \`values\`, the rest in \`others\`. */
function among(
  x: unknown,
  values: ReadonlySet<unknown>,
  others: readonly unknown[],
  allowed: string,
  c: Ctx,
  k?: Key,
  f = 0,
): boolean {
  if (values.has(x) || skip(x, f)) return false;
  for (const value of others) if (equal(x, value)) return false;
  return c.e === undefined || wrong(x, c, k, f, allowed, "one of " + allowed);
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
    code: `/** Runs a spec's regular expression: see \`skipPatterns\` for the risk on untrusted input. */
function pat(x: string, re: RegExp, source: string, c: Ctx, k?: Key): boolean {
  return (
    run.patterns &&
    !re.test(x) &&
    (c.e === undefined || issue(c, k, "must match the pattern " + source))
  );
}`,
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
  together: {
    deps: ["hasOwn", "issue"],
    code: `/** \`not: { required }\`: true (give up) or the issue when the object has every one of the keys. */
function together(o: Record<string, unknown>, keys: ReadonlySet<string>, c: Ctx): boolean {
  for (const key of keys) if (o[key] === undefined || !hasOwn.call(o, key)) return false;
  if (c.e === undefined) return true;
  const names = [...keys].map((key) => JSON.stringify(key));
  const last = names.pop();
  if (names.length === 0) return issue(c, undefined, "must not have " + last);
  return issue(c, undefined, "must not have " + names.join(", ") + " and " + last + " together");
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
  if (c.x) return { s: c.s, x: true, e: undefined, p: "" };
  return c.s ? STRICT : LOOSE;
}`,
  },
  attempt: {
    deps: [],
    code: `/** A union member's own issue list, to find the closest member. */
function attempt(c: Ctx): Ctx {
  return { s: c.s, x: c.x, e: [], p: c.p };
}`,
  },
  fewest: {
    deps: [],
    code: `/** The issues of the attempt with the fewest (the first on a tie), as check.ts reports a discriminated union. */
function fewest(c: Ctx, attempts: Ctx[]): boolean {
  let best: Issues | undefined;
  for (const { e = [] } of attempts) if (best === undefined || e.length < best.length) best = e;
  if (c.e !== undefined && best !== undefined) {
    const room = Math.max(0, run.maxIssues - c.e.length);
    c.e.push(...best.slice(0, room));
    const rest = Math.max(0, best.length - room) + (best.n ?? 0);
    if (rest > 0) c.e.n = (c.e.n ?? 0) + rest;
  }
  return false;
}`,
  },
  notOne: {
    deps: [],
    code: `/** For an exact \`oneOf\`: true (give up) unless exactly one of the members' failure tests is false. */
function notOne(...fails: boolean[]): boolean {
  let passed = 0;
  for (const failed of fails) if (!failed) passed++;
  return passed !== 1;
}`,
  },
  onlyOne: {
    deps: ["issue"],
    // The message is check.ts's overlap().
    code: `/** A \`oneOf\` value that matches several members: that issue (false); undefined for one or none. */
function onlyOne(c: Ctx, k: Key | undefined, attempts: Ctx[]): boolean | undefined {
  let n = 0;
  for (const { e = [] } of attempts) if (e.length === 0) n++;
  if (n < 2) return undefined;
  const of = n + " of the " + attempts.length + " allowed shapes";
  return issue(c, k, "matches " + of + "; oneOf allows exactly one");
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
    let score = e.length + (e.n ?? 0);
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
  enter: {
    deps: ["issue"],
    code: `/**
 * Steps into a schema that can recur on nested data. Refuses a value that contains itself (the
 * same schema already checks it further up: a cycle would recur for ever) and nesting past
 * \`maxDepth\` values (it would overflow the stack). A union member or base checking the same
 * value again is no level deeper. 0: go on (the caller ends with \`leave\`); 1: give up; 2:
 * reported, go no deeper.
 */
function enter(x: unknown, c: Ctx, k: Key | undefined, schema: unknown): number {
  const d = run.d;
  if (typeof x === "object" && x !== null) {
    for (let i = 0; i < d; i++) {
      if (run.values[i] === x && run.schemas[i] === schema) {
        return issue(c, k, "the value contains itself (a cycle)") ? 1 : 2;
      }
    }
  }
  const deeper = d === 0 || run.values[d - 1] !== x;
  if (deeper && run.levels >= run.maxDepth) {
    return issue(c, k, "nested deeper than " + run.maxDepth + " levels (maxDepth)") ? 1 : 2;
  }
  if (deeper) run.levels++;
  run.values[d] = x;
  run.schemas[d] = schema;
  run.d = d + 1;
  return 0;
}

function leave(): void {
  const d = --run.d;
  if (d === 0 || run.values[d] !== run.values[d - 1]) run.levels--;
  run.values[d] = undefined;
  run.schemas[d] = undefined;
}`,
  },
} satisfies Record<string, { deps: string[]; code: string }>;

/** Always present when there is a declaration: the context and the two public wrappers. */
export const PRELUDE = `/**
 * What a check needs besides the value: strict mode (\`s\`), exact \`oneOf\` (\`x\`) and, only
 * when issues are collected, the list (\`e\`) and the JSON pointer of the current value (\`p\`).
 * Every check returns true to give up, which it does on the first failure when nothing is
 * collected.
 */
interface Ctx {
  s: boolean;
  x: boolean;
  e: Issues | undefined;
  p: string;
}

/** An issue list; \`n\` counts the issues past \`maxIssues\` that were not listed. */
type Issues = ValidationIssue[] & { n?: number };

/** The limits of the call in progress, and the values being checked in recursive schemas. */
interface Run {
  maxIssues: number;
  maxDepth: number;
  patterns: boolean;
  /** The recursive checks in progress: each one's value and schema, and how many nested values deep. */
  d: number;
  values: unknown[];
  schemas: unknown[];
  levels: number;
}

const MAX_ISSUES = 100;

const MAX_DEPTH = 512;

let run: Run = limits(undefined);

/** The limits of a call without options, reused while no check holds them (see \`limitsOf\`). */
const usual: Run = limits(undefined);

/** How many checks are in progress: more than one when a getter of a value validates too. */
let checking = 0;

type Key = string | number;

const LOOSE: Ctx = { s: false, x: false, e: undefined, p: "" };

const STRICT: Ctx = { s: true, x: false, e: undefined, p: "" };

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

/** A deep copy of own enumerable properties on objects without a prototype; a cycle stays a cycle. */
function bare(v: unknown, copies = new Map<object, unknown>()): unknown {
  if (typeof v !== "object" || v === null) return v;
  const known = copies.get(v);
  if (known !== undefined) return known;
  if (Array.isArray(v)) {
    const list: unknown[] = [];
    copies.set(v, list);
    for (const item of v) list.push(bare(item, copies));
    return list;
  }
  const copy: Record<string, unknown> = Object.create(null);
  copies.set(v, copy);
  for (const key of Object.keys(v)) copy[key] = bare((v as Record<string, unknown>)[key], copies);
  return copy;
}

/**
 * Runs \`check\` under the given limits, restoring the outer ones after (a getter of the value may
 * call a validator). Throws only what reading the value threw (a hostile getter or proxy, or a
 * stack overflow in \`bare\`); the callers turn that into a result.
 */
function limited(limits: Run, check: (v: unknown, c: Ctx) => boolean, v: unknown, c: Ctx): boolean {
  const outer = run;
  run = limits;
  checking++;
  try {
    return check(v, c);
  } finally {
    checking--;
    run = outer;
  }
}

/**
 * The limits for one check. Most calls pass no limits: they share \`usual\` rather than allocate
 * (a validator runs in well under a microsecond), unless a check is in progress, which may hold
 * it (a getter of the value validating too, at any depth). Entries a thrown check left past \`d\`
 * are never read.
 */
function limitsOf(options: ValidateOptions | undefined): Run {
  const none =
    options === undefined ||
    (options.maxIssues === undefined &&
      options.maxDepth === undefined &&
      options.skipPatterns === undefined);
  if (!none || checking > 0) return limits(options);
  usual.d = 0;
  usual.levels = 0;
  return usual;
}

function limits(options: ValidateOptions | undefined): Run {
  return {
    maxIssues: options?.maxIssues ?? MAX_ISSUES,
    maxDepth: options?.maxDepth ?? MAX_DEPTH,
    patterns: options?.skipPatterns !== true,
    d: 0,
    values: [],
    schemas: [],
    levels: 0,
  };
}

/** \`isX\`: unknown properties are allowed; false for a value that cannot even be read. */
function guard<V>(check: (v: unknown, c: Ctx) => boolean): (value: unknown) => value is V {
  return (value): value is V => {
    try {
      return !limited(limitsOf(undefined), check, polluted() ? bare(value) : value, LOOSE);
    } catch {
      return false;
    }
  };
}

/**
 * \`validateX\`: every issue (up to \`maxIssues\`; \`omitted\` counts the rest), each at a JSON
 * pointer into the value; with \`strict\`, unknown properties too. Never throws.
 */
function validator<V>(
  check: (v: unknown, c: Ctx) => boolean,
): (value: unknown, options?: ValidateOptions) => ValidationResult<V> {
  return (value, options) => {
    const s = options?.strict === true;
    const x = options?.exactOneOf === true;
    try {
      const v = polluted() ? bare(value) : value;
      const fast = x ? { s, x, e: undefined, p: "" } : s ? STRICT : LOOSE;
      if (!limited(limitsOf(options), check, v, fast)) return { ok: true, value: value as V };
      const errors: Issues = [];
      limited(limitsOf(options), check, v, { s, x, e: errors, p: "" });
      const omitted = errors.n ?? 0;
      delete errors.n;
      // The report mirrors check.ts; were it ever to find nothing after a failed check, it decides.
      if (errors.length === 0) return { ok: true, value: value as V };
      return omitted > 0 ? { ok: false, errors, omitted } : { ok: false, errors };
    } catch (error) {
      const what =
        error instanceof RangeError
          ? "it nests too deeply"
          : "reading it threw " + String(error).slice(0, 100);
      return { ok: false, errors: [{ path: "", message: "the value cannot be checked: " + what }] };
    }
  };
}`;
