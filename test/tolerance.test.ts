import { mkdtempSync, rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate, specToIr } from "../generator/index";
import { GeneratorError } from "../generator/errors";
import { childPlace, type Place } from "../generator/pipeline/places";
import * as ts from "typescript";
import { RUNTIME_EXPORTS } from "../generator/ir/identifiers";
import type { IrSchema } from "../generator/ir/types";
import { ROOT, irOf } from "./helpers/spec";
import { readTsFiles, requireTranspiled, typeCheck } from "./helpers/tsc";

/**
 * Real specs have flaws and use every corner of OpenAPI: what is tolerated (with a warning) and
 * what is still an error, one fixture per class of problem met in the public corpus (issue 17).
 */

const FIXTURES = path.join(ROOT, "test", "fixtures", "tolerance");

interface Case {
  given: string;
  spec: string;
  want: {
    declarations?: string[];
    /** name, method, path, path parameters, success status, response and request body kinds */
    operations?: [string, string, string, string[], string, string | undefined, string | undefined][];
    warnings?: RegExp[];
    error?: RegExp;
  };
}

const CASES: Case[] = [
  {
    given: "a 3.1 document with webhooks and components but no paths",
    spec: "webhooks-only.yaml",
    want: { declarations: ["NewPetWebhook", "Pet", "SessionEndedWebhook", "SessionEndedWebhookPayload"], operations: [], warnings: [] },
  },
  {
    given: "a 3.1 document with components only",
    spec: "components-only.yaml",
    want: { declarations: ["Tag"], operations: [], warnings: [] },
  },
  {
    given: "path templates naming parameters that are not declared in: path, and operationIds derived from paths that meet",
    spec: "undeclared-path-param.yaml",
    want: {
      operations: [
        ["listItems", "GET", "/api/v{api-version}/items", ["api-version"], "200", "array", undefined],
        ["getBusiness", "GET", "/odata/Businesses({key})", ["key"], "200", undefined, undefined],
        ["getDbReset", "GET", "/db/reset", [], "204", undefined, undefined],
        ["getDbReset2", "GET", "/db-reset", [], "204", undefined, undefined],
      ],
      warnings: [
        /^listItems: path template \/api\/v\{api-version\}\/items names \{api-version\} but no path parameter "api-version" is declared; typed as a required string path parameter$/,
        /^getBusiness: path template .* names \{key\} /,
      ],
    },
  },
  {
    given: "$refs to a description, an Operation, a Path Item, a Request Body and whole responses, content and properties maps in other files",
    spec: "refs-by-place/openapi.yaml",
    want: {
      declarations: ["Pet"],
      operations: [
        ["listPets", "GET", "/pets", [], "200", "array", undefined],
        ["createPet", "POST", "/pets", [], "201", "ref", "ref"],
        ["getPet", "GET", "/pets/{id}", ["id"], "200", "ref", undefined],
      ],
      warnings: [],
    },
  },
  {
    given: "$ref keys inside example values, x- extensions and x-codeSamples; x- keys in Paths and Path Items",
    spec: "extensions.yaml",
    want: { declarations: ["Pet"], operations: [["listPets", "GET", "/pets", [], "200", "array", undefined]], warnings: [] },
  },
  {
    given: "schemas and operationIds named like the runtime's exports, and operationIds eval and arguments",
    spec: "reserved-names.yaml",
    want: { declarations: ["ClientSchema", "EventStreamSchema", "PageSchema", "ServerSentEventSchema", "ValidateOptionsSchema"], warnings: [] },
  },
  {
    given: "allOf with a description-only member, enum: [], cycles through unions and aliases, __proto__ properties",
    spec: "schema-shapes.yaml",
    want: {
      declarations: ["Base", "Choice", "File", "Loop", "Loop2", "Nothing", "Proto", "ProtoProto", "User"],
      warnings: [/^Base, Choice refer to each other only through unions or aliases/, /^Loop, Loop2 refer to each other only through unions or aliases/],
    },
  },
  {
    given: "readOnly and writeOnly properties",
    spec: "read-write.yaml",
    want: {
      declarations: ["Owner", "OwnerWrite", "Pet", "PetWrite", "Tag"],
      operations: [
        ["createPet", "POST", "/pets", [], "201", "ref", "ref"],
        ["listTags", "GET", "/tags", [], "200", "array", undefined],
      ],
      warnings: [],
    },
  },
  {
    given: "an Example $ref that leads nowhere",
    spec: "unresolved-example.yaml",
    want: { operations: [["listPets", "GET", "/pets", [], "200", "primitive", undefined]], warnings: [/^unresolved \$ref "#\/components\/examples\/Gone": left out$/] },
  },
  {
    given: "a Schema $ref that leads nowhere",
    spec: "unresolved-schema.yaml",
    want: { error: /^error E_REF: test\/fixtures\/tolerance\/unresolved-schema\.yaml:10:32 #\/components\/schemas\/Results\/properties\/results\/items: unresolved \$ref "#\/components\/schemas\/RowWrapper"$/ },
  },
];

describe.each(CASES)("$given", ({ spec, want }) => {
  test(want.error ? "is an error" : "generates, with the warnings it needs", () => {
    const build = () => specToIr(path.join("test", "fixtures", "tolerance", spec), { cwd: ROOT });
    if (want.error) {
      let error: unknown;
      try {
        build();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GeneratorError);
      expect((error as GeneratorError).format()).toMatch(want.error);
      return;
    }
    const ir = build();
    if (want.declarations) expect(ir.declarations.map((d) => d.name)).toEqual(want.declarations);
    if (want.operations) {
      expect(ir.operations.map((o) => [o.name, o.method, o.path, o.pathParams.map((p) => p.name), o.response.status, o.response.schema?.kind, o.requestBody?.schema.kind])).toEqual(want.operations);
    }
    const warnings = ir.warnings.map((w) => w.message);
    expect(warnings).toHaveLength(want.warnings?.length ?? 0);
    want.warnings?.forEach((w, i) => expect(warnings[i]).toMatch(w));
  });
});

test("an undeclared path parameter is a required string", () => {
  const ir = specToIr(path.join(FIXTURES, "undeclared-path-param.yaml"));
  expect(ir.operations[1].pathParams).toEqual([{ name: "key", in: "path", required: true, schema: { kind: "primitive", type: "string" } }]);
  expect(ir.operations[1].queryParams.map((p) => p.name)).toEqual(["key"]);
});

test("a $ref to text is the text; a description kept in another file documents the operation", () => {
  const ir = specToIr(path.join(FIXTURES, "refs-by-place", "openapi.yaml"));
  expect(ir.operations[0].description).toBe("Lists the pets.");
  const pet = ir.declarations[0].schema;
  expect(pet.kind === "object" && pet.properties.map((p) => [p.name, p.required])).toEqual([
    ["id", true],
    ["name", false],
    ["x-legacy", false],
  ]);
});

test("an error quotes at most 200 characters of the spec", () => {
  const long = "x".repeat(5000);
  const errors = [
    () => irOf({ components: { schemas: { A: long } } }),
    () => irOf({ components: { schemas: { A: { $ref: `#/components/schemas/${long}` } } } }),
    () => irOf({ components: { schemas: { A: { type: long } } } }),
  ].map((build) => {
    try {
      build();
      return "no error";
    } catch (e) {
      return (e as GeneratorError).message;
    }
  });
  for (const message of errors) {
    expect(message).not.toBe("no error");
    expect(message.length).toBeLessThan(300);
  }
});

test("each direction has its own type only where readOnly or writeOnly make them differ", () => {
  const ir = specToIr(path.join(FIXTURES, "read-write.yaml"));
  const props = (name: string) => {
    const s = ir.declarations.find((d) => d.name === name)!.schema;
    return s.kind === "object" ? s.properties.map((p) => [p.name, p.required, p.schema.kind === "array" && p.schema.items.kind === "ref" ? p.schema.items.name : p.schema.kind === "ref" ? p.schema.name : p.schema.kind]) : s.kind;
  };
  expect(props("Pet")).toEqual([["id", true, "primitive"], ["name", true, "primitive"], ["tag", false, "Tag"]]);
  expect(props("PetWrite")).toEqual([["name", true, "primitive"], ["secret", false, "primitive"], ["tag", false, "Tag"]]);
  expect(props("Owner")).toEqual([["pets", true, "Pet"]]);
  expect(props("OwnerWrite")).toEqual([["pets", true, "PetWrite"]]);
  const [create, list] = ir.operations;
  const refName = (s: IrSchema | undefined) => (s?.kind === "ref" ? s.name : s?.kind);
  expect([create.requestBody?.schema, create.response.schema, list.queryParams[0].schema].map(refName)).toEqual(["OwnerWrite", "Owner", "PetWrite"]);
});

describe("schema shapes", () => {
  let types: string;
  beforeAll(async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), "morph-shapes-"));
    try {
      const { files } = await generate({ spec: path.join(FIXTURES, "schema-shapes.yaml"), out: tmp, cache: false, parallel: false });
      types = files.find((f) => f.path === "types.ts")!.text;
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test.each([
    ["allOf [$ref, {description}] is the reference, documented", /\/\*\* The user who owns the file\. \*\/\n  owner\?: User;/],
    ["allOf [$ref, {description, nullable}] is the reference or null", /\/\*\* The last editor\. \*\/\n  editor\?: User \| null;/],
    ["enum: [] admits nothing", /^export type Nothing = never;$/m],
    ["a union that leads back to itself keeps the members that lead out", /^export type Loop2 = string;$/m],
    ["allOf ↔ oneOf likewise", /^export type Choice = number;$/m],
    ["an optional __proto__ admits the inherited prototype", /^  __proto__\?: ProtoProto \| object \| null;$/m],
  ])("%s", (_given, want) => {
    expect(types).toMatch(want);
  });
});

