import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { format, type Options } from "prettier";
import type { FormatCache } from "./cache";
import { KEYWORD_TYPES, PRINT_WIDTH } from "../../emit/layout";
import { joinStatements, type EmittedFile } from "../../emit/file";

/**
 * Pinned prettier, explicit options, no config lookup: output must not depend on the machine
 * or on a `.prettierrc` the user happens to have.
 */
export const PRETTIER_OPTIONS: Options = {
  parser: "typescript",
  printWidth: PRINT_WIDTH,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
  proseWrap: "preserve",
};

export function formatText(text: string): Promise<string> {
  return format(text, PRETTIER_OPTIONS);
}

/** Below this much spec, starting a worker costs more than formatting on this thread alone. */
export const PARALLEL_MIN_SPEC_BYTES = 64 * 1024;

/**
 * Long lines prettier keeps as they are, because nothing in them can break: an interface's head
 * (extending at most one type); `const name =` or a function's head before what the emitters already put on the next
 * lines; a string literal or a name alone on its line (an argument or array item); a call's head
 * (with at most one type argument) before arguments on lines of their own; a property typed by one name (`key?: Name[];`, `key: typeof name;`, `key: Name | null;`, which prettier hugs); a
 * short key and a string (prettier breaks after the colon only for keys of five characters or more);
 * a union's member that is one name.
 */
const UNBREAKABLE = new RegExp(
  [
    /(?:export )?interface [\w$]+(?: extends [\w$.]+)? \{/,
    /(?:export )?const [\w$]+ =/,
    /(?:export )?function [\w$]+\(/,
    /\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[\w$.]+),?/,
    /\s+[\w$.]+(?:<[\w$.]+>)?\(/,
    String.raw`\s+(?:[\w$]+|"(?:[^"\\]|\\.)*")\??: (?:(?:typeof )?[\w$.]+(?:\[\])*|(?!(?:${KEYWORD_TYPES.join("|")})\b)[\w$.]+ \| null);`,
    /\s+[\w$]{1,4}: "(?:[^"\\]|\\.)*",/,
    /\s+\| [\w$.]+(?:\[\])?;?/,
  ]
    .map((r) => (typeof r === "string" ? r : r.source))
    .join("|")
    .replace(/^/, "^(?:")
    .concat(")$"),
);

const NON_ASCII_KEY = /"[^"]*[^\x00-\x7f][^"]*"\??:/;

/**
 * Whether prettier would leave a statement as it is, decided without running it: the emitters
 * print every construct the way prettier does (2-space indentation, double quotes, trailing
 * commas, one statement per line), so only a code line too long for `printWidth` makes prettier
 * break it differently. Comment lines are exempt, as prettier never rewraps them. Tests check the
 * claim on every generated output by running prettier over the whole file.
 */
export function alreadyFormatted(statement: string, width = PRINT_WIDTH): boolean {
  let inComment = false;
  let lineStart = 0;
  while (lineStart <= statement.length) {
    let lineEnd = statement.indexOf("\n", lineStart);
    if (lineEnd === -1) lineEnd = statement.length;
    const line = statement.slice(lineStart, lineEnd);
    const code = line.trimStart();
    if (inComment || code.startsWith("/*")) inComment = !line.includes("*/", inComment ? 0 : line.indexOf("/*") + 2);
    else if (line.length > width && !code.startsWith("//") && !UNBREAKABLE.test(line)) return false;
    // Prettier picks the quote needing fewer escapes, so an escaped double quote may change.
    else if (line.includes('\\"')) return false;
    // Prettier unquotes a key that is an identifier by Unicode's rules (`"ü"`), which ours are by
    // ASCII's; anywhere on the line, as in a one-line object type.
    else if (NON_ASCII_KEY.test(line)) return false;
    if (line.length > 0 && (line.charCodeAt(line.length - 1) === 32 || line.includes("\t"))) return false;
    lineStart = lineEnd + 1;
  }
  return true;
}

/** A few worker threads running prettier; owned by one run, terminated when it ends. */
export class FormatPool {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, { resolve: (t: string) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private next = 0;

  constructor(size: number, workerFile: string) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(workerFile);
      worker.on("message", (msg: { id: number; text?: string; error?: string }) => {
        const job = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        if (msg.error !== undefined) job?.reject(new Error(msg.error));
        else job?.resolve(msg.text ?? "");
      });
      worker.on("error", (e) => {
        for (const job of this.pending.values()) job.reject(e);
        this.pending.clear();
      });
      this.workers.push(worker);
    }
  }

  /** Starts a pool when the machine has cores to spare and the compiled worker exists. */
  static start(): FormatPool | undefined {
    const workerFile = path.join(__dirname, "worker.js");
    const size = Math.min(availableParallelism() - 1, 3);
    if (size < 1 || !existsSync(workerFile)) return undefined;
    return new FormatPool(size, workerFile);
  }

  format(text: string): Promise<string> {
    const id = this.nextId++;
    const worker = this.workers[this.next++ % this.workers.length];
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, text });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Formats every file on this thread, without a cache (see `formatFile`, which `generate` calls
 * with its worker pool and cache as each file is emitted).
 */
export async function formatCode(files: EmittedFile[]): Promise<EmittedFile[]> {
  return Promise.all(files.map((f) => formatFile(f)));
}

/** One file of `formatCode`: started as soon as the file is emitted, while the others are still being emitted. */
export async function formatFile(f: EmittedFile, pool?: FormatPool, cache?: FormatCache): Promise<EmittedFile> {
  if (!f.path.endsWith(".ts") || f.preformatted) return { path: f.path, text: f.text };
  if (!f.statements) return { path: f.path, text: await formatText(f.text) };
  const formatOne = async (statement: string): Promise<string> => {
    const cached = cache?.get(statement);
    if (cached !== undefined) return cached;
    // The pool's workers loaded prettier while this thread emitted; loading it here too would cost more than the few statements it could take.
    const formatted = (await (pool ? pool.format(statement) : formatText(statement))).trimEnd();
    cache?.set(statement, formatted);
    return formatted;
  };
  const parts = await Promise.all(f.statements.map((s) => (!s.reformat && alreadyFormatted(s.text) ? s.text : formatOne(s.text))));
  return { path: f.path, text: joinStatements(f.statements.map((s, i) => ({ ...s, text: parts[i] }))) };
}
