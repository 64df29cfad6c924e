import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { MAX_DEPTH } from "../generator/pipeline/load";
import { cli, cliIn } from "./helpers/cli";
import { ROOT } from "./helpers/spec";
import { typeCheck } from "./helpers/tsc";

/**
 * Every way a spec can be wrong ends the same way: exit 1 (2 for a usage mistake), one message
 * that names the file, the JSON pointer and, where the YAML parser knows it, line:column; no stack
 * unless --verbose; and the output directory exactly as it was.
 */

let tmp: string;
/** A previous good generation plus a file of the user's, copied into each case's output dir. */
let previousOutput: string;

const GOOD = ["openapi: 3.1.0", "info: {title: Good, version: '1'}", "paths: {}", "components:", "  schemas:", "    Pet: {type: object, properties: {name: {type: string}}}", ""].join("\n");

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-bad-"));
  previousOutput = path.join(tmp, "previous");
  writeFileSync(path.join(tmp, "good.yaml"), GOOD);
  const result = await cli("generate", path.join(tmp, "good.yaml"), "-o", previousOutput, "--quiet");
  expect(result.code).toBe(0);
  writeFileSync(path.join(previousOutput, "mine.ts"), "// the user's own file\nexport const mine = 1;\n");
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Every file below `dir` with its bytes, so "unchanged" means byte for byte. */
function contents(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const full = path.join(e.parentPath, e.name);
        return [path.relative(dir, full).split(path.sep).join("/"), readFileSync(full).toString("base64")];
      })
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const lines = (...l: string[]) => l.join("\n") + "\n";
const HEAD = ["openapi: 3.1.0", "info: {title: T, version: '1'}"];

