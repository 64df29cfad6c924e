import * as path from "node:path";
import { writeFileSync } from "node:fs";
import { run, scratch } from "./helpers";

/**
 * Finding 3: work stays proportional to the spec. Each schema is built once (allOf members that
 * name the same schema twice per level no longer double the work per level), and a generated
 * chain of 10,000 `$ref`s or allOfs is an E_TOO_DEEP at a pointer, never a stack overflow.
 */

const tmp = scratch("work");
afterAll(tmp.cleanup);

type Shape = "allOf-twice" | "ref-chain" | "allOf-chain";

function chainSpec(levels: number, shape: Shape): string {
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) {
    const next = { $ref: `#/components/schemas/S${i + 1}` };
    const own = { type: "object", properties: { [`p${i}`]: { type: "string" } } };
    schemas[`S${i}`] = shape === "ref-chain" ? next : shape === "allOf-twice" ? { allOf: [next, next, own] } : { allOf: [next, own] };
  }
  schemas[`S${levels}`] = { type: "object", properties: { leaf: { type: "string" } } };
  return JSON.stringify({ openapi: "3.1.0", info: { title: "T", version: "1" }, paths: {}, components: { schemas } });
}

const cases: { given: string; levels: number; shape: Shape; want: { code: number; stderr: RegExp } }[] = [
  // 40 levels took 2^40 steps before: the harness's timeout is the bound.
  { given: "allOf naming the next schema twice, 40 levels", levels: 40, shape: "allOf-twice", want: { code: 0, stderr: /^$/ } },
  { given: "a 200-long allOf chain", levels: 200, shape: "allOf-chain", want: { code: 0, stderr: /^$/ } },
  {
    given: "a 10,000-long $ref chain",
    levels: 10_000,
    shape: "ref-chain",
    want: { code: 1, stderr: /^error E_TOO_DEEP: spec\.json #\/components\/schemas\/S\d+: a chain of more than 1000 schemas naming each other \(\$ref, allOf, oneOf, anyOf\) starts here\n {2}hint: / },
  },
  { given: "a 10,000-long allOf chain", levels: 10_000, shape: "allOf-chain", want: { code: 1, stderr: /^error E_TOO_DEEP: spec\.json #\/components\/schemas\/S\d+: a chain of more than 1000 schemas/ } },
];

test.each(cases)("$given", async ({ given, levels, shape, want }) => {
  const dir = path.join(tmp.dir(), given.replace(/\W+/g, "-"));
  require("node:fs").mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "spec.json"), chainSpec(levels, shape));
  const result = await run(dir, "generate", "spec.json", "-o", "out", "--quiet");
  expect(result.stderr).toMatch(want.stderr);
  expect(result.code).toBe(want.code);
}, 30_000);
