import { objectProperties } from "../check";
import { childSchemas, mapParameters, parametersOf } from "../children";
import { INHERITED_KEYS, camelKey } from "../identifiers";
import type { IrDeclaration, IrDocument, IrProperty, IrSchema, IrUnion } from "../types";
import { assertNever } from "../../util/assert-never";

/**
 * `--naming camel`: the TypeScript key of every property (`IrProperty.key`). Decided over the
 * finished IR rather than while parsing, because whether two keys collide depends on an object's
 * final shape: allOf merges, inherited properties, intersections, the members of a union that
 * must agree on their discriminant.
 */
export function applyCamelNaming(doc: IrDocument): IrDocument {
  const declarations = new Map(doc.declarations.map((d) => [d.name, d]));
  const warnings: IrDocument["warnings"] = [];
  const warned = new Set<string>();
  const warn = (pointer: string, message: string) => {
    if (warned.has(`${pointer}\n${message}`)) return;
    warned.add(`${pointer}\n${message}`);
    warnings.push({ pointer, message });
  };

  // Properties that keep their wire name; grows until no collision is left.
  const pinned = new Set<IrProperty>();
  const keyOf = (p: IrProperty): string => {
    if (pinned.has(p)) return p.name;
    const key = camelKey(p.name);
    return key === undefined || INHERITED_KEYS.has(key) ? p.name : key;
  };

  /** Every property an object of this schema has: its own, inherited ones, all an intersection's. */
  const propertiesOf = (schema: IrSchema): IrProperty[] => objectProperties(declarations, schema).props;

  // Objects and intersections are the scopes in which keys must be unique.
  const scopes: { schema: IrSchema; pointer: string }[] = [];
  const unions: { schema: IrUnion; pointer: string }[] = [];
  const visited = new Set<IrSchema>();
  const collect = (schema: IrSchema, pointer: string): void => {
    if (visited.has(schema)) return;
    visited.add(schema);
    const at = schema.pointer ?? pointer;
    if (schema.kind === "object" || schema.kind === "intersection") scopes.push({ schema, pointer: at });
    if (schema.kind === "union" && schema.discriminator) unions.push({ schema, pointer: at });
    for (const child of childSchemas(schema)) collect(child, at);
  };
  for (const d of doc.declarations) collect(d.schema, d.pointer);
  for (const op of doc.operations) {
    for (const p of parametersOf(op)) collect(p.schema, op.pointer);
    if (op.requestBody) collect(op.requestBody.schema, op.pointer);
    if (op.response.schema) collect(op.response.schema, op.pointer);
  }
  for (const e of doc.examples) collect(e.schema, e.pointer);

  for (const { schema, pointer } of scopes) {
    for (const p of propertiesOf(schema)) {
      const key = camelKey(p.name);
      if (key !== undefined && INHERITED_KEYS.has(key)) {
        warn(pointer, `property "${p.name}" keeps its wire name: its camelCase key ${key} is a member every object inherits`);
      }
    }
  }

  // Pinning only ever turns a key back into a wire name, so this ends.
  for (let changed = true; changed; ) {
    changed = false;
    for (const { schema, pointer } of scopes) {
      const byKey = new Map<string, IrProperty[]>();
      for (const p of propertiesOf(schema)) byKey.set(keyOf(p), [...(byKey.get(keyOf(p)) ?? []), p]);
      for (const [key, props] of byKey) {
        const names = [...new Set(props.map((p) => p.name))];
        if (names.length < 2) continue;
        for (const p of props) {
          if (keyOf(p) !== p.name) {
            pinned.add(p);
            changed = true;
          }
        }
        warn(pointer, `properties ${names.map((n) => JSON.stringify(n)).join(" and ")} would all be ${key} in camelCase: they keep their wire names`);
      }
    }
    // Narrowing needs one discriminant key across the union, so a member that cannot rename it holds back every member.
    for (const { schema, pointer } of unions) {
      const property = schema.discriminator!.property;
      const props = schema.members.flatMap((m) => propertiesOf(m)).filter((p) => p.name === property);
      if (new Set(props.map(keyOf)).size < 2) continue;
      for (const p of props) {
        if (keyOf(p) !== p.name) {
          pinned.add(p);
          changed = true;
        }
      }
      warn(pointer, `discriminant "${property}" keeps its wire name: not every member of the union can rename it`);
    }
  }

  const mapped = new Map<IrSchema, IrSchema>();
  const rename = (schema: IrSchema): IrSchema => {
    const done = mapped.get(schema);
    if (done) return done;
    const out = renameOnce(schema);
    mapped.set(schema, out);
    return out;
  };
  const renameOnce = (schema: IrSchema): IrSchema => {
    switch (schema.kind) {
      case "object":
        return {
          ...schema,
          properties: schema.properties.map((p) => {
            const key = keyOf(p);
            const { name, ...rest } = p;
            return key === name ? { ...p, schema: rename(p.schema) } : { name, key, ...rest, schema: rename(p.schema) };
          }),
          additionalProperties: typeof schema.additionalProperties === "object" ? rename(schema.additionalProperties) : schema.additionalProperties,
        };
      case "union": {
        const members = schema.members.map(rename);
        const d = schema.discriminator;
        if (!d) return { ...schema, members };
        const prop = schema.members.flatMap((m) => propertiesOf(m)).find((p) => p.name === d.property);
        const key = prop ? keyOf(prop) : d.property;
        return { ...schema, members, discriminator: key === d.property ? d : { property: d.property, key, reason: d.reason, values: d.values } };
      }
      case "intersection":
        return { ...schema, members: schema.members.map(rename) };
      case "array":
        return { ...schema, items: rename(schema.items) };
      case "map":
        return { ...schema, values: rename(schema.values) };
      case "nullable":
        return { ...schema, inner: rename(schema.inner) };
      case "enum":
      case "literal":
      case "primitive":
      case "ref":
      case "unknown":
        return schema;
      default:
        return assertNever(schema);
    }
  };
  const renameDecl = (d: IrDeclaration): IrDeclaration => ({ ...d, schema: rename(d.schema) });

  return {
    ...doc,
    declarations: doc.declarations.map(renameDecl),
    operations: doc.operations.map((op) => ({
      ...op,
      ...mapParameters(op, rename),
      requestBody: op.requestBody && { ...op.requestBody, schema: rename(op.requestBody.schema) },
      response: op.response.schema ? { ...op.response, schema: rename(op.response.schema) } : op.response,
    })),
    examples: doc.examples.map((e) => ({ ...e, schema: rename(e.schema) })),
    warnings: [...doc.warnings, ...warnings],
  };
}
