import { childSchemas, mapParameters, referencedNames } from "../children";
import type { IrDeclaration, IrDocument, IrOperation, IrProperty, IrSchema } from "../types";

/**
 * `readOnly` properties are set by the server (an `id`), `writeOnly` ones only sent (a
 * `password`). A request body or parameter that required the server's `id` could not be written,
 * so each direction gets its own type, but only where a schema actually differs: a declaration
 * that has such properties, or reaches one through its properties, items, members or bases, keeps
 * its name for what the API answers (without its writeOnly properties) and gets a `…Write` twin
 * for what is sent (without its readOnly properties: `Pet` and `PetWrite`). Every other type is
 * shared by both directions. Request bodies and parameters use the `…Write` types; validators are
 * emitted for both, so each direction is checked against its own.
 */
export function splitDirections(doc: IrDocument): IrDocument {
  const byName = new Map(doc.declarations.map((d) => [d.name, d]));
  const split = declarationsThatDiffer(doc.declarations, byName);
  if (split.size === 0) return doc;
  const taken = new Set([...doc.declarations.map((d) => d.name), ...doc.operations.flatMap((o) => (o.paramsType ? [o.paramsType] : []))]);
  const writeName = new Map<string, string>();
  for (const d of doc.declarations) {
    if (!split.has(d.name)) continue;
    let name = `${d.name}Write`;
    for (let i = 2; taken.has(name); i++) name = `${d.name}Write${i}`;
    taken.add(name);
    writeName.set(d.name, name);
  }
  const read = (s: IrSchema) => view(s, "read", writeName);
  const write = (s: IrSchema) => view(s, "write", writeName);
  const declarations: IrDeclaration[] = [];
  for (const d of doc.declarations) {
    if (!split.has(d.name)) {
      declarations.push(d);
      continue;
    }
    declarations.push({ ...d, schema: read(d.schema) });
    declarations.push({ ...d, name: writeName.get(d.name)!, schema: write(d.schema), source: "inline", specName: undefined });
  }
  const operations = doc.operations.map((op): IrOperation => ({
    ...op,
    ...mapParameters(op, write),
    requestBody: op.requestBody && { ...op.requestBody, schema: write(op.requestBody.schema) },
    response: {
      ...op.response,
      schema: op.response.schema && read(op.response.schema),
      eventStream: op.response.eventStream && { ...op.response.eventStream, schema: op.response.eventStream.schema && read(op.response.eventStream.schema) },
    },
    pagination: op.pagination && { ...op.pagination, items: read(op.pagination.items) },
  }));
  const sorted = declarations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...doc, declarations: sorted, operations };
}

type Direction = "read" | "write";

/** A property absent from one direction: readOnly ones are not sent, writeOnly ones not answered. */
function absentIn(p: IrProperty, direction: Direction): boolean {
  const flag = direction === "read" ? "writeOnly" : "readOnly";
  return p.meta?.[flag] === true || topMeta(p.schema)?.[flag] === true;
}

function topMeta(s: IrSchema): IrSchema["meta"] {
  return s.meta ?? (s.kind === "nullable" ? topMeta(s.inner) : undefined);
}

/** The names of the declarations whose two directions differ, directly or through what they reach. */
function declarationsThatDiffer(declarations: IrDeclaration[], byName: Map<string, IrDeclaration>): Set<string> {
  const split = new Set<string>();
  for (const d of declarations) if (hasDirectional(d.schema)) split.add(d.name);
  // Whatever reaches a split declaration differs too (its write view names the `…Write` twin).
  let grew = split.size > 0;
  while (grew) {
    grew = false;
    for (const d of declarations) {
      if (split.has(d.name)) continue;
      if (referencedNames(d.schema).some((r) => split.has(r) && byName.has(r))) {
        split.add(d.name);
        grew = true;
      }
    }
  }
  return split;
}

function hasDirectional(s: IrSchema): boolean {
  return childSchemas(s).some(hasDirectional) || (s.kind === "object" && s.properties.some((p) => absentIn(p, "read") || absentIn(p, "write")));
}

/** `s` as one direction sees it: without the properties absent there, and (writing) naming the `…Write` twins. */
function view(s: IrSchema, direction: Direction, writeName: Map<string, string>): IrSchema {
  const v = (x: IrSchema) => view(x, direction, writeName);
  const rename = (name: string) => (direction === "write" ? (writeName.get(name) ?? name) : name);
  switch (s.kind) {
    case "object":
      return {
        ...s,
        extends: s.extends.map(rename),
        properties: s.properties.filter((p) => !absentIn(p, direction)).map((p) => ({ ...p, schema: v(p.schema) })),
        additionalProperties: typeof s.additionalProperties === "object" ? v(s.additionalProperties) : s.additionalProperties,
      };
    case "array":
      return { ...s, items: v(s.items) };
    case "map":
      return { ...s, values: v(s.values) };
    case "union":
    case "intersection":
      return { ...s, members: s.members.map(v) };
    case "nullable":
      return { ...s, inner: v(s.inner) };
    case "ref":
      return { ...s, name: rename(s.name) };
    case "primitive":
    case "literal":
    case "enum":
    case "unknown":
      return s;
  }
}
