/**
 * The one error type of the generator. Every failure a user can cause (bad YAML, a dangling
 * $ref, an unsupported construct) is a GeneratorError, so the CLI can print it without a stack.
 */
export type ErrorCode =
  | "E_READ"
  | "E_YAML"
  | "E_NOT_OBJECT"
  | "E_VERSION"
  | "E_SWAGGER2"
  | "E_MISSING_FIELD"
  | "E_REF"
  | "E_REF_FILE"
  | "E_DUPLICATE_OPERATION"
  | "E_SCHEMA"
  | "E_CIRCULAR_ALLOF"
  | "E_TOO_DEEP"
  | "E_LIMIT"
  | "E_SLICE"
  | "E_WRITE"
  | "E_USAGE"
  | "E_CONFIG";

export interface ErrorLocation {
  file?: string;
  pointer?: string;
  line?: number;
  column?: number;
}

export class GeneratorError extends Error {
  readonly code: ErrorCode;
  readonly file: string | undefined;
  readonly pointer: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, hint?: string) {
    // Messages quote spec text; a hostile spec can make that text a whole file. The cap keeps a
    // CI log readable and a secret mostly out of it even where a message forgot to use `quote`.
    super(clip(message, MAX_MESSAGE));
    this.name = "GeneratorError";
    this.code = code;
    this.file = where.file;
    this.pointer = where.pointer === undefined ? undefined : clip(where.pointer, MAX_QUOTE);
    this.line = where.line;
    this.column = where.column;
    this.hint = hint;
  }

  /** One line a person can act on: `file:line:col #/pointer: message (hint)`. */
  format(): string {
    let where = this.file ?? "";
    if (where && this.line !== undefined) where += `:${this.line}:${this.column ?? 1}`;
    if (this.pointer !== undefined) where += `${where ? " " : ""}${this.pointer || "#"}`;
    const head = where ? `${where}: ` : "";
    return `error ${this.code}: ${head}${this.message}${this.hint ? `\n  hint: ${this.hint}` : ""}`;
  }
}

/** JSON pointer segment escaping (RFC 6901). */
export function escapePointerSegment(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, "/").replace(/~0/g, "~");
}

export function joinPointer(base: string, ...segments: (string | number)[]): string {
  let out = base;
  for (const s of segments) out += "/" + escapePointerSegment(String(s));
  return out;
}

/** The most spec text an error quotes (a value, a name, a pointer): enough to recognise it. */
export const MAX_QUOTE = 200;
const MAX_MESSAGE = 2 * MAX_QUOTE;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** A spec value as an error message quotes it: JSON, at most MAX_QUOTE characters of it. */
export function quote(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return clip(json ?? String(value), MAX_QUOTE);
}
