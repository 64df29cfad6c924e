import type { IrDocument, IrSchema } from "../generator/ir/types";
import { typeText } from "../generator/emit/declarations";
import { irOf, irOfSchemas } from "./helpers/spec";

const decl = (ir: IrDocument, name: string) => {
  const d = ir.declarations.find((x) => x.name === name);
  if (!d) throw new Error(`no declaration ${name} in ${ir.declarations.map((x) => x.name).join(", ")}`);
  return d;
};

/** Drops pointers and docs so tables compare shapes only. */
function shape(s: IrSchema): unknown {
  return JSON.parse(JSON.stringify(s, (k, v) => (k === "pointer" || k === "meta" ? undefined : v)));
}

describe("schema kinds", () => {
  const table: { given: unknown; version?: "3.0" | "3.1"; want: string; kind: IrSchema["kind"] }[] = [
    { given: { type: "string" }, want: "string", kind: "primitive" },
    { given: { type: "integer", format: "int64" }, want: "number", kind: "primitive" },
    { given: { type: "number" }, want: "number", kind: "primitive" },
    { given: { type: "boolean" }, want: "boolean", kind: "primitive" },
    { given: { const: "fine_tuning.job" }, want: '"fine_tuning.job"', kind: "literal" },
    { given: { type: "string", enum: ["multi"], "x-stainless-const": true }, want: '"multi"', kind: "literal" },
    { given: { type: "string", enum: ["a", "b"] }, want: '"a" | "b"', kind: "enum" },
    { given: { enum: ["a", null] }, want: '"a" | null', kind: "enum" },
    { given: { type: "array", items: { type: "string" } }, want: "string[]", kind: "array" },
    { given: { type: "array", items: { oneOf: [{ type: "string" }, { type: "integer" }] } }, want: "(string | number)[]", kind: "array" },
    { given: { type: "object", additionalProperties: { type: "string" } }, want: "{ [key: string]: string }", kind: "map" },
    { given: { type: "object", patternProperties: { "^x-": { type: "integer" } } }, want: "{ [key: string]: number }", kind: "map" },
    { given: { type: "object" }, want: "{ [key: string]: unknown }", kind: "map" },
    { given: {}, want: "unknown", kind: "unknown" },
    { given: { type: "string", nullable: true }, version: "3.0", want: "string | null", kind: "nullable" },
    { given: { type: ["string", "null"] }, want: "string | null", kind: "nullable" },
    { given: { anyOf: [{ type: "string" }, { type: "null" }] }, want: "string | null", kind: "nullable" },
    { given: { oneOf: [{ type: "string", enum: ["auto"] }, { type: "integer" }] }, want: '"auto" | number', kind: "union" },
    { given: { type: ["string", "integer"] }, want: "string | number", kind: "union" },
  ];
  test.each(table)("$given → $want", ({ given, version, want, kind }) => {
    const ir = irOfSchemas({ Thing: given }, {}, version);
    const d = decl(ir, "Thing");
    // A nullable component keeps null out of its declaration; references add it back.
    const schema: IrSchema = d.nullable ? { kind: "nullable", inner: d.schema } : d.schema;
    expect(schema.kind).toBe(kind);
    expect(typeText(schema)).toBe(want);
  });

  test("object: required, optional, nullable and nested objects get named types", () => {
    const ir = irOfSchemas({
      Job: {
        type: "object",
        required: ["id", "error"],
        properties: {
          id: { type: "string" },
          error: { anyOf: [{ type: "object", required: ["code"], properties: { code: { type: "string" } } }, { type: "null" }] },
          finished_at: { anyOf: [{ type: "integer" }, { type: "null" }] },
        },
      },
    });
    const job = decl(ir, "Job").schema;
    expect(job.kind).toBe("object");
    if (job.kind !== "object") return;
    expect(job.properties.map((p) => [p.name, p.required, typeText(p.schema)])).toEqual([
      ["id", true, "string"],
      ["error", true, "JobError | null"],
      ["finished_at", false, "number | null"],
    ]);
    expect(decl(ir, "JobError").source).toBe("inline");
  });

  test("a nullable component is declared without null and referenced with it", () => {
    const ir = irOfSchemas({
      Metadata: { anyOf: [{ type: "object", additionalProperties: { type: "string" } }, { type: "null" }] },
      Job: { type: "object", properties: { metadata: { $ref: "#/components/schemas/Metadata" } } },
    });
    expect(decl(ir, "Metadata").nullable).toBe(true);
    expect(typeText(decl(ir, "Metadata").schema)).toBe("{ [key: string]: string }");
    const job = decl(ir, "Job").schema;
    expect(job.kind === "object" && typeText(job.properties[0].schema)).toBe("Metadata | null");
  });

  test("allOf of refs extends; a clashing property falls back to an intersection", () => {
    const ir = irOfSchemas({
      Base: { type: "object", properties: { id: { type: "string" }, status: { enum: ["a", "b"] } } },
      Child: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { extra: { type: "integer" } } }] },
      Clash: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { status: { enum: ["a", "c"] } } }] },
    });
    expect(shape(decl(ir, "Child").schema)).toEqual({
      kind: "object",
      extends: ["Base"],
      properties: [{ name: "extra", required: false, schema: { kind: "primitive", type: "integer" } }],
      additionalProperties: false,
    });
    expect(decl(ir, "Clash").schema.kind).toBe("intersection");
    expect(typeText(decl(ir, "Clash").schema)).toMatch(/^Base & \{/);
  });

  test("recursive schemas stay references", () => {
    const ir = irOfSchemas({
      Tree: { type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } },
    });
    const tree = decl(ir, "Tree").schema;
    expect(tree.kind === "object" && typeText(tree.properties[0].schema)).toBe("Tree[]");
  });
});

