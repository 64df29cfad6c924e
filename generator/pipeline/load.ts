import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from "node:fs";
import * as path from "node:path";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { GeneratorError, joinPointer, unescapePointerSegment } from "../errors";
import { isRemote, sourceKey, STDIN, STDIN_NAME, type SpecSources } from "./sources";

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

/** What a run may read: the most bytes of one file (the default is MAX_FILE_SIZE). */
export interface ReadLimits {
  maxFileSize?: number;
}

/** A spec file larger than this is refused (64 MB; the full OpenAI spec is about 2 MB). */
export const MAX_FILE_SIZE = 64 * 1024 * 1024;

const KINDS: [keyof Stats, string][] = [
  ["isDirectory", "a directory"],
  ["isCharacterDevice", "a character device"],
  ["isBlockDevice", "a block device"],
  ["isFIFO", "a FIFO"],
  ["isSocket", "a socket"],
];

/**
 * The text of a regular file of at most `maxFileSize` bytes. The file is opened without blocking
 * and checked through its descriptor before a byte is read, so `/dev/zero`, a FIFO or a terminal
 * (`/dev/stdin`) are refused at once instead of growing without end or hanging, and a file swapped
 * between the check and the read cannot slip through.
 */
export function readSpecText(absPath: string, displayPath: string, limits: ReadLimits = {}): string {
  const max = limits.maxFileSize ?? MAX_FILE_SIZE;
  const refuse = (reason: string, hint?: string): never => {
    throw new GeneratorError("E_READ", `cannot read the spec: ${reason}`, { file: displayPath }, hint);
  };
  let fd: number;
  try {
    fd = openSync(absPath, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return refuse((e as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : errnoReason(e));
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      const kind = KINDS.find(([test]) => (stat[test] as () => boolean).call(stat));
      return refuse(`not a regular file (${kind ? kind[1] : "a special file"})`, "a spec and every file it $refs must be regular files");
    }
    if (stat.size > max) return refuse(`the file is ${stat.size} bytes, more than the limit of ${max}`, "raise the limit with --max-file-size <bytes> if the file is really a spec");
    // Read at most one byte past the limit: a file that grows after fstat is still caught.
    const buffer = Buffer.alloc(Math.min(max + 1, stat.size + 1));
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > max) return refuse(`the file is more than the limit of ${max} bytes`, "raise the limit with --max-file-size <bytes> if the file is really a spec");
    return buffer.toString("utf8", 0, length);
  } catch (e) {
    if (e instanceof GeneratorError) throw e;
    return refuse(errnoReason(e));
  } finally {
    closeSync(fd);
  }
}

/** A system error without the path it quotes (the caller names the file its own way). */
function errnoReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === "EACCES" || err.code === "EPERM") return "permission denied";
  if (err.code === "EISDIR") return "not a regular file (a directory)";
  return err.code ?? "read failed";
}

/**
 * Reads and parses one YAML or JSON file (or the `given` text: a fetched document, stdin). JSON
 * text skips the YAML parser: it is several times faster.
 */
export function loadFile(absPath: string, displayPath = displayPathOf(absPath), given?: string, limits: ReadLimits = {}): LoadedFile {
  let text = given ?? readSpecText(absPath, displayPath, limits);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let root: unknown;
    let parsed = false;
    try {
      root = JSON.parse(text);
      parsed = true;
    } catch {
      // Not strict JSON (comments, trailing commas): YAML is a superset, let it report.
    }
    if (parsed) return checkStructure({ displayPath, absPath, root, locate: () => undefined });
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
  return checkStructure({
    displayPath,
    absPath,
    root,
    locate: (pointer) => {
      located ??= parseWithPositions(text);
      return locateInDocument(located.doc, located.lineCounter, pointer);
    },
  });
}

/** Nesting deeper than this is refused: real specs stay near 20 levels (the OpenAI spec: 21). */
export const MAX_DEPTH = 256;
/** Alias expansion past this many nodes (and 20 times the parsed ones) is refused. */
export const MAX_EXPANDED_NODES = 1_000_000;

/**
 * Refuses data that would exhaust the later stages, which copy and recurse through it: YAML
 * aliases that repeat anchors into billions of nodes from a 1 KB file, an alias inside its own
 * anchor (js-yaml builds a cyclic object), and nesting deep enough to overflow the stack. One
 * iterative pass; shared (aliased) nodes are measured once.
 */
