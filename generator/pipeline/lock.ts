import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";
import { GeneratorError } from "../errors";

/**
 * One run at a time per output directory: a lock directory inside it (`mkdir` is atomic on every
 * filesystem, network ones included, and a lock inside the output works when the output is a
 * mount point whose parent is not ours). It records who holds it, so a lock left by a run that
 * was killed is recognised (its process is gone) and taken over.
 */
export const LOCK = ".openapi-morph.lock";

/** How long a run waits for another one into the same directory before it gives up (ms). */
export const LOCK_WAIT_MS = 60_000;

interface Owner {
  pid: number;
  host: string;
}

/** Takes the lock of `absDir` (which exists), waiting up to `waitMs`; resolves to its release. */
export function lockOutput(absDir: string, displayDir: string, waitMs = LOCK_WAIT_MS): () => void {
  const lock = path.join(absDir, LOCK);
  const me: Owner = { pid: process.pid, host: hostname() };
  const deadline = Date.now() + waitMs;
  for (let pause = 10; ; pause = Math.min(pause * 2, 200)) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "owner.json"), JSON.stringify(me));
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new GeneratorError("E_WRITE", `cannot lock the output directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: displayDir });
      }
    }
    const owner = readOwner(lock);
    if (owner === "stale") {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() >= deadline) {
      const who = owner ? `pid ${owner.pid}${owner.host === me.host ? "" : ` on ${owner.host}`}` : "another process";
      throw new GeneratorError("E_WRITE", `another openapi-morph run (${who}) is writing this directory`, { file: displayDir }, `wait for it to finish; if no run is going on, delete ${path.join(displayDir, LOCK)}`);
    }
    sleepSync(pause);
  }
}

/**
 * The lock's owner; "stale" when it is a process of this machine that no longer runs, or the lock
 * has had no owner file for a while (its run died between the two steps of taking it).
 */
function readOwner(lock: string): Owner | "stale" | undefined {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(path.join(lock, "owner.json"), "utf8")) as Owner;
  } catch {
    return undefined;
  }
  if (owner.host !== hostname() || !Number.isInteger(owner.pid)) return owner;
  try {
    process.kill(owner.pid, 0);
    return owner;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH" ? "stale" : owner;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
