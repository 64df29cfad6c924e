import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkExamples } from "../generator/ir/check";
import type { IrDocument } from "../generator/ir/types";
import { specToIr } from "../generator/index";
import { typeText } from "../generator/emit/declarations";
import { FRAGMENT, GENERATED, ROOT } from "./helpers/spec";
import { typeCheck } from "./helpers/tsc";

let tmp: string;
let ir: IrDocument;

beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-types-"));
  ir = specToIr(FRAGMENT);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const generatedImport = () => JSON.stringify(path.join(GENERATED, "index"));

test("narrowing, exhaustive switches and @ts-expect-error assertions compile under --strict", () => {
  expect(typeCheck([path.join(ROOT, "test", "types", "fine-tuning.types.ts")])).toEqual([]);
});

test("a wrong assertion in the type tests is caught (the harness can fail)", () => {
  const file = path.join(tmp, "wrong.ts");
  writeFileSync(
    file,
    `import type { FineTuneMethod } from ${generatedImport()};\n` +
      `// @ts-expect-error this line is fine, so the directive itself is an error\n` +
      `export const ok: FineTuneMethod = { type: "dpo" };\n`,
  );
  expect(typeCheck([file]).join("\n")).toMatch(/Unused '@ts-expect-error' directive/);
});

test("oracle: every schema agrees with openapi-typescript's output for the same spec", () => {
  const oracle = path.join(tmp, "oracle.ts");
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "openapi-typescript", "bin", "cli.js"), FRAGMENT, "-o", oracle], { stdio: "pipe" });
  const components = ir.declarations.filter((d) => d.source === "component");
  expect(components.length).toBe(27);
  const lines = [
    `import type { components } from "./oracle";`,
    `import type * as M from ${generatedImport()};`,
    `type Theirs = components["schemas"];`,
    `type Assignable<A, B> = [A] extends [B] ? true : false;`,
  ];
  for (const d of components) {
    const ours = `M.${d.name}${d.nullable ? " | null" : ""}`;
    const theirs = `Theirs[${JSON.stringify(d.specName)}]`;
    lines.push(`export const ours_${d.name}: Assignable<${ours}, ${theirs}> = true;`);
    // Unions we inferred stay mutually assignable too: TypeScript spreads a discriminant union
    // property over the members, so theirs differs from ours only in literal excess-property checks.
    lines.push(`export const theirs_${d.name}: Assignable<${theirs}, ${ours}> = true;`);
  }
  // The harness can fail: an obviously wrong pairing must be rejected.
  lines.push(`// @ts-expect-error a job is not a grader`);
  lines.push(`export const mismatch: Assignable<M.FineTuningJob, Theirs["GraderPython"]> = true;`);
  const file = path.join(tmp, "oracle-check.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  expect(typeCheck([file])).toEqual([]);
});

test("documented examples type-check against the generated types, and only reported mismatches fail", () => {
  const report = checkExamples(ir);
  const lines = [`import type * as M from ${generatedImport()};`];
  const byPointer = new Map(ir.examples.map((e) => [e.pointer, e]));
  report.forEach((entry, i) => {
    if (entry.status === "unreadable") return;
    const example = byPointer.get(entry.pointer)!;
    const type = typeText(example.schema).replace(/\b([A-Z][A-Za-z0-9_]*)\b/g, (name) => (ir.declarations.some((d) => d.name === name) ? `M.${name}` : name));
    lines.push(`// ${entry.pointer}`);
    if (entry.issues.some((issue) => issue.typeLevel)) lines.push(`// @ts-expect-error reported mismatch: ${entry.issues[0].path} ${entry.issues[0].message}`);
    lines.push(`export const example${i}: ${type} = ${JSON.stringify(entry.value)};`);
  });
  const file = path.join(tmp, "examples-check.ts");
  writeFileSync(file, lines.join("\n") + "\n");
  expect(typeCheck([file])).toEqual([]);
  expect(report.filter((r) => r.status !== "unreadable").length).toBeGreaterThanOrEqual(10);
});
