import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { typeText } from "../generator/emit/declarations";
import { specToIr } from "../generator/index";
import { camelKey } from "../generator/ir/identifiers";
import type { IrDocument, IrProperty, IrSchema, JsonValue } from "../generator/ir/types";
import { fromWire, toWire, type WirePlan } from "../templates/runtime";
import { cli, cliIn } from "./helpers/cli";
import { startServer } from "./helpers/server";
import { FRAGMENT, ROOT, irOfSchemas, renderFiles } from "./helpers/spec";
import { EQUAL, readTsFiles, requireTranspiled, typeCheck } from "./helpers/tsc";
import { suiteTempDir } from "./helpers/temp";
import { readExample } from "../generator/ir/examples";

/**
 * `--naming camel`: camelCase keys in the types (decided in the IR), and a client that converts
 * the API's snake_case JSON to them and back (plans emitted by the client, applied by the runtime).
 */

const ALL_SPEC = path.join(ROOT, "spec", "fine-tuning-all.yaml");

const tmp = suiteTempDir("morph-naming-");

/** Every property of every object in the IR, with the declaration it sits in. */
function propertiesOf(ir: IrDocument): { at: string; p: IrProperty }[] {
  const out: { at: string; p: IrProperty }[] = [];
  const walk = (s: IrSchema, at: string): void => {
    switch (s.kind) {
      case "object":
        s.properties.forEach((p) => {
          out.push({ at, p });
          walk(p.schema, at);
        });
        if (typeof s.additionalProperties === "object") walk(s.additionalProperties, at);
        return;
      case "union":
      case "intersection":
        return s.members.forEach((m) => walk(m, at));
      case "array":
        return walk(s.items, at);
      case "map":
        return walk(s.values, at);
      case "nullable":
        return walk(s.inner, at);
      default:
        return;
    }
  };
  ir.declarations.forEach((d) => walk(d.schema, d.name));
  return out;
}

/** `{ wireName: key }` for the properties of one declaration (`undefined`: the wire name is kept). */
function keysOf(ir: IrDocument, declaration: string): Record<string, string | undefined> {
  return Object.fromEntries(propertiesOf(ir).filter((x) => x.at === declaration).map(({ p }) => [p.name, p.key]));
}

/** A union discriminated on a snake_case property; `bExtra` adds properties to member B. */
const discriminated = (bExtra: Record<string, unknown> = {}) => ({
  A: { type: "object", required: ["object_type"], properties: { object_type: { type: "string", enum: ["a"] }, only_a: { type: "string" } } },
  B: { type: "object", required: ["object_type"], properties: { object_type: { type: "string", enum: ["b"] }, only_b: { type: "string" }, ...bExtra } },
  AOrB: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }], discriminator: { propertyName: "object_type" } },
});

describe("camelKey", () => {
  test.each([
    { given: "created_at", want: "createdAt" },
    { given: "fine_tuned_model", want: "fineTunedModel" },
    { given: "fine-tuned_model", want: "fineTunedModel" },
    { given: "n_epochs", want: "nEpochs" },
    { given: "a__b", want: "aB" },
    { given: "URL_path", want: "URLPath" },
    { given: "version_2", want: "version2" },
    { given: "_private_field", want: "_privateField" },
    { given: "trailing_", want: undefined },
    { given: "_id", want: undefined },
    { given: "id", want: undefined },
    { given: "createdAt", want: undefined },
  ])("$given → $want", ({ given, want }) => {
    expect(camelKey(given)).toBe(want);
  });
});

