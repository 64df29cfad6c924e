import type { IrDocument, IrOperation, IrSecurityScheme } from "../../ir/types";
import { escapeJsDoc, objectKey, stringLiteral } from "../escape";
import { typeText } from "../declarations";
import { objectProperty, type ObjectEntry } from "../layout";

/**
 * What the client emitter prints for request and response media and for security: the TypeScript
 * types of non-JSON bodies and answers, the `OperationSpec` fields that tell the runtime how to
 * send and read them, and their documentation.
 */

/** What a raw (`application/octet-stream`, `text/plain`, …) request body accepts. */
export const RAW_BODY_TYPE = "Blob | Uint8Array | ArrayBuffer | ReadableStream | string";

/** The body parameter's type: the spec's schema, but what the runtime sends as given for a raw body. */
export function bodyTypeText(op: IrOperation): string {
  const body = op.requestBody!;
  return body.kind === "raw" ? RAW_BODY_TYPE : typeText(body.schema);
}

/** The data a function resolves to, by how its answer is read. */
export function resultTypeOf(op: IrOperation): string {
  const { kind, schema } = op.response;
  if (kind === "binary") return "Blob";
  if (kind === "text") return "string";
  if (kind === "void" || !schema) return "void";
  return typeText(schema);
}

/** Whether the function's data is parsed JSON, which validators check and `fromWire` converts. */
export function readsJson(op: IrOperation): boolean {
  return op.response.kind === "json";
}

const DEFAULT_CONTENT_TYPE: Record<string, string | undefined> = {
  json: "application/json",
  multipart: "multipart/form-data",
  form: "application/x-www-form-urlencoded",
  raw: undefined,
};

function requirementsLiteral(security: string[][]): string {
  return `[${security.map((names) => `[${names.map(stringLiteral).join(", ")}]`).join(", ")}]`;
}

function sameRequirements(a: string[][], b: string[][]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The `OperationSpec` fields for media and security that differ from the runtime's defaults. */
export function mediaFields(op: IrOperation, ir: IrDocument): string[] {
  const fields: string[] = [];
  const body = op.requestBody;
  if (body && body.kind !== "json") fields.push(`bodyType: ${stringLiteral(body.kind)}`);
  if (body && body.contentType !== DEFAULT_CONTENT_TYPE[body.kind] && !(body.kind === "multipart" && /^multipart\/form-data\b/i.test(body.contentType))) {
    fields.push(`contentType: ${stringLiteral(body.contentType)}`);
  }
  if (body?.encoding) {
    const entries = body.encoding.map((e): ObjectEntry => {
      const parts: ObjectEntry[] = [
        ...(e.contentType !== undefined ? [{ key: "contentType", value: stringLiteral(e.contentType) }] : []),
        ...(e.style !== undefined ? [{ key: "style", value: stringLiteral(e.style) }] : []),
        ...(e.explode !== undefined ? [{ key: "explode", value: String(e.explode) }] : []),
      ];
      return { key: objectKey(e.property), value: parts };
    });
    // At the column of an operation's fields when `returnCall` breaks them; a field that needs
    // lines of its own makes it break them.
    fields.push(objectProperty("encoding", entries, 6));
  }
  const responseType = responseTypeOf(op);
  if (responseType !== "json") fields.push(`responseType: ${stringLiteral(responseType)}`);
  if (!sameRequirements(op.security, ir.security)) fields.push(`security: ${requirementsLiteral(op.security)}`);
  return fields;
}

function responseTypeOf(op: IrOperation): "json" | "string" | "text" | "binary" | "void" {
  const { kind, contentType } = op.response;
  if (kind === "text") return contentType !== undefined && /json/i.test(contentType) ? "string" : "text";
  if (kind === "binary" || kind === "void") return kind;
  return "json";
}

/** A remark on how the body goes on the wire, when that is not simply JSON. */
export function bodyRemark(op: IrOperation): string | undefined {
  const body = op.requestBody;
  if (!body || (body.kind === "json" && !body.otherContentTypes)) return undefined;
  const how: Record<typeof body.kind, string> = {
    json: "as JSON",
    multipart: "as `multipart/form-data` (files as file parts: a `Blob`, `File`, bytes or a stream, see `toFile`; objects as JSON parts)",
    form: op.method === "GET" || op.method === "HEAD" || op.method === "DELETE" ? "form-encoded in the query string" : "form-encoded (`application/x-www-form-urlencoded`)",
    raw: `as given, as \`${body.contentType}\``,
  };
  const others = body.otherContentTypes ? ` The API also accepts ${body.otherContentTypes.map((t) => `\`${t}\``).join(", ")}; this client sends the first of JSON, multipart, form and other media it offers.` : "";
  return escapeJsDoc(`The body is sent ${how[body.kind]}.${others}`);
}

/** A remark on a function whose answer is not JSON. */
export function responseRemark(op: IrOperation, name: string): string | undefined {
  const { kind } = op.response;
  if (kind === "binary") return `Resolves to the answer's bytes as a \`Blob\`; to stream a large one instead, call \`${name}.asResponse(…)\`.`;
  if (kind === "text") return "Resolves to the answer's text, never parsed (a JSONL or CSV file comes back as it is).";
  return undefined;
}

function schemeEntry(s: IrSecurityScheme): ObjectEntry {
  const fields: ObjectEntry[] = [
    { key: "type", value: stringLiteral(s.type) },
    ...(s.in !== undefined ? [{ key: "in", value: stringLiteral(s.in) }] : []),
    ...(s.parameter !== undefined ? [{ key: "name", value: stringLiteral(s.parameter) }] : []),
    { key: "option", value: stringLiteral(s.option) },
    ...(s.env !== undefined ? [{ key: "env", value: stringLiteral(s.env) }] : []),
  ];
  return { key: objectKey(s.name), value: fields };
}

/** The `RuntimeDefaults` fields for security: the schemes by name, and the API's requirements. */
export function securityDefaults(ir: IrDocument): string[] {
  const used = new Set(ir.operations.flatMap((op) => op.security.flat()));
  const schemes = ir.securitySchemes.filter((s) => used.has(s.name));
  // At the column of `DEFAULTS`' fields.
  return [objectProperty("schemes", schemes.map(schemeEntry), 2), `security: ${requirementsLiteral(ir.security)}`];
}

/** How each scheme's credential is passed, for `createClient`'s JSDoc. */
export function authenticationDoc(ir: IrDocument): string[] {
  const used = new Set(ir.operations.flatMap((op) => op.security.flat()));
  return ir.securitySchemes
    .filter((s) => used.has(s.name))
    .map((s) => {
      const how =
        s.type === "basic"
          ? "`username` and `password`"
          : s.option === "apiKey" || s.option === "accessToken"
            ? `\`${s.option}\``
            : `\`credentials: { ${s.option}: "…" }\``;
      const sent = s.type === "basic" ? "HTTP basic" : s.type === "bearer" ? "a bearer token" : `the ${s.in === "query" ? "query parameter" : s.in} \`${s.parameter}\``;
      const env = s.env !== undefined ? ` (default: the ${s.env} environment variable)` : "";
      return escapeJsDoc(`- ${s.name}: ${how}${env}, sent as ${sent}.`);
    });
}
