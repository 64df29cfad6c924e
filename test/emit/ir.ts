import type { IrDeclaration, IrDocument, IrOperation, IrProperty, IrSchema } from "../../generator/ir/types";

/**
 * Hand-written IR for emitter tests: the emitters read nothing but the IR, so each case states
 * exactly the IR it starts from, without a spec or the builder in between.
 */

export const str: IrSchema = { kind: "primitive", type: "string" };
export const int: IrSchema = { kind: "primitive", type: "integer" };
export const ref = (name: string): IrSchema => ({ kind: "ref", name });
export const prop = (name: string, schema: IrSchema, required = true): IrProperty => ({ name, required, schema });
export const object = (...properties: IrProperty[]): IrSchema => ({ kind: "object", extends: [], properties, additionalProperties: false });

export function declaration(name: string, schema: IrSchema, extra: Partial<IrDeclaration> = {}): IrDeclaration {
  return { name, schema, source: "component", pointer: `#/components/schemas/${name}`, specName: name, nullable: false, ...extra };
}

export function operation(extra: Partial<IrOperation> & Pick<IrOperation, "operationId" | "name" | "method" | "path">): IrOperation {
  return { pointer: "#/paths", deprecated: false, tags: [], pathParams: [], queryParams: [], headerParams: [], cookieParams: [], response: { status: "200", kind: "void" }, auth: "bearer", security: [["bearer"]], ...extra };
}

export function document(declarations: IrDeclaration[], operations: IrOperation[] = []): IrDocument {
  return { version: "3.1", title: "Test", apiVersion: "1", baseURL: "https://api.test", apiKeyEnv: "TEST_API_KEY", securitySchemes: [{ name: "bearer", type: "bearer", option: "apiKey", env: "TEST_API_KEY" }], security: [["bearer"]], declarations, operations, unions: [], examples: [], renames: [], warnings: [] };
}

/** The statements of an emitted file after its header comment, one string each. */
export function body(text: string): string {
  return text.slice(text.indexOf("*/") + 2).trim();
}
