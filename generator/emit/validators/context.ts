/**
 * The validators emitter's shared vocabulary: the per-run `Module` (helpers used, shared functions
 * and constants), `Fn` (the function being written), call sites, and how a generated check
 * function is spelled.
 */
import { safeRegExp } from "../../ir/patterns";
import { recursiveDeclarations } from "./recursion";
import type { IrDeclaration, IrDocument, IrSchema, JsonValue, Scalar } from "../../ir/types";
import { codeStringLiteral, jsonLiteral, objectKey, stringLiteral } from "../escape";
import { indent } from "../layout";
import { sha256 } from "../../util/sha256";
import { HELPERS, type Helper } from "./helpers";
import { assertNever } from "../../util/assert-never";


/**
 * Where a test runs: expressions for the value, the context, the key, the flags (none: a plain
 * value) and the level to pass (none: the callee's default).
 */
export interface Site {
  x: string;
  c: string;
  k: string;
  f?: string;
  l?: string;
}

/** Per-run state: the helpers the file needs and the functions and constants shared between declarations. */
export class Module {
  readonly byName: Map<string, IrDeclaration>;
  /** Declarations whose check can recur on nested data: they get the depth and cycle check. */
  readonly recursive: Set<string>;
  readonly helpers = new Set<Helper>();
  /** Statements waiting to be placed after the declaration being emitted. */
  pending: string[] = [];
  /** Generated name → the code it names, to detect hash collisions. */
  private readonly named = new Map<string, string>();
  /** Code → its name, so identical shapes share one function or constant. */
  private readonly byCode = new Map<string, string>();
  private readonly levels = new Map<string, boolean>();

  /** `bodyOf` (bodies.ts) is passed in: the bodies call the tests, which call back here. */
  constructor(
    ir: IrDocument,
    private readonly bodyOf: (schema: IrSchema, fn: Fn) => string[],
  ) {
    this.byName = new Map(ir.declarations.map((d) => [d.name, d]));
    this.recursive = recursiveDeclarations(ir);
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
    const hash = sha256(code);
    let length = 8;
    let name = `${prefix}${hash.slice(0, length)}`;
    while (this.named.has(name)) name = `${prefix}${hash.slice(0, ++length)}`;
    this.named.set(name, code);
    this.byCode.set(code, name);
    this.pending.push(code.split(SELF).join(name));
    return name;
  }

  /** A shared function checking `schema`. */
  sharedCheck(schema: IrSchema): string {
    const fn = new Fn(this, SELF);
    const body = this.bodyOf(schema, fn);
    return this.share("h", functionText(SELF, body, takesLevel(this, schema)));
  }

  /** Membership is one `Set` lookup; the message lists the values from the set itself. */
  enumSet(values: Scalar[]): string {
    // Typed `unknown` so `has` takes any value.
    return this.share("e", `const ${SELF} = new Set<unknown>([${values.map(jsonLiteral).join(", ")}]);`);
  }

