import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "./helpers/cli";
import { ROOT } from "./helpers/spec";
import { startServer, type TestServer } from "./helpers/server";
import { readTsFiles, requireTranspiled, typeCheck } from "./helpers/tsc";

/**
 * The `…All` functions of cursor-paginated lists (OpenAI's `after` / `has_more` / `last_id`), from
 * the committed output of spec/fine-tuning-all.yaml, against a real server on 127.0.0.1.
 */

const OUT = path.join(ROOT, "generated", "fine-tuning-all");
const KEY = "sk-pages-test";

type Item = { id: string };
type Pages = AsyncGenerator<Item>;
interface Generated {
  listPaginatedFineTuningJobsAll(params?: object, options?: object): Pages;
  listFineTuningCheckpointPermissionsAll(checkpoint: string, params?: object, options?: object): Pages;
  createClient(options: object): { listPaginatedFineTuningJobsAll(params?: object, options?: object): Pages };
}

let tmp: string;
let server: TestServer;
let baseURL: string;
let gen: Generated;
/** The same spec generated with `--naming camel`. */
let camel: Generated;
/** What each request asked for: its path and its query. */
let requests: { path: string; query: Record<string, string>; auth: string | undefined }[] = [];
/** The pages the server answers, in turn (repeating the last). */
let pages: Record<string, unknown>[] = [];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-pages-"));
  gen = requireTranspiled<Generated>(readTsFiles(OUT), path.join(tmp, "cjs"));
  const camelOut = path.join(tmp, "camel");
  expect((await cli("generate", path.join(ROOT, "spec", "fine-tuning-all.yaml"), "-o", camelOut, "--quiet", "--naming", "camel")).code).toBe(0);
  camel = requireTranspiled<Generated>(readTsFiles(camelOut), path.join(camelOut, "cjs"));
  server = await startServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams), auth: req.headers.authorization });
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(pages[Math.min(requests.length - 1, pages.length - 1)]));
  });
  baseURL = server.baseURL;
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
});

const options = () => ({ apiKey: KEY, baseURL, maxRetries: 0 });
const job = (id: string) => ({ id, object: "fine_tuning.job" });
const list = (ids: string[], hasMore: boolean, extra: Record<string, unknown> = {}) => ({ object: "list", data: ids.map(job), has_more: hasMore, ...extra });

async function collect(items: AsyncIterable<Item>, stopAfter = Infinity): Promise<string[]> {
  const out: string[] = [];
  for await (const item of items) {
    out.push(item.id);
    if (out.length >= stopAfter) break;
  }
  return out;
}

test.each([
  {
    given: "three pages, the cursor from the last item's id",
    pages: [list(["a", "b"], true), list(["c", "d"], true), list(["e"], false)],
    call: () => gen.listPaginatedFineTuningJobsAll({ limit: 2 }, options()),
    want: ["a", "b", "c", "d", "e"],
    afters: [undefined, "b", "d"],
  },
  {
    given: "the page's last_id before its last item's id",
    pages: [list(["a", "b"], true, { last_id: "cursor-1" }), list(["c"], false, { last_id: "c" })],
    call: () => gen.listFineTuningCheckpointPermissionsAll("ckpt", { limit: 2 }, options()),
    want: ["a", "b", "c"],
    afters: [undefined, "cursor-1"],
  },
  {
    given: "an after of the caller's own for the first page",
    pages: [list(["c"], false)],
    call: () => gen.listPaginatedFineTuningJobsAll({ after: "b" }, options()),
    want: ["c"],
    afters: ["b"],
  },
  {
    given: "a server that repeats its cursor (stops instead of looping)",
    pages: [list(["a"], true), list(["a"], true)],
    call: () => gen.listPaginatedFineTuningJobsAll({}, options()),
    want: ["a", "a"],
    afters: [undefined, "a"],
  },
  {
    given: "an empty page that claims more",
    pages: [list([], true)],
    call: () => gen.listPaginatedFineTuningJobsAll(undefined, options()),
    want: [],
    afters: [undefined],
  },
])("$given", async ({ pages: script, call, want, afters }) => {
  pages = script;
  expect(await collect(call())).toEqual(want);
  expect(requests.map((r) => r.query.after)).toEqual(afters);
  // Other query parameters ride along on every page.
  if (script.length > 1 && requests[0].query.limit) expect(requests.every((r) => r.query.limit === "2")).toBe(true);
});

test("with --naming camel the pages are read by the types' keys (hasMore, lastId)", async () => {
  pages = [list(["a", "b"], true, { last_id: "cursor-1" }), list(["c"], false)];
  expect(await collect(camel.listFineTuningCheckpointPermissionsAll("ckpt", {}, options()))).toEqual(["a", "b", "c"]);
  expect(requests.map((r) => r.query.after)).toEqual([undefined, "cursor-1"]);
});

test("breaking out of the loop stops asking for pages", async () => {
  pages = [list(["a", "b"], true), list(["c", "d"], true)];
  expect(await collect(gen.listPaginatedFineTuningJobsAll({}, options()), 1)).toEqual(["a"]);
  expect(requests).toHaveLength(1);
});

test("createClient binds it with the client's options", async () => {
  pages = [list(["a"], true), list(["b"], false)];
  const client = gen.createClient({ apiKey: KEY, baseURL, maxRetries: 0 });
  expect(await collect(client.listPaginatedFineTuningJobsAll())).toEqual(["a", "b"]);
  expect(requests.map((r) => [r.path, r.auth])).toEqual([
    ["/v1/fine_tuning/jobs", `Bearer ${KEY}`],
    ["/v1/fine_tuning/jobs", `Bearer ${KEY}`],
  ]);
});

test("types: the items are the list's item type; what it lacks does not compile", () => {
  const file = (name: string, line: string) => {
    const f = path.join(tmp, name);
    writeFileSync(f, [`import { listPaginatedFineTuningJobsAll } from ${JSON.stringify(path.join(OUT, "index"))};`, `export async function f(): Promise<void> {`, `  for await (const job of listPaginatedFineTuningJobsAll({ limit: 10 })) {`, `    ${line}`, `  }`, `}`, ``].join("\n"));
    return f;
  };
  expect(typeCheck([file("pages-ok.ts", `const status: "queued" | "running" | "succeeded" | "failed" | "cancelled" | "validating_files" = job.status;`)])).toEqual([]);
  expect(typeCheck([file("pages-wrong.ts", "job.nope;")]).join("\n")).toMatch(/Property 'nope' does not exist on type 'FineTuningJob'/);
});
