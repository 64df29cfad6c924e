import { Project, type StatementStructures, type WriterFunction } from "ts-morph";
import { escapeJsDoc } from "./escape";

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  text: string;
  /** Already in prettier's format (a template checked by a test): formatting it again is wasted work. */
  preformatted?: boolean;
}

/**
 * One in-memory source file per output file, created once with all its statements: each `addX`
 * call would re-parse the file, which is quadratic for a large spec.
 */
export function printFile(path: string, header: string, statements: (string | StatementStructures)[]): EmittedFile {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  // A blank line after each hand-written statement, as between structures, keeps the output readable.
  const spaced = [`/* ${escapeJsDoc(header)} */`, ...statements].map((s): StatementStructures | WriterFunction | string =>
    typeof s === "string" ? (writer) => writer.write(s).blankLineIfLastNot() : s,
  );
  const file = project.createSourceFile(path, { statements: spaced });
  return { path, text: file.getFullText() };
}
