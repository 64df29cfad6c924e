import * as path from "node:path";
import { emitAll } from "../../generator/emit";
import { irOfSchemas } from "../helpers/spec";
import { requireTranspiled } from "../helpers/tsc";
import { scratch } from "./helpers";

/**
 * Finding 10: the generated validators never throw on hostile data. A value that contains itself
 * or nests past `maxDepth` is an issue at its pointer, the list stops at `maxIssues` with a count
 * of the rest, and `skipPatterns` turns the spec's regular expressions off.
 */

const tmp = scratch("validators");
afterAll(tmp.cleanup);

interface Result {
  ok: boolean;
  errors?: { path: string; message: string }[];
  omitted?: number;
}
type Validate = (value: unknown, options?: Record<string, unknown>) => Result;
interface Generated {
  validateNode: Validate;
  isNode: (value: unknown) => boolean;
  validateCodes: Validate;
  validateLoose: Validate;
  validateTree: Validate;
}

let gen: Generated;
beforeAll(() => {
  const ir = irOfSchemas({
    Node: { type: "object", properties: { name: { type: "string" }, next: { $ref: "#/components/schemas/Node" }, kids: { type: "array", items: { $ref: "#/components/schemas/Node" } } } },
    Codes: { type: "array", items: { type: "string", pattern: "^[a-z]+$" } },
    // A union of recursive members checks the same value twice: that is no cycle and no level.
    Tree: { oneOf: [{ $ref: "#/components/schemas/Leaf" }, { $ref: "#/components/schemas/Branch" }] },
    Leaf: { type: "object", required: ["kind"], properties: { kind: { const: "leaf" } } },
    Branch: { type: "object", required: ["kind", "children"], properties: { kind: { const: "branch" }, children: { type: "array", items: { $ref: "#/components/schemas/Tree" } } } },
    // No recursion in the schema: a cyclic value is nothing to follow, and valid.
    Loose: { type: "object", properties: { any: {} } },
  });
  gen = requireTranspiled<Generated>(emitAll(ir), path.join(tmp.dir(), "out"));
});

/** A chain of `levels` nodes through `next`. */
function chain(levels: number): Record<string, unknown> {
  let node: Record<string, unknown> = { name: "last" };
  for (let i = 0; i < levels; i++) node = { name: `n${i}`, next: node };
  return node;
}

describe("hostile values (finding 10)", () => {
  const cyclic: Record<string, unknown> = { name: "a" };
  cyclic.next = { name: "b", kids: [cyclic] };
  const cases: { given: string; value: unknown; options?: Record<string, unknown>; want: Result }[] = [
    { given: "a value that contains itself", value: cyclic, want: { ok: false, errors: [{ path: "/next/kids/0", message: "the value contains itself (a cycle)" }] } },
    { given: "10,000 levels of nesting", value: chain(10_000), want: { ok: false, errors: [{ path: "/next".repeat(512), message: "nested deeper than 512 levels (maxDepth)" }] } },
    { given: "a smaller maxDepth", value: chain(10), options: { maxDepth: 3 }, want: { ok: false, errors: [{ path: "/next/next/next", message: "nested deeper than 3 levels (maxDepth)" }] } },
    { given: "nesting within the limit", value: chain(500), want: { ok: true } },
    {
      given: "a getter that throws",
      value: Object.defineProperty({}, "name", { enumerable: true, get: () => { throw new Error("boom"); } }),
      want: { ok: false, errors: [{ path: "", message: "the value cannot be checked: reading it threw Error: boom" }] },
    },
  ];
  test.each(cases)("$given", ({ value, options, want }) => {
    const result = gen.validateNode(value, options);
    expect({ ok: result.ok, errors: result.errors }).toEqual(want);
    if (!options) expect(gen.isNode(value)).toBe(want.ok);
  });

  test("a union of recursive members on the same value is neither a cycle nor a level", () => {
    let tree: unknown = { kind: "leaf" };
    for (let i = 0; i < 500; i++) tree = { kind: "branch", children: [tree] };
    expect(gen.validateTree(tree)).toEqual({ ok: true, value: tree });
    const self: Record<string, unknown> = { kind: "branch" };
    self.children = [self];
    expect(gen.validateTree(self).errors).toEqual([{ path: "/children/0", message: "the value contains itself (a cycle)" }]);
  });

  test("a getter that validates another value meanwhile leaves the outer check's depth alone, and a throw leaves the next call clean", () => {
    // The inner call runs while the outer one holds the shared limits, deep inside a chain.
    const inner: boolean[] = [];
    const deep = chain(520);
    let node = deep;
    for (let i = 0; i < 200; i++) node = node.next as Record<string, unknown>;
    Object.defineProperty(node, "name", { enumerable: true, get: () => (inner.push(gen.validateNode(chain(400)).ok, gen.validateNode(chain(600)).ok), "x") });
    expect(gen.validateNode(deep).errors).toEqual([{ path: "/next".repeat(512), message: "nested deeper than 512 levels (maxDepth)" }]);
    expect(gen.validateNode(chain(600)).ok).toBe(false);
    expect(inner.slice(0, 2)).toEqual([true, false]);
    // Two levels: the inner check's own getter validates too, while the outer one holds the shared limits.
    const innerMost = Object.defineProperty({}, "name", { enumerable: true, get: () => (gen.isNode(chain(3)), "x") });
    const twice = chain(600);
    node = twice;
    for (let i = 0; i < 200; i++) node = node.next as Record<string, unknown>;
    Object.defineProperty(node, "name", { enumerable: true, get: () => (gen.isNode(innerMost), "x") });
    expect(gen.validateNode(twice).errors).toEqual([{ path: "/next".repeat(512), message: "nested deeper than 512 levels (maxDepth)" }]);
    const thrower = chain(100);
    Object.defineProperty(thrower.next as object, "name", { enumerable: true, get: () => { throw new Error("boom"); } });
    expect([gen.validateNode(thrower).ok, gen.validateNode(chain(511)).ok, gen.isNode(chain(511))]).toEqual([false, true, true]);
  });

  test("a cyclic value of a schema that does not recur is fine", () => {
    const value: Record<string, unknown> = {};
    value.any = value;
    expect(gen.validateLoose(value).ok).toBe(true);
  });
});

describe("maxIssues (finding 10)", () => {
  // 200,000 keeps the suite fast under jest; a million behave the same (about 0.4 s in plain node).
  const bad = Array.from({ length: 200_000 }, () => 1);
  const cases = [
    { given: "200,000 bad items, default limit", options: undefined, listed: 100, omitted: 199_900 },
    { given: "maxIssues: 3", options: { maxIssues: 3 }, listed: 3, omitted: 199_997 },
  ];
  test.each(cases)("$given", ({ options, listed, omitted }) => {
    const result = gen.validateCodes(bad, options);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(listed);
    expect(result.errors?.[0]).toEqual({ path: "/0", message: "expected string, got number 1", expected: "string" });
    expect(result.omitted).toBe(omitted);
  });
});

describe("skipPatterns (findings 4, 10)", () => {
  const cases = [
    { given: "patterns checked by default", options: undefined, ok: false },
    { given: "skipPatterns: true", options: { skipPatterns: true }, ok: true },
  ];
  test.each(cases)("$given", ({ options, ok }) => {
    expect(gen.validateCodes(["abc", "NOT lower"], options).ok).toBe(ok);
  });
});
