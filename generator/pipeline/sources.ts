import { createHash } from "node:crypto";
import * as path from "node:path";
import { GeneratorError } from "../errors";
import { compareCodePoints } from "../util/strings";

/**
 * Specs that are not files: an `http(s)` URL, fetched with the platform `fetch`, or `-`, read
 * from stdin. The stages after loading are synchronous and read files by path, so the remote
 * documents are fetched first, every document a `$ref` names included, and handed to them as
 * texts keyed by URL (`loadSpec`, `resolveRefs`). A remote document's relative `$ref`s resolve
 * against its URL; one that names a local file is refused there, when it is resolved.
 */
export type SpecSources = Map<string, string>;

export const STDIN = "-";
/** Where a spec read from stdin "lives": its relative `$ref`s resolve against the working directory. */
export const STDIN_NAME = "<stdin>";
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** A spec split over more documents than this is refused: each one is a request. */
const MAX_DOCUMENTS = 500;

export function isRemote(spec: string): boolean {
  return /^https?:\/\//i.test(spec);
}

/** The key a spec's text is stored under: its URL, or a stand-in path for stdin. */
export function sourceKey(spec: string, cwd: string): string {
  return spec === STDIN ? path.join(cwd, STDIN_NAME) : spec;
}

export interface ReadOptions {
  cwd?: string;
  /** Per request, in ms (default 30 s). */
  fetchTimeout?: number;
  /** What `-` reads; default: the process's stdin. */
  stdin?: () => Promise<string>;
}

/** The texts of a URL spec and every remote document it `$ref`s, or of stdin; `undefined` for a file spec. */
export async function readSources(spec: string, options: ReadOptions = {}): Promise<SpecSources | undefined> {
  const cwd = options.cwd ?? process.cwd();
  if (spec === STDIN) return new Map([[sourceKey(spec, cwd), await (options.stdin ?? readStdin)()]]);
  if (!isRemote(spec)) return undefined;
  const timeout = options.fetchTimeout ?? DEFAULT_FETCH_TIMEOUT_MS;
  const sources: SpecSources = new Map();
  const entry = new URL(spec).href;
  const queue = [entry];
  while (queue.length > 0) {
    const url = queue.shift()!;
    if (sources.has(url)) continue;
    if (sources.size >= MAX_DOCUMENTS) throw new GeneratorError("E_LIMIT", `the spec $refs more than ${MAX_DOCUMENTS} remote documents`, { file: spec });
    let text: string;
    try {
      text = await fetchText(url, timeout, url === entry ? undefined : spec);
    } catch (e) {
      // Only the entry must be there: a document that is really $ref'd and missing fails when it is resolved.
      if (url === entry) throw e;
      continue;
    }
    sources.set(url, text);
    for (const ref of remoteRefs(text, url)) if (!sources.has(ref)) queue.push(ref);
  }
  return sources;
}

/** One digest of everything a remote spec is made of: `--watch` regenerates only when it changes. */
export function digestOf(sources: SpecSources): string {
  const hash = createHash("sha256");
  for (const [key, text] of [...sources].sort(([a], [b]) => compareCodePoints(a, b))) hash.update(`${key}\0${text}\0`);
  return hash.digest("hex");
}

async function fetchText(url: string, timeout: number, entry: string | undefined): Promise<string> {
  const fail = (reason: string, hint?: string) => new GeneratorError("E_READ", `cannot fetch the spec${entry ? ` document ${url}` : ""}: ${reason}`, { file: entry ?? url }, hint);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeout), headers: { accept: "application/yaml, application/json;q=0.9, */*;q=0.5" } });
  } catch (e) {
    const error = e as Error & { cause?: { code?: string; message?: string } };
    if (error.name === "TimeoutError") throw fail(`no answer within ${timeout / 1000} s`);
    throw fail(error.cause?.code ?? error.cause?.message ?? error.message, "check the URL and your connection, or download the spec and give its path");
  }
  if (!response.ok) throw fail(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ""}`);
  try {
    return await response.text();
  } catch (e) {
    throw fail((e as Error).name === "TimeoutError" ? `no answer within ${timeout / 1000} s` : (e as Error).message);
  }
}

/**
 * The remote documents a text's `$ref`s name, found by their text alone: the document is not
 * parsed here (the loader does that, with its checks). A name that is not a `$ref` after all
 * (prose that mentions one) costs a request, and is left out when it cannot be fetched.
 */
function remoteRefs(text: string, base: string): string[] {
  const refs = new Set<string>();
  for (const m of text.matchAll(/["']?\$ref["']?\s*:\s*["']?([^"'\s,}#][^"'\s,}#]*)/g)) {
    let target: URL;
    try {
      target = new URL(m[1], base);
    } catch {
      continue;
    }
    // Local files are refused when the $ref is resolved; other schemes are not fetched.
    if (target.protocol === "http:" || target.protocol === "https:") refs.add(target.href.replace(/#.*$/, ""));
  }
  return [...refs];
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    process.stdin.on("data", (c: Buffer) => chunks.push(c));
    process.stdin.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    process.stdin.on("error", reject);
  });
}