describe("IR: keys with naming camel", () => {
  test.each([
    {
      name: "snake_case and kebab-case names get camelCase keys; others keep theirs",
      schemas: { Job: { type: "object", properties: { id: { type: "string" }, created_at: { type: "integer" }, "fine-tuned_model": { type: "string" }, _id: { type: "string" } } } },
      want: { Job: { id: undefined, created_at: "createdAt", "fine-tuned_model": "fineTunedModel", _id: undefined } },
      warnings: [],
    },
    {
      name: "two wire names that would share a key both keep their wire names",
      schemas: { Job: { type: "object", properties: { created_at: { type: "integer" }, createdAt: { type: "string" }, a_b: { type: "string" }, "a-b": { type: "string" }, n_epochs: { type: "integer" } } } },
      want: { Job: { created_at: undefined, createdAt: undefined, a_b: undefined, "a-b": undefined, n_epochs: "nEpochs" } },
      warnings: [/"created_at" and "createdAt" would all be createdAt/, /"a_b" and "a-b" would all be aB/],
    },
    {
      name: "a key every object inherits is never produced",
      schemas: { Thing: { type: "object", properties: { to_string: { type: "string" }, value_of: { type: "string" }, has_own_property: { type: "boolean" } } } },
      want: { Thing: { to_string: undefined, value_of: undefined, has_own_property: undefined } },
      warnings: [/"to_string" keeps its wire name/, /"value_of" keeps its wire name/, /"has_own_property" keeps its wire name/],
    },
    {
      name: "a collision with an inherited property (allOf) keeps the base's wire name too",
      schemas: {
        Base: { type: "object", properties: { created_at: { type: "integer" }, updated_at: { type: "integer" } } },
        Derived: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { createdAt: { type: "string" } } }] },
      },
      want: { Base: { created_at: undefined, updated_at: "updatedAt" }, Derived: { createdAt: undefined } },
      warnings: [/"createdAt" and "created_at" would all be createdAt/],
    },
    {
      name: "map keys are data: a map has no properties to rename, its values' objects do",
      schemas: { Tags: { type: "object", additionalProperties: { type: "object", properties: { tag_name: { type: "string" } } } } },
      want: { TagsValue: { tag_name: "tagName" } },
      warnings: [],
    },
  ])("$name", ({ schemas, want, warnings }) => {
    const ir = irOfSchemas(schemas, { naming: "camel" });
    for (const [declaration, keys] of Object.entries(want)) expect([declaration, keysOf(ir, declaration)]).toEqual([declaration, keys]);
    expect(ir.warnings.map((w) => w.message)).toEqual(warnings.map((w) => expect.stringMatching(w)));
  });

  test("a renamed discriminant is renamed in every member and in the discriminator", () => {
    const ir = irOfSchemas(discriminated(), { naming: "camel" });
    const union = ir.declarations.find((d) => d.name === "AOrB")!.schema;
    expect(union.kind === "union" && union.discriminator).toEqual({ property: "object_type", key: "objectType", reason: "discriminator", values: [["a"], ["b"]] });
    expect([keysOf(ir, "A"), keysOf(ir, "B")]).toEqual([{ object_type: "objectType", only_a: "onlyA" }, { object_type: "objectType", only_b: "onlyB" }]);
  });

  test("when one member cannot rename the discriminant, no member does", () => {
    const ir = irOfSchemas(discriminated({ objectType: { type: "string" } }), { naming: "camel" });
    const union = ir.declarations.find((d) => d.name === "AOrB")!.schema;
    expect(union.kind === "union" && union.discriminator && union.discriminator.key).toBeUndefined();
    expect([keysOf(ir, "A").object_type, keysOf(ir, "B").object_type, keysOf(ir, "A").only_a]).toEqual([undefined, undefined, "onlyA"]);
    expect(ir.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/discriminant "object_type" keeps its wire name/));
  });

  test("the default naming sets no key at all, and equals naming wire", () => {
    const ir = specToIr(FRAGMENT);
    expect(propertiesOf(ir).filter(({ p }) => "key" in p)).toEqual([]);
    expect(specToIr(FRAGMENT, { naming: "wire" })).toEqual(ir);
    expect(propertiesOf(specToIr(FRAGMENT, { naming: "camel" })).filter(({ p }) => p.key).length).toBeGreaterThan(20);
  });

  test("the generated types narrow on a renamed discriminant", async () => {
    const dir = path.join(tmp, "discriminant");
    mkdirSync(dir);
    for (const f of await renderFiles(irOfSchemas(discriminated(), { naming: "camel" }), { client: false, validators: false })) writeFileSync(path.join(dir, f.path), f.text);
    const file = path.join(tmp, "discriminant-check.ts");
    writeFileSync(
      file,
      [
        `import type { AOrB } from "./discriminant";`,
        `export function only(x: AOrB): string | undefined {`,
        `  switch (x.objectType) {`,
        `    case "a":`,
        `      return x.onlyA;`,
        `    case "b":`,
        `      // @ts-expect-error narrowed to B, which has no onlyA`,
        `      return x.onlyA;`,
        `  }`,
        `}`,
        `// @ts-expect-error the wire name is not a key of the type`,
        `export const wire = (x: AOrB) => x.object_type;`,
      ].join("\n") + "\n",
    );
    expect(typeCheck([file])).toEqual([]);
  });

  test("the types print the key", () => {
    const ir = irOfSchemas(discriminated(), { naming: "camel" });
    const a = ir.declarations.find((d) => d.name === "A")!.schema;
    expect(typeText(a).replace(/\s+/g, " ")).toBe('{ objectType: "a"; onlyA?: string; }');
  });
});

