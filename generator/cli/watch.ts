import { watch as fsWatch } from "node:fs";
import * as path from "node:path";

/**
 * Rebuild on change: watches a set of files, waits until saves settle, runs one build at a time,
 * and watches whatever set the build reports next (a spec can gain or lose `$ref`ed files).
 * Timers, file watching and stopping are injected, so tests can drive it without waiting.
 */

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface Closable {
  close(): void;
}

/** Calls `onChange` on any change to `file` until closed. */
export type WatchFile = (file: string, onChange: () => void) => Closable;

export interface WatchOptions {
  /**
   * One build. Resolves to the files to watch from now on; a rejection goes to `onError` and the
   * files watched so far stay watched, so fixing a broken save triggers the next build.
   */
  build(): Promise<string[]>;
  /** Watched until a build reports its own set (the entry spec). */
  files: string[];
  stop: AbortSignal;
  onError?(error: unknown): void;
  /** Called after the first build with the watched set, and after any build that changes it. */
  onWatching?(files: string[]): void;
  /** Quiet time after the last change before building; editors save in bursts. Default 100 ms. */
  debounceMs?: number;
  clock?: Clock;
  watchFile?: WatchFile;
}

const realClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * `fs.watch` on the file itself. Editors that save by writing a new file and renaming it end the
 * old watch; the build that follows re-arms every watch, so the new file is watched again. A file
 * missing for the moment (deleted, or mid-save) is waited for through its directory.
 */
export const watchWithFs: WatchFile = (file, onChange) => {
  try {
    const watcher = fsWatch(file, () => onChange());
    watcher.on("error", () => onChange());
    return watcher;
  } catch {
    const base = path.basename(file);
    try {
      const watcher = fsWatch(path.dirname(file), (_event, name) => {
        if (name === null || name === base) onChange();
      });
      watcher.on("error", () => undefined);
      return watcher;
    } catch {
      return { close: () => undefined };
    }
  }
};

/** Builds once, then again after every change, until `stop` aborts; resolves once the last build has finished. */
export function watchAndRebuild(options: WatchOptions): Promise<void> {
  const clock = options.clock ?? realClock;
  const watchFile = options.watchFile ?? watchWithFs;
  const debounceMs = options.debounceMs ?? 100;
  let files = [...new Set(options.files)];
  let reported: string[] | undefined;
  let watchers: Closable[] = [];
  let timer: unknown;
  let building = false;
  let changedWhileBuilding = false;
  let stopped = options.stop.aborted;

  return new Promise<void>((resolve) => {
    const closeAll = () => {
      watchers.forEach((w) => w.close());
      watchers = [];
    };
    const arm = () => {
      closeAll();
      if (stopped) return;
      watchers = files.map((f) => watchFile(f, changed));
    };
    const changed = () => {
      if (stopped) return;
      if (building) {
        changedWhileBuilding = true;
        return;
      }
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = clock.setTimeout(() => {
        timer = undefined;
        void build();
      }, debounceMs);
    };
    const build = async () => {
      building = true;
      changedWhileBuilding = false;
      try {
        const next = await options.build();
        files = [...new Set(next)];
      } catch (e) {
        options.onError?.(e);
      }
      building = false;
      if (stopped) return resolve();
      arm();
      if (!reported || reported.length !== files.length || reported.some((f, i) => f !== files[i])) options.onWatching?.((reported = files));
      // A save during the build may not be in what it read: build again.
      if (changedWhileBuilding) changed();
    };
    options.stop.addEventListener(
      "abort",
      () => {
        stopped = true;
        if (timer !== undefined) clock.clearTimeout(timer);
        timer = undefined;
        closeAll();
        if (!building) resolve();
      },
      { once: true },
    );
    if (stopped) return resolve();
    // Armed before the first build, so a save during it is not missed.
    arm();
    void build();
  });
}
