import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { sha256 } from "./sha256";

/*
 * JSON files of the machine-local cache: unreadable reads as absent, a failed write only costs
 * speed. An entry is its content's SHA-256 on the first line, then the content: a torn, truncated
 * or edited entry fails the check and is not used.
 */

export function readJson<T>(file: string): T | undefined {
  try {
    const text = readFileSync(file, "utf8");
    const newline = text.indexOf("\n");
    const body = text.slice(newline + 1);
    if (newline !== 64 || sha256(body) !== text.slice(0, 64)) return undefined;
    return JSON.parse(body) as T;
  } catch {
    return undefined;
  }
}

/** Written through a temp file (readable by this user only): a crash mid-write leaves the old entry, not a torn one. */
export function writeJson(file: string, value: unknown): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    const body = JSON.stringify(value);
    writeFileSync(temp, `${sha256(body)}\n${body}`, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
