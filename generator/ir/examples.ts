import { escapePointerSegment } from "../errors";
import { getAtPointer } from "../pipeline/resolve";
import type { IrExample, IrOperation, IrSchema, JsonValue } from "./types";
import { isObject, type JsonObject } from "../util/object";

/**
 * Documented examples are collected so they can be checked against the schema they document:
 * an example that disagrees with its schema is a bug in the spec or in the generator.
 */

type Raw = JsonObject;

/** An example's value, or the reason it cannot be read. */
export function readExample(example: IrExample): { ok: true; json: JsonValue } | { ok: false; reason: string } {
  if ("json" in example.source) return { ok: true, json: example.source.json };
  try {
    return { ok: true, json: JSON.parse(example.source.text) as JsonValue };
  } catch {
    // The engine's parse message differs between Node versions; the report must not.
    return { ok: false, reason: "not valid JSON" };
  }
}

function parsed(text: unknown): IrExample["source"] {
  return typeof text === "string" ? { text } : { json: text as JsonValue };
}

/** `example` and 3.1 `examples` on a schema node. */
export function schemaExamples(node: Raw, pointer: string, label: string, schema: IrSchema): IrExample[] {
  const out: IrExample[] = [];
  if ("example" in node) out.push({ pointer: `${pointer}/example`, label, schema, source: { json: node.example as JsonValue } });
  if (Array.isArray(node.examples)) {
    node.examples.forEach((ex, i) => out.push({ pointer: `${pointer}/examples/${i}`, label, schema, source: { json: ex as JsonValue } }));
  }
  return out;
}

/** OpenAI documents each object with a JSON string in `x-oaiMeta.example`. */
export function oaiMetaExamples(node: Raw, pointer: string, label: string, schema: IrSchema): IrExample[] {
  const meta = node["x-oaiMeta"];
  if (!isObject(meta) || meta.example === undefined) return [];
  return [{ pointer: `${pointer}/x-oaiMeta/example`, label: `${label} (x-oaiMeta.example)`, schema, source: parsed(meta.example) }];
}

/** Response examples of an operation: `x-oaiMeta.examples[].response` and media-type `example(s)`. */
export function operationExamples(root: unknown, op: IrOperation): IrExample[] {
  const out: IrExample[] = [];
  const raw = getAtPointer(root, op.pointer.slice(1)).value;
  const schema = op.response.schema;
  if (!isObject(raw) || !schema) return out;
  const meta = raw["x-oaiMeta"];
  if (isObject(meta) && meta.examples !== undefined) {
    const list = Array.isArray(meta.examples) ? meta.examples : [meta.examples];
    list.forEach((ex, i) => {
      if (!isObject(ex) || ex.response === undefined) return;
      const at = Array.isArray(meta.examples) ? `${op.pointer}/x-oaiMeta/examples/${i}/response` : `${op.pointer}/x-oaiMeta/examples/response`;
      const title = typeof ex.title === "string" ? ` "${ex.title}"` : "";
      out.push({ pointer: at, label: `${op.operationId} response${title} (x-oaiMeta)`, schema, source: parsed(ex.response) });
    });
  }
  const responses = isObject(raw.responses) ? raw.responses : {};
  const res = responses[op.response.status];
  const media = isObject(res) && isObject(res.content) && op.response.contentType ? res.content[op.response.contentType] : undefined;
  if (isObject(media)) {
    const at = `${op.pointer}/responses/${op.response.status}/content/${escapePointerSegment(op.response.contentType!)}`;
    if ("example" in media) out.push({ pointer: `${at}/example`, label: `${op.operationId} response`, schema, source: { json: media.example as JsonValue } });
    if (isObject(media.examples)) {
      for (const [name, ex] of Object.entries(media.examples)) {
        if (isObject(ex) && "value" in ex) {
          out.push({ pointer: `${at}/examples/${name}/value`, label: `${op.operationId} response "${name}"`, schema, source: { json: ex.value as JsonValue } });
        }
      }
    }
  }
  return out;
}
