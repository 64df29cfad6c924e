import { copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";

/**
 * Replacing an output as one step, as far as a filesystem allows for several files. Everything is
 * staged inside the output directory (the same filesystem as the targets, so no rename crosses a
 * device: an output that is a mount point works), then a journal is written: the commit point.
 * Only then are the files renamed into place, the manifest last. A run that fails before the
 * journal leaves the old output untouched; one that fails while swapping puts the old files back
 * (kept as links in the staging folder); one that is killed while swapping is finished by the
 * next run, which replays the journal before anything else (`recoverSwap`).
 */
export const STAGING = ".openapi-morph-staging";

interface Journal {
  /** Relative paths to move from `new/` into place, in order (the manifest last). */
  write: string[];
  /** Relative paths to remove. */
  remove: string[];
}

const JOURNAL = "journal.json";

/** Finishes a swap that a killed run left half done, or clears what a failed run staged. */
export function recoverSwap(absDir: string): void {
  const staging = path.join(absDir, STAGING);
  if (!existsSync(staging)) return;
  const journal = readJournal(staging);
  if (journal) applyJournal(absDir, staging, journal, []);
  rmSync(staging, { recursive: true, force: true });
}

/** Writes `files` into `absDir` and removes `remove`, all or nothing (see above). */
export function swapIn(absDir: string, files: { path: string; text: string }[], remove: string[]): void {
  const staging = path.join(absDir, STAGING);
  rmSync(staging, { recursive: true, force: true });
  for (const f of files) {
    const target = path.join(staging, "new", f.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, f.text);
  }
  const journal: Journal = { write: files.map((f) => f.path), remove };
  writeFileSync(path.join(staging, `${JOURNAL}.tmp`), JSON.stringify(journal));
  renameSync(path.join(staging, `${JOURNAL}.tmp`), path.join(staging, JOURNAL));
  const done: string[] = [];
  try {
    applyJournal(absDir, staging, journal, done);
  } catch (e) {
    rollBack(absDir, staging, done);
    throw e;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function readJournal(staging: string): Journal | undefined {
  try {
    const journal = JSON.parse(readFileSync(path.join(staging, JOURNAL), "utf8")) as Journal;
    return Array.isArray(journal.write) && Array.isArray(journal.remove) ? journal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves every staged file still waiting into place, keeping the file it replaces under `old/`;
 * idempotent, so a second run after a kill picks up where the first stopped. `done` collects
 * what was changed, for a rollback.
 */
function applyJournal(absDir: string, staging: string, journal: Journal, done: string[]): void {
  for (const rel of journal.write) {
    const staged = path.join(staging, "new", rel);
    if (!existsSync(staged)) continue;
    const target = path.join(absDir, rel);
    keepOld(target, path.join(staging, "old", rel));
    mkdirSync(path.dirname(target), { recursive: true });
    renameSync(staged, target);
    done.push(rel);
  }
  for (const rel of journal.remove) {
    const target = path.join(absDir, rel);
    if (!existsSync(target)) continue;
    keepOld(target, path.join(staging, "old", rel));
    unlinkSync(target);
    done.push(rel);
  }
}

/** A second name for the file about to be replaced (a copy where links are not supported). */
function keepOld(target: string, backup: string): void {
  if (!existsSync(target) || existsSync(backup)) return;
  mkdirSync(path.dirname(backup), { recursive: true });
  try {
    linkSync(target, backup);
  } catch {
    copyFileSync(target, backup);
  }
}

function rollBack(absDir: string, staging: string, done: string[]): void {
  for (const rel of done.reverse()) {
    const backup = path.join(staging, "old", rel);
    const target = path.join(absDir, rel);
    try {
      if (existsSync(backup)) renameSync(backup, target);
      else rmSync(target, { force: true });
    } catch {
      // Best effort: the error that started the rollback is the one to report.
    }
  }
}
