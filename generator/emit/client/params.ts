import type { IrDocument, IrParameter } from "../../ir/types";
import { escapeJsDoc, objectKey, propertyKey, stringLiteral } from "../escape";

/**
 * How the client passes each parameter's `style`, `explode` and `allowReserved` to the runtime,
 * which serialises them: only what differs from the location's default is written, so a spec that
 * uses the defaults gets the same client as before styles existed.
 */

type Style = NonNullable<IrParameter["style"]>;

/** The runtime's default `explode` for a style: true for form only (deepObject is always exploded). */
const explodes = (style: Style): boolean => style === "form";

/** `{ style: "label", explode: true }` for a path parameter that is not plain `simple`, else undefined. */
function pathStyle(p: IrParameter): string | undefined {
  const fields: string[] = [];
  if (p.style !== undefined && p.style !== "simple") fields.push(`style: ${stringLiteral(p.style)}`);
  if (p.explode === true) fields.push("explode: true");
  if (p.json) fields.push("json: true");
  return fields.length > 0 ? `{ ${fields.join(", ")} }` : undefined;
}

/** `pathStyles: { … }` for the path parameters whose style is not the default, if any. */
export function pathStylesField(params: IrParameter[]): string | undefined {
  const seen = new Set<string>();
  const entries: string[] = [];
  for (const p of params) {
    const style = pathStyle(p);
    if (seen.has(p.name) || style === undefined) continue;
    seen.add(p.name);
    entries.push(`${objectKey(p.name)}: ${style}`);
  }
  return entries.length > 0 ? `pathStyles: { ${entries.join(", ")} }` : undefined;
}

/** `, style: "pipeDelimited", explode: true, allowReserved: true`: a query parameter's fields past its value. */
export function queryStyleFields(p: IrParameter): string {
  const style: Style = p.style ?? "form";
  let out = style === "form" ? "" : `, style: ${stringLiteral(style)}`;
  if (p.explode !== undefined && style !== "deepObject" && p.explode !== explodes(style)) out += `, explode: ${p.explode}`;
  if (p.allowReserved) out += ", allowReserved: true";
  if (p.json) out += ", json: true";
  return out;
}

/** The fields after `name` and `value` of a header parameter's entry: it is always `simple`. */
export function headerStyleFields(p: IrParameter): string {
  return `${p.explode === true ? ", explode: true" : ""}${p.json ? ", json: true" : ""}`;
}

/** `serverVariables: { region: "us" }` for `DEFAULTS`: every variable that has a default. */
export function serverDefaultsField(ir: IrDocument): string | undefined {
  const server = ir.serverVariables;
  if (!server) return undefined;
  const entries = server.variables.flatMap((v) => (v.default === undefined ? [] : [`${objectKey(v.name)}: ${stringLiteral(v.default)}`]));
  return `serverVariables: { ${entries.join(", ")} }`;
}

/**
 * `export type ServerVariables = { … }`: what `createClient({ serverVariables })` accepts, each
 * variable typed by its enum. A type alias, not an interface, so it is assignable to the runtime's
 * `Record<string, string | undefined>`.
 */
export function serverVariablesType(ir: IrDocument): string | undefined {
  const server = ir.serverVariables;
  if (!server) return undefined;
  const members = server.variables.map((v) => {
    const lines = [...(v.description ? escapeJsDoc(v.description).split("\n") : []), ...(v.default !== undefined ? [`@default ${escapeJsDoc(JSON.stringify(v.default))}`] : [])];
    const doc = lines.length === 0 ? "" : lines.length === 1 ? `  /** ${lines[0]} */\n` : `  /**\n${lines.map((l) => (l ? `   * ${l}` : "   *")).join("\n")}\n   */\n`;
    const type = v.enum ? v.enum.map(stringLiteral).join(" | ") : "string";
    return `${doc}  ${propertyKey(v.name)}?: ${type};`;
  });
  const doc = `/** The \`{variables}\` of the server URL, \`${escapeJsDoc(ir.baseURL).replace(/`/g, "'")}\`: \`createClient({ serverVariables })\`. */`;
  return `${doc}\nexport type ${server.typeName} = {\n${members.join("\n")}\n};`;
}