describe("union rules", () => {
  const graders = {
    A: { type: "object", required: ["type"], properties: { type: { type: "string", enum: ["a"] }, x: { type: "string" } } },
    B: { type: "object", required: ["type"], properties: { type: { const: "b" }, y: { type: "integer" } } },
  };
  const table: {
    name: string;
    schemas: Record<string, unknown>;
    options?: { inferUnions?: boolean; noUnionFor?: string[] };
    at: string;
    want: { reason: string; property: string; values: string[][] } | undefined;
  }[] = [
    {
      name: "1. discriminator with mapping",
      schemas: {
        ...graders,
        U: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }], discriminator: { propertyName: "type", mapping: { a: "#/components/schemas/A", b: "#/components/schemas/B" } } },
      },
      at: "U",
      want: { reason: "discriminator", property: "type", values: [["a"], ["b"]] },
    },
    {
      name: "1. discriminator without mapping uses the schema names",
      schemas: {
        Cat: { type: "object", properties: { kind: { type: "string" } } },
        Dog: { type: "object", properties: { kind: { type: "string" } } },
        Pet: { oneOf: [{ $ref: "#/components/schemas/Cat" }, { $ref: "#/components/schemas/Dog" }], discriminator: { propertyName: "kind" } },
      },
      at: "Pet",
      want: { reason: "discriminator", property: "kind", values: [["Cat"], ["Dog"]] },
    },
    {
      name: "2. every member has a single-valued property",
      schemas: { ...graders, U: { anyOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }] } },
      at: "U",
      want: { reason: "single-valued-property", property: "type", values: [["a"], ["b"]] },
    },
    {
      name: "2. not when two members share a value",
      schemas: { A: graders.A, A2: graders.A, U: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/A2" }] } },
      at: "U",
      want: undefined,
    },
    {
      name: "3. tagged object",
      schemas: {
        M: {
          type: "object",
          required: ["type"],
          properties: { type: { type: "string", enum: ["s", "d"] }, s: { type: "object", properties: { n: { type: "integer" } } }, d: { type: "string" } },
        },
      },
      at: "M",
      want: { reason: "tagged-object", property: "type", values: [["s"], ["d"]] },
    },
    {
      name: "opt-out per schema with x-openapi-morph-union: false",
      schemas: { ...graders, U: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }], "x-openapi-morph-union": false } },
      at: "U",
      want: undefined,
    },
    {
      name: "opt-out per schema by option",
      schemas: { ...graders, U: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }] } },
      options: { noUnionFor: ["U"] },
      at: "U",
      want: undefined,
    },
    {
      name: "opt-out everywhere by option keeps explicit discriminators",
      schemas: {
        ...graders,
        U: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }], discriminator: { propertyName: "type" } },
      },
      options: { inferUnions: false },
      at: "U",
      want: { reason: "discriminator", property: "type", values: [["a"], ["b"]] },
    },
  ];
  test.each(table)("$name", ({ schemas, options, at, want }) => {
    const ir = irOfSchemas(schemas, options);
    const schema = decl(ir, at).schema;
    const got = schema.kind === "union" ? schema.discriminator : undefined;
    expect(got).toEqual(want);
    expect(ir.unions.filter((u) => u.at === at).map((u) => u.reason)).toEqual(want ? [want.reason] : []);
  });

  test("tagged-object members carry only their own sibling", () => {
    const ir = irOfSchemas({
      M: { type: "object", required: ["type"], properties: { type: { enum: ["s", "d"] }, s: { type: "string" }, d: { type: "integer" } } },
    });
    expect(typeText(decl(ir, "M").schema).replace(/\s+/g, " ")).toBe('{ type: "s"; s?: string; } | { type: "d"; d?: number; }');
  });

  test("a discriminant typed wider than its mapping is narrowed in the union", () => {
    const ir = irOfSchemas({
      Cat: { type: "object", properties: { kind: { type: "string" } } },
      Pet: { oneOf: [{ $ref: "#/components/schemas/Cat" }], discriminator: { propertyName: "kind" } },
      Pets: { oneOf: [{ $ref: "#/components/schemas/Cat" }, { type: "object", properties: { kind: { const: "dog" } } }], discriminator: { propertyName: "kind" } },
    });
    expect(typeText(decl(ir, "Pets").schema).replace(/\s+/g, " ")).toBe('(Cat & { kind: "Cat"; }) | PetsDog');
  });

  test("an inline union at a property is named after it", () => {
    const ir = irOfSchemas({
      ...graders,
      Method: { type: "object", properties: { grader: { oneOf: [{ $ref: "#/components/schemas/A" }, { $ref: "#/components/schemas/B" }] } } },
    });
    expect(typeText(decl(ir, "MethodGrader").schema)).toBe("A | B");
    expect(ir.unions.map((u) => u.at)).toEqual(["MethodGrader"]);
  });
});

