import { patternTest, patternWarnings } from "../../generator/ir/patterns";
import { irOfSchemas } from "../helpers/spec";
import { run, scratch, specWith, writeTree } from "./helpers";

/**
 * Finding 4: a spec's `pattern` never runs on a backtracking engine at generation time unless it
 * is plainly safe, so `generate`'s example check and the `examples` command finish on `^(a+)+$`
 * (27 characters took 17 s, 40 would take hours); such a pattern gets a warning, since the
 * generated validators do run JavaScript's engine.
 */

const tmp = scratch("patterns");
afterAll(tmp.cleanup);

const EVIL = "a".repeat(40) + "!";

describe("patternTest (finding 4)", () => {
  const cases: { given: string; pattern: string; text: string; want: boolean | "unchecked" | "invalid" }[] = [
    { given: "nested quantifiers, on RE2", pattern: "^(a+)+$", text: EVIL, want: false },
    { given: "nested quantifiers, a match", pattern: "^(a+)+$", text: "aaaa", want: true },
    { given: "a match anywhere, as RegExp.test", pattern: "b+", text: "abba", want: true },
    { given: "Unicode classes", pattern: "^\\p{L}+$", text: "héllo", want: true },
    { given: "lookahead without nesting: JavaScript's engine", pattern: "^(?!x)[a-z]+$", text: "abc", want: true },
    { given: "lookahead with nested quantifiers: not checked", pattern: "^(?=(a+)+$)", text: EVIL, want: "unchecked" },
    { given: "a legacy escape (no u flag): JavaScript's meaning", pattern: "^\\a+$", text: "aa", want: true },
    { given: "not a regular expression", pattern: "(unclosed", text: "x", want: "invalid" },
  ];
  test.each(cases)("$given", ({ pattern, text, want }) => {
    const test = patternTest(pattern);
    expect(test === null ? "invalid" : test === undefined ? "unchecked" : test(text)).toBe(want);
  });

  test("a warning names each pattern that is not linear-time on JavaScript's engine", () => {
    const ir = irOfSchemas({ A: { type: "string", pattern: "^(a+)+$" }, B: { type: "string", pattern: "^[a-z]+$" }, C: { type: "object", properties: { x: { type: "string", pattern: "(x*)*y" } } } });
    expect(patternWarnings(ir).map((w) => w.pointer)).toEqual(["#/components/schemas/A", "#/components/schemas/C/properties/x"]);
    expect(ir.warnings.map((w) => w.message)).toContain(
      'pattern "^(a+)+$" can take exponential time on JavaScript\'s regex (nested quantifiers): use skipPatterns on untrusted input',
    );
  });
});

describe("generate and examples on a ReDoS pattern (finding 4)", () => {
  const files = { "spec.yaml": specWith("    Word:", "      type: string", '      pattern: "^(a+)+$"', `      example: "${EVIL}"`) };
  test("generate finishes and warns", async () => {
    const dir = `${tmp.dir()}/generate`;
    writeTree(dir, files);
    const result = await run(dir, "generate", "spec.yaml", "-o", "out", "--verbose");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: #/components/schemas/Word: pattern "^(a+)+$" can take exponential time');
    expect(result.stderr).toMatch(/#\/components\/schemas\/Word\/example: \(root\) must match the pattern/);
  }, 20_000);

  test("examples finishes and reports the mismatch", async () => {
    const dir = `${tmp.dir()}/examples`;
    writeTree(dir, files);
    const result = await run(dir, "examples", "spec.yaml");
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("must match the pattern ^(a+)+$");
  }, 20_000);
});
