import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { LOCK, lockOutput } from "../../generator/pipeline/lock";
import { STAGING } from "../../generator/pipeline/swap";
import { MANIFEST, writeOutput } from "../../generator/pipeline/write";
import { ROOT } from "../helpers/spec";
import { run, scratch, snapshotTree, specWith, writeTree } from "./helpers";

/**
 * Findings 5, 6, 7: the generator replaces only files its manifest owns, trusts no manifest entry
 * it could not have written, and switches an output as one step, under a lock.
 */

const tmp = scratch("output");
afterAll(tmp.cleanup);

const SPEC = specWith("    Pet: {type: object, properties: {name: {type: string}}}");
const SPEC2 = specWith("    Pet: {type: object, properties: {name: {type: string}, age: {type: integer}}}");
const BIN = path.join(ROOT, "bin", "openapi-morph.js");
let n = 0;
const fresh = (files: Record<string, string> = {}): string => {
  const dir = path.join(tmp.dir(), `case-${n++}`);
  writeTree(dir, { "spec.yaml": SPEC, "spec2.yaml": SPEC2, ...files });
  return dir;
};

describe("users' files are never overwritten (finding 5)", () => {
  const cases: { given: string; files: Record<string, string>; out: string; want: RegExp }[] = [
    { given: "-o at a folder holding the user's index.ts and types.ts", files: { "src/index.ts": "mine", "src/types.ts": "mine too", "src/util.ts": "kept" }, out: "src", want: /^error E_WRITE: src: refusing to overwrite files that openapi-morph did not write: index\.ts, types\.ts\n {2}hint: move them away or choose another -o; --force takes them over$/ },
    { given: "-o /", files: {}, out: "/", want: /^error E_WRITE: \/: refusing to generate into the filesystem root\n {2}hint: -o names a directory for the generated files only/ },
    { given: "-o at an existing file", files: { "api.ts": "mine" }, out: "api.ts", want: /^error E_WRITE: api\.ts: the output is an existing file, not a directory\n {2}hint: / },
    { given: "-o api.ts (openapi-typescript's habit)", files: {}, out: "api.ts", want: /^error E_WRITE: api\.ts: the output looks like a file name; openapi-morph writes a directory \(index\.ts, types\.ts, …\)\n {2}hint: -o names a directory for the generated files only, e\.g\. -o api \(then import from \.\/api\)$/ },
  ];
  test.each(cases)("$given", async ({ files, out, want }) => {
    const dir = fresh(files);
    const before = snapshotTree(dir);
    const result = await run(dir, "generate", "spec.yaml", "-o", out, "--quiet");
    expect(result.stderr).toMatch(want);
    expect(result.code).toBe(1);
    expect(snapshotTree(dir)).toEqual(before);
  });

  test("--force takes them over, and the manifest owns them from then on", async () => {
    const dir = fresh({ "src/index.ts": "mine", "src/util.ts": "kept" });
    expect((await run(dir, "generate", "spec.yaml", "-o", "src", "--quiet", "--force")).code).toBe(0);
    expect(readFileSync(path.join(dir, "src", "index.ts"), "utf8")).toContain("export");
    expect(readFileSync(path.join(dir, "src", "util.ts"), "utf8")).toBe("kept");
    expect((await run(dir, "generate", "spec2.yaml", "-o", "src", "--quiet")).code).toBe(0);
  });
});

describe("the manifest is checked, not trusted (finding 6)", () => {
  test("entries through a symlink, outside, absolute or not regular files are ignored with a warning", async () => {
    const dir = fresh({ "outside/victim.ts": "outside", "outside/x": "outside too" });
    expect((await run(dir, "generate", "spec.yaml", "-o", "out", "--quiet")).code).toBe(0);
    const out = path.join(dir, "out");
    const linked = ((): boolean => {
      try {
        symlinkSync(path.join(dir, "outside"), path.join(out, "link"));
        symlinkSync(path.join(dir, "outside", "victim.ts"), path.join(out, "file-link.ts"));
        return true;
      } catch {
        return false;
      }
    })();
    mkdirSync(path.join(out, "a-dir"));
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), "utf8"));
    for (const entry of ["link/x", "link/victim.ts", "file-link.ts", "../outside/x", path.join(dir, "outside", "x"), "a-dir"]) manifest.files[entry] = "0";
    writeFileSync(path.join(out, MANIFEST), JSON.stringify(manifest));
    const before = snapshotTree(path.join(dir, "outside"));
    const result = await run(dir, "generate", "spec2.yaml", "-o", "out", "--verbose");
    expect(result.code).toBe(0);
    if (linked) {
      expect(result.stderr).toContain('warning: out: ignored manifest entry "link/x": it leads outside the output directory through a symlink');
      expect(result.stderr).toContain('warning: out: ignored manifest entry "file-link.ts": not a regular file (a symlink)');
    }
    expect(result.stderr).toContain('warning: out: ignored manifest entry "../outside/x": not a plain relative path inside the output directory');
    expect(result.stderr).toContain('warning: out: ignored manifest entry "a-dir": not a regular file (a directory)');
    expect(snapshotTree(path.join(dir, "outside"))).toEqual(before);
    expect(existsSync(path.join(out, "a-dir"))).toBe(true);
  });
});

/** Runs the CLI in a child process (its own pid, so its lock is another run's). */
function child(cwd: string, ...argv: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, OPENAPI_MORPH_CACHE: "off" }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    p.on("close", (code) => resolve({ code, stderr }));
  });
}

