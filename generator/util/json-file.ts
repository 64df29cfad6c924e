import { readFileSync, renameSync, writeFileSync } from "node:fs";

/** JSON files of the machine-local cache: unreadable reads as absent, a failed write only costs speed. */
export function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

/** Written through a temp file: a crash mid-write leaves the old entry, not a torn one. */
export function writeJson(file: string, value: unknown): void {
  try {
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(value));
    renameSync(temp, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
