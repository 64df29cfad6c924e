import { existsSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { encodeSummary, summarizeApi, summaryFromManifest, type Change } from "../generator/features/diff";
import { MANIFEST } from "../generator/pipeline/write";
import { cli } from "./helpers/cli";
import { FRAGMENT, SHARED_SPECS, diffIr, irOf } from "./helpers/spec";
import { suiteTempDir } from "./helpers/temp";

const tmp = suiteTempDir("morph-diff-");

type Flow = "response" | "request" | "both";
const THING = { $ref: "#/components/schemas/Thing" };

/** A spec whose operations read `Thing` (GET), send it (POST), or both. */
function specDoc(schemas: Record<string, unknown>, flow: Flow = "response", extraPaths: Record<string, unknown> = {}): Record<string, unknown> {
  const get = { operationId: "getThing", responses: { "200": { description: "ok", content: { "application/json": { schema: THING } } } } };
  const post = { operationId: "createThing", requestBody: { required: true, content: { "application/json": { schema: THING } } }, responses: { "204": { description: "done" } } };
  return {
    paths: { "/thing": { ...(flow !== "request" ? { get } : {}), ...(flow !== "response" ? { post } : {}) }, ...extraPaths },
    components: { schemas },
  };
}

/** `breaking|non-breaking kind at`: one string per change, in report order. */
function changesOf(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return diffIr(irOf(before), irOf(after)).changes.map((c) => `${c.breaking ? "breaking" : "non-breaking"} ${c.kind} ${c.at}`);
}

const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: "object", required, properties });
const str = { type: "string" };
const status = (...values: string[]) => ({ type: "string", enum: values });

