import { assertNever } from "../../util/assert-never";
import type { IrDeclaration, IrDocument, IrSchema } from "../types";

/**
 * `Loop = anyOf [Loop2]`, `Loop2 = oneOf [Loop, string]` (or `Base = allOf [Choice]`, `Choice =
 * oneOf [Base, integer]`): declarations that refer to each other through nothing but aliases,
 * unions and intersections. TypeScript rejects them ("circularly references itself"), and they add
 * nothing: a value matches one of them exactly when it matches a member that leads out of the
 * cycle. So every union of such a cycle becomes the union of the members leading out of it (the
 * least solution of the equations), intersections lose the members leading back, and a warning
 * names the cycle. Recursion through a property or array items is untouched: it is fine.
 */
export function breakAliasCycles(doc: IrDocument): IrDocument {
  const byName = new Map(doc.declarations.map((d) => [d.name, d]));
  const cycles = aliasCycles(doc.declarations, byName);
  if (cycles.length === 0) return doc;
  const replaced = new Map<string, IrDeclaration>();
  const warnings = [...doc.warnings];
  for (const cycle of cycles) {
    const inCycle = new Set(cycle);
    const leadingOut: IrSchema[] = [];
    const seen = new Set<string>();
    for (const name of cycle) {
      for (const m of unionMembers(top(byName.get(name)!.schema))) {
        const key = JSON.stringify(m);
        if (!refsAtTop(m).some((r) => inCycle.has(r)) && !seen.has(key)) {
          seen.add(key);
          leadingOut.push(m);
        }
      }
    }
    for (const name of cycle) {
      const d = byName.get(name)!;
      replaced.set(name, { ...d, schema: rewrite(d.schema, inCycle, leadingOut) });
    }
    warnings.push({ pointer: byName.get(cycle[0])!.pointer, message: `${cycle.join(", ")} refer to each other only through unions or aliases; each union is typed as its members that lead out of the cycle` });
  }
  return { ...doc, declarations: doc.declarations.map((d) => replaced.get(d.name) ?? d), warnings };
}

function top(schema: IrSchema): IrSchema {
  return schema.kind === "nullable" ? top(schema.inner) : schema;
}

function unionMembers(schema: IrSchema): IrSchema[] {
  return schema.kind === "union" ? schema.members : [];
}

/** Names a schema refers to without passing through an object, array or map. */
function refsAtTop(schema: IrSchema): string[] {
  switch (schema.kind) {
    case "ref":
      return [schema.name];
    case "union":
    case "intersection":
      return schema.members.flatMap(refsAtTop);
    case "nullable":
      return refsAtTop(schema.inner);
    case "primitive":
    case "literal":
    case "enum":
    case "array":
    case "object":
    case "map":
    case "unknown":
      return [];
    default:
      return assertNever(schema);
  }
}

function rewrite(schema: IrSchema, inCycle: Set<string>, leadingOut: IrSchema[]): IrSchema {
  const leadsBack = (m: IrSchema) => refsAtTop(m).some((r) => inCycle.has(r));
  switch (schema.kind) {
    case "nullable":
      return { ...schema, inner: rewrite(schema.inner, inCycle, leadingOut) };
    case "union":
      if (leadingOut.length === 0) return { kind: "unknown", pointer: schema.pointer, meta: schema.meta };
      return leadingOut.length === 1 ? { ...leadingOut[0], meta: schema.meta ?? leadingOut[0].meta } : { ...schema, members: leadingOut, discriminator: undefined };
    case "intersection": {
      const members = schema.members.filter((m) => !leadsBack(m));
      if (members.length === 0) return { kind: "unknown", pointer: schema.pointer, meta: schema.meta };
      return members.length === 1 ? members[0] : { ...schema, members };
    }
    case "ref":
      // An alias of another declaration of the cycle: that one no longer leads back.
      return schema;
    case "primitive":
    case "literal":
    case "enum":
    case "array":
    case "object":
    case "map":
    case "unknown":
      return schema;
    default:
      return assertNever(schema);
  }
}

/** The strongly connected sets of declarations (Tarjan) that reach themselves through top-level references, in declaration order. */
function aliasCycles(declarations: IrDeclaration[], byName: Map<string, IrDeclaration>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const edges = (name: string) => refsAtTop(byName.get(name)!.schema).filter((r) => byName.has(r));
  const visit = (name: string): void => {
    index.set(name, counter);
    low.set(name, counter++);
    stack.push(name);
    onStack.add(name);
    for (const next of edges(name)) {
      if (!index.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(name, Math.min(low.get(name)!, index.get(next)!));
    }
    if (low.get(name) !== index.get(name)) return;
    const component: string[] = [];
    let top: string;
    do {
      top = stack.pop()!;
      onStack.delete(top);
      component.push(top);
    } while (top !== name);
    if (component.length > 1 || edges(name).includes(name)) out.push(component.sort());
  };
  for (const d of declarations) if (!index.has(d.name)) visit(d.name);
  return out;
}
