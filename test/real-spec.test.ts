import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { load as loadYaml } from "js-yaml";
import { specToIr } from "../generator/index";
import type { IrDocument } from "../generator/ir/types";
import { cli } from "./helpers/cli";
import { loadGenerated, transpileTo } from "./helpers/load";
import { ROOT, SHARED_SPECS } from "./helpers/spec";
import { EQUAL, STRICTEST_OPTIONS, typeCheck } from "./helpers/tsc";
import { suiteTempDir } from "./helpers/temp";

/** Real-world shapes: a spec split over files, the 3.0/3.1 constructs, and the whole OpenAI spec. */

const tmp = suiteTempDir("morph-real-");


/** Writes a type-test file importing the generated module as `M`, compiles it, returns diagnostics. */
function checkTypes(name: string, generated: string, body: string[]): string[] {
  const file = path.join(tmp, `${name}.types.ts`);
  writeFileSync(file, [`import * as M from ${JSON.stringify(path.join(generated, "index"))};`, EQUAL, ...body, ""].join("\n"));
  return typeCheck([file]);
}

describe("a spec split over several files", () => {
  const FIXTURE = path.join(ROOT, "test", "fixtures", "multi-file", "openapi.yaml");
  let out: string;
  let ir: IrDocument;
  beforeAll(async () => {
    out = path.join(tmp, "multi-file");
    const result = await cli("generate", FIXTURE, "-o", out, "--quiet");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    ir = specToIr(FIXTURE);
  });

  test("each imported schema becomes one type, and imported parameters or bodies none", () => {
    // Parameters, responses and request bodies from other files are not schemas: no `PetId` type.
    expect(ir.declarations.map((d) => [d.name, d.source])).toEqual([
      ["Address", "component"],
      ["Owner", "component"],
      ["Pet", "component"],
      ["Status", "component"],
      ["Tag", "component"],
    ]);
  });

  test("operations see parameters, responses and request bodies through every kind of $ref", () => {
    expect(ir.operations.map((o) => [o.name, o.pathParams.map((p) => p.name), o.queryParams.map((p) => p.name), o.requestBody?.required, o.response.status])).toEqual([
      ["getPet", ["petId"], [], undefined, "200"],
      ["replacePet", ["petId"], [], true, "200"],
      ["listPets", [], ["limit"], undefined, "200"],
    ]);
  });

  test("a 3.1 $ref with a sibling description documents that use", () => {
    const types = readFileSync(path.join(out, "types.ts"), "utf8");
    expect(types).toMatch(/\/\*\* Who looks after the pet\. \*\/\n\s+owner: Owner;/);
  });

  test("the output compiles and its types are the spec's", () => {
    expect(
      checkTypes("multi-file", out, [
        `export const pet: Equal<M.Pet, { id: number; name: string; owner: M.Owner; tags?: M.Tag[]; status?: M.Status }> = true;`,
        `export const owner: Equal<M.Owner, { name: string; address?: M.Address }> = true;`,
        `export const address: Equal<M.Address, { city: string; postcode?: string | null }> = true;`,
        `export const status: Equal<M.Status, "available" | "adopted"> = true;`,
        `export const getPet: Equal<Parameters<typeof M.getPet>, [petId: number, options?: M.RequestOptions]> = true;`,
        `export const getPetResult: Equal<ReturnType<typeof M.getPet>, Promise<M.Pet>> = true;`,
        `export const replacePet: Equal<Parameters<typeof M.replacePet>, [petId: number, body: M.Pet, options?: M.RequestOptions]> = true;`,
        `export const listPets: Equal<ReturnType<typeof M.listPets>, Promise<M.Pet[]>> = true;`,
        `export const limit: Equal<M.ListPetsParams, { limit?: number }> = true;`,
        `// @ts-expect-error a parameter is not a schema, so there is no type for it`,
        `export type NoParameterType = M.PetId;`,
        `// @ts-expect-error the harness can fail: owner is required`,
        `export const incomplete: M.Pet = { id: 1, name: "Rex" };`,
      ]),
    ).toEqual([]);
  });

  test("an imported schema never replaces the entry's own schema of the same name", async () => {
    const dir = path.join(tmp, "collision");
    mkdirSync(path.join(dir, "s"), { recursive: true });
    writeFileSync(path.join(dir, "s", "pet.yaml"), ["Pet:", "  type: object", "  properties:", '    tag: {$ref: "#/Tag"}', "Tag:", "  type: object", "  properties:", "    label: {type: string}", ""].join("\n"));
    writeFileSync(
      path.join(dir, "openapi.yaml"),
      ["openapi: 3.1.0", "info: {title: T, version: '1'}", "paths: {}", "components:", "  schemas:", "    Holder:", "      type: object", "      properties:", '        pet: {$ref: "./s/pet.yaml#/Pet"}', '        tag: {$ref: "#/components/schemas/Tag"}', "    Tag: {type: string, enum: [entry-tag]}", ""].join("\n"),
    );
    const result = await cli("generate", path.join(dir, "openapi.yaml"), "-o", path.join(dir, "out"), "--quiet");
    expect(result.code).toBe(0);
    expect(
      checkTypes("collision", path.join(dir, "out"), [
        `export const holderTag: Equal<M.Holder["tag"], "entry-tag" | undefined> = true;`,
        `export const petTag: Equal<M.Pet["tag"], M.Tag2 | undefined> = true;`,
        `export const tag2: Equal<M.Tag2, { label?: string }> = true;`,
      ]),
    ).toEqual([]);
  });
});