describe("change kinds and their class, per direction", () => {
  const table: { name: string; before: Record<string, unknown>; after: Record<string, unknown>; flow?: Flow; want: string[] }[] = [
    { name: "optional property added", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str, b: str }) }, want: ["non-breaking optional-property-added Thing.b"] },
    { name: "required property added, read", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str, b: str }, ["b"]) }, want: ["non-breaking required-property-added Thing.b"] },
    { name: "required property added, sent", flow: "request", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str, b: str }, ["b"]) }, want: ["breaking required-property-added Thing.b"] },
    { name: "property removed", before: { Thing: obj({ a: str, b: str }) }, after: { Thing: obj({ a: str }) }, want: ["breaking property-removed Thing.b"] },
    { name: "property removed, sent", flow: "request", before: { Thing: obj({ a: str, b: str }) }, after: { Thing: obj({ a: str }) }, want: ["breaking property-removed Thing.b"] },
    { name: "required → optional, read", before: { Thing: obj({ a: str }, ["a"]) }, after: { Thing: obj({ a: str }) }, want: ["breaking property-now-optional Thing.a"] },
    { name: "required → optional, sent", flow: "request", before: { Thing: obj({ a: str }, ["a"]) }, after: { Thing: obj({ a: str }) }, want: ["non-breaking property-now-optional Thing.a"] },
    { name: "optional → required, read", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str }, ["a"]) }, want: ["non-breaking property-now-required Thing.a"] },
    { name: "optional → required, sent", flow: "request", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str }, ["a"]) }, want: ["breaking property-now-required Thing.a"] },
    { name: "becomes nullable, read", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: { type: ["string", "null"] } }) }, want: ["breaking nullable-added Thing.a"] },
    { name: "becomes nullable, sent", flow: "request", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: { type: ["string", "null"] } }) }, want: ["non-breaking nullable-added Thing.a"] },
    { name: "no longer nullable, read", before: { Thing: obj({ a: { anyOf: [str, { type: "null" }] } }) }, after: { Thing: obj({ a: str }) }, want: ["non-breaking nullable-removed Thing.a"] },
    { name: "no longer nullable, sent", flow: "request", before: { Thing: obj({ a: { anyOf: [str, { type: "null" }] } }) }, after: { Thing: obj({ a: str }) }, want: ["breaking nullable-removed Thing.a"] },
    { name: "nullable component", before: { Thing: obj({ m: { $ref: "#/components/schemas/Meta" } }), Meta: obj({ k: str }) }, after: { Thing: obj({ m: { $ref: "#/components/schemas/Meta" } }), Meta: { anyOf: [obj({ k: str }), { type: "null" }] } }, want: ["breaking nullable-added Meta", "breaking nullable-added Thing.m"] },
    { name: "enum value added, read", before: { Thing: obj({ s: status("a", "b") }) }, after: { Thing: obj({ s: status("a", "b", "c") }) }, want: ["breaking value-added Thing.s"] },
    { name: "enum value added, sent", flow: "request", before: { Thing: obj({ s: status("a", "b") }) }, after: { Thing: obj({ s: status("a", "b", "c") }) }, want: ["non-breaking value-added Thing.s"] },
    { name: "enum value removed", before: { Thing: obj({ s: status("a", "b") }) }, after: { Thing: obj({ s: status("a") }) }, want: ["breaking value-removed Thing.s"] },
    { name: "literal widened to an enum", before: { Thing: obj({ s: { const: "a" } }) }, after: { Thing: obj({ s: status("a", "b") }) }, want: ["breaking value-added Thing.s"] },
    { name: "a const object's keys reordered: the same value", before: { Thing: obj({ o: { const: { x: 0, y: 1 } } }) }, after: { Thing: obj({ o: { const: { y: 1, x: 0 } } }) }, want: [] },
    { name: "a const object's value changed", before: { Thing: obj({ o: { const: { x: 0 } } }) }, after: { Thing: obj({ o: { const: { x: 1 } } }) }, want: ["breaking value-added Thing.o", "breaking value-removed Thing.o"] },
    { name: "an object value added to an enum", before: { Thing: obj({ e: { enum: ["a", [1]] } }) }, after: { Thing: obj({ e: { enum: ["a", [1], { b: 2 }] } }) }, want: ["breaking value-added Thing.e"] },
    { name: "enum value added inside array items", before: { Thing: obj({ l: { type: "array", items: status("a") } }) }, after: { Thing: obj({ l: { type: "array", items: status("a", "b") } }) }, want: ["breaking value-added Thing.l[]"] },
    { name: "map value type changed", before: { Thing: obj({ m: { type: "object", additionalProperties: str } }) }, after: { Thing: obj({ m: { type: "object", additionalProperties: { type: "boolean" } } }) }, want: ["breaking type-changed Thing.m[string]"] },
    { name: "type changed", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: { type: "boolean" } }) }, want: ["breaking type-changed Thing.a"] },
    { name: "integer ↔ number prints the same", before: { Thing: obj({ a: { type: "integer" } }) }, after: { Thing: obj({ a: { type: "number" } }) }, want: [] },
    { name: "union member added", before: { Thing: obj({ u: { oneOf: [str, { type: "integer" }] } }) }, after: { Thing: obj({ u: { oneOf: [str, { type: "integer" }, { type: "boolean" }] } }) }, want: ["breaking member-added Thing.u"] },
    { name: "union member added, sent", flow: "request", before: { Thing: obj({ u: { oneOf: [str, { type: "integer" }] } }) }, after: { Thing: obj({ u: { oneOf: [str, { type: "integer" }, { type: "boolean" }] } }) }, want: ["non-breaking member-added Thing.u"] },
    { name: "a single type widened to a union", before: { Thing: obj({ u: str }) }, after: { Thing: obj({ u: { oneOf: [str, { type: "integer" }] } }) }, want: ["breaking member-added Thing.u"] },
    { name: "one member of a union changes", before: { Thing: obj({ n: { oneOf: [status("auto"), { type: "integer" }] } }) }, after: { Thing: obj({ n: { oneOf: [status("auto", "max"), { type: "integer" }] } }) }, want: ["breaking value-added Thing.n"] },
    {
      name: "discriminated member added and removed",
      before: { Thing: { oneOf: [obj({ type: { const: "a" }, x: str }, ["type"]), obj({ type: { const: "b" } }, ["type"])] } },
      after: { Thing: { oneOf: [obj({ type: { const: "a" }, x: str }, ["type"]), obj({ type: { const: "c" } }, ["type"])] } },
      // Inline members become declarations of their own (`ThingB`), so the union lists references.
      want: ["breaking member-added Thing", "breaking member-removed Thing", "breaking type-removed ThingB", "non-breaking type-added ThingC"],
    },
    {
      name: "change inside a discriminated member",
      before: { Thing: { oneOf: [obj({ type: { const: "a" }, x: str }, ["type"]), obj({ type: { const: "b" } }, ["type"])] } },
      after: { Thing: { oneOf: [obj({ type: { const: "a" }, x: str, y: str }, ["type"]), obj({ type: { const: "b" } }, ["type"])] } },
      want: ["non-breaking optional-property-added ThingA.y"],
    },
    {
      name: "object → tagged union (FineTuneMethod, 2025 → 2026)",
      before: { Thing: obj({ type: status("a", "b"), a: str, b: str }) },
      after: { Thing: obj({ type: status("a", "b", "c"), a: str, b: str, c: str }, ["type"]) },
      want: ["breaking member-added Thing", "breaking type-changed Thing"],
    },
    { name: "type added", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str }), Other: obj({ b: str }) }, want: ["non-breaking type-added Other"] },
    { name: "type removed", before: { Thing: obj({ a: str }), Other: obj({ b: str }) }, after: { Thing: obj({ a: str }) }, want: ["breaking type-removed Other"] },
    { name: "unused type: both rules apply", flow: "request", before: { Thing: obj({}), Other: obj({ s: status("a") }) }, after: { Thing: obj({}), Other: obj({ s: status("a", "b") }) }, want: ["breaking value-added Other.s"] },
    {
      name: "same shape under a new name",
      before: { Thing: obj({ h: { $ref: "#/components/schemas/OldHyper" } }), OldHyper: obj({ n: str }) },
      after: { Thing: obj({ h: { $ref: "#/components/schemas/NewHyper" } }), NewHyper: obj({ n: str }) },
      want: ["non-breaking type-added NewHyper", "breaking type-removed OldHyper", "non-breaking reference-changed Thing.h"],
    },
    {
      name: "new name, and its shape changed",
      before: { Thing: obj({ h: { $ref: "#/components/schemas/OldHyper" } }), OldHyper: obj({ n: str }, ["n"]) },
      after: { Thing: obj({ h: { $ref: "#/components/schemas/NewHyper" } }), NewHyper: obj({ n: str }) },
      want: ["non-breaking type-added NewHyper", "breaking type-removed OldHyper", "non-breaking reference-changed Thing.h", "breaking property-now-optional Thing.h.n"],
    },
  ];
  test.each(table)("$name", ({ before, after, flow, want }) => {
    expect(changesOf(specDoc(before, flow), specDoc(after, flow))).toEqual(want);
  });
});