describe("runtime: fromWire / toWire", () => {
  const leaf: WirePlan = { p: { a_b: ["aB"] } };
  const tree: WirePlan = { p: { node_name: ["nodeName"], child_nodes: ["childNodes", () => tree] } };
  const table: { name: string; plan: WirePlan; wire: unknown; ts: unknown }[] = [
    { name: "null", plan: leaf, wire: null, ts: null },
    { name: "a number", plan: leaf, wire: 1, ts: 1 },
    { name: "a string", plan: leaf, wire: "a_b", ts: "a_b" },
    { name: "declared keys renamed, unknown keys kept", plan: leaf, wire: { a_b: 1, other_key: 2 }, ts: { aB: 1, other_key: 2 } },
    { name: "arrays are transparent", plan: leaf, wire: [{ a_b: 1 }, null, [{ a_b: 2 }]], ts: [{ aB: 1 }, null, [{ aB: 2 }]] },
    { name: "map keys are data", plan: { x: leaf }, wire: { some_key: { a_b: 1 } }, ts: { some_key: { aB: 1 } } },
    {
      name: "declared keys beside an index signature keep their own plan",
      plan: { p: { keep_me: ["keepMe"] }, x: leaf },
      wire: { keep_me: { a_b: 1 }, other_key: { a_b: 2 } },
      ts: { keepMe: { a_b: 1 }, other_key: { aB: 2 } },
    },
    {
      name: "a union merges its members' keys",
      plan: [leaf, { p: { c_d: ["cD", { p: { e_f: ["eF"] } }] } }],
      wire: { a_b: 1, c_d: { e_f: 2 } },
      ts: { aB: 1, cD: { eF: 2 } },
    },
    {
      name: "a key two members declare follows both plans",
      plan: [{ p: { v: ["v", leaf] } }, { p: { v: ["v", { p: { c_d: ["cD"] } }] } }],
      wire: { v: { a_b: 1, c_d: 2 } },
      ts: { v: { aB: 1, cD: 2 } },
    },
    {
      name: "recursion through a thunk",
      plan: tree,
      wire: { node_name: "root", child_nodes: [{ node_name: "leaf", child_nodes: [] }] },
      ts: { nodeName: "root", childNodes: [{ nodeName: "leaf", childNodes: [] }] },
    },
    { name: "keys objects inherit are plain keys", plan: leaf, wire: { constructor: 1, toString: 2, a_b: 3 }, ts: { constructor: 1, toString: 2, aB: 3 } },
  ];
  test.each(table)("$name", ({ plan, wire, ts: typed }) => {
    expect(fromWire(wire, plan)).toEqual(typed);
    expect(toWire(typed, plan)).toEqual(wire);
  });

  test("the input is never modified", () => {
    const freeze = <T>(v: T): T => {
      if (v && typeof v === "object") Object.values(v).forEach(freeze);
      return Object.freeze(v);
    };
    const wire = freeze({ node_name: "root", child_nodes: [{ node_name: "leaf", child_nodes: [] }] });
    const copy = JSON.parse(JSON.stringify(wire));
    const typed = fromWire(wire, tree);
    expect(wire).toEqual(copy);
    expect(toWire(freeze(typed), tree)).toEqual(copy);
  });

  test("an own __proto__ key stays a key and never becomes the prototype", () => {
    const wire = JSON.parse('{"__proto__": {"a_b": 1}}');
    const typed = fromWire(wire, { x: leaf }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(typed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(typed, "__proto__")?.value).toEqual({ aB: 1 });
  });

  test("toWire leaves what is not a JSON object to JSON.stringify", () => {
    const when = new Date(0);
    const typed = { aB: when };
    expect((toWire(typed, { p: { a_b: ["aB", leaf] } }) as { a_b: Date }).a_b).toBe(when);
  });
});

/** Generates a camel-mode output and loads it as CommonJS, with the client's private plans exported for the tests. */
async function generateCamel(spec: string, name: string): Promise<{ dir: string; module: Record<string, unknown> }> {
  const dir = path.join(tmp, name);
  const result = await cli("generate", spec, "-o", dir, "--naming", "camel", "--quiet");
  expect([result.code, result.stderr]).toEqual([0, ""]);
  const js = path.join(tmp, `${name}-js`);
  rmSync(js, { recursive: true, force: true });
  const files = readTsFiles(dir).map((f) => (f.path === "client.ts" ? { ...f, text: f.text.replace(/^const (plan\$\w+)/gm, "export const $1") } : f));
  return { dir, module: requireTranspiled(files, js) };
}

describe("generated camel-mode output for spec/fine-tuning.yaml", () => {
  let dir: string;
  let generated: Record<string, unknown>;
  let plan: WirePlan;
  const documented = specToIr(FRAGMENT).examples.find((e) => e.pointer.endsWith("/get/x-oaiMeta/examples/response"))!;
  const read = readExample(documented);
  const example: Record<string, JsonValue> = { ...(read.ok ? (read.json as Record<string, JsonValue>) : {}), error: null, metadata: { key: "value", some_key: "v" } };

  beforeAll(async () => {
    ({ dir, module: generated } = await generateCamel(FRAGMENT, "camel"));
    plan = generated.plan$FineTuningJob as WirePlan;
  });

  test("the documented example converts to the camelCase types, map keys untouched, and back", () => {
    const typed = fromWire(example, plan) as Record<string, unknown>;
    expect(typed).toMatchObject({
      id: "ftjob-abc123",
      createdAt: 1692661014,
      fineTunedModel: "ft:davinci-002:my-org:custom_suffix:7q8mpxmy",
      organizationId: "org-123",
      resultFiles: ["file-abc123"],
      hyperparameters: { nEpochs: 4, batchSize: 1, learningRateMultiplier: 1 },
      method: { type: "supervised", supervised: { hyperparameters: { nEpochs: 4, batchSize: 1, learningRateMultiplier: 1 } } },
      metadata: { key: "value", some_key: "v" },
    });
    expect(Object.keys(typed).filter((k) => k.includes("_"))).toEqual([]);
    expect(toWire(typed, plan)).toEqual(example);
  });

  test("the validators check the camelCase shape the client decodes to", () => {
    const validate = generated.validateFineTuningJob as (v: unknown) => { ok: boolean; errors?: { path: string }[] };
    expect(validate(fromWire(example, plan)).ok).toBe(true);
    const wire = validate(example);
    expect(wire.ok).toBe(false);
    expect(wire.errors?.map((e) => e.path)).toContain("/createdAt");
  });

  test("a reinforcement job with a multi grader converts through the unions", () => {
    const wire = {
      ...example,
      method: {
        type: "reinforcement",
        reinforcement: {
          grader: {
            type: "multi",
            name: "m",
            calculate_output: "0.5 * a + 0.5 * b",
            graders: [
              { type: "text_similarity", name: "a", input: "{{sample.output_text}}", reference: "{{item.label}}", evaluation_metric: "fuzzy_match" },
              {
                type: "score_model",
                name: "b",
                model: "gpt-4o",
                input: [{ type: "message", role: "user", content: { type: "input_image", image_url: "https://example.com/a.png" } }],
                sampling_params: { top_p: 1, max_completions_tokens: 50 },
              },
            ],
          },
          hyperparameters: { n_epochs: 2, reasoning_effort: "low", eval_interval: 3 },
        },
      },
    };
    const typed = fromWire(wire, plan) as { method: unknown };
    expect(typed.method).toEqual({
      type: "reinforcement",
      reinforcement: {
        grader: {
          type: "multi",
          name: "m",
          calculateOutput: "0.5 * a + 0.5 * b",
          graders: [
            { type: "text_similarity", name: "a", input: "{{sample.output_text}}", reference: "{{item.label}}", evaluationMetric: "fuzzy_match" },
            {
              type: "score_model",
              name: "b",
              model: "gpt-4o",
              input: [{ type: "message", role: "user", content: { type: "input_image", imageUrl: "https://example.com/a.png" } }],
              samplingParams: { topP: 1, maxCompletionsTokens: 50 },
            },
          ],
        },
        hyperparameters: { nEpochs: 2, reasoningEffort: "low", evalInterval: 3 },
      },
    });
    expect(toWire(typed, plan)).toEqual(wire);
  });

  test("the types have the camelCase keys and not the wire ones; unions still narrow", () => {
    const file = path.join(tmp, "camel-check.ts");
    writeFileSync(
      file,
      [
        `import type { FineTuningJob } from "./camel";`,
        EQUAL,
        `export const createdAt: Equal<FineTuningJob["createdAt"], number> = true;`,
        `export const fineTunedModel: Equal<FineTuningJob["fineTunedModel"], string | null> = true;`,
        `// @ts-expect-error the wire name is gone from the type`,
        `export type Wire = FineTuningJob["created_at"];`,
        `export function epochs(job: FineTuningJob): unknown {`,
        `  if (job.method?.type === "reinforcement") return job.method.reinforcement?.hyperparameters?.reasoningEffort;`,
        `  if (job.method?.type === "supervised") return job.method.supervised?.hyperparameters?.nEpochs;`,
        `  // @ts-expect-error narrowed to dpo, which has no supervised`,
        `  return job.method?.supervised;`,
        `}`,
      ].join("\n") + "\n",
    );
    expect(typeCheck([file])).toEqual([]);
  });

  test("the client returns the camelCase shape of a snake_case response", async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(example));
    });
    try {
      const { baseURL } = server;
      const createClient = generated.createClient as (o: object) => { retrieveFineTuningJob(id: string): Promise<Record<string, unknown>> };
      const job = await createClient({ apiKey: "sk-test", baseURL, maxRetries: 0 }).retrieveFineTuningJob("ftjob-abc123");
      expect(job).toEqual(fromWire(example, plan));
      expect([job.createdAt, job.fineTunedModel, job.metadata, "created_at" in job]).toEqual([1692661014, example.fine_tuned_model, { key: "value", some_key: "v" }, false]);
    } finally {
      await server.close();
    }
  });

  test("only types, validators and client differ from the default output", async () => {
    const byPath = (files: { path: string; text: string }[]) => Object.fromEntries(files.map((f) => [f.path, f.text]));
    const wire = byPath(await renderFiles(specToIr(FRAGMENT)));
    const camel = byPath(await renderFiles(specToIr(FRAGMENT, { naming: "camel" })));
    expect(Object.keys(camel).filter((f) => camel[f] !== wire[f])).toEqual(["types.ts", "validators.ts", "client.ts"]);
    expect(readFileSync(path.join(dir, "client.ts"), "utf8")).toBe(camel["client.ts"]);
  });
});

