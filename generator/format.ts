import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { format, type Options } from "prettier";
import type { EmittedFile } from "./emit/print";

/**
 * Pinned prettier, explicit options, no config lookup: output must not depend on the machine
 * or on a `.prettierrc` the user happens to have.
 */
export const PRETTIER_OPTIONS: Options = {
  parser: "typescript",
  printWidth: 100,
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

/** Below this much code, starting a worker costs more than it saves. */
export const PARALLEL_THRESHOLD_BYTES = 256 * 1024;
const CHUNK_BYTES = 64 * 1024;

/**
 * Splits generated code between top-level statements: a blank line followed by a line that starts
 * in column 0. Prettier formats top-level statements independently and keeps one blank line
 * between them, so formatting the chunks and joining them with a blank line gives the same bytes
 * as formatting the whole file (a test checks this on the full OpenAI spec).
 */
export function splitTopLevel(text: string, chunkBytes = CHUNK_BYTES): string[] {
  const chunks: string[] = [];
  let start = 0;
  const boundary = /\n\n(?=[^\s}\])])/g;
  let last = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    last = m.index;
    if (m.index - start >= chunkBytes) {
      chunks.push(text.slice(start, m.index + 1));
      start = m.index + 2;
    }
  }
  void last;
  chunks.push(text.slice(start));
  return chunks.filter((c) => c.trim() !== "");
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
    const workerFile = path.join(__dirname, "format-worker.js");
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
 * Formats every file. Large output is cut into chunks of whole statements that the pool's
 * workers and this thread format side by side: prettier is most of the time a big spec takes.
 */
export async function formatCode(files: EmittedFile[], pool?: FormatPool): Promise<EmittedFile[]> {
  const total = files.reduce((n, f) => n + f.text.length, 0);
  if (!pool || total < PARALLEL_THRESHOLD_BYTES) {
    return Promise.all(files.map(async (f) => ({ path: f.path, text: f.path.endsWith(".ts") ? await formatText(f.text) : f.text })));
  }
  // Alternate chunks between the workers and this thread, so neither waits on the other.
  let turn = 0;
  const formatChunk = (chunk: string) => (turn++ % 2 === 0 ? pool.format(chunk) : formatText(chunk));
  return Promise.all(
    files.map(async (f) => {
      if (!f.path.endsWith(".ts")) return f;
      const parts = await Promise.all(splitTopLevel(f.text).map(formatChunk));
      return { path: f.path, text: parts.join("\n") };
    }),
  );
}