describe("operations", () => {
  const op = (parameters: unknown[], extra: Record<string, unknown> = {}) => ({
    "/things/{id}": {
      get: { operationId: "listThings", parameters: [{ name: "id", in: "path", required: true, schema: str }, ...parameters], responses: { "200": { description: "ok", content: { "application/json": { schema: THING } } } }, ...extra },
    },
  });
  const schemas = { Thing: obj({ a: str }), Other: str };
  const q = (name: string, required = false) => ({ name, in: "query", required, schema: str });
  /** The same operation, its answer also a stream of events (of Thing, or of Other when `event` is a string schema). */
  const streams = (event: unknown) => {
    const base = op([]) as Record<string, { get: { responses: Record<string, { content: Record<string, unknown> }> } }>;
    const get = base["/things/{id}"].get;
    const ok = get.responses["200"];
    const schema = event === THING ? THING : { $ref: "#/components/schemas/Other" };
    return { "/things/{id}": { get: { ...get, responses: { "200": { ...ok, content: { ...ok.content, "text/event-stream": { schema } } } } } } };
  };
  const table: { name: string; before: Record<string, unknown>; after: Record<string, unknown>; want: string[] }[] = [
    { name: "operation added", before: {}, after: op([]), want: ["non-breaking operation-added listThings"] },
    { name: "operation removed", before: op([]), after: {}, want: ["breaking operation-removed listThings"] },
    { name: "optional query parameter added", before: op([]), after: op([q("limit")]), want: ["non-breaking optional-parameter-added listThings.query.limit"] },
    { name: "required query parameter added", before: op([]), after: op([q("limit", true)]), want: ["breaking required-parameter-added listThings.query.limit"] },
    { name: "query parameter removed", before: op([q("limit")]), after: op([]), want: ["breaking parameter-removed listThings.query.limit"] },
    { name: "query parameter now required", before: op([q("limit")]), after: op([q("limit", true)]), want: ["breaking parameter-now-required listThings.query.limit"] },
    { name: "query parameter now optional", before: op([q("limit", true)]), after: op([q("limit")]), want: ["non-breaking parameter-now-optional listThings.query.limit"] },
    { name: "query parameter type changed", before: op([q("limit")]), after: op([{ ...q("limit"), schema: { type: "integer" } }]), want: ["breaking type-changed listThings.query.limit"] },
    { name: "deprecated", before: op([]), after: op([], { deprecated: true }), want: ["non-breaking operation-deprecated listThings"] },
    { name: "events added beside JSON", before: op([]), after: streams(THING), want: ["non-breaking client-function-added listThings.events"] },
    { name: "events removed", before: streams(THING), after: op([]), want: ["breaking client-function-removed listThings.events"] },
    { name: "the event type changed", before: streams(THING), after: streams(str), want: ["non-breaking reference-changed listThings.events", "breaking type-changed listThings.events"] },
  ];
  test.each(table)("$name", ({ before, after, want }) => {
    expect(changesOf({ paths: before, components: { schemas } }, { paths: after, components: { schemas } })).toEqual(want);
  });
});