test("the names reserved for the runtime are exactly what templates/runtime.ts exports", () => {
  const file = path.join(ROOT, "templates", "runtime.ts");
  const program = ts.createProgram([file], { noEmit: true, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"] });
  const checker = program.getTypeChecker();
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(file)!)!).map((s) => s.name);
  expect([...RUNTIME_EXPORTS].sort()).toEqual(exports.sort());
});

test("operations named like the runtime's exports are numbered, eval and arguments get a suffix, and client.js loads", async () => {
  const ir = specToIr(path.join(FIXTURES, "reserved-names.yaml"));
  expect(ir.operations.map((o) => o.name)).toEqual(["paginate2", "readEvents2", "streamOperation2", "operationBinder2", "eval_", "arguments_", "createClient2"]);
  const tmp = mkdtempSync(path.join(os.tmpdir(), "morph-reserved-"));
  try {
    await generate({ spec: path.join(FIXTURES, "reserved-names.yaml"), out: path.join(tmp, "out"), cache: false, parallel: false });
    const client = requireTranspiled<Record<string, unknown>>(readTsFiles(path.join(tmp, "out")), path.join(tmp, "js"));
    expect(["paginate", "paginate2", "eval_", "arguments_", "createClient", "createClient2"].map((n) => typeof client[n])).toEqual(Array(6).fill("function"));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.each<[Place, string, Place]>([
  ["paths", "x-internal", "data"],
  ["paths", "/pets", "pathItem"],
  ["pathItem", "x-owner", "data"],
  ["responseMap", "x-note", "data"],
  ["headerMap", "x-request-id", "header"],
  ["schemaMap", "x-count", "schema"],
  ["schema", "properties", "schemaMap"],
  ["schema", "example", "data"],
  ["schema", "description", "text"],
  ["example", "value", "data"],
  ["components", "x-policies", "data"],
  ["components", "schemas", "section:schemas"],
  ["operation", "responses", "responseMap"],
  ["mediaType", "examples", "exampleMap"],
])("the place of %s[%j] is %s", (place, key, want) => {
  expect(childPlace(place, key)).toBe(want);
});

describe("the output of every fixture that generates", () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "morph-tolerance-"));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test("compiles, bodies included, in one program", async () => {
    const files: string[] = [];
    for (const c of CASES.filter((x) => !x.want.error)) {
      const out = path.join(tmp, c.spec.replace(/\W+/g, "-"));
      await generate({ spec: path.join(FIXTURES, c.spec), out, cache: false, parallel: false });
      files.push(...readTsFiles(out).map((f) => path.join(out, f.path)));
    }
    expect(typeCheck(files)).toEqual([]);
  });
});
