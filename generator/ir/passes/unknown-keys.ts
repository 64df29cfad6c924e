import { parametersOf, referencedNames } from "../children";
import type { IrDocument, IrOperation, IrSchema } from "../types";
import { assertNever } from "../../util/assert-never";

/**
 * `additionalProperties: false` by direction. For what a client sends (a request body, a
 * parameter) rejecting unknown keys is the spec's contract, so the validators do it by default,
 * as JSON Schema does. What only responses reach accepts them unless `{ strict: true }`: servers
 * add fields, and a client must not break when they do (openai-node never rejects them). A
 * declaration reached from both directions has one validator, so it rejects, as the spec says;
 * so does one no operation reaches (the spec is all there is to go by). Runs after
 * `splitDirections`, whose `…Write` twins make the split exact for the schemas it splits.
 */
export function relaxResponseOnly(doc: IrDocument): IrDocument {
  const byName = new Map(doc.declarations.map((d) => [d.name, d]));
  const reached = (roots: (IrSchema | undefined)[]): Set<string> => {
    const seen = new Set<string>();
    const todo = roots.flatMap((r) => (r ? referencedNames(r) : []));
    for (let name = todo.pop(); name !== undefined; name = todo.pop()) {
      const d = byName.get(name);
      if (!d || seen.has(name)) continue;
      seen.add(name);
      todo.push(...referencedNames(d.schema));
    }
    return seen;
  };
  const sent = reached(doc.operations.flatMap(requestSchemas));
  const answered = reached(doc.operations.flatMap(responseSchemas));
  const declarations = doc.declarations.map((d) => (answered.has(d.name) && !sent.has(d.name) ? { ...d, schema: relax(d.schema) } : d));
  const operations = doc.operations.map((op): IrOperation => {
    const r = op.response;
    const stream = r.eventStream;
    return {
      ...op,
      response: { ...r, schema: r.schema && relax(r.schema), eventStream: stream && { ...stream, schema: stream.schema && relax(stream.schema) } },
      pagination: op.pagination && { ...op.pagination, items: relax(op.pagination.items) },
    };
  });
  return { ...doc, declarations, operations };
}

function requestSchemas(op: IrOperation): IrSchema[] {
  return [...parametersOf(op), ...(op.requestBody ? [op.requestBody] : [])].map((p) => p.schema);
}

function responseSchemas(op: IrOperation): (IrSchema | undefined)[] {
  return [op.response.schema, op.response.eventStream?.schema, op.pagination?.items];
}

/**
 * `s` with every object written in it (not those it refers to) rejecting unknown keys only in
 * strict mode; `s` itself when nothing in it changes, so shared nodes stay shared.
 */
function relax(s: IrSchema): IrSchema {
  const each = (list: IrSchema[]): IrSchema[] => {
    const out = list.map(relax);
    return out.some((x, i) => x !== list[i]) ? out : list;
  };
  switch (s.kind) {
    case "object": {
      const schemas = each(s.properties.map((p) => p.schema));
      const extra = typeof s.additionalProperties === "object" ? relax(s.additionalProperties) : s.additionalProperties;
      if (s.unknownKeys !== "reject" && extra === s.additionalProperties && schemas.every((x, i) => x === s.properties[i].schema)) return s;
      return {
        ...s,
        properties: s.properties.map((p, i) => (schemas[i] === p.schema ? p : { ...p, schema: schemas[i] })),
        additionalProperties: extra,
        ...(s.unknownKeys ? { unknownKeys: "strict" } : {}),
      };
    }
    case "array": {
      const items = relax(s.items);
      return items === s.items ? s : { ...s, items };
    }
    case "map": {
      const values = relax(s.values);
      return values === s.values ? s : { ...s, values };
    }
    case "union":
    case "intersection": {
      const members = each(s.members);
      return members === s.members ? s : { ...s, members };
    }
    case "nullable": {
      const inner = relax(s.inner);
      return inner === s.inner ? s : { ...s, inner };
    }
    case "primitive":
    case "literal":
    case "enum":
    case "ref":
    case "unknown":
      return s;
    default:
      return assertNever(s);
  }
}