test("request bodies go out with the wire's keys", async () => {
  const { module: generated } = await generateCamel(ALL_SPEC, "camel-all");
  const received: unknown[] = [];
  const server = await startServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: "ftjob-1", created_at: 1, fine_tuned_model: null, method: { type: "dpo", dpo: { hyperparameters: { n_epochs: 1 } } } }));
    });
  });
  try {
    const { baseURL } = server;
    const create = generated.createFineTuningJob as (body: object, options: object) => Promise<Record<string, unknown>>;
    const job = await create(
      { model: "gpt-4o-mini", trainingFile: "file-1", metadata: { some_key: "v" }, method: { type: "dpo", dpo: { hyperparameters: { nEpochs: 3, learningRateMultiplier: 0.5 } } } },
      { apiKey: "sk-test", baseURL, maxRetries: 0 },
    );
    expect(received).toEqual([
      { model: "gpt-4o-mini", training_file: "file-1", metadata: { some_key: "v" }, method: { type: "dpo", dpo: { hyperparameters: { n_epochs: 3, learning_rate_multiplier: 0.5 } } } },
    ]);
    expect(job).toEqual({ id: "ftjob-1", createdAt: 1, fineTunedModel: null, method: { type: "dpo", dpo: { hyperparameters: { nEpochs: 1 } } } });
  } finally {
    await server.close();
  }
});

