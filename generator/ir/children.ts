import type { IrKind, IrOperation, IrParameter, IrSchema } from "./types";

type Children = { [K in IrKind]: (s: Extract<IrSchema, { kind: K }>) => { schemas: IrSchema[]; names: string[] } };

const NONE = (): { schemas: IrSchema[]; names: string[] } => ({ schemas: [], names: [] });

/** Every parameter of an operation: path, query, header and cookie. */
export function parametersOf(op: IrOperation): IrParameter[] {
  return [...op.pathParams, ...paramsObjectOf(op)];
}

/** The parameters a client function takes in its params object, beside the body: all but the path's. */
export function paramsObjectOf(op: IrOperation): IrParameter[] {
  return [...op.queryParams, ...op.headerParams, ...op.cookieParams];
}

/** The operation's parameter lists, each parameter's schema replaced by `f`'s. */
export function mapParameters(op: IrOperation, f: (schema: IrSchema) => IrSchema): Pick<IrOperation, "pathParams" | "queryParams" | "headerParams" | "cookieParams"> {
  const each = (params: IrParameter[]): IrParameter[] => params.map((p) => ({ ...p, schema: f(p.schema) }));
  return { pathParams: each(op.pathParams), queryParams: each(op.queryParams), headerParams: each(op.headerParams), cookieParams: each(op.cookieParams) };
}

/** The schemas nested directly in each kind, and the declarations it names (refs, `extends`). */
const CHILDREN: Children = {
  primitive: NONE,
  literal: NONE,
  enum: NONE,
  unknown: NONE,
  array: (s) => ({ schemas: [s.items], names: [] }),
  object: (s) => ({ schemas: [...s.properties.map((p) => p.schema), ...(typeof s.additionalProperties === "object" ? [s.additionalProperties] : [])], names: s.extends }),
  map: (s) => ({ schemas: [s.values], names: [] }),
  union: (s) => ({ schemas: s.members, names: [] }),
  intersection: (s) => ({ schemas: s.members, names: [] }),
  ref: (s) => ({ schemas: [], names: [s.name] }),
  nullable: (s) => ({ schemas: [s.inner], names: [] }),
};

/** The schemas nested directly in `schema`, in order (not following refs). */
export function childSchemas(schema: IrSchema): IrSchema[] {
  return (CHILDREN[schema.kind] as (x: IrSchema) => { schemas: IrSchema[] })(schema).schemas;
}

/**
 * Every schema nested in `schema`, itself included, not following refs; walked without recursion
 * (an IR can be as deep as its spec). `visit` sees each once, outermost first.
 */
export function eachNested(schema: IrSchema, visit: (s: IrSchema) => void): void {
  const todo = [schema];
  for (let s = todo.pop(); s !== undefined; s = todo.pop()) {
    visit(s);
    const schemas = childSchemas(s);
    for (let i = schemas.length - 1; i >= 0; i--) todo.push(schemas[i]);
  }
}

/** The declaration names `schema` refers to (refs and `extends`), nested ones included. */
export function referencedNames(schema: IrSchema): string[] {
  const names: string[] = [];
  eachNested(schema, (s) => names.push(...(CHILDREN[s.kind] as (x: IrSchema) => { names: string[] })(s).names));
  return names;
}
