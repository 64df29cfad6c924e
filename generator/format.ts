import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { format, type Options } from "prettier";
import type { FormatCache } from "./cache";
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

/** FNV-1a: a cheap, stable hash to pick chunk boundaries from content. */
function lineHash(text: string, from: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < text.length && text.charCodeAt(i) !== 10; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Splits generated code between top-level statements: a blank line followed by a line that starts
 * in column 0. Prettier formats top-level statements independently and keeps one blank line
 * between them, so formatting the chunks and joining them with a blank line gives the same bytes
 * as formatting the whole file (a test checks this). Boundaries depend on the content of the
 * statement that starts there, not on byte counts, so a local change to a spec moves no boundary
 * elsewhere and the format cache still hits for every other chunk.
 */
export function splitTopLevel(text: string, minBytes = 4 * 1024, maxBytes = 64 * 1024): string[] {
  const chunks: string[] = [];
  const boundary = /\n\n(?=[^\s}\])])/g;
  let start = 0;
  for (let m = boundary.exec(text); m; m = boundary.exec(text)) {
    const size = m.index - start;
    if ((size >= minBytes && lineHash(text, m.index + 2) % 4 === 0) || size >= maxBytes) {
      chunks.push(text.slice(start, m.index + 1));
      start = m.index + 2;
    }
  }
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
 * Formats every file, in chunks of whole statements: chunks prettier formatted before come from
 * the cache, and the rest are shared between this thread and the pool's workers (prettier is most
 * of the time a big spec takes).
 */
export async function formatCode(files: EmittedFile[], pool?: FormatPool, cache?: FormatCache): Promise<EmittedFile[]> {
  let turn = 0;
  const formatChunk = async (chunk: string): Promise<string> => {
    const cached = cache?.get(chunk);
    if (cached !== undefined) return cached;
    // Alternate between the workers and this thread, so neither waits on the other.
    const formatted = await (pool && turn++ % 2 === 0 ? pool.format(chunk) : formatText(chunk));
    cache?.set(chunk, formatted);
    return formatted;
  };
  return Promise.all(
    files.map(async (f) => {
      if (!f.path.endsWith(".ts") || f.preformatted) return { path: f.path, text: f.text };
      const parts = await Promise.all(splitTopLevel(f.text).map(formatChunk));
      return { path: f.path, text: parts.join("\n") };
    }),
  );
}
