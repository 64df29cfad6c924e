/**
 * An OpenAPI document as plain JSON Schema 2020-12, for ajv: the reference the generated
 * validators are compared with. Only spellings the generator reads differently from JSON Schema
 * are rewritten, each as the generator means it (see the README's semantics table):
 * - `nullable: true` (3.0, and the 3.1 documents that still use it) allows `null`;
 * - 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` beside a bound become the 2020-12 numbers;
 * - `$recursiveRef: "#"` / `$dynamicRef: "#name"` point at the nearest enclosing schema with the
 *   matching `$recursiveAnchor: true` / `$dynamicAnchor: name` (a component, as the generator
 *   resolves them: the recursion names that component), since an OpenAPI document is not one
 *   schema resource and "#" would be the document itself;
 * - OpenAPI annotations ajv would otherwise read as keywords are dropped (`discriminator`, `x-…`,
 *   `example`, `xml`).
 */

type Raw = Record<string, unknown>;

const isObj = (v: unknown): v is Raw => v !== null && typeof v === "object" && !Array.isArray(v);

/** OpenAPI annotations (and anchors, once the refs to them are rewritten). */
const DROPPED = new Set(["discriminator", "example", "xml", "externalDocs", "$recursiveAnchor", "$dynamicAnchor"]);
/** Keys whose values map names (a property called `example`, a component called `xml`) to schemas or other objects. */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas", "paths", "components", "responses", "content", "parameters", "requestBodies", "headers", "examples", "mapping", "webhooks", "callbacks", "links", "securitySchemes", "encoding", "variables", "pathItems"]);

export function toJsonSchema(root: unknown): Raw {
  const walk = (node: unknown, pointer: string, anchors: { recursive?: string; dynamic: Map<string, string> }, names = false): unknown => {
    if (Array.isArray(node)) return node.map((v, i) => walk(v, `${pointer}/${i}`, anchors));
    if (!isObj(node)) return node;
    if (names) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, `${pointer}/${escape(k)}`, anchors)]));
    let scope = anchors;
    if (node.$recursiveAnchor === true || typeof node.$dynamicAnchor === "string") {
      const dynamic = new Map(anchors.dynamic);
      if (typeof node.$dynamicAnchor === "string") dynamic.set(node.$dynamicAnchor, pointer);
      scope = { recursive: node.$recursiveAnchor === true ? pointer : anchors.recursive, dynamic };
    }
    const out: Raw = {};
    for (const [key, value] of Object.entries(node)) {
      if (key.startsWith("x-") || DROPPED.has(key)) continue;
      const at = `${pointer}/${escape(key)}`;
      if (key === "$recursiveRef" && value === "#" && scope.recursive !== undefined) out.$ref = scope.recursive;
      else if (key === "$dynamicRef" && typeof value === "string" && scope.dynamic.has(value.replace(/^#/, ""))) out.$ref = scope.dynamic.get(value.replace(/^#/, ""));
      else out[key] = walk(value, at, scope, NAME_MAPS.has(key));
    }
    for (const [flag, bound] of [["exclusiveMinimum", "minimum"], ["exclusiveMaximum", "maximum"]] as const) {
      if (typeof out[flag] === "boolean") {
        if (out[flag] === true && typeof out[bound] === "number") {
          out[flag] = out[bound];
          delete out[bound];
        } else delete out[flag];
      }
    }
    if (out.nullable === true) {
      delete out.nullable;
      return allowNull(out);
    }
    if (typeof out.nullable === "boolean") delete out.nullable;
    return out;
  };
  return walk(root, "#", { dynamic: new Map() }) as Raw;
}

const escape = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");

/** The schema with `null` allowed too. */
function allowNull(schema: Raw): Raw {
  if (typeof schema.type === "string" && !("$ref" in schema) && !Array.isArray(schema.allOf) && !Array.isArray(schema.oneOf) && !Array.isArray(schema.anyOf)) {
    const out: Raw = { ...schema, type: [schema.type, "null"] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) out.enum = [...schema.enum, null];
    return out;
  }
  return { anyOf: [schema, { type: "null" }] };
}