describe("OpenAPI 3.0 and 3.1 constructs", () => {
  interface Row {
    given: string;
    version: "3.0" | "3.1";
    schemas: Record<string, unknown>;
    /** Type-level assertions about the generated module `M`, each on a line of its own. */
    want: string[];
  }
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const rows: Row[] = [
    {
      given: "3.0 nullable: true",
      version: "3.0",
      schemas: { Nullable30: { type: "object", required: ["a"], properties: { a: { type: "string", nullable: true } } } },
      want: [`Equal<M.Nullable30, { a: string | null }>`],
    },
    {
      given: "3.0 nullable component: declared without null, referenced with it",
      version: "3.0",
      schemas: { MaybeName: { type: "string", nullable: true }, UsesMaybe: { type: "object", required: ["x"], properties: { x: ref("MaybeName") } } },
      want: [`Equal<M.MaybeName, string>`, `Equal<M.UsesMaybe, { x: M.MaybeName | null }>`],
    },
    {
      given: '3.1 type: [x, "null"]',
      version: "3.1",
      schemas: { TypeArray: { type: "object", required: ["n"], properties: { n: { type: ["integer", "null"] } } } },
      want: [`Equal<M.TypeArray, { n: number | null }>`],
    },
    {
      given: "3.1 anyOf: [x, {type: null}]",
      version: "3.1",
      schemas: { AnyOfNull: { type: "object", properties: { s: { anyOf: [{ type: "string" }, { type: "null" }] } } } },
      want: [`Equal<M.AnyOfNull, { s?: string | null }>`],
    },
    {
      given: "const",
      version: "3.1",
      schemas: { Const: { const: "fixed" } },
      want: [`Equal<M.Const, "fixed">`],
    },
    {
      given: "allOf of a base and an object: one interface",
      version: "3.1",
      schemas: {
        Base: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
        Merged: { allOf: [ref("Base"), { type: "object", required: ["extra"], properties: { extra: { type: "number" } } }] },
      },
      want: [`Equal<M.Merged, { id: string; extra: number }>`],
    },
    {
      given: "allOf that redeclares a base property: an intersection",
      version: "3.1",
      schemas: {
        Base: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
        Clash: { allOf: [ref("Base"), { type: "object", properties: { id: { type: "string", enum: ["fixed-id"] } } }] },
      },
      // Base requires id, so the whole object does (allOf merges required across members).
      want: [`Equal<M.Clash, M.Base & { id: "fixed-id" }>`, `Equal<M.Clash["id"], "fixed-id">`],
    },
    {
      given: "additionalProperties: true",
      version: "3.1",
      schemas: { ApTrue: { type: "object", properties: { a: { type: "string" } }, additionalProperties: true } },
      want: [`Equal<M.ApTrue, { [key: string]: unknown; a?: string }>`],
    },
    {
      given: "additionalProperties: false",
      version: "3.1",
      schemas: { ApFalse: { type: "object", properties: { a: { type: "string" } }, additionalProperties: false } },
      want: [`Equal<M.ApFalse, { a?: string }>`],
    },
    {
      given: "additionalProperties: a schema",
      version: "3.1",
      schemas: { ApSchema: { type: "object", properties: { a: { type: "string" } }, additionalProperties: { type: "integer" } } },
      want: [`Equal<M.ApSchema["extra"], number | string | undefined>`, `Equal<M.ApSchema["a"], string | undefined>`],
    },
    {
      given: "patternProperties only: a map",
      version: "3.1",
      schemas: { Pattern: { type: "object", patternProperties: { "^x-": { type: "boolean" } } } },
      want: [`Equal<M.Pattern, { [key: string]: boolean }>`],
    },
    {
      given: "a recursive tree",
      version: "3.1",
      schemas: { Tree: { type: "object", required: ["value"], properties: { value: { type: "string" }, children: { type: "array", items: ref("Tree") } } } },
      want: [`Equal<M.Tree, { value: string; children?: M.Tree[] }>`],
    },
    {
      given: "property names that are not identifiers",
      version: "3.1",
      schemas: { Odd: { type: "object", properties: { "a-b": { type: "string" }, "1st": { type: "string" }, "with space": { type: "string" }, class: { type: "string" }, "": { type: "string" } } } },
      want: [`Equal<M.Odd, { "a-b"?: string; "1st"?: string; "with space"?: string; class?: string; ""?: string }>`],
    },
    {
      given: "names that collide after sanitising, a reserved word, a runtime name",
      version: "3.1",
      schemas: { "Thing.Extra": { type: "string" }, Thing_Extra: { type: "number" }, class: { enum: ["klass"] }, APIError: { type: "object", properties: { code: { type: "string" } } } },
      want: [`Equal<M.ThingExtra, string>`, `Equal<M.ThingExtra2, number>`, `Equal<M.Class, "klass">`, `Equal<M.APIErrorSchema, { code?: string }>`, `Equal<InstanceType<typeof M.APIError>["status"], M.APIError["status"]>`],
    },
  ];

  /** One spec per version holding every row's schemas; one compile for the whole table. */
  const outputs: Record<string, { stdout: string }> = {};
  let diagnostics: string[];
  const lineOf = new Map<string, number[]>();
  beforeAll(async () => {
    const body: string[] = [`import * as M30 from ${JSON.stringify(path.join(tmp, "constructs-3.0", "index"))};`, `import * as M31 from ${JSON.stringify(path.join(tmp, "constructs-3.1", "index"))};`, EQUAL];
    for (const version of ["3.0", "3.1"] as const) {
      const schemas = Object.assign({}, ...rows.filter((r) => r.version === version).map((r) => r.schemas));
      const spec = path.join(tmp, `constructs-${version}.json`);
      writeFileSync(spec, JSON.stringify({ openapi: version === "3.0" ? "3.0.3" : "3.1.0", info: { title: "Constructs", version: "1" }, paths: {}, components: { schemas } }));
      const result = await cli("generate", spec, "-o", path.join(tmp, `constructs-${version}`), "--verbose");
      expect(result.code).toBe(0);
      outputs[version] = result;
    }
    rows.forEach((row, i) => {
      const lines: number[] = [];
      row.want.forEach((want, j) => {
        body.push(`export const row${i}_${j}: ${want.replace(/\bM\./g, row.version === "3.0" ? "M30." : "M31.")} = true;`);
        lines.push(body.length);
      });
      lineOf.set(row.given, lines);
    });
    const file = path.join(tmp, "constructs.types.ts");
    writeFileSync(file, body.join("\n") + "\n");
    diagnostics = typeCheck([file, path.join(tmp, "constructs-3.0", "index.ts"), path.join(tmp, "constructs-3.1", "index.ts")]);
  });

  test("the generated code itself compiles under --strict", () => {
    expect(diagnostics.filter((d) => !d.includes("constructs.types.ts"))).toEqual([]);
  });

  test.each(rows)("$given ($version)", ({ given }) => {
    const lines = lineOf.get(given)!;
    expect(diagnostics.filter((d) => lines.some((l) => d.includes(`constructs.types.ts:${l}:`)))).toEqual([]);
  });

  test("with --verbose, renames are printed on stdout, one line each", () => {
    expect(outputs["3.1"].stdout.split("\n").filter((l) => l.startsWith("renamed "))).toEqual([
      "renamed APIError → APIErrorSchema (the name is taken by the generated runtime or a global type) at #/components/schemas/APIError",
      "renamed Thing.Extra → ThingExtra (sanitised to a TypeScript identifier) at #/components/schemas/Thing.Extra",
      "renamed Thing_Extra → ThingExtra2 (sanitised to a TypeScript identifier, then numbered: it collides with another name) at #/components/schemas/Thing_Extra",
      "renamed class → Class (sanitised to a TypeScript identifier) at #/components/schemas/class",
    ]);
  });

  test("the harness can fail: a wrong row is reported on its own line", () => {
    const file = path.join(tmp, "constructs-wrong.types.ts");
    writeFileSync(file, [`import * as M from ${JSON.stringify(path.join(tmp, "constructs-3.1", "index"))};`, EQUAL, `export const wrong: Equal<M.ApFalse, { a: string }> = true;`].join("\n"));
    expect(typeCheck([file])).toEqual([expect.stringMatching(/constructs-wrong\.types\.ts:3: Type 'true' is not assignable to type 'false'/)]);
  });
});