describe("messages", () => {
  const change = (before: Record<string, unknown>, after: Record<string, unknown>, flow: Flow = "response"): Change => diffIr(irOf(specDoc(before, flow)), irOf(specDoc(after, flow))).changes[0];

  test.each([
    { name: "a new enum value in a response warns about exhaustive switches", before: { Thing: obj({ s: status("a") }) }, after: { Thing: obj({ s: status("a", "b") }) }, want: /value "b" added — exhaustive switches over it no longer compile/ },
    { name: "a new discriminated member names its discriminant", before: { Thing: { oneOf: [obj({ type: { const: "a" } }, ["type"])] } }, after: { Thing: { oneOf: [obj({ type: { const: "a" } }, ["type"]), obj({ type: { const: "b" } }, ["type"])] } }, want: /^union member added \(type: "b"\): ThingB — exhaustive switches over the union/ },
    { name: "a type change prints both types", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: { type: "array", items: str } }) }, want: /^type changed from string to string\[\]/ },
    { name: "a non-breaking change gives no reason", before: { Thing: obj({ a: str }) }, after: { Thing: obj({ a: str, b: str }) }, want: /^optional property added: string$/ },
  ])("$name", ({ before, after, want }) => {
    expect(change(before, after).message).toMatch(want);
  });

  test("the order is code-point order, whatever the spec order", () => {
    const after = { Thing: obj({}), Zeta: obj({}), alpha: obj({}), Beta: obj({}) };
    expect(diffIr(irOf(specDoc({ Thing: obj({}) })), irOf(specDoc(after))).changes.map((c) => c.at)).toEqual(["Alpha", "Beta", "Zeta"]);
  });

  test("the manifest round trip keeps the summary exactly", () => {
    const summary = summarizeApi(irOf(specDoc({ Thing: obj({ a: status("x"), "b-c": { type: ["string", "null"] } }, ["a"]) }, "both")));
    expect(summaryFromManifest(JSON.parse(JSON.stringify({ api: encodeSummary(summary) })))).toEqual(summary);
    expect(summaryFromManifest({ api: { ...encodeSummary(summary), format: 0 } })).toBeUndefined();
    expect(summaryFromManifest({ api: { ...encodeSummary(summary), types: { Thing: "{not json" } } })).toBeUndefined();
  });
});

