import { assertNever } from "../../util/assert-never";
import { parametersOf } from "../children";
import type { IrDocument, IrSchema } from "../types";

/**
 * Marks each union of a plain `string` with listed string values (`model: string | "gpt-4o"`),
 * which TypeScript would reduce to `string`, losing the values' completions in editors: the
 * types print its string member as `string & {}`, as openai-node does. Decided once over the
 * finished IR; it sets `IrUnion.openStrings` on the union nodes of this run's document.
 */
export function markOpenStrings(doc: IrDocument): IrDocument {
  const declarations = new Map(doc.declarations.map((d) => [d.name, d.schema]));
  /** A value list of strings, directly or through references, nullables and unions of them. */
  const listsStrings = (schema: IrSchema, seen: Set<string>): boolean => {
    switch (schema.kind) {
      case "literal":
        return typeof schema.value === "string";
      case "enum":
        return schema.values.some((v) => typeof v === "string");
      case "nullable":
        return listsStrings(schema.inner, seen);
      case "union":
        return schema.members.some((m) => listsStrings(m, seen));
      case "ref": {
        const target = declarations.get(schema.name);
        if (!target || seen.has(schema.name)) return false;
        seen.add(schema.name);
        return listsStrings(target, seen);
      }
      case "primitive":
      case "array":
      case "object":
      case "map":
      case "intersection":
      case "unknown":
        return false;
      default:
        return assertNever(schema);
    }
  };
  const isPlainString = (s: IrSchema): boolean => s.kind === "primitive" && s.type === "string" && s.format !== "binary";
  const visited = new Set<IrSchema>();
  const visit = (schema: IrSchema | undefined): void => {
    if (!schema || visited.has(schema)) return;
    visited.add(schema);
    switch (schema.kind) {
      case "union":
        if (schema.members.some(isPlainString) && schema.members.some((m) => listsStrings(m, new Set()))) schema.openStrings = true;
        schema.members.forEach(visit);
        return;
      case "intersection":
        schema.members.forEach(visit);
        return;
      case "nullable":
        return visit(schema.inner);
      case "array":
        return visit(schema.items);
      case "map":
        return visit(schema.values);
      case "object":
        schema.properties.forEach((p) => visit(p.schema));
        if (typeof schema.additionalProperties === "object") visit(schema.additionalProperties);
        return;
      case "primitive":
      case "literal":
      case "enum":
      case "ref":
      case "unknown":
        return;
      default:
        return assertNever(schema);
    }
  };
  for (const d of doc.declarations) visit(d.schema);
  for (const op of doc.operations) {
    parametersOf(op).forEach((p) => visit(p.schema));
    visit(op.requestBody?.schema);
    visit(op.response.schema);
  }
  return doc;
}