describe("names", () => {
  test.each([
    { given: ["fine_tuning.job"], want: ["FineTuningJob"] },
    { given: ["FineTuneDPOMethod"], want: ["FineTuneDPOMethod"] },
    { given: ["Thing.Extra", "Thing_Extra"], want: ["ThingExtra", "ThingExtra2"] },
    { given: ["class"], want: ["Class"] },
    { given: ["APIError"], want: ["APIErrorSchema"] },
    { given: ["2fa"], want: ["_2fa"] },
  ])("$given → $want, each rename reported", ({ given, want }) => {
    const ir = irOfSchemas(Object.fromEntries(given.map((g) => [g, { type: "string" }])));
    expect(ir.declarations.map((d) => d.name)).toEqual(want);
    const renamed = given.filter((g, i) => g !== want[i]);
    expect(ir.renames.map((r) => r.from)).toEqual(renamed);
  });

  test("operations: camelCase names, path parameters in path order", () => {
    const ir = irOf({
      paths: {
        "/a/{x}/b/{y}": {
          get: {
            operationId: "Get-Thing",
            parameters: [
              { name: "y", in: "path", required: true, schema: { type: "string" } },
              { name: "x", in: "path", required: true, schema: { type: "integer" } },
              { name: "limit", in: "query", schema: { type: "integer" } },
            ],
            responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "string" } } } } },
          },
        },
      },
    });
    const op = ir.operations[0];
    expect([op.name, op.pathParams.map((p) => p.name), op.queryParams.map((p) => p.name)]).toEqual(["getThing", ["x", "y"], ["limit"]]);
  });

  test.each([
    { given: "JSON only", content: { "application/json": { schema: { type: "string" } } }, want: undefined },
    { given: "JSON and events of a component", content: { "application/json": { schema: { type: "string" } }, "text/event-stream": { schema: { $ref: "#/components/schemas/Chunk" } } }, want: { schema: expect.objectContaining({ kind: "ref", name: "Chunk" }) } },
    { given: "JSON and events of an inline schema", content: { "application/json": { schema: { type: "string" } }, "text/event-stream": { schema: { type: "object" } } }, want: {} },
    { given: "JSON and events without a schema", content: { "application/json": { schema: { type: "string" } }, "text/event-stream": {} }, want: {} },
    { given: "events only", content: { "text/event-stream": { schema: { $ref: "#/components/schemas/Chunk" } } }, want: { schema: expect.objectContaining({ kind: "ref", name: "Chunk" }) } },
  ])("a success response with $given: eventStream $want", ({ content, want }) => {
    const ir = irOf({
      paths: { "/chat": { post: { operationId: "chat", responses: { "200": { description: "ok", content } } } } },
      components: { schemas: { Chunk: { type: "object", properties: { delta: { type: "string" } } } } },
    });
    expect(ir.operations[0].response.eventStream).toEqual(want);
    expect(ir.operations[0].unsupported).toBeUndefined();
  });

  test.each([
    { given: "no stream property", body: { type: "object", properties: { model: { type: "string" } } }, naming: "wire" as const, want: undefined },
    { given: "its own stream property", body: { type: "object", properties: { stream: { type: "boolean" } } }, naming: "wire" as const, want: "stream" },
    { given: "a stream property through allOf", body: { allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { model: { type: "string" } } }] }, naming: "wire" as const, want: "stream" },
    { given: "a stream_mode property, camel naming", body: { type: "object", properties: { stream_mode: { type: "boolean" } } }, naming: "camel" as const, want: undefined },
  ])("the body flag that asks for events: $given → $want", ({ body, naming, want }) => {
    const content = { "application/json": { schema: { type: "string" } }, "text/event-stream": { schema: { $ref: "#/components/schemas/Chunk" } } };
    const ir = irOf(
      {
        paths: { "/chat": { post: { operationId: "chat", requestBody: { content: { "application/json": { schema: body } } }, responses: { "200": { description: "ok", content } } } } },
        components: { schemas: { Chunk: { type: "object" }, Base: { type: "object", properties: { stream: { type: "boolean" } } } } },
      },
      { naming },
    );
    expect(ir.operations[0].response.eventStream?.bodyFlag).toBe(want);
  });

  const listOp = (response: Record<string, unknown>, after: Record<string, unknown> | null = { type: "string" }, method = "get") => ({
    paths: {
      "/things": {
        [method]: {
          operationId: "listThings",
          parameters: after ? [{ name: "after", in: "query", schema: after }] : [],
          responses: { "200": { description: "ok", content: { "application/json": { schema: response } } } },
        },
      },
    },
    components: { schemas: { Thing: { type: "object", required: ["id", "created_at"], properties: { id: { type: "string" }, created_at: { type: "integer" } } }, Untagged: { type: "object", properties: { id: { type: "string" } } } } },
  });
  const page = (extra: Record<string, unknown> = {}, items: unknown = { $ref: "#/components/schemas/Thing" }) => ({
    type: "object",
    required: ["data", "has_more"],
    properties: { data: { type: "array", items }, has_more: { type: "boolean" }, ...extra },
  });
  test.each([
    { given: "items with an id", doc: listOp(page()), naming: "wire" as const, want: { data: "data", hasMore: "has_more", cursors: [{ from: "lastItem", key: "id" }] } },
    { given: "a last_id, then the items' id", doc: listOp(page({ last_id: { type: ["string", "null"] } })), naming: "wire" as const, want: { data: "data", hasMore: "has_more", cursors: [{ from: "page", key: "last_id" }, { from: "lastItem", key: "id" }] } },
    { given: "camel naming: the types' keys", doc: listOp(page({ last_id: { type: "string" } })), naming: "camel" as const, want: { data: "data", hasMore: "hasMore", cursors: [{ from: "page", key: "lastId" }, { from: "lastItem", key: "id" }] } },
    { given: "items whose id is optional and no last_id", doc: listOp(page({}, { $ref: "#/components/schemas/Untagged" })), naming: "wire" as const, want: undefined },
    { given: "no after parameter", doc: listOp(page(), null), naming: "wire" as const, want: undefined },
    { given: "an after that is a number", doc: listOp(page(), { type: "integer" }), naming: "wire" as const, want: undefined },
    { given: "a POST", doc: listOp(page(), { type: "string" }, "post"), naming: "wire" as const, want: undefined },
    { given: "no has_more", doc: listOp({ type: "object", required: ["data"], properties: { data: { type: "array", items: { $ref: "#/components/schemas/Thing" } } } }), naming: "wire" as const, want: undefined },
  ])("pagination: $given", ({ doc, naming, want }) => {
    const op = irOf(doc, { naming }).operations[0];
    expect(op.pagination && { data: op.pagination.data, hasMore: op.pagination.hasMore, cursors: op.pagination.cursors }).toEqual(want);
    if (want) expect(op.pagination?.items).toEqual(expect.objectContaining({ kind: "ref", name: "Thing" }));
  });
});

describe("HTTP methods", () => {
  // Every method OpenAPI allows becomes an operation; fetch cannot send TRACE, so that one is
  // reported as a function the client skips instead of vanishing.
  const table: { given: string; want: { method: string; unsupported?: string } }[] = [
    { given: "get", want: { method: "GET" } },
    { given: "patch", want: { method: "PATCH" } },
    { given: "options", want: { method: "OPTIONS" } },
    { given: "trace", want: { method: "TRACE", unsupported: "TRACE request (fetch cannot send one)" } },
  ];
  test.each(table)("$given", ({ given, want }) => {
    const ir = irOf({ paths: { "/ping": { [given]: { operationId: "ping", responses: { "200": { description: "ok" } } } } } });
    expect(ir.operations.map((op) => ({ method: op.method, ...(op.unsupported ? { unsupported: op.unsupported } : {}) }))).toEqual([want]);
  });
});
