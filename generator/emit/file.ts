/**
 * An emitted file and the statements it is made of. No runtime imports: the formatter's worker
 * threads load this too (through pipeline/format), and must not load ts-morph.
 */

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  text: string;
  /** Already in prettier's format (a template checked by a test): formatting it again is wasted work. */
  preformatted?: boolean;
  /**
   * The top-level statements `text` is made of, in order, each after its gap. The formatter works
   * statement by statement, and only hands prettier those it cannot prove already formatted.
   */
  statements?: PrintedStatement[];
}

export interface PrintedStatement {
  text: string;
  /**
   * Printed in a layout prettier would change even where every line fits (ts-morph gives the lines
   * of a multi-line type literal a hanging indent, which prettier does not use).
   */
  reformat: boolean;
  /** What separates it from the statement before: one newline, or two (a blank line). */
  gap: "" | "\n" | "\n\n";
}

/** The file's text: each statement after its gap (imports stay together, a blank line parts the rest). */
export function joinStatements(statements: PrintedStatement[]): string {
  return `${statements.map((s) => s.gap + s.text).join("")}\n`;
}