function writeSpec(name: string, schemas: Record<string, unknown>, flow: Flow = "response"): string {
  const file = path.join(tmp, name);
  writeFileSync(file, JSON.stringify({ openapi: "3.1.0", info: { title: "Test", version: "1" }, ...specDoc(schemas, flow) }, null, 2));
  return file;
}

describe("diff command", () => {
  const v1 = { Thing: obj({ id: str, status: status("a", "b") }, ["id"]) };
  const v2 = { Thing: obj({ id: str, status: status("a", "b", "c"), note: str }, ["id"]) };
  const v3 = { Thing: obj({ id: str, status: status("a", "b"), note: str }, ["id"]) };

  test.each([
    { name: "breaking change, --fail-on-breaking", after: v2, flags: ["--fail-on-breaking"], code: 1 },
    { name: "breaking change, no flag", after: v2, flags: [], code: 0 },
    { name: "non-breaking change, --fail-on-breaking", after: v3, flags: ["--fail-on-breaking"], code: 0 },
    { name: "no change, --fail-on-breaking", after: v1, flags: ["--fail-on-breaking"], code: 0 },
  ])("$name → exit $code", async ({ name, after, flags, code }) => {
    const a = writeSpec(`v1-${name}.json`, v1);
    const b = writeSpec(`after-${name}.json`, after);
    const result = await cli("diff", a, b, ...flags);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(code);
  });

  test("--json prints changes and a summary", async () => {
    const result = await cli("diff", writeSpec("json-a.json", v1), writeSpec("json-b.json", v2), "--json");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      changes: [
        { kind: "optional-property-added", at: "Thing.note", target: "type", name: "Thing", direction: "response", breaking: false, message: "optional property added: string", after: "string" },
        {
          kind: "value-added",
          at: "Thing.status",
          target: "type",
          name: "Thing",
          direction: "response",
          breaking: true,
          message: 'value "c" added — exhaustive switches over it no longer compile, and other code meets a value it does not know',
          after: '"c"',
        },
      ],
      summary: { total: 2, breaking: 1, nonBreaking: 1, types: { added: 0, removed: 0, changed: 1 }, operations: { added: 0, removed: 0, changed: 0 } },
    });
  });

  test("the text report: a heading per type, a line per change, the totals", async () => {
    const result = await cli("diff", writeSpec("text-a.json", v1), writeSpec("text-b.json", v2));
    expect(result.stdout.split("\n")).toEqual([
      "type Thing (read from responses)",
      "  non-breaking  Thing.note: optional property added: string",
      '  breaking      Thing.status: value "c" added — exhaustive switches over it no longer compile, and other code meets a value it does not know',
      "2 change(s), 1 breaking, 1 non-breaking (types: 0 added, 0 removed, 1 changed; operations: 0 added, 0 removed, 0 changed)",
    ]);
  });

  test.each([
    { argv: ["diff", "a.yaml"], code: 2, stderr: /needs two spec files/ },
    { argv: ["diff", "a.yaml", "b.yaml", "-o", "x"], code: 2, stderr: /--out does not apply to diff/ },
    { argv: ["diff", FRAGMENT, FRAGMENT, "--operation", "nope"], code: 1, stderr: /E_SLICE.*neither spec has an operation with operationId "nope"/ },
  ])("$argv → exit $code", async ({ argv, code, stderr }) => {
    const result = await cli(...argv);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(stderr);
  });
});