  /**
   * An object or array value (`list`: the values of an enum), built once rather than at each
   * check. Typed, so that TypeScript neither infers a large literal's type nor rejects `[]`.
   */
  constant(value: JsonValue, list = false): string {
    return this.share("j", `const ${SELF}: unknown${list ? "[]" : ""} = ${jsonExpression(value)};`);
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

export const SELF = "\u0001";

/** One generated function: its own name, for a union to call itself. */
export class Fn {
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
export function takesLevel(mod: Module, schema: IrSchema): boolean {
  switch (schema.kind) {
    case "object":
    case "intersection":
    case "union":
      return true;
    case "ref":
      return mod.declarationTakesLevel(schema.name);
    case "nullable":
      return takesLevel(mod, schema.inner);
    case "enum":
    case "literal":
    case "array":
    case "map":
    case "primitive":
    case "unknown":
      return false;
    default:
      return assertNever(schema);
  }
}

export function num(n: number): string {
  if (Number.isNaN(n)) return "Number.NaN";
  if (n === Infinity) return "Number.POSITIVE_INFINITY";
  if (n === -Infinity) return "Number.NEGATIVE_INFINITY";
  // Prettier writes an exponent without its plus sign.
  return String(n).replace("e+", "e");
}

/**
 * A JSON value as an expression, spelled as prettier prints it (keys unquoted where they can be,
 * strings in prettier's quotes, on one line unless prettier must break it; a line that ends up too
 * long is left to prettier). `__proto__` is a computed key: a plain one sets the prototype.
 */
function jsonExpression(value: JsonValue): string {
  if (typeof value === "string") return codeStringLiteral(value);
  if (value === null || typeof value !== "object") return jsonLiteral(value);
  const array = Array.isArray(value);
  const items = array ? value.map(jsonExpression) : Object.entries(value).map(([k, v]) => `${objectKey(k)}: ${jsonExpression(v)}`);
  if (items.length === 0) return array ? "[]" : "{}";
  // A broken item breaks every bracket around it.
  if (items.some((i) => i.includes("\n")) || (array && alwaysBroken(value))) {
    return `${array ? "[" : "{"}\n${indent(items.map((i) => `${i},`).join("\n"))}\n${array ? "]" : "}"}`;
  }
  return array ? `[${items.join(", ")}]` : `{ ${items.join(", ")} }`;
}

/** Prettier's rule: an array of several objects, or of several arrays, each of several entries, has one per line. */
function alwaysBroken(items: JsonValue[]): boolean {
  const kind = (v: JsonValue): string => (Array.isArray(v) ? "array" : v !== null && typeof v === "object" ? "object" : "scalar");
  const entries = (v: JsonValue): number => (v !== null && typeof v === "object" ? Object.keys(v).length : 0);
  return items.length > 1 && items.every((v, i) => kind(v) !== "scalar" && entries(v) > 1 && (i + 1 === items.length || kind(items[i + 1]) === kind(v)));
}


/** `"a" | "b"`, as check.ts lists allowed values. */
export function allowedList(values: JsonValue[]): string {
  return values.map((v) => JSON.stringify(v)).join(" | ");
}

/** A call to a generated function; a level is passed only to a function that takes one. */
export function call(fn: string, takes: boolean, at: Site): string {
  const level = takes && at.l !== undefined;
  const flags = at.f !== undefined ? `, ${at.f}` : level ? ", 0" : "";
  return `${fn}(${at.x}, ${at.c}, ${at.k}${flags}${level ? `, ${at.l}` : ""})`;
}

/** A helper call: value, context, key and the site's flags. */
export function helperCall(helper: string, at: Site, ...args: string[]): string {
  const rest = args.length > 0 ? `, ${args.join(", ")}` : "";
  return `${helper}(${at.x}${rest}, ${at.c}, ${at.k}${at.f !== undefined ? `, ${at.f}` : ""})`;
}

/** The flags with null allowed too. */
export function withNull(f: string | undefined, mod: Module): string {
  mod.use("flags");
  if (f === undefined) return "NUL";
  return f.includes("NUL") ? f : `${f} | NUL`;
}

/** Parameters named by use, so `noUnusedParameters` holds. */
export function functionText(name: string, body: string[], level: boolean): string {
  const code = body.join("\n").replace(/"(?:[^"\\]|\\.)*"/g, '""').replace(/\/\/.*$/gm, "");
  const uses = (id: string): boolean => new RegExp(`\\b${id}\\b`).test(code);
  const l = uses("l");
  const params = [`${uses("v") ? "v" : "_v"}: unknown`, `${uses("c") || l ? "c" : "_c"}: Ctx`, `${uses("k") ? "k" : "_k"}?: Key`];
  params.push(uses("f") ? "f = 0" : "_f?: number");
  if (level) params.push(l ? "l = true" : "_l?: boolean");
  return `function ${name}(${params.join(", ")}): boolean {\n${indent(body.join("\n"))}\n}`;
}