describe("parameter shapes that once broke the client", () => {
  const param = (name: string, where: string, schema: unknown = { type: "string" }) => ({ name, in: where, required: where === "path", ...(schema ? { schema } : {}) });
  const ok = { "200": { description: "ok" } };
  const rows: { given: string; fix: string; paths: Record<string, unknown> }[] = [
    {
      given: "path parameters that sanitise to one name (a-b, a_b, aB)",
      fix: "client.ts localName: number a local that is already taken (aB, aB2, aB3)",
      paths: { "/x/{a-b}/{a_b}/{aB}": { get: { parameters: ["a-b", "a_b", "aB"].map((n) => param(n, "path")), responses: ok } } },
    },
    {
      given: "a path template naming one parameter twice",
      fix: "build.ts buildOperation: de-duplicate pathOrder ([...new Set(...)])",
      paths: { "/x/{id}/{id}": { get: { parameters: [param("id", "path")], responses: ok } } },
    },
    {
      given: "a query parameter named body beside a request body",
      fix: "build.ts/client.ts: name the body property of the params type something free (body2), or refuse the clash",
      paths: { "/x": { post: { parameters: [param("body", "query")], requestBody: { content: { "application/json": { schema: { type: "string" } } } }, responses: ok } } },
    },
    {
      given: "a query and a header parameter of the same name",
      fix: "client.ts paramsInterface: one property per name (suffix the header one), or refuse the clash in build.ts",
      paths: { "/x": { get: { parameters: [param("x", "query"), param("x", "header")], responses: ok } } },
    },
    {
      given: "a path parameter without a schema",
      fix: "client.ts signatureOf: type a path parameter whose schema is unknown as string | number",
      paths: { "/x/{id}": { get: { parameters: [param("id", "path", null)], responses: ok } } },
    },
  ];
  const diagnostics = new Map<string, string[]>();
  beforeAll(async () => {
    const entries: string[] = [];
    for (const [i, row] of rows.entries()) {
      const spec = path.join(tmp, `client-edge-${i}.json`);
      writeFileSync(spec, JSON.stringify({ openapi: "3.1.0", info: { title: "Edge", version: "1" }, paths: row.paths }));
      const result = await cli("generate", spec, "-o", path.join(tmp, `client-edge-${i}`), "--quiet");
      diagnostics.set(row.given, result.code === 0 ? [] : [result.stderr]);
      entries.push(path.join(tmp, `client-edge-${i}`, "index.ts"));
    }
    for (const d of typeCheck(entries)) {
      const i = Number(/client-edge-(\d+)/.exec(d)?.[1]);
      diagnostics.get(rows[i].given)!.push(d);
    }
  });
  // `fix` says where each was fixed.
  test.each(rows)("$given generates a client that compiles ($fix)", ({ given }) => {
    expect(diagnostics.get(given)).toEqual([]);
  });
});