/** Each file the manifest lists has the hash it records: the output is one generation, not a mix. */
function consistent(out: string): boolean {
  const { createHash } = require("node:crypto") as typeof import("node:crypto");
  const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), "utf8")) as { files: Record<string, string> };
  return Object.entries(manifest.files).every(([f, hash]) => createHash("sha256").update(readFileSync(path.join(out, f))).digest("hex") === hash);
}

describe("atomic output (finding 7)", () => {
  test("two concurrent runs into one directory: both finish, the output is one of them", async () => {
    const dir = fresh();
    const [a, b] = await Promise.all([child(dir, "generate", "spec.yaml", "-o", "out", "--quiet"), child(dir, "generate", "spec2.yaml", "-o", "out", "--quiet")]);
    expect([a, b]).toEqual([{ code: 0, stderr: "" }, { code: 0, stderr: "" }]);
    expect(consistent(path.join(dir, "out"))).toBe(true);
    expect(readdirSync(path.join(dir, "out")).filter((f) => f === LOCK || f === STAGING)).toEqual([]);
  }, 30_000);

  test("a lock held by a live run makes the next one wait, then fail clearly", () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    mkdirSync(out);
    const release = lockOutput(out, "out");
    try {
      expect(() => writeOutput(out, [{ path: "a.ts", text: "x" }], { lockWaitMs: 50 })).toThrow(
        expect.objectContaining({ code: "E_WRITE", message: `another openapi-morph run (pid ${process.pid}) is writing this directory` }),
      );
    } finally {
      release();
    }
    expect(existsSync(path.join(out, "a.ts"))).toBe(false);
  });

  test("a lock left by a killed run is taken over", () => {
    const out = path.join(fresh(), "out");
    mkdirSync(path.join(out, LOCK), { recursive: true });
    // A pid that is not running (the kernel's pid_max is far below it).
    writeFileSync(path.join(out, LOCK, "owner.json"), JSON.stringify({ pid: 2 ** 30, host: require("node:os").hostname() }));
    writeOutput(out, [{ path: "a.ts", text: "x" }], { lockWaitMs: 50 });
    expect(readFileSync(path.join(out, "a.ts"), "utf8")).toBe("x");
  });

  test("a failed rename puts every file back", () => {
    const out = path.join(fresh(), "out");
    writeOutput(out, [{ path: "a.ts", text: "old a" }, { path: "b.ts", text: "old b" }]);
    // A directory where the new generation wants a file: its rename fails after a.ts was swapped.
    mkdirSync(path.join(out, "c.ts", "inner"), { recursive: true });
    const before = snapshotTree(out);
    expect(() => writeOutput(out, [{ path: "a.ts", text: "new a" }, { path: "b.ts", text: "new b" }, { path: "c.ts", text: "new c" }], { force: true })).toThrow(expect.objectContaining({ code: "E_WRITE" }));
    expect(snapshotTree(out)).toEqual(before);
    expect(readdirSync(out)).not.toContain(STAGING);
  });

  test("killed in the middle of the swap: the next run finishes it", async () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    writeOutput(out, [{ path: "a.ts", text: "old a" }, { path: "b.ts", text: "old b" }]);
    // A child that kills itself (SIGKILL, no cleanup) after the first rename of the swap.
    const script = `
      const fs = require("node:fs");
      const rename = fs.renameSync;
      let renames = 0;
      fs.renameSync = (a, b) => { rename(a, b); if (String(b).endsWith("a.ts") && ++renames === 1) process.kill(process.pid, "SIGKILL"); };
      require(${JSON.stringify(path.join(ROOT, "dist", "generator", "pipeline", "write.js"))}).writeOutput(${JSON.stringify(out)}, [{ path: "a.ts", text: "new a" }, { path: "b.ts", text: "new b" }]);
    `;
    const code = await new Promise<string | null>((resolve) => spawn(process.execPath, ["-e", script], { stdio: "ignore" }).on("close", (_c, signal) => resolve(signal)));
    expect(code).toBe("SIGKILL");
    // Half swapped: a.ts is new, b.ts is old, and the journal says what is left.
    expect([readFileSync(path.join(out, "a.ts"), "utf8"), readFileSync(path.join(out, "b.ts"), "utf8")]).toEqual(["new a", "old b"]);
    expect(existsSync(path.join(out, STAGING))).toBe(true);
    // The next run (here one that has nothing new to say) completes the swap before anything else.
    writeOutput(out, [{ path: "a.ts", text: "new a" }, { path: "b.ts", text: "new b" }], { lockWaitMs: 5000 });
    expect([readFileSync(path.join(out, "a.ts"), "utf8"), readFileSync(path.join(out, "b.ts"), "utf8")]).toEqual(["new a", "new b"]);
    expect(consistent(out)).toBe(true);
    expect(readdirSync(out).sort()).toEqual([MANIFEST, "a.ts", "b.ts"]);
  }, 20_000);

  test("staging happens inside the output directory (a mount point works: no rename crosses a device)", () => {
    const dir = fresh();
    const out = path.join(dir, "out");
    mkdirSync(out);
    // The parent is read-only: staging beside the output, as before, would fail (root ignores the bits: then this proves less).
    chmodSync(dir, 0o555);
    try {
      writeOutput(out, [{ path: "a.ts", text: "x" }]);
    } finally {
      chmodSync(dir, 0o755);
    }
    expect(readFileSync(path.join(out, "a.ts"), "utf8")).toBe("x");
  });
});
