import { readFileSync } from "node:fs";
import * as path from "node:path";
import { kindOf } from "../generator/features/report";
import { progressLine } from "../generator/cli/progress";
import { cli } from "./helpers/cli";
import { FRAGMENT } from "./helpers/spec";
import { suiteTempDir } from "./helpers/temp";

const tmp = suiteTempDir("morph-output-");

const EXAMPLES = [
  "#/components/schemas/FineTuningJob/x-oaiMeta/example",
  "#/components/schemas/GraderMulti/x-oaiMeta/example",
  "#/paths/~1fine_tuning~1jobs~1{fine_tuning_job_id}/get/x-oaiMeta/examples/response",
];

describe("what generate prints", () => {
  test("by default: one summary line, and one line per kind of warning with its first few", async () => {
    const out = path.join(tmp, "default");
    const { code, stdout, stderr } = await cli("generate", FRAGMENT, "-o", out);
    expect(code).toBe(0);
    expect(stdout.split("\n")).toEqual([`${out}: 6 written, 0 unchanged (34 types, 1 operations, 3 unions inferred), 3 warnings (every line: --verbose or --report <file>)`]);
    const line = `  3 × documented example does not match its schema (details: openapi-morph examples ${FRAGMENT}): ${EXAMPLES.join(", ")}`;
    expect(stderr.split("\n")).toEqual([line.length > 240 ? `${line.slice(0, 239)}…` : line]);
  });

  test("--verbose: every line, then the summary", async () => {
    const out = path.join(tmp, "verbose");
    const { stdout, stderr } = await cli("generate", FRAGMENT, "-o", out, "--verbose");
    expect(stdout.split("\n").map((l) => l.split(" ")[0])).toEqual(["union", "union", "union", `${out}:`]);
    expect(stderr.split("\n")).toEqual([
      `warning: 3 documented example(s) do not match their schema (run \`openapi-morph examples ${FRAGMENT}\` for details):`,
      `  ${EXAMPLES[0]}: /error missing required property`,
      `  ${EXAMPLES[1]}: /graders expected an object, got an array`,
      `  ${EXAMPLES[2]}: /error missing required property`,
    ]);
  });

  test.each([
    { file: "report.json", want: (text: string) => JSON.parse(text) as unknown },
    { file: "report.txt", want: (text: string) => text.split("\n") },
  ])("--report $file gets every line; the terminal only the summary line", async ({ file, want }) => {
    const out = path.join(tmp, `report-${file}`);
    const report = path.join(tmp, file);
    const { stdout, stderr } = await cli("generate", FRAGMENT, "-o", out, "--report", report);
    expect(stdout.split("\n")).toEqual([`${out}: 6 written, 0 unchanged (34 types, 1 operations, 3 unions inferred), 3 warnings`]);
    expect(stderr.split("\n")).toHaveLength(1);
    const text = readFileSync(report, "utf8");
    if (file.endsWith(".json")) {
      expect(want(text)).toMatchObject({
        jobs: [
          {
            spec: FRAGMENT,
            out,
            status: "written",
            types: 34,
            operations: 1,
            kinds: [
              { severity: "note", kind: "union inferred (tagged-object)", count: 1 },
              { severity: "note", kind: "union inferred (single-valued-property)", count: 2 },
              { severity: "warning", kind: "documented example does not match its schema", count: 3 },
            ],
          },
        ],
      });
    } else {
      const lines = want(text) as string[];
      expect(lines[0]).toBe(`${out} (${FRAGMENT}): written, 6 written, 0 unchanged (34 types, 1 operations, 3 unions inferred), 3 warnings`);
      expect(lines.filter((l) => l.startsWith("union "))).toHaveLength(3);
      expect(lines.filter((l) => l.startsWith("warning: example "))).toEqual([`warning: example ${EXAMPLES[0]}: /error missing required property`, expect.any(String), expect.any(String)]);
    }
  });

  test("--quiet prints nothing, and --report still gets the lines", async () => {
    const report = path.join(tmp, "quiet.json");
    const { stdout, stderr } = await cli("generate", FRAGMENT, "-o", path.join(tmp, "quiet"), "--quiet", "--report", report);
    expect([stdout, stderr]).toEqual(["", ""]);
    expect((JSON.parse(readFileSync(report, "utf8")) as { jobs: { entries: unknown[] }[] }).jobs[0].entries).toHaveLength(6);
  });
});

describe("kinds of warnings", () => {
  test.each([
    { given: 'discriminator on "type" does not name every member; emitted as a plain union', want: "discriminator on … does not name every member; emitted as a plain union" },
    { given: "recursive $ref #/components/schemas/A/properties/b to a schema that is not a component: typed as unknown", want: "recursive $ref … to a schema that is not a component: typed as unknown" },
    { given: 'properties "a_b" and "aB" would all be aB in camelCase: they keep their wire names', want: "properties … and … would all be aB in camelCase: they keep their wire names" },
    { given: "value 12 is out of range", want: "value N is out of range" },
  ])("$given", ({ given, want }) => {
    expect(kindOf(given)).toBe(want);
  });
});

describe("the progress line", () => {
  const phases = ["load", "resolve", "ir", "emit", "format", "write"];
  test.each([
    { name: "a terminal, a job over a second: each later phase redraws one line, then it is erased", isTTY: true, env: {}, step: 400, want: "\r\x1b[2Kgen: emit…\r\x1b[2Kgen: format…\r\x1b[2Kgen: write…\r\x1b[2K" },
    { name: "a terminal, a fast job: nothing", isTTY: true, env: {}, step: 100, want: "" },
    { name: "not a terminal: nothing", isTTY: false, env: {}, step: 400, want: "" },
    { name: "CI: nothing", isTTY: true, env: { CI: "true" }, step: 400, want: "" },
    { name: "CI=false counts as not CI", isTTY: true, env: { CI: "false" }, step: 400, want: "\r\x1b[2Kgen: emit…\r\x1b[2Kgen: format…\r\x1b[2Kgen: write…\r\x1b[2K" },
  ])("$name", ({ isTTY, env, step, want }) => {
    let written = "";
    let now = 0;
    const line = progressLine("gen", { isTTY, write: (t: string) => (written += t) }, env, () => now);
    for (const p of phases) {
      line?.phase(p);
      now += step;
    }
    line?.done();
    expect(written).toBe(want);
  });
});
