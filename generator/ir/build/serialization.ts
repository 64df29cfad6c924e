import { escapePointerSegment } from "../../errors";
import { isObject, type JsonObject } from "../../util/object";
import type { IrParameter, IrServerVariable } from "../types";

type Raw = JsonObject;
type Warn = (pointer: string, message: string) => void;

/** The styles each location allows (OpenAPI 3.1 "Style Values"); the first is its default. */
const STYLES = {
  path: ["simple", "label", "matrix"],
  query: ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
  header: ["simple"],
  cookie: ["form"],
} as const satisfies Record<IrParameter["in"], readonly NonNullable<IrParameter["style"]>[]>;

/** A spec string quoted in a message, cut short: a message never carries much of the spec. */
function quoted(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * A parameter's `style`, `explode` and `allowReserved` as the spec gives them. A style its location
 * does not allow, or a value of the wrong type, is a warning and the location's default applies.
 */
export function serializationOf(node: Raw, where: IrParameter["in"], at: string, warn: Warn): Pick<IrParameter, "style" | "explode" | "allowReserved"> {
  const out: Pick<IrParameter, "style" | "explode" | "allowReserved"> = {};
  const allowed: readonly string[] = STYLES[where];
  if (node.style !== undefined) {
    if (typeof node.style === "string" && allowed.includes(node.style)) out.style = node.style as IrParameter["style"];
    else warn(`${at}/style`, `style ${quoted(node.style)} is not one of a ${where} parameter's (${allowed.join(", ")}): sent as ${allowed[0]}`);
  }
  if (typeof node.explode === "boolean") out.explode = node.explode;
  else if (node.explode !== undefined) warn(`${at}/explode`, `explode must be true or false, got ${quoted(node.explode)}: ignored`);
  // Only query parameters have reserved characters to keep.
  if (node.allowReserved === true && where === "query") out.allowReserved = true;
  return out;
}

/**
 * The variables of the first server's URL (`https://{region}.api.example.com`), in spec order,
 * with their defaults and allowed values. A variable the URL names but does not declare, or one
 * without a usable default, is a warning: the client then needs `serverVariables` to be called.
 */
export function serverVariablesOf(root: Raw, warn: Warn): IrServerVariable[] {
  const servers = Array.isArray(root.servers) ? root.servers : [];
  const server = servers[0];
  if (!isObject(server) || typeof server.url !== "string") return [];
  const declared = isObject(server.variables) ? server.variables : {};
  const variables: IrServerVariable[] = [];
  for (const name of Object.keys(declared)) {
    const at = `#/servers/0/variables/${escapePointerSegment(name)}`;
    const raw = declared[name];
    if (!isObject(raw)) {
      warn(at, `server variable ${quoted(name)} is not an object: ignored`);
      continue;
    }
    const values = Array.isArray(raw.enum) ? raw.enum.filter((v): v is string => typeof v === "string") : [];
    const variable: IrServerVariable = { name };
    if (values.length > 0) variable.enum = values;
    if (typeof raw.default === "string" || typeof raw.default === "number") variable.default = String(raw.default);
    else warn(`${at}/default`, `server variable ${quoted(name)} has no default: calls must set serverVariables.${name}`);
    if (variable.default !== undefined && variable.enum && !variable.enum.includes(variable.default)) {
      warn(`${at}/default`, `the default of server variable ${quoted(name)} is not one of its enum values`);
    }
    if (typeof raw.description === "string" && raw.description.trim() !== "") variable.description = raw.description.trim();
    variables.push(variable);
  }
  for (const [, name] of server.url.matchAll(/\{([^{}]*)\}/g)) {
    if (!Object.prototype.hasOwnProperty.call(declared, name)) {
      const hint = variables.length > 0 ? `calls must set serverVariables.${name} or baseURL` : "the client sends the URL as it is";
      warn("#/servers/0/url", `the server URL names {${quoted(name).slice(1, -1)}} but declares no such variable: ${hint}`);
    }
  }
  return variables;
}