/** A 1 KB file whose aliases stand for 9^8 nodes. */
function aliasBomb(): string {
  const out = [...HEAD, "paths: {}", "x-defs:", "  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i <= 8; i++) out.push(`  a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(", ")}]`);
  out.push("components:", "  schemas:", "    A:", "      type: string", "      enum: *a8");
  return lines(...out);
}

function deeplyNested(levels: number): string {
  let schema: unknown = { type: "string" };
  for (let i = 0; i < levels; i++) schema = { type: "array", items: schema };
  return JSON.stringify({ openapi: "3.1.0", info: { title: "T", version: "1" }, paths: {}, components: { schemas: { Deep: schema } } });
}

interface Case {
  given: string;
  /** Files of the case; the spec is `bad.yaml` unless `spec` says otherwise. */
  files: Record<string, string>;
  spec?: string;
  /** The whole message: first line, and a hint line when the error has one. */
  want: RegExp;
}

const cases: Case[] = [
  {
    given: "invalid YAML: a duplicate key",
    files: { "bad.yaml": lines("openapi: 3.1.0", "openapi: 3.0.0", "info: {title: T, version: '1'}", "paths: {}") },
    want: /^error E_YAML: bad\.yaml:2:1: invalid YAML: Map keys must be unique$/,
  },
  {
    given: "invalid YAML: a tab as indentation",
    files: { "bad.yaml": lines(...HEAD, "paths:", "\t/a: {}") },
    want: /^error E_YAML: bad\.yaml:4:1: invalid YAML: Tabs are not allowed as indentation$/,
  },
  {
    given: "invalid JSON (a trailing comma), reported by the YAML parser it falls back to",
    files: { "bad.json": '{"openapi": "3.1.0", "paths": {,}}' },
    spec: "bad.json",
    want: /^error E_YAML: bad\.json:1:32: invalid YAML: Unexpected , in flow map$/,
  },
  {
    given: "a document that is an array",
    files: { "bad.yaml": lines("- openapi: 3.1.0") },
    want: /^error E_NOT_OBJECT: bad\.yaml #: the document is an array, not an OpenAPI object\n {2}hint: an OpenAPI document is a mapping/,
  },
  {
    given: "a document that is a scalar",
    files: { "bad.yaml": lines("just some text") },
    want: /^error E_NOT_OBJECT: bad\.yaml #: the document is a string, not an OpenAPI object\n {2}hint: /,
  },
  {
    given: "an empty file",
    files: { "bad.yaml": "" },
    want: /^error E_NOT_OBJECT: bad\.yaml #: the document is empty, not an OpenAPI object\n {2}hint: /,
  },
  {
    given: "Swagger 2.0",
    files: { "bad.yaml": lines('swagger: "2.0"', "info: {title: T, version: '1'}", "paths: {}") },
    want: /^error E_SWAGGER2: bad\.yaml:1:1 #\/swagger: Swagger 2\.0 is not supported; openapi-morph reads OpenAPI 3\.0 and 3\.1\n {2}hint: convert it first, e\.g\. with swagger2openapi/,
  },
  {
    given: "no `openapi` field",
    files: { "bad.yaml": lines("info: {title: T, version: '1'}", "paths: {}") },
    want: /^error E_MISSING_FIELD: bad\.yaml #: missing required field `openapi` \(e\.g\. `openapi: 3\.1\.0`\)$/,
  },
  {
    given: "`openapi: 3.0`, which YAML reads as the number 3",
    files: { "bad.yaml": lines("openapi: 3.0", "info: {title: T, version: '1'}", "paths: {}") },
    want: /^error E_VERSION: bad\.yaml:1:1 #\/openapi: unsupported OpenAPI version 3; expected 3\.0\.x or 3\.1\.x\n {2}hint: write the full version as a string, e\.g\. openapi: "3\.0\.0"$/,
  },
  {
    given: "no `paths`",
    files: { "bad.yaml": lines(...HEAD) },
    want: /^error E_MISSING_FIELD: bad\.yaml #: missing required field `paths`\n {2}hint: an API with no operations can say `paths: \{\}`$/,
  },
  {
    given: "an unresolved $ref",
    files: {
      "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", "      type: object", "      properties:", "        b:", '          $ref: "#/components/schemas/Bee"', "    B: {type: string}"),
    },
    want: /^error E_REF: bad\.yaml:9:9 #\/components\/schemas\/A\/properties\/b: unresolved \$ref "#\/components\/schemas\/Bee"$/,
  },
  {
    given: "an unresolved $ref that differs from a schema only in case",
    files: { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", '      $ref: "#/components/schemas/pet"', "    Pet: {type: string}") },
    want: /^error E_REF: bad\.yaml:6:5 #\/components\/schemas\/A: unresolved \$ref "#\/components\/schemas\/pet"\n {2}hint: did you mean #\/components\/schemas\/Pet\?$/,
  },
  {
    given: "an unresolved $ref inside a referenced file (named, not the entry)",
    files: {
      "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    Pet:", '      $ref: "./schemas/pet.yaml#/Pet"'),
      "schemas/pet.yaml": lines("Pet:", "  type: object", "  properties:", "    owner:", '      $ref: "#/Owner"'),
    },
    want: /^error E_REF: schemas\/pet\.yaml:4:5 #\/Pet\/properties\/owner: unresolved \$ref "#\/Owner": schemas\/pet\.yaml has nothing at #\/Owner$/,
  },
  {
    given: "a $ref to a missing file",
    files: { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", '      $ref: "./missing.yaml#/A"') },
    want: /^error E_REF_FILE: bad\.yaml:6:5 #\/components\/schemas\/A: \$ref "\.\/missing\.yaml#\/A" points to a file that cannot be read \(missing\.yaml: file not found\)$/,
  },
  {
    given: "a remote $ref",
    files: { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", '      $ref: "https://example.com/a.yaml#/A"') },
    want: /^error E_REF: bad\.yaml:6:5 #\/components\/schemas\/A: remote \$ref "https:\/\/example\.com\/a\.yaml#\/A" is not supported\n {2}hint: download the referenced document/,
  },
  {
    given: "invalid YAML in a referenced file",
    files: {
      "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", '      $ref: "./a.yaml#/A"'),
      "a.yaml": lines("A:", "  type: string", "  type: number"),
    },
    want: /^error E_YAML: a\.yaml:3:3: invalid YAML: Map keys must be unique$/,
  },
  {
    given: "a circular $ref chain",
    files: { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", '    A: {$ref: "#/components/schemas/B"}', '    B: {$ref: "#/components/schemas/A"}') },
    want: /^error E_REF: bad\.yaml:6:5 #\/components\/schemas\/A: circular \$ref: #\/components\/schemas\/B → #\/components\/schemas\/A → #\/components\/schemas\/B\n {2}hint: /,
  },
  {
    given: "duplicate operationIds",
    files: {
      "bad.yaml": lines(...HEAD, "paths:", "  /a:", "    get:", "      operationId: same", '      responses: {"200": {description: ok}}', "  /b:", "    get:", "      operationId: same", '      responses: {"200": {description: ok}}'),
    },
    want: /^error E_DUPLICATE_OPERATION: bad\.yaml:10:7 #\/paths\/~1b\/get\/operationId: duplicate operationId "same", first used at #\/paths\/~1a\/get\/operationId\n {2}hint: operationIds must be unique$/,
  },
  {
    given: "an unknown schema type",
    files: { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", "      type: object", "      properties:", "        b:", "          type: strng") },
    want: /^error E_SCHEMA: bad\.yaml:10:11 #\/components\/schemas\/A\/properties\/b\/type: unknown schema type "strng"\n {2}hint: use one of string, number, integer, boolean, object, array, null$/,
  },
  {
    given: "a circular allOf",
    files: {
      "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", "      allOf:", '        - $ref: "#/components/schemas/B"', "    B:", "      allOf:", '        - $ref: "#/components/schemas/A"', "        - {type: object, properties: {b: {type: string}}}"),
    },
    want: /^error E_CIRCULAR_ALLOF: bad\.yaml:7:7 #\/components\/schemas\/A\/allOf: circular allOf: A → B → A\n {2}hint: /,
  },
  {
    given: "YAML aliases that expand exponentially (a billion laughs)",
    files: { "bad.yaml": aliasBomb() },
    want: /^error E_LIMIT: bad\.yaml:\d+:\d+ #\/x-defs\/a\d: YAML aliases expand the document to more than 1000000 nodes\n {2}hint: /,
  },
  {
    given: "a YAML alias inside its own anchor",
    files: { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A: &a", "      type: object", "      properties:", "        self: *a") },
    want: /^error E_LIMIT: bad\.yaml:9:9 #\/components\/schemas\/A\/properties\/self: a YAML alias refers to a node that contains it/,
  },
  {
    given: `nesting deeper than ${MAX_DEPTH} levels`,
    files: { "bad.json": deeplyNested(2 * MAX_DEPTH) },
    spec: "bad.json",
    want: new RegExp(`^error E_LIMIT: bad\\.json #/components/schemas/Deep/items: nesting deeper than ${MAX_DEPTH} levels below this point\\n {2}hint: `),
  },
  {
    given: "a spec file that does not exist",
    files: {},
    spec: "nope.yaml",
    want: /^error E_READ: nope\.yaml: cannot read the spec: file not found$/,
  },
];


function setUp(name: string, files: Record<string, string>): { dir: string; out: string } {
  const dir = path.join(tmp, name.replace(/[^a-z0-9]+/gi, "-"));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  mkdirSync(dir, { recursive: true });
  const out = path.join(dir, "out");
  cpSync(previousOutput, out, { recursive: true });
  return { dir, out };
}

describe("a bad spec fails with one clear message and leaves the output alone", () => {
  test.each(cases)("$given", async ({ given, files, spec = "bad.yaml", want }) => {
    const { dir, out } = setUp(given, files);
    const before = contents(out);

    const result = await cliIn(dir, "generate", spec, "-o", "out");
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(want);
    // One message: its line and at most a hint, never a stack.
    expect(result.stderr.split("\n").slice(1).every((l) => l.startsWith("  hint: "))).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(contents(out)).toEqual(before);
    expect(readdirSync(dir).filter((n) => n.includes("openapi-morph"))).toEqual([]);

    const verbose = await cliIn(dir, "generate", spec, "-o", "out", "--verbose");
    expect(verbose.code).toBe(1);
    expect(verbose.stderr.split("\n")[0]).toBe(result.stderr.split("\n")[0]);
    expect(verbose.stderr).toMatch(/\n\s+at /);
    expect(contents(out)).toEqual(before);
  });
});

describe("usage mistakes exit 2 with the usage text and touch nothing", () => {
  const usage: { given: string[]; want: RegExp }[] = [
    { given: ["generate"], want: /^openapi-morph: generate needs a spec file/ },
    { given: ["generate", "good.yaml"], want: /^openapi-morph: generate needs an output directory: -o <dir>/ },
    { given: ["generate", "good.yaml", "-o"], want: /^openapi-morph: option -o needs a value/ },
    { given: ["generate", "good.yaml", "-o", "out", "--frobnicate"], want: /^openapi-morph: unknown option --frobnicate/ },
    { given: ["generate", "good.yaml", "-o", "out", "--quite"], want: /^openapi-morph: unknown option --quite; did you mean --quiet\?/ },
    { given: ["generate", "good.yaml", "other.yaml", "-o", "out"], want: /^openapi-morph: unexpected argument "other\.yaml"/ },
    { given: ["generate", "good.yaml", "-o", "out", "--out", "out2"], want: /^openapi-morph: --out given more than once/ },
    { given: ["generate", "good.yaml", "-o", "out", "--check=yes"], want: /^openapi-morph: option --check takes no value/ },
  ];
  test.each(usage)("$given", async ({ given, want }) => {
    const { dir, out } = setUp(`usage ${given.join(" ")}`, { "good.yaml": GOOD });
    const before = contents(out);
    const result = await cliIn(dir, ...given);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(want);
    expect(result.stderr).toMatch(/\nUsage: openapi-morph <command>/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(contents(out)).toEqual(before);
  });
});

test("the harness can fail: a good spec does change the pre-populated output", async () => {
  const { dir, out } = setUp("control", { "good.yaml": GOOD.replace("name: {type: string}", "name: {type: integer}") });
  const before = contents(out);
  const result = await cliIn(dir, "generate", "good.yaml", "-o", "out", "--quiet");
  expect(result.code).toBe(0);
  expect(contents(out)).not.toEqual(before);
  expect(contents(out)["mine.ts"]).toBe(before["mine.ts"]);
});

// A schema that reaches itself through anyOf/oneOf/nullable alone (A = A | string) was once
// emitted as `type A = A | string`, which does not compile.
test("a schema that is a union containing itself is refused or generates code that compiles", async () => {
  const { dir } = setUp("self union", {
    "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", "      anyOf:", '        - $ref: "#/components/schemas/A"', "        - type: string"),
  });
  const result = await cliIn(dir, "generate", "bad.yaml", "-o", "fresh", "--quiet");
  if (result.code !== 0) expect(result.stderr).toMatch(/^error E_\w+: bad\.yaml:\d+:\d+ #\/components\/schemas\/A/);
  else expect(typeCheck([path.join(dir, "fresh", "index.ts")])).toEqual([]);
});

// These once ended in "internal error" (an empty oneOf's first member was read; `type: []` became
// a union of nothing, printed as `type A = ;`). An E_SCHEMA error at the schema or a type that
// compiles will do.
test.each([
  { given: "oneOf: []", schema: ["      oneOf: []"] },
  { given: "type: []", schema: ["      type: []"] },
])("$given is refused with a message, not an internal error", async ({ given, schema }) => {
  const { dir } = setUp(`empty ${given}`, { "bad.yaml": lines(...HEAD, "paths: {}", "components:", "  schemas:", "    A:", ...schema) });
  const result = await cliIn(dir, "generate", "bad.yaml", "-o", "fresh", "--quiet");
  if (result.code !== 0) expect(result.stderr).toMatch(/^error E_SCHEMA: bad\.yaml:\d+:\d+ #\/components\/schemas\/A/);
  else expect(typeCheck([path.join(dir, "fresh", "index.ts")])).toEqual([]);
});

// When stdout closes early (`openapi-morph … --dump-ir | head`) the write fails with EPIPE, which
// main() turns into a quiet exit instead of an unhandled 'error' event with its stack.
test("a reader that stops early (| head) gets no stack trace", async () => {
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "openapi-morph.js"), "generate", path.join(ROOT, "spec", "fine-tuning-all.yaml"), "--dump-ir"], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.once("data", () => child.stdout.destroy());
  await new Promise((resolve) => child.on("close", resolve));
  expect(stderr).not.toMatch(/\n\s+at /);
});
