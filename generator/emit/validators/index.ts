import { StructureKind, type ImportDeclarationStructure } from "ts-morph";
import type { IrDeclaration, IrDocument } from "../../ir/types";
import { indent, layoutLongLines } from "../layout";
import type { ImportExtension } from "../../define-config";
import type { EmittedFile } from "../file";
import { NOCHECK, printFile, siblingModule } from "../print";
import { unknownKeysOf } from "../docs";
import { bodyOf } from "./bodies";
import { Fn, Module, functionText, takesLevel } from "./context";
import { HELPERS, PRELUDE, type Helper } from "./helpers";

export { HELPERS } from "./helpers";

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
 * - `l` says whether this level checks unknown properties (always where `additionalProperties:
 *   false` rejects them, else in strict mode, `c.s`); it defaults to `true`, which is what every
 *   property value and array item gets. An intersection member or an `extends` base is checked
 *   with `false`, since the whole object is checked against all the properties at once, while
 *   union members inherit the level of the union.
 *
 * Small checks are calls to short helpers (`str`, `lit`, `one`…). Bigger inline shapes (arrays,
 * inline objects, unions, constrained primitives) get a function of their own, named after a hash
 * of its code: the same shape used in many declarations is emitted once, and a spec edit renames
 * nothing elsewhere, which keeps diffs and the format cache local.
 *
 * The emitters are two tables keyed by IR kind: value-tests.ts (an expression for one value) and
 * bodies.ts (the statements of a function for one schema); context.ts holds the per-run state and
 * helpers.ts the code the generated file defines.
 */

function declarationStatements(decl: IrDeclaration, mod: Module): string[] {
  const name = decl.name;
  // Qualified, so a schema named like a global the code uses (`JSON`, `Set`) shadows nothing.
  const typeName = `T.${name}`;
  const type = decl.nullable ? `${typeName} | null` : typeName;
  const fn = new Fn(mod, `v${name}`);
  const body = [...(decl.nullable ? ["if (v === null) return false;"] : []), ...bodyOf(decl.schema, fn)];
  const orNull = decl.nullable ? " or `null`" : "";
  const unknownKeys = UNKNOWN_KEYS_NOTE[unknownKeysOf(decl.schema) ?? "none"];
  const exports = [
    ...comment(`Whether \`value\` is a {@link ${typeName}}${orNull}.`, unknownKeys.is),
    `export const is${name} = guard<${type}>(v${name});`,
    ...comment(`Every issue of \`value\` as a {@link ${typeName}}${orNull}.`, unknownKeys.validate),
    `export const validate${name} = validator<${type}>(v${name});`,
  ].join("\n");
  const statements = [exports, functionText(`v${name}`, mod.recursive.has(name) ? guardedRecursion(`v${name}`, body, mod) : body, takesLevel(mod, decl.schema)), ...mod.pending];
  mod.pending = [];
  return statements;
}

/** What `isX` and `validateX` do with unknown keys, when the spec says `additionalProperties: false`. */
const UNKNOWN_KEYS_NOTE = {
  reject: { is: "Unknown properties fail it (`additionalProperties: false`).", validate: "Unknown properties are issues (`additionalProperties: false`)." },
  strict: {
    is: "Unknown properties pass: `additionalProperties: false`, but only ever answered.",
    validate: "Unknown properties pass unless `{ strict: true }`: `additionalProperties: false`, but only ever answered.",
  },
  none: { is: "", validate: "" },
};

/** A JSDoc comment: one line, or two when there is a note. */
function comment(text: string, note: string): string[] {
  return note ? ["/**", ` * ${text}`, ` * ${note}`, " */"] : [`/** ${text} */`];
}

/** The body of a recursive declaration, between a depth and cycle check and the step back out. */
function guardedRecursion(self: string, body: string[], mod: Module): string[] {
  mod.use("enter");
  return [`const entered = enter(v, c, k, ${self});`, "if (entered !== 0) return entered === 1;", "try {", indent(body.join("\n")), "} finally {", "  leave();", "}"];
}

export function emitValidators(ir: IrDocument, importExtension?: ImportExtension): EmittedFile {
  const mod = new Module(ir, bodyOf);
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
    "  /**",
    "   * Report properties the schema does not declare (default false: then only schemas that say",
    "   * `additionalProperties: false` and are sent, not only answered, do; each one's JSDoc says).",
    "   */",
    "  strict?: boolean;",
    "  /**",
    "   * A value that matches several members of a `oneOf` is an issue, as JSON Schema has it (default",
    "   * false: it passes, as the TypeScript union accepts it; see the README's semantics table).",
    "   */",
    "  exactOneOf?: boolean;",
    "  /** The most issues listed (default 100); the rest are counted in the result's `omitted`. */",
    "  maxIssues?: number;",
    "  /** The deepest nesting followed through recursive schemas (default 512); deeper is an issue. */",
    "  maxDepth?: number;",
    "  /**",
    "   * Skip `pattern` checks. The spec's patterns run on JavaScript's backtracking regex engine,",
    "   * where some (`^(a+)+$`) take exponential time on a crafted string: skip them when checking",
    "   * untrusted input against a spec you have not reviewed (`generate` warns about such patterns).",
    "   */",
    "  skipPatterns?: boolean;",
    "};",
  ].join("\n");
  const helpers = (Object.keys(HELPERS) as Helper[]).filter((h) => mod.helpers.has(h)).map((h) => HELPERS[h].code);
  const prelude = ir.declarations.length > 0 ? [PRELUDE] : [];
  const nocheck = ir.declarations.length > 0 ? [NOCHECK] : [];

  const header = `Runtime validators for ${ir.title}${ir.apiVersion ? ` ${ir.apiVersion}` : ""}, generated by openapi-morph from the same IR as the types. Do not edit by hand: regenerate.`;
  // Laid out once names are final: a shared function's name replaces a one-character placeholder.
  return printFile("validators.ts", header, [...nocheck, ...imports, options, ...prelude, ...helpers, ...declarations.map(layoutLongLines)]);
}
