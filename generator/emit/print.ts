import { Project, type StatementStructures } from "ts-morph";
import { escapeJsDoc } from "./escape";

export interface EmittedFile {
  /** Relative to the output directory, `/`-separated. */
  path: string;
  text: string;
}

/**
 * One in-memory source file per output file, created once with all its statements: each `addX`
 * call would re-parse the file, which is quadratic for a large spec.
 */
export function printFile(path: string, header: string, statements: (string | StatementStructures)[]): EmittedFile {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const file = project.createSourceFile(path, { statements: [`/* ${escapeJsDoc(header)} */`, ...statements] });
  return { path, text: file.getFullText() };
}
