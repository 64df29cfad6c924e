import * as path from "node:path";
import { readJson, writeJson } from "../../util/json-file";
import { sha256 } from "../../util/sha256";

/** Prettier's output per statement it formatted, for this generator build and prettier version. */
export class FormatCache {
  private readonly file: string;
  private readonly old: Record<string, string>;
  private readonly used: Record<string, string> = {};

  /** `cache`: the run cache's directory and generator fingerprint (`openCache`). */
  constructor(cache: { dir: string; generator: string }, key: string) {
    this.file = path.join(cache.dir, `prettier-${sha256(`${cache.generator}:${key}`).slice(0, 16)}.json`);
    this.old = readJson<Record<string, string>>(this.file) ?? {};
  }

  get(statement: string): string | undefined {
    const key = sha256(statement);
    const hit = this.old[key] ?? this.used[key];
    if (hit !== undefined) this.used[key] = hit;
    return hit;
  }

  set(statement: string, formatted: string): void {
    this.used[sha256(statement)] = formatted;
  }

  /** Keeps only what this run used, so the cache stays the size of one output. */
  save(): void {
    writeJson(this.file, this.used);
  }
}
