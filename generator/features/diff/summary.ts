import { typeText } from "../../emit/declarations";
import type { IrDocument, IrKind, IrOperation, IrParameter, IrSchema, JsonValue } from "../../ir/types";
import { isObject } from "../../util/object";

/**
 * The change report: what regenerating after a spec update does to the generated API, and
 * whether client code written against the old output can break.
 *
 * It compares compact summaries of the IR rather than IRs, so `generate` can keep the summary of
 * its last run in the output manifest and report against it without the old spec. A summary keeps
 * only what decides the generated API (names, shapes, optionality, nullability, values); docs,
 * pointers and constraints are left out.
 */

/** A schema reduced to what the generated types show. A string is a primitive (`string`, `number`, `boolean`, `unknown`) or the name of a declaration. */
export type Shape = string | EnumShape | NullableShape | ArrayShape | MapShape | ObjectShape | UnionShape | AllOfShape;
export interface EnumShape {
  enum: JsonValue[];
}
export interface NullableShape {
  nullable: Shape;
}
export interface ArrayShape {
  array: Shape;
}
export interface MapShape {
  map: Shape;
}
export interface ObjectShape {
  /** In spec order, so messages print members as the generated code does. */
  properties: Record<string, Shape>;
  optional?: string[];
  extends?: string[];
  /** The index signature's type, when extra keys are allowed. */
  extra?: Shape;
}
export interface UnionShape {
  union: Shape[];
  /** The discriminant property, and the values that select each member. */
  on?: string;
  values?: string[][];
}
interface AllOfShape {
  allOf: Shape[];
}

export interface OperationSummary {
  /** `GET /fine_tuning/jobs/{fine_tuning_job_id}`. */
  endpoint: string;
  /** The client function's name, when it is not the operationId. */
  function?: string;
  unsupported?: string;
  deprecated?: true;
  /** Path parameters in path order: they are positional arguments. */
  path?: Record<string, Shape>;
  query?: Record<string, Shape>;
  header?: Record<string, Shape>;
  cookie?: Record<string, Shape>;
  /** `query.limit`, `body`: what callers may leave out. */
  optional?: string[];
  body?: Shape;
  response?: Shape;
  /** Each server-sent event's shape, when the operation can answer with a stream of them. */
  events?: Shape;
}

export interface ApiSummary {
  format: typeof SUMMARY_FORMAT;
  /** Declaration name → shape; a nullable declaration is wrapped in `{ nullable }`. */
  types: Record<string, Shape>;
  /** operationId → what the client function takes and returns. */
  operations: Record<string, OperationSummary>;
}

/** Bumped when the summary changes meaning; summaries of another format are ignored. */
export const SUMMARY_FORMAT = 1;

const PRIMITIVE_LEAVES = new Set(["string", "number", "boolean"]);

type ShapeOf<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>) => Shape;

const shapers = {
  // `integer` prints as `number`: the generated API does not tell them apart.
  primitive: (s) => (s.type === "integer" ? "number" : s.type),
  literal: (s) => ({ enum: [s.value] }),
  enum: (s) => ({ enum: s.values }),
  array: (s) => ({ array: shapeOf(s.items) }),
  map: (s) => ({ map: shapeOf(s.values) }),
  object: (s) => {
    const optional = s.properties.filter((p) => !p.required).map((p) => p.key ?? p.name);
    return {
      properties: Object.fromEntries(s.properties.map((p) => [p.key ?? p.name, shapeOf(p.schema)])),
      ...(optional.length > 0 ? { optional } : {}),
      ...(s.extends.length > 0 ? { extends: s.extends } : {}),
      ...(s.additionalProperties === false ? {} : { extra: s.additionalProperties === true ? "unknown" : shapeOf(s.additionalProperties) }),
    };
  },
  union: (s) => ({
    union: s.members.map(shapeOf),
    ...(s.discriminator ? { on: s.discriminator.key ?? s.discriminator.property, values: s.discriminator.values } : {}),
  }),
  intersection: (s) => ({ allOf: s.members.map(shapeOf) }),
  ref: (s) => s.name,
  nullable: (s) => ({ nullable: shapeOf(s.inner) }),
  unknown: () => "unknown",
} satisfies { [K in IrKind]: ShapeOf<K> };

export function shapeOf(schema: IrSchema): Shape {
  return (shapers[schema.kind] as ShapeOf<typeof schema.kind>)(schema as never);
}

