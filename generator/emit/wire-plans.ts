import type { IrDocument, IrKind, IrOperation, IrSchema } from "../ir/types";
import { objectKey, stringLiteral } from "./escape";
import { assertNever } from "../util/assert-never";

/**
 * The runtime's `WirePlan`s for `--naming camel`: which keys the client renames between the API's
 * JSON and the generated types. Nothing is emitted for a type without a renamed key inside it, so
 * with the default naming (no `IrProperty.key` anywhere) the client is exactly what it was.
 */
type Plan =
  | { kind: "object"; props: { wire: string; ts: string; value?: Plan }[]; extra?: Plan }
  | { kind: "ref"; name: string }
  | { kind: "union"; members: Plan[] };

/** Whether a declaration has a plan; undecided ones count as not having one while the answer is worked out. */
type Needs = (name: string) => boolean;

type Planner<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, needs: Needs) => Plan | undefined;

const planners = {
  primitive: () => undefined,
  literal: () => undefined,
  enum: () => undefined,
  unknown: () => undefined,
  array: (s, needs) => planOf(s.items, needs),
  nullable: (s, needs) => planOf(s.inner, needs),
  ref: (s, needs) => (needs(s.name) ? { kind: "ref", name: s.name } : undefined),
  map: (s, needs): Plan | undefined => {
    const extra = planOf(s.values, needs);
    return extra && { kind: "object", props: [], extra };
  },
  object: (s, needs): Plan | undefined => {
    const extra = typeof s.additionalProperties === "object" ? planOf(s.additionalProperties, needs) : undefined;
    const props = s.properties.flatMap((p) => {
      const value = planOf(p.schema, needs);
      const ts = p.key ?? p.name;
      // Beside a plan for other keys, a declared key is listed even when nothing changes, or its value would follow that plan.
      return ts !== p.name || value || extra ? [{ wire: p.name, ts, value }] : [];
    });
    const own: Plan | undefined = props.length > 0 || extra ? { kind: "object", props, extra } : undefined;
    return unionOf([own, ...s.extends.map((name) => planOf({ kind: "ref", name }, needs))]);
  },
  union: (s, needs) => unionOf(s.members.map((m) => planOf(m, needs))),
  intersection: (s, needs) => unionOf(s.members.map((m) => planOf(m, needs))),
} satisfies { [K in IrKind]: Planner<K> };

function planOf(schema: IrSchema, needs: Needs): Plan | undefined {
  return (planners[schema.kind] as Planner<typeof schema.kind>)(schema as never, needs);
}

/** Members' plans side by side: the runtime merges them key by key. */
function unionOf(plans: (Plan | undefined)[]): Plan | undefined {
  const members: Plan[] = [];
  const refs = new Set<string>();
  for (const p of plans.flatMap((x) => (x?.kind === "union" ? x.members : x ? [x] : []))) {
    if (p.kind === "ref") {
      if (refs.has(p.name)) continue;
      refs.add(p.name);
    }
    members.push(p);
  }
  return members.length === 0 ? undefined : members.length === 1 ? members[0] : { kind: "union", members };
}

function refsOf(plan: Plan | undefined, out: string[]): void {
  if (!plan) return;
  if (plan.kind === "ref") out.push(plan.name);
  else if (plan.kind === "union") plan.members.forEach((m) => refsOf(m, out));
  else {
    plan.props.forEach((p) => refsOf(p.value, out));
    refsOf(plan.extra, out);
  }
}

const constName = (declaration: string) => `plan$${declaration}`;

/**
 * `lazy`: inside a plan constant, references are thunks, since the constant they name may come
 * later in the file (or be the one being defined); at a call site every constant exists already.
 */
function printPlan(plan: Plan, lazy: boolean): string {
  switch (plan.kind) {
    case "ref":
      return lazy ? `() => ${constName(plan.name)}` : constName(plan.name);
    case "union":
      return `[${plan.members.map((m) => printPlan(m, lazy)).join(", ")}]`;
    case "object": {
      const fields: string[] = [];
      if (plan.props.length > 0) {
        const entries = plan.props.map((p) => `${objectKey(p.wire)}: [${stringLiteral(p.ts)}${p.value ? `, ${printPlan(p.value, lazy)}` : ""}]`);
        fields.push(`p: { ${entries.join(", ")} }`);
      }
      if (plan.extra) fields.push(`x: ${printPlan(plan.extra, lazy)}`);
      return `{ ${fields.join(", ")} }`;
    }
    default:
      return assertNever(plan);
  }
}

export interface WirePlans {
  /** `const plan$X: WirePlan = …` for every plan the operations use, in declaration order. */
  statements: string[];
  /** The plan expression for a value of this schema at a call site, if its keys need converting. */
  expressionFor(schema: IrSchema | undefined): string | undefined;
}

/** The plans that the given operations' bodies, query parameters and responses reach. */
export function wirePlans(ir: IrDocument, operations: IrOperation[]): WirePlans {
  const needed = new Set<string>();
  const needs: Needs = (name) => needed.has(name);
  // Least fixpoint: a type needs a plan when it renames a key or holds a type that needs one.
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of ir.declarations) {
      if (!needed.has(d.name) && planOf(d.schema, needs)) {
        needed.add(d.name);
        changed = true;
      }
    }
  }
  const declarationPlans = new Map(ir.declarations.filter((d) => needed.has(d.name)).map((d) => [d.name, planOf(d.schema, needs)!]));

  const reached = new Set<string>();
  const reach = (plan: Plan | undefined) => {
    const names: string[] = [];
    refsOf(plan, names);
    for (const name of names) {
      if (reached.has(name)) continue;
      reached.add(name);
      reach(declarationPlans.get(name));
    }
  };
  for (const op of operations) {
    for (const p of op.queryParams) reach(planOf(p.schema, needs));
    if (op.requestBody) reach(planOf(op.requestBody.schema, needs));
    if (op.response.schema) reach(planOf(op.response.schema, needs));
    if (op.response.eventStream?.schema) reach(planOf(op.response.eventStream.schema, needs));
  }

  const statements = [...declarationPlans]
    .filter(([name]) => reached.has(name))
    .map(([name, plan]) => `const ${constName(name)}: WirePlan = ${printPlan(plan, true)};`);
  if (statements.length > 0) {
    statements[0] =
      `// How the API's JSON keys map to the camelCase keys of the types (generated with \`--naming camel\`):\n` +
      `// the functions above convert responses with fromWire and request bodies with toWire.\n${statements[0]}`;
  }
  return {
    statements,
    expressionFor: (schema) => {
      const plan = schema && planOf(schema, needs);
      return plan && printPlan(plan, false);
    },
  };
}
