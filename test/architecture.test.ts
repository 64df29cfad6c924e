import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

/**
 * The shape of `generator/` that a reader relies on: imports never go round in a circle (type-only
 * imports included: a reader follows those too), and no function is longer than 200 lines.
 */

const ROOT = path.join(__dirname, "..", "generator");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(".ts"))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const files = sourceFiles(ROOT);
const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.ES2022, true)]));

/** Every relative module a file imports or re-exports, statically or with `import()`, resolved to a file. */
function importsOf(file: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node): void => {
    let spec: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) spec = node.moduleSpecifier;
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) spec = node.arguments[0];
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith(".")) {
      const base = path.resolve(path.dirname(file), spec.text);
      const target = [`${base}.ts`, path.join(base, "index.ts")].find((c) => parsed.has(c));
      if (target) out.push(target);
    }
    ts.forEachChild(node, visit);
  };
  visit(parsed.get(file)!);
  return out;
}

/** The import cycles, each as the list of files round it (first file repeated at the end). */
function cycles(): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const state = new Map<string, "active" | "done">();
  const found: string[][] = [];
  const trail: string[] = [];
  const visit = (f: string): void => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "active") {
      found.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(ROOT, x)));
      return;
    }
    state.set(f, "active");
    trail.push(f);
    for (const g of graph.get(f)!) visit(g);
    trail.pop();
    state.set(f, "done");
  };
  for (const f of files) visit(f);
  return found;
}

/** Functions (declarations, methods, arrows, function expressions) longer than `max` lines. */
function longFunctions(max: number): string[] {
  const out: string[] = [];
  for (const [file, source] of parsed) {
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        if (end - start + 1 > max) out.push(`${path.relative(ROOT, file)}:${start + 1} (${end - start + 1} lines)`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

describe("generator/ architecture", () => {
  test("the import walk sees the tree", () => {
    // Guards the two checks below against passing because nothing was read.
    expect(files.length).toBeGreaterThan(30);
    expect(importsOf(path.join(ROOT, "index.ts")).length).toBeGreaterThan(5);
  });

  test("no import cycle", () => {
    expect(cycles()).toEqual([]);
  });

  test("no function over 200 lines", () => {
    expect(longFunctions(200)).toEqual([]);
  });
});