/** Back to IR, only to print a shape exactly as the type emitter does. */
function schemaOf(shape: Shape): IrSchema {
  if (typeof shape === "string") {
    if (shape === "unknown") return { kind: "unknown" };
    return PRIMITIVE_LEAVES.has(shape) ? { kind: "primitive", type: shape as "string" } : { kind: "ref", name: shape };
  }
  if ("enum" in shape) return shape.enum.length === 1 ? { kind: "literal", value: shape.enum[0] } : { kind: "enum", values: shape.enum };
  if ("nullable" in shape) return { kind: "nullable", inner: schemaOf(shape.nullable) };
  if ("array" in shape) return { kind: "array", items: schemaOf(shape.array) };
  if ("map" in shape) return { kind: "map", values: schemaOf(shape.map) };
  if ("union" in shape) return { kind: "union", members: shape.union.map(schemaOf) };
  if ("allOf" in shape) return { kind: "intersection", members: shape.allOf.map(schemaOf) };
  const optional = new Set(shape.optional ?? []);
  return {
    kind: "object",
    extends: shape.extends ?? [],
    properties: Object.entries(shape.properties).map(([name, s]) => ({ name, required: !optional.has(name), schema: schemaOf(s) })),
    additionalProperties: shape.extra === undefined ? false : shape.extra === "unknown" ? true : schemaOf(shape.extra),
  };
}

/** The type as the generated code prints it, on one line. */
export function printShape(shape: Shape): string {
  return typeText(schemaOf(shape)).replace(/\s+/g, " ").replace(/; }/g, " }");
}

function paramRecord(params: IrParameter[]): Record<string, Shape> | undefined {
  return params.length > 0 ? Object.fromEntries(params.map((p) => [p.name, shapeOf(p.schema)])) : undefined;
}

function operationSummary(op: IrOperation): OperationSummary {
  const optional = [
    ...op.queryParams.filter((p) => !p.required).map((p) => `query.${p.name}`),
    ...op.headerParams.filter((p) => !p.required).map((p) => `header.${p.name}`),
    ...op.cookieParams.filter((p) => !p.required).map((p) => `cookie.${p.name}`),
    ...(op.requestBody && !op.requestBody.required ? ["body"] : []),
  ];
  const summary: OperationSummary = {
    endpoint: `${op.method} ${op.path}`,
    ...(op.name !== op.operationId ? { function: op.name } : {}),
    ...(op.unsupported ? { unsupported: op.unsupported } : {}),
    ...(op.deprecated ? { deprecated: true as const } : {}),
    path: paramRecord(op.pathParams),
    query: paramRecord(op.queryParams),
    header: paramRecord(op.headerParams),
    cookie: paramRecord(op.cookieParams),
    ...(optional.length > 0 ? { optional } : {}),
    body: op.requestBody ? shapeOf(op.requestBody.schema) : undefined,
    response: op.response.schema ? shapeOf(op.response.schema) : undefined,
    events: op.response.eventStream ? shapeOf(op.response.eventStream.schema ?? { kind: "unknown" }) : undefined,
  };
  // Absent, not `undefined`: the summary is stored as JSON and compared after a round trip.
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as unknown as OperationSummary;
}

/** What `diffApis` compares; small enough to keep in the output manifest. */
export function summarizeApi(ir: IrDocument): ApiSummary {
  return {
    format: SUMMARY_FORMAT,
    types: Object.fromEntries(ir.declarations.map((d) => [d.name, d.nullable ? { nullable: shapeOf(d.schema) } : shapeOf(d.schema)])),
    operations: Object.fromEntries(ir.operations.map((op) => [op.operationId, operationSummary(op)])),
  };
}

/**
 * The summary as the output manifest keeps it (under `extra.api`): each type and operation as one
 * line of JSON, which keeps the manifest small and makes a changed type a one-line git diff.
 */
export function encodeSummary(summary: ApiSummary): Record<string, unknown> {
  const lines = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, JSON.stringify(v)]));
  return { format: summary.format, types: lines(summary.types), operations: lines(summary.operations) };
}

/** The summary an earlier run recorded in its manifest's `extra`, if this version can read it. */
export function summaryFromManifest(extra: Record<string, unknown> | undefined): ApiSummary | undefined {
  const api = extra?.api as { format?: unknown; types?: unknown; operations?: unknown } | undefined;
  if (!isObject(api) || api.format !== SUMMARY_FORMAT || !isObject(api.types) || !isObject(api.operations)) return undefined;
  try {
    const parse = (record: Record<string, unknown>) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, JSON.parse(String(v))]));
    return { format: SUMMARY_FORMAT, types: parse(api.types), operations: parse(api.operations) };
  } catch {
    return undefined; // an edited or damaged manifest: there is just nothing to compare against
  }
}