// The name stays the same when skipped, so jest does not call the snapshot obsolete.
const UPGRADE = "OpenAI 2025-03-11 → 2026-08-21, retrieveFineTuningJob (needs ../shared/specs; skipped without it)";
const haveSpecs = existsSync(path.join(SHARED_SPECS, "openai-2025-03-11.yaml")) && existsSync(path.join(SHARED_SPECS, "openai-2026-08-21.yaml"));

describe("a real spec update", () => {
  (haveSpecs ? test : test.skip)(UPGRADE, async () => {
    const result = await cli("diff", path.join(SHARED_SPECS, "openai-2025-03-11.yaml"), path.join(SHARED_SPECS, "openai-2026-08-21.yaml"), "--operation", "retrieveFineTuningJob", "--fail-on-breaking");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(1);
    const lines = result.stdout.split("\n");
    for (const want of [
      '  breaking      FineTuneMethod: now a discriminated union on "type" (was an object) — code that reads the old type may no longer compile',
      "  breaking      FineTuningJobHyperparameters.batch_size: now nullable — reads must now handle null",
      "  non-breaking  FineTuneDPOMethod.hyperparameters: now FineTuneDPOHyperparameters (was FineTuneDPOMethodHyperparameters)",
      "  breaking      FineTuneDPOMethodHyperparameters: type removed — code that names it no longer compiles",
    ]) {
      expect(lines).toContain(want);
    }
    expect(lines.find((l) => l.includes('FineTuneMethod: union member added (type: "reinforcement")'))).toMatch(/^ {2}breaking {6}.*exhaustive switches/);
    for (const added of ["FineTuneReinforcementMethod", "FineTuneReinforcementMethodGrader", "GraderMulti", "GraderPython", "GraderScoreModel", "GraderStringCheck", "GraderTextSimilarity"]) {
      expect(lines).toContain(`type ${added} (read from responses)`);
    }
    expect(lines[lines.length - 1]).toMatch(/^\d+ change\(s\), 5 breaking, \d+ non-breaking/);
    expect(result.stdout).toMatchSnapshot();
  });
});

describe("generate reports what changed since the last run", () => {
  test("a second run over a changed spec prints the changes; an unchanged one does not", async () => {
    const out = path.join(tmp, "regenerated");
    const spec = writeSpec("regen.json", { Thing: obj({ id: str, status: status("a") }, ["id", "status"]) });
    const first = await cli("generate", spec, "-o", out, "--no-client", "--no-validators");
    expect(first.code).toBe(0);
    expect(first.stdout).not.toMatch(/changes since/);
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), "utf8"));
    expect(manifest.extra.api.types.Thing).toBe(JSON.stringify({ properties: { id: "string", status: { enum: ["a"] } } }));

    writeSpec("regen.json", { Thing: obj({ id: str, status: status("a", "b") }, ["id"]) });
    const second = await cli("generate", spec, "-o", out, "--no-client", "--no-validators");
    expect(second.code).toBe(0);
    const lines = second.stdout.split("\n");
    const start = lines.indexOf("changes since the last generation:");
    expect(lines.slice(start, start + 5)).toEqual([
      "changes since the last generation:",
      "type Thing (read from responses)",
      "  breaking      Thing.status: property now optional — reads may now be undefined",
      '  breaking      Thing.status: value "b" added — exhaustive switches over it no longer compile, and other code meets a value it does not know',
      "2 change(s), 2 breaking, 0 non-breaking (types: 0 added, 0 removed, 1 changed; operations: 0 added, 0 removed, 0 changed)",
    ]);

    const third = await cli("generate", spec, "-o", out, "--no-client", "--no-validators");
    expect(third.stdout).not.toMatch(/changes since/);
  });
});