test("an API with no schemas and no operations still generates a module that compiles", async () => {
  const spec = path.join(tmp, "empty.json");
  writeFileSync(spec, JSON.stringify({ openapi: "3.1.0", info: { title: "Empty", version: "1" }, paths: {} }));
  const result = await cli("generate", spec, "-o", path.join(tmp, "empty"), "--quiet");
  expect(result.code).toBe(0);
  // Under the strictest flags too: nothing imported or declared goes unused.
  expect(typeCheck([path.join(tmp, "empty", "index.ts")], STRICTEST_OPTIONS)).toEqual([]);
});

const OPENAI = path.join(SHARED_SPECS, "openai-2026-08-21.yaml");
const describeOpenAI = existsSync(OPENAI) ? describe : describe.skip;
const skipReason = existsSync(OPENAI) ? "" : ` (skipped: ${OPENAI} is absent)`;

// Types, client and validators, type-checked bodies included: about 15 s here.
describeOpenAI(`the full OpenAI spec: types, client and validators${skipReason}`, () => {
  type Raw = Record<string, any>;
  let raw: Raw;
  let ir: IrDocument;
  let out: string;
  let result: { code: number; stdout: string; stderr: string };
  let diagnostics: string[];
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    raw = loadYaml(readFileSync(OPENAI, "utf8")) as Raw;
    out = path.join(tmp, "openai");
    let t = performance.now();
    // The terminal gets a summary; every line goes to the report.
    result = await cli("generate", OPENAI, "-o", out, "--report", path.join(tmp, "openai-report.txt"));
    timings.generate = performance.now() - t;
    ir = specToIr(OPENAI);
    t = performance.now();
    diagnostics = typeCheck([path.join(out, "index.ts")], STRICTEST_OPTIONS);
    timings.tsc = performance.now() - t;
  });
  afterAll(() => {
    // Kept in the log so a slowdown shows up in CI before it hurts.
    if (timings.generate) console.log(`OpenAI spec: generate ${Math.round(timings.generate)} ms, tsc ${Math.round(timings.tsc)} ms`);
  });

  test("generates without failing", () => {
    expect(result.code).toBe(0);
  });

  test("prints a short summary: a line for the job and one per kind of warning, each line bounded", () => {
    const lines = [...result.stdout.split("\n"), ...result.stderr.split("\n")].filter((l) => l !== "");
    expect(lines.length).toBeLessThanOrEqual(12);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(240);
    expect(result.stdout).toMatch(/: \d+ written, 0 unchanged \(\d+ types, \d+ operations, \d+ unions inferred, \d+ renamed\), \d+ warnings$/m);
    // Every operation has a client function now (issue 14): no line for skipped ones.
    expect(result.stderr).not.toMatch(/client function skipped/);
  });

  test("every component schema has a type", () => {
    const names = Object.keys(raw.components.schemas);
    expect(names.length).toBe(1422);
    const bySpecName = new Map(ir.declarations.filter((d) => d.source === "component").map((d) => [d.specName, d.name]));
    const types = readFileSync(path.join(out, "types.ts"), "utf8");
    const declared = new Set([...types.matchAll(/^export (?:interface|type) (\w+)/gm)].map((m) => m[1]));
    expect(names.filter((n) => !declared.has(bySpecName.get(n) ?? "?"))).toEqual([]);
  });

  test("every operation has a client function, whatever its media types, and none is skipped", () => {
    const ids: string[] = [];
    for (const item of Object.values(raw.paths) as Raw[]) {
      for (const method of ["get", "put", "post", "delete", "options", "head", "patch"]) {
        if (item[method]) ids.push(item[method].operationId);
      }
    }
    expect(Object.keys(raw.paths).length).toBe(182);
    const client = readFileSync(path.join(out, "client.ts"), "utf8");
    const functions = new Set([...client.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]));
    const nameOf = new Map(ir.operations.map((o) => [o.operationId, o.name]));
    expect(ids.filter((id) => !functions.has(nameOf.get(id) ?? "?"))).toEqual([]);
    const report = readFileSync(path.join(tmp, "openai-report.txt"), "utf8");
    expect(report).toContain("union ");
    expect(report.split("\n").filter((l) => / client function skipped: /.test(l))).toEqual([]);
  });

  test("uploads, files and audio get the function their media types call for", () => {
    const client = readFileSync(path.join(out, "client.ts"), "utf8");
    const heads = [
      "export function createFile(body: CreateFileRequest, options?: RequestOptions): Promise<OpenAIFile> {",
      "export function downloadFile(file_id: string, options?: RequestOptions): Promise<string> {",
      "export function createSpeech(body: CreateSpeechRequest, options?: RequestOptions): Promise<Blob> {",
    ];
    for (const head of heads) expect([head, client.includes(head)]).toEqual([head, true]);
    expect(client).toMatch(/^export function createSpeechStream\([^]*?\): Promise<EventStream<CreateSpeechResponseStreamEvent>> \{$/m);
    const types = readFileSync(path.join(out, "types.ts"), "utf8");
    expect(types).toContain("  file: Blob | File | Uint8Array | ArrayBuffer | ReadableStream | AsyncIterable<Uint8Array>;");
  });

  test("the fine-tuning workflow runs on the client generated from the whole spec", async () => {
    // Transpiled only: the output and the example were type-checked above and in media.test.ts.
    const client = loadGenerated(out);
    const example = path.join(tmp, "fine-tuning-workflow.js");
    transpileTo(path.join(ROOT, "examples", "fine-tuning-workflow.ts"), example, (t) => t.replace(/"\.\.\/generated\/fine-tuning-workflow"/, JSON.stringify(`${out}-js`)));
    const { checkFineTuningWorkflow } = await import("./helpers/workflow");
    await checkFineTuningWorkflow(client, require(example));
  }, 120_000);

  test("each operation whose response can also be an event stream has a …Stream twin yielding the spec's event type", () => {
    const client = readFileSync(path.join(out, "client.ts"), "utf8");
    const streaming = ir.operations.filter((op) => !op.unsupported && op.response.eventStream && op.response.kind !== "events");
    expect(streaming.map((op) => op.operationId)).toEqual(expect.arrayContaining(["createChatCompletion", "createResponse"]));
    for (const op of streaming) {
      const event = op.response.eventStream?.schema;
      const eventType = event?.kind === "ref" ? event.name : "unknown";
      const head = new RegExp(`^export function ${op.name}Stream\\([^]*?\\): Promise<EventStream<${eventType}>> \\{$`, "m");
      expect([op.operationId, head.test(client)]).toEqual([op.operationId, true]);
    }
    const chat = client.slice(client.indexOf("export function createChatCompletionStream("));
    expect(chat.slice(0, chat.indexOf("\n}\n"))).toContain("body: { ...body, stream: true },");
  });

  test("the cursor-paginated lists get an …All function, and only operations with an after parameter do", () => {
    const client = readFileSync(path.join(out, "client.ts"), "utf8");
    const paged = [...client.matchAll(/^export function (\w+)All\(/gm)].map((m) => m[1]);
    expect(paged).toEqual(expect.arrayContaining(["listPaginatedFineTuningJobs", "listFineTuningEvents", "listFiles", "listAssistants"]));
    const withAfter = new Set(ir.operations.filter((op) => op.queryParams.some((p) => p.name === "after")).map((op) => op.name));
    expect(paged.filter((name) => !withAfter.has(name))).toEqual([]);
  });

  test("prettier leaves the output as it is, though the formatter ran it on few statements", async () => {
    const { formatText } = await import("../generator/pipeline/format/format");
    for (const f of ["types.ts", "client.ts", "validators.ts"]) {
      const text = readFileSync(path.join(out, f), "utf8");
      expect([f, (await formatText(text)) === text]).toEqual([f, true]);
    }
  }, 60_000);

  test("the output compiles under the strictest flags, client, validator and runtime bodies included", () => {
    expect(existsSync(path.join(out, "validators.ts"))).toBe(true);
    expect(diagnostics).toEqual([]);
  });
});
