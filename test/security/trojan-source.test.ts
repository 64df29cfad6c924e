import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { codeStringLiteral, escapeJsDoc, jsonLiteral, stringLiteral } from "../../generator/emit/escape";
import { lines, run, scratch, writeTree } from "./helpers";

/**
 * Finding 9: invisible format characters from a spec (bidi controls, zero-width characters, tag
 * characters) never reach generated files raw, in any context: they are spelled `\uXXXX`.
 */

const tmp = scratch("trojan");
afterAll(tmp.cleanup);

const RLO = "\u202e";
const LRI = "\u2066";
const PDI = "\u2069";
const ZWSP = "\u200b";
const TAG_A = "\u{e0041}";
const HOSTILE = `admin${RLO} ${LRI}// check later${PDI}${ZWSP}${TAG_A}`;
const INVISIBLE = /\p{Cf}/u;

describe("escaping helpers (finding 9)", () => {
  const table: { given: string; escape: (s: string) => string; want: string; value?: (out: string) => unknown }[] = [
    { given: "JSDoc text", escape: escapeJsDoc, want: "admin\\u202e \\u2066// check later\\u2069\\u200b\\udb40\\udc41" },
    { given: "a double-quoted literal", escape: stringLiteral, want: '"admin\\u202e \\u2066// check later\\u2069\\u200b\\udb40\\udc41"', value: (out) => JSON.parse(out) },
    { given: "a literal in prettier's quotes", escape: (s) => codeStringLiteral(`${s}""`), want: "'admin\\u202e \\u2066// check later\\u2069\\u200b\\udb40\\udc41\"\"'", value: (out) => (0, eval)(out) as string },
    { given: "a JSON value", escape: (s) => jsonLiteral({ [s]: [s] }), want: '{"admin\\u202e \\u2066// check later\\u2069\\u200b\\udb40\\udc41":["admin\\u202e \\u2066// check later\\u2069\\u200b\\udb40\\udc41"]}' },
  ];
  test.each(table)("$given", ({ escape, want, value }) => {
    const out = escape(HOSTILE);
    expect(out).toBe(want);
    expect(out).not.toMatch(INVISIBLE);
    if (value) expect(String(value(out)).replace(/""$/, "")).toBe(HOSTILE);
  });
});

test("a spec full of bidi controls generates files without a raw one", async () => {
  const dir = tmp.dir();
  const q = JSON.stringify;
  writeTree(dir, {
    "spec.yaml": lines(
      "openapi: 3.1.0",
      `info: {title: ${q(`T${RLO}`)}, version: '1', description: ${q(HOSTILE)}}`,
      "paths:",
      `  /pets/{id${ZWSP}}:`,
      "    get:",
      `      operationId: ${q(`get${RLO}Pet`)}`,
      `      summary: ${q(HOSTILE)}`,
      `      parameters: [{name: ${q(`id${ZWSP}`)}, in: path, required: true, schema: {type: string, example: ${q(HOSTILE)}}}]`,
      `      responses: {"200": {description: ${q(HOSTILE)}, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}`,
      "components:",
      "  schemas:",
      "    Pet:",
      `      description: ${q(HOSTILE)}`,
      "      type: object",
      "      properties:",
      `        ${q(HOSTILE)}: {type: string, description: ${q(HOSTILE)}, pattern: ${q(`^a${LRI}$`)}, default: ${q(HOSTILE)}}`,
      `        kind: {enum: [${q(HOSTILE)}, ${q(`b${RLO}`)}], example: ${q(HOSTILE)}}`,
    ),
  });
  const result = await run(dir, "generate", "spec.yaml", "-o", "out", "--quiet");
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
  const files = readdirSync(path.join(dir, "out"));
  expect(files).toEqual(expect.arrayContaining(["types.ts", "validators.ts", "client.ts", ".openapi-morph-manifest.json"]));
  for (const file of files) {
    const text = readFileSync(path.join(dir, "out", file), "utf8");
    expect([file, INVISIBLE.exec(text)?.index]).toEqual([file, undefined]);
  }
  // The value survives, spelled out: the literal type is the spec's string.
  expect(readFileSync(path.join(dir, "out", "types.ts"), "utf8")).toContain('"admin\\u202e \\u2066// check later\\u2069\\u200b\\udb40\\udc41"');
});
