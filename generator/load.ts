import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { GeneratorError, unescapePointerSegment } from "./errors";

/** A parsed file, with a way back from a JSON pointer to a line and column. */
export interface LoadedFile {
  /** The path as the user should read it in messages: relative to the working directory. */
  displayPath: string;
  absPath: string;
  root: unknown;
  locate(pointer: string): { line: number; column: number } | undefined;
}

export function displayPathOf(absPath: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, absPath);
  return (rel && !rel.startsWith("..") ? rel : absPath).split(path.sep).join("/");
}

/** Reads and parses one YAML or JSON file. JSON text skips the YAML parser: it is several times faster. */
export function loadFile(absPath: string, displayPath = displayPathOf(absPath)): LoadedFile {
  let text: string;
  try {
    text = readFileSync(absPath, "utf8");
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (e as Error).message;
    throw new GeneratorError("E_READ", `cannot read the spec: ${reason}`, { file: displayPath });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      const root: unknown = JSON.parse(text);
      return { displayPath, absPath, root, locate: () => undefined };
    } catch {
      // Not strict JSON (comments, trailing commas): YAML is a superset, let it report.
    }
  }
  // js-yaml builds plain data several times faster than `yaml` (0.2 s against 1.4 s for the full
  // OpenAI spec). `yaml` keeps source positions, so it parses again, lazily, only to explain an
  // error: invalid YAML, or a pointer that needs a line and column.
  let root: unknown;
  try {
    root = loadYaml(text, { schema: CORE_SCHEMA, filename: displayPath });
  } catch {
    throwYamlError(text, displayPath);
  }
  let located: { doc: Document; lineCounter: LineCounter } | undefined;
  return {
    displayPath,
    absPath,
    root,
    locate: (pointer) => {
      located ??= parseWithPositions(text);
      return locateInDocument(located.doc, located.lineCounter, pointer);
    },
  };
}

function parseWithPositions(text: string): { doc: Document; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: "core" });
  return { doc, lineCounter };
}

/** Reports invalid YAML with `yaml`'s message and position, which are clearer than js-yaml's. */
function throwYamlError(text: string, displayPath: string): never {
  const { doc, lineCounter } = parseWithPositions(text);
  const err = doc.errors[0];
  if (!err) throw new GeneratorError("E_YAML", "invalid YAML", { file: displayPath });
  const pos = lineCounter.linePos(err.pos[0]);
  throw new GeneratorError("E_YAML", `invalid YAML: ${err.message.split("\n")[0]}`, {
    file: displayPath,
    line: pos.line,
    column: pos.col,
  });
}

function locateInDocument(
  doc: Document,
  lineCounter: LineCounter,
  pointer: string,
): { line: number; column: number } | undefined {
  const segments = pointer.replace(/^#/, "").split("/").slice(1).map(unescapePointerSegment);
  let node: unknown = doc.contents;
  let lastRange: [number, number, number] | undefined = (node as Node | null)?.range ?? undefined;
  for (const seg of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = p.key as { value?: unknown } | null;
        return k !== null && typeof k === "object" && String(k.value) === seg;
      });
      if (!pair) break;
      const keyRange = (pair.key as Node | null)?.range;
      node = pair.value;
      lastRange = (node as Node | null)?.range ?? keyRange ?? lastRange;
      if (keyRange) lastRange = keyRange;
    } else if (isSeq(node)) {
      node = node.items[Number(seg)];
      lastRange = (node as Node | null)?.range ?? lastRange;
    } else break;
  }
  if (!lastRange) return undefined;
  const pos = lineCounter.linePos(lastRange[0]);
  return { line: pos.line, column: pos.col };
}

export type OpenApiVersion = "3.0" | "3.1";

export interface LoadedSpec {
  file: LoadedFile;
  version: OpenApiVersion;
  root: Record<string, unknown>;
}

/** Parses the entry file and checks it is an OpenAPI 3.0/3.1 document. */
export function loadSpec(specPath: string, cwd = process.cwd()): LoadedSpec {
  const absPath = path.resolve(cwd, specPath);
  const file = loadFile(absPath, displayPathOf(absPath, cwd));
  const at = (pointer: string) => ({ file: file.displayPath, pointer, ...file.locate(pointer) });
  const root = file.root;
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    throw new GeneratorError(
      "E_NOT_OBJECT",
      `the document is ${root === null ? "null" : Array.isArray(root) ? "an array" : `a ${typeof root}`}, not an OpenAPI object`,
      { file: file.displayPath, pointer: "#" },
    );
  }
  const doc = root as Record<string, unknown>;
  if ("swagger" in doc) {
    throw new GeneratorError(
      "E_SWAGGER2",
      `Swagger ${String(doc.swagger)} is not supported; openapi-morph reads OpenAPI 3.0 and 3.1`,
      at("#/swagger"),
      "convert it first, e.g. with swagger2openapi or the Swagger Editor's 'Convert to OpenAPI 3'",
    );
  }
  if (doc.openapi === undefined) {
    throw new GeneratorError("E_MISSING_FIELD", "missing required field `openapi` (e.g. `openapi: 3.1.0`)", {
      file: file.displayPath,
      pointer: "#",
    });
  }
  const match = /^3\.([01])\.\d+/.exec(String(doc.openapi));
  if (!match) {
    throw new GeneratorError(
      "E_VERSION",
      `unsupported OpenAPI version ${JSON.stringify(doc.openapi)}; expected 3.0.x or 3.1.x`,
      at("#/openapi"),
    );
  }
  if (doc.paths === undefined || doc.paths === null || typeof doc.paths !== "object" || Array.isArray(doc.paths)) {
    throw new GeneratorError(
      "E_MISSING_FIELD",
      doc.paths === undefined ? "missing required field `paths`" : "`paths` must be an object",
      doc.paths === undefined ? { file: file.displayPath, pointer: "#" } : at("#/paths"),
      doc.paths === undefined ? "an API with no operations can say `paths: {}`" : undefined,
    );
  }
  return { file, version: match[1] === "0" ? "3.0" : "3.1", root: doc };
}