function checkStructure(file: LoadedFile): LoadedFile {
  if (file.root === null || typeof file.root !== "object") return file;
  interface Frame {
    node: Record<string, unknown>;
    keys: string[];
    next: number;
    size: number;
    height: number;
  }
  const measured = new Map<object, { size: number; height: number }>();
  const open = new Set<object>();
  const stack: Frame[] = [];
  const keys: string[] = [];
  let distinct = 0;
  const fail = (message: string, hint: string, at = keys): never => {
    const pointer = joinPointer("#", ...at);
    throw new GeneratorError("E_LIMIT", message, { file: file.displayPath, pointer, ...file.locate(pointer) }, hint);
  };
  // The full pointer would be hundreds of segments long: the top of the nesting says where to look.
  const tooDeep = () => fail(`nesting deeper than ${MAX_DEPTH} levels below this point`, "recursive schemas need a $ref, not nesting", keys.slice(0, 4));
  const enter = (node: object) => {
    if (stack.length >= MAX_DEPTH) tooDeep();
    open.add(node);
    distinct++;
    stack.push({ node: node as Record<string, unknown>, keys: Object.keys(node), next: 0, size: 1, height: 0 });
  };
  enter(file.root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.keys.length) {
      const key = top.keys[top.next++];
      const child = top.node[key];
      if (child === null || typeof child !== "object") {
        top.size++;
        continue;
      }
      keys.push(key);
      const known = measured.get(child);
      if (known) {
        if (stack.length + known.height >= MAX_DEPTH) tooDeep();
        top.size += known.size;
        top.height = Math.max(top.height, known.height + 1);
        keys.pop();
      } else if (open.has(child)) {
        fail("a YAML alias refers to a node that contains it, which makes the data endless", "use a $ref for a recursive schema");
      } else enter(child);
      continue;
    }
    if (top.size > MAX_EXPANDED_NODES && top.size > 20 * distinct) {
      fail(`YAML aliases expand the document to more than ${MAX_EXPANDED_NODES} nodes`, "each *alias repeats its &anchor in full; share schemas with $ref instead");
    }
    stack.pop();
    open.delete(top.node);
    measured.set(top.node, { size: top.size, height: top.height });
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.size += top.size;
      parent.height = Math.max(parent.height, top.height + 1);
      keys.pop();
    }
  }
  return file;
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
  /** The texts of specs that are not files (a URL and what it `$ref`s, stdin), by URL. */
  sources?: SpecSources;
}

/** Parses the entry file (or URL, or `-`, whose texts `sources` holds) and checks it is an OpenAPI 3.0/3.1 document. */
export function loadSpec(specPath: string, cwd = process.cwd(), sources?: SpecSources, limits: ReadLimits = {}): LoadedSpec {
  const key = sourceKey(isRemote(specPath) ? new URL(specPath).href : specPath, cwd);
  const given = sources?.get(key);
  const absPath = given === undefined ? path.resolve(cwd, specPath) : key;
  const file = loadFile(absPath, given === undefined ? displayPathOf(absPath, cwd) : specPath === STDIN ? STDIN_NAME : key, given, limits);
  const at = (pointer: string) => ({ file: file.displayPath, pointer, ...file.locate(pointer) });
  const root = file.root;
  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    const what = root === undefined ? "empty" : root === null ? "null" : Array.isArray(root) ? "an array" : `a ${typeof root}`;
    throw new GeneratorError("E_NOT_OBJECT", `the document is ${what}, not an OpenAPI object`, { file: file.displayPath, pointer: "#" }, "an OpenAPI document is a mapping that starts with `openapi: 3.1.0`");
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
      // `openapi: 3.0` is a YAML number (3), so the spec lost its minor version before we saw it.
      /^3(\.[01])?$/.test(String(doc.openapi)) ? `write the full version as a string, e.g. openapi: "${String(doc.openapi) === "3" ? "3.0" : String(doc.openapi)}.0"` : undefined,
    );
  }
  const version = match[1] === "0" ? "3.0" : "3.1";
  // 3.1 asks for one of paths, components or webhooks: a webhooks-only or components-only document is an API description too.
  const pathless = version === "3.1" && doc.paths === undefined && (doc.components !== undefined || doc.webhooks !== undefined);
  if (!pathless && (doc.paths === undefined || doc.paths === null || typeof doc.paths !== "object" || Array.isArray(doc.paths))) {
    throw new GeneratorError(
      "E_MISSING_FIELD",
      doc.paths === undefined ? "missing required field `paths`" : "`paths` must be an object",
      doc.paths === undefined ? { file: file.displayPath, pointer: "#" } : at("#/paths"),
      doc.paths === undefined ? "an API with no operations can say `paths: {}`" : undefined,
    );
  }
  return { file, version, root: doc, sources };
}