describe("CLI and config", () => {
  test.each([
    { argv: ["generate", FRAGMENT, "-o", "out", "--naming", "snake"], code: 2, stderr: /--naming must be camel or wire, not "snake"/ },
    { argv: ["generate", FRAGMENT, "-o", "out", "--naming"], code: 2, stderr: /option --naming needs a value/ },
  ])("$argv → exit $code", async ({ argv, code, stderr }) => {
    const result = await cli(...argv);
    expect([result.code, result.stderr]).toEqual([code, expect.stringMatching(stderr)]);
  });

  test.each([
    { naming: "camel", code: 0, stderr: "", types: /createdAt: number/ },
    { naming: "snake", code: 1, stderr: 'error E_CONFIG: c.json #/jobs/0/naming: "naming" must be "camel" or "wire", not "snake"', types: undefined },
  ])("config naming $naming", async ({ naming, code, stderr, types }) => {
    const dir = mkdtempSync(path.join(tmp, "config-"));
    writeFileSync(path.join(dir, "c.json"), JSON.stringify({ jobs: [{ spec: FRAGMENT, out: "out", naming, noValidators: true, quiet: true }] }));
    const result = await cliIn(dir, "generate", "--config", "c.json");
    expect([result.code, result.stderr.split("\n")[0]]).toEqual([code, stderr]);
    if (types) expect(readFileSync(path.join(dir, "out", "types.ts"), "utf8")).toMatch(types);
  });

  test("the cache tells the namings apart: camel after wire into one directory regenerates", async () => {
    const saved = process.env.OPENAPI_MORPH_CACHE;
    process.env.OPENAPI_MORPH_CACHE = path.join(tmp, "cache");
    try {
      const dir = path.join(tmp, "cached");
      expect((await cli("generate", FRAGMENT, "-o", dir, "--no-validators", "--quiet")).code).toBe(0);
      expect((await cli("generate", FRAGMENT, "-o", dir, "--no-validators", "--naming", "camel", "--quiet")).code).toBe(0);
      expect(readFileSync(path.join(dir, "types.ts"), "utf8")).toMatch(/createdAt: number/);
    } finally {
      if (saved === undefined) delete process.env.OPENAPI_MORPH_CACHE;
      else process.env.OPENAPI_MORPH_CACHE = saved;
    }
  });
});
