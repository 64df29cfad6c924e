import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { run } from "../generator/cli/main";
import { watchAndRebuild, type Clock, type WatchFile } from "../generator/cli/watch";
import { suiteTempDir } from "./helpers/temp";

const tmp = suiteTempDir("morph-watch-");

/** A clock that moves only when told to. */
function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  return {
    setTimeout: (callback, ms) => {
      timers.push({ at: now + ms, callback, id: ++nextId });
      return nextId;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
    advance(ms) {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      due.forEach((t) => t.callback());
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("watchAndRebuild, driven by a fake clock and fake file events", () => {
  const table: { name: string; saves: number[]; want: number }[] = [
    { name: "no saves: the first build only", saves: [], want: 1 },
    { name: "a burst of saves within the debounce: one rebuild", saves: [0, 40, 80], want: 2 },
    { name: "saves further apart than the debounce: a rebuild each", saves: [0, 150, 300], want: 4 },
  ];
  test.each(table)("$name", async ({ saves, want }) => {
    const clock = fakeClock();
    const listeners = new Map<string, () => void>();
    const watchFile: WatchFile = (file, onChange) => {
      listeners.set(file, onChange);
      return { close: () => listeners.delete(file) };
    };
    const stop = new AbortController();
    let builds = 0;
    const done = watchAndRebuild({ files: ["/spec.yaml"], stop: stop.signal, clock, watchFile, build: async () => (builds++, ["/spec.yaml"]) });
    await settle();
    let t = 0;
    for (const at of saves) {
      clock.advance(at - t);
      t = at;
      await settle();
      listeners.get("/spec.yaml")!();
      await settle();
    }
    clock.advance(1000);
    await settle();
    stop.abort();
    await done;
    expect(builds).toBe(want);
    expect(listeners.size).toBe(0);
  });

  test("a failed build reports its error and keeps watching the files it had; the next build's set replaces them", async () => {
    const clock = fakeClock();
    const watched = new Map<string, () => void>();
    const watchFile: WatchFile = (file, onChange) => {
      watched.set(file, onChange);
      return { close: () => watched.delete(file) };
    };
    const stop = new AbortController();
    const results: (string[] | Error)[] = [["/a.yaml", "/b.yaml"], new Error("broken"), ["/a.yaml", "/c.yaml"]];
    const errors: unknown[] = [];
    const reported: string[][] = [];
    const done = watchAndRebuild({
      files: ["/a.yaml"],
      stop: stop.signal,
      clock,
      watchFile,
      onError: (e) => errors.push(e),
      onWatching: (files) => reported.push(files),
      build: async () => {
        const next = results.shift()!;
        if (next instanceof Error) throw next;
        return next;
      },
    });
    await settle();
    expect([...watched.keys()]).toEqual(["/a.yaml", "/b.yaml"]);
    watched.get("/b.yaml")!();
    clock.advance(100);
    await settle();
    expect(errors).toEqual([new Error("broken")]);
    expect([...watched.keys()]).toEqual(["/a.yaml", "/b.yaml"]);
    watched.get("/a.yaml")!();
    clock.advance(100);
    await settle();
    expect([...watched.keys()]).toEqual(["/a.yaml", "/c.yaml"]);
    expect(reported).toEqual([
      ["/a.yaml", "/b.yaml"],
      ["/a.yaml", "/c.yaml"],
    ]);
    stop.abort();
    await done;
  });

  test("stopping during a build waits for it and builds no more", async () => {
    const clock = fakeClock();
    const stop = new AbortController();
    let release!: () => void;
    let builds = 0;
    const done = watchAndRebuild({
      files: ["/a.yaml"],
      stop: stop.signal,
      clock,
      watchFile: () => ({ close: () => undefined }),
      build: () => {
        builds++;
        return new Promise((resolve) => (release = () => resolve(["/a.yaml"])));
      },
    });
    let finished = false;
    void done.then(() => (finished = true));
    stop.abort();
    await settle();
    expect(finished).toBe(false);
    release();
    await done;
    expect(builds).toBe(1);
  });
});

/** Polls until `check` holds; fails after `ms`. */
async function until(what: string, check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function petSpec(properties: Record<string, unknown>): string {
  return JSON.stringify({
    openapi: "3.1.0",
    info: { title: "Pets", version: "1" },
    paths: { "/pet": { get: { operationId: "getPet", responses: { "200": { description: "ok", content: { "application/json": { schema: { $ref: "#/components/schemas/Pet" } } } } } } } },
    components: { schemas: { Pet: { type: "object", required: ["name"], properties } } },
  });
}

describe("generate --watch", () => {
  test("regenerates on save, reports a broken save and keeps the last good output, stops on interrupt", async () => {
    const spec = path.join(tmp, "pets.json");
    const out = path.join(tmp, "out");
    writeFileSync(spec, petSpec({ name: { type: "string" } }));
    const stdout: string[] = [];
    const stderr: string[] = [];
    const stop = new AbortController();
    const running = run(["generate", spec, "-o", out, "--watch", "--no-client", "--no-validators"], {
      out: (l) => stdout.push(l),
      err: (l) => stderr.push(l),
      interrupt: () => stop.signal,
    });
    const types = () => readFileSync(path.join(out, "types.ts"), "utf8");
    try {
      await until("the first generation", () => stdout.some((l) => l.startsWith("watching 1 file(s)")));
      expect(types()).not.toMatch(/age/);

      writeFileSync(spec, petSpec({ name: { type: "string" }, age: { type: "integer" } }));
      await until("the regeneration", () => stdout.includes("  non-breaking  Pet.age: optional property added: number"));
      expect(stdout).toContain("changes since the last generation:");
      expect(types()).toMatch(/age\?: number;/);
      const good = types();

      writeFileSync(spec, '{ "openapi": "3.1.0", "info": ');
      await until("the error", () => stderr.some((l) => l.startsWith("error E_YAML")));
      expect(stderr.find((l) => l.startsWith("error E_YAML"))).toContain("pets.json");
      expect(types()).toBe(good);
    } finally {
      stop.abort();
    }
    expect(await running).toBe(0);
    expect(stdout[stdout.length - 1]).toBe("stopped watching");
  });
});
