import { printStructure, StructureKind, type StatementStructures } from "ts-morph";
import { escapeJsDoc } from "./escape";
import { layoutTypeLines } from "./layout";
import type { ImportExtension } from "../define-config";
import { joinStatements, type EmittedFile, type PrintedStatement } from "./file";

/**
 * How one generated file names another: `./types`, `./types.js` or `./types.ts`, as the consumer's
 * module resolution wants it (ESM under `nodenext` needs the extension; CommonJS does not).
 */
export function siblingModule(name: string, extension: ImportExtension | undefined): string {
  return `./${name}${extension === undefined || extension === "none" ? "" : extension}`;
}

/**
 * First line of the generated files with code bodies (client, validators, runtime). Their exports
 * keep their declared types; only the bodies go unchecked in a user's build. openapi-morph's
 * tests type-check these files with the line removed, under the strictest flags, so a user's
 * build need not spend seconds on them again: on a large spec they would cost more than the types.
 */
export const NOCHECK = "// @ts-nocheck: generated code, type-checked by openapi-morph's tests; skipping it saves builds seconds.";

/** What prettier is told, and what the emitters print to: 2-space indentation. */
const PRINT_OPTIONS = { indentNumberOfSpaces: 2, useSingleQuote: false } as const;

/** A statement the emitter printed in a layout of its own, which prettier must redo. */
export interface Reformat {
  reformat: string | StatementStructures;
}

/**
 * What ts-morph printed, as prettier would have it: without trailing spaces (the printer writes
 * `name: ` before a type that starts on the next line), an interface without members on one line,
 * and its long type lines laid out.
 */
function tidy(printed: string): string {
  return layoutTypeLines(printed.replace(/ +$/gm, "").replace(/\{\n *\}/g, "{}"));
}

/**
 * Stands for a multi-line type in a structure until `printWithTypes` puts the type in its place.
 * U+0001 cannot come from a spec: names are identifiers, strings are escaped, and docs drop
 * control characters, so no placeholder can be forged.
 */
export function typePlaceholder(index: number): string {
  return `\u0001${index}\u0001`;
}

/**
 * Prints a structure whose multi-line types are placeholders, then puts each type in its place,
 * its later lines indented like the line it starts on: ts-morph itself would give them a
 * hanging indent, which prettier takes away again.
 */
export function printWithTypes(structure: StatementStructures, types: string[]): string {
  const place = (_m: string, ind: string, before: string, i: string): string => {
    const type = types[Number(i)];
    // A type that starts on the next line (a broken union) leaves `=` or `:` at the line's end.
    return ind + (type.startsWith("\n") ? before.trimEnd() : before) + type.replace(/\n(?=.)/g, `\n${ind}`);
  };
  return tidy(printStructure(structure, PRINT_OPTIONS).replace(/^( *)(.*?)\u0001(\d+)\u0001/gm, place));
}

/** Between two structures printed in one call; U+0002 cannot come from a spec (see typePlaceholder). */
const SEPARATOR = "//\u0002";

/**
 * Every structure of a file printed in one call of ts-morph's structure printer, as the statements
 * of a source-file structure (no source file is built: that would parse the whole output again
 * only to read its text back), split again at separators: a printer per statement would cost as
 * much as the printing itself.
 */
function printAll(structures: StatementStructures[]): string[] {
  if (structures.length === 0) return [];
  const statements = structures.flatMap((s, i) => (i === 0 ? [s] : [SEPARATOR, s]));
  const text = printStructure({ kind: StructureKind.SourceFile, statements }, PRINT_OPTIONS);
  return text.split(SEPARATOR).map((t) => tidy(t.replace(/^\n+/, "").trimEnd()));
}

/** Prints each structure with ts-morph's structure printer; hand-written statements are used as they are. */
export function printFile(path: string, header: string, statements: (string | StatementStructures | Reformat)[]): EmittedFile {
  const unwrapped = statements.map((s) => (typeof s === "object" && "reformat" in s ? s.reformat : s));
  const structures = printAll(unwrapped.filter((s): s is StatementStructures => typeof s !== "string"));
  let next = 0;
  const printed: PrintedStatement[] = [{ text: `/* ${escapeJsDoc(header)} */`, reformat: false, gap: "" }];
  statements.forEach((s, i) => {
    const reformat = typeof s === "object" && "reformat" in s;
    const statement = unwrapped[i];
    const text = (typeof statement === "string" ? statement : structures[next++]).trimEnd();
    const imports = text.startsWith("import ") && printed[printed.length - 1].text.startsWith("import ");
    printed.push({ text, reformat, gap: imports ? "\n" : "\n\n" });
  });
  return { path, text: joinStatements(printed), statements: printed };
}
