import { objectProperties } from "../check";
import type { IrDocument, IrObject, IrOperation, IrPagination, IrProperty, IrSchema } from "../types";

/**
 * OpenAI's API conventions the client builds on, recognised once over the finished IR (after
 * `--naming camel`, so each records the keys the types use): cursor-paginated lists, and the body
 * flag that asks for server-sent events. Matched on the API's own names, so a spec that does not
 * follow them gets neither, and nothing else changes.
 */
export function recognizeConventions(doc: IrDocument): IrDocument {
  const declarations = new Map(doc.declarations.map((d) => [d.name, d]));
  const resolve = (schema: IrSchema | undefined, seen = new Set<string>()): IrSchema | undefined => {
    if (schema?.kind !== "ref" || seen.has(schema.name)) return schema;
    seen.add(schema.name);
    return resolve(declarations.get(schema.name)?.schema, seen);
  };
  /** A property an object declares, itself or through what it extends or intersects, by its API name. */
  const find = (schema: IrSchema | undefined, name: string): IrProperty | undefined =>
    schema && objectProperties(declarations, schema).props.find((p) => p.name === name);
  const key = (p: IrProperty): string => p.key ?? p.name;
  const isString = (schema: IrSchema): boolean =>
    (schema.kind === "primitive" && schema.type === "string") || (schema.kind === "nullable" && isString(schema.inner));

  /**
   * A GET with an optional string `after` query parameter whose answer has a required `data`
   * array, a boolean `has_more`, and a cursor for the next page: its `last_id`, or its last item's
   * required string `id`.
   */
  const paginationOf = (op: IrOperation): IrPagination | undefined => {
    const after = op.queryParams.find((p) => p.name === "after");
    if (op.method !== "GET" || !after || after.required || after.schema.kind !== "primitive" || after.schema.type !== "string") return undefined;
    const page = resolve(op.response.schema);
    if (page?.kind !== "object") return undefined;
    const own = (object: IrObject, name: string): IrProperty | undefined => object.properties.find((p) => p.name === name);
    const data = own(page, "data");
    const more = own(page, "has_more");
    if (data?.schema.kind !== "array" || !data.required || more?.schema.kind !== "primitive" || more.schema.type !== "boolean") return undefined;
    const cursors: IrPagination["cursors"] = [];
    const lastId = own(page, "last_id");
    if (lastId && isString(lastId.schema)) cursors.push({ from: "page", key: key(lastId) });
    const item = resolve(data.schema.items);
    const id = item?.kind === "object" ? own(item, "id") : undefined;
    if (id?.required && isString(id.schema)) cursors.push({ from: "lastItem", key: key(id) });
    return cursors.length > 0 ? { items: data.schema.items, data: key(data), hasMore: key(more), cursors } : undefined;
  };

  const operations = doc.operations.map((op): IrOperation => {
    const pagination = paginationOf(op);
    const flag = op.response.eventStream ? find(op.requestBody?.schema, "stream") : undefined;
    return {
      ...op,
      ...(pagination ? { pagination } : {}),
      ...(flag && op.response.eventStream ? { response: { ...op.response, eventStream: { ...op.response.eventStream, bodyFlag: key(flag) } } } : {}),
    };
  });
  return { ...doc, operations };
}
