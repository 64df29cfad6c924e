import { camelCase } from "../identifiers";
import type { IrBodyKind, IrPartEncoding, IrResponseKind, IrSecurityScheme } from "../types";

/**
 * Media types and security, decided once for the client: which of a body's media types is sent
 * and how, what a success response is read as, and which security schemes the client applies
 * under which option names.
 */

type Raw = Record<string, unknown>;

function isObj(v: unknown): v is Raw {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isJsonMediaType(type: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type) || type === "*/*";
}

const EVENT_STREAM = "text/event-stream";

function bodyKindOf(type: string): IrBodyKind {
  if (isJsonMediaType(type)) return "json";
  if (/^multipart\/form-data\b/i.test(type)) return "multipart";
  if (/^application\/x-www-form-urlencoded\b/i.test(type)) return "form";
  return "raw";
}

const BODY_PREFERENCE: IrBodyKind[] = ["json", "multipart", "form", "raw"];

/** The media type a body is sent as: JSON when offered, else multipart, else form, else the first other one. */
export function chooseBodyMedia(types: string[]): { kind: IrBodyKind; contentType: string } | undefined {
  for (const kind of BODY_PREFERENCE) {
    const contentType = types.find((t) => bodyKindOf(t) === kind);
    if (contentType !== undefined) return { kind, contentType };
  }
  return undefined;
}

const STYLES = new Set(["form", "spaceDelimited", "pipeDelimited", "deepObject"]);

/** The spec's `encoding` map of a multipart or form body, property by property in its order. */
export function encodingOf(media: unknown): IrPartEncoding[] | undefined {
  const encoding = isObj(media) && isObj(media.encoding) ? media.encoding : undefined;
  if (!encoding) return undefined;
  const out: IrPartEncoding[] = [];
  for (const property of Object.keys(encoding)) {
    const entry = encoding[property];
    if (!isObj(entry)) continue;
    const part: IrPartEncoding = { property };
    if (typeof entry.contentType === "string") part.contentType = entry.contentType;
    if (typeof entry.style === "string" && STYLES.has(entry.style)) part.style = entry.style as IrPartEncoding["style"];
    if (typeof entry.explode === "boolean") part.explode = entry.explode;
    if (Object.keys(part).length > 1) out.push(part);
  }
  return out.length > 0 ? out : undefined;
}

/** Media types whose bodies are text to a reader, though not `text/*`. */
const TEXTUAL = /^(?:text\/|application\/(?:xml|[\w.+-]+\+xml|x?-?yaml|sdp|javascript|x-ndjson|jsonl|x-jsonlines)\b)/i;

/**
 * What a success with these media types is read as. `jsonIsString`: the JSON media's schema is a
 * string, so its text is the data (OpenAI's `downloadFile` declares JSON and sends JSONL or CSV).
 */
export function responseKindOf(status: string, types: string[], jsonIsString: boolean): IrResponseKind {
  if (status === "204" || types.length === 0) return "void";
  if (types.some(isJsonMediaType)) return jsonIsString ? "text" : "json";
  const others = types.filter((t) => t.toLowerCase() !== EVENT_STREAM);
  if (others.length === 0) return "events";
  return TEXTUAL.test(others[0]) ? "text" : "binary";
}

/** ClientOptions keys a derived credential name must not take. */
const OPTION_NAMES = new Set([
  "apiKey",
  "baseURL",
  "organization",
  "project",
  "headers",
  "timeout",
  "maxRetries",
  "fetch",
  "signal",
  "validate",
  "logger",
  "username",
  "password",
  "accessToken",
  "credentials",
  "idempotencyHeader",
  "idempotencyKey",
]);

function upperSnake(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase();
}

/** `AdminApiKeyAuth` → `adminApiKey`: the scheme's name without a trailing `Auth`, free among the options. */
function derivedOption(name: string, taken: Set<string>): string {
  const camel = camelCase(name) || "credential";
  const base = camel.replace(/(?<=.)Auth(?:entication)?$/, "");
  let option = OPTION_NAMES.has(base) ? `${base}Credential` : base;
  for (let n = 2; taken.has(option); n++) option = `${base}${n}`;
  return option;
}

/**
 * The spec's security schemes the client applies, with their option names (see
 * `IrSecurityScheme`), and the ones it cannot (`http` schemes other than bearer and basic,
 * `mutualTLS`), each with the reason.
 */
export function securitySchemesOf(
  raw: unknown,
  apiKeyEnv: string,
): { schemes: IrSecurityScheme[]; skipped: { name: string; reason: string }[] } {
  const schemes: IrSecurityScheme[] = [];
  const skipped: { name: string; reason: string }[] = [];
  const taken = new Set<string>();
  const prefix = apiKeyEnv.replace(/_API_KEY$/, "");
  const claim = (first: string, name: string): string => {
    const option = taken.has(first) ? derivedOption(name, taken) : first;
    taken.add(option);
    return option;
  };
  for (const name of isObj(raw) ? Object.keys(raw) : []) {
    const node = (raw as Raw)[name];
    if (!isObj(node)) continue;
    const description = typeof node.description === "string" ? node.description : undefined;
    const base = { name, ...(description ? { description } : {}) };
    const scheme = typeof node.scheme === "string" ? node.scheme.toLowerCase() : "";
    if (node.type === "http" && scheme === "basic") {
      schemes.push({ ...base, type: "basic", option: "username" });
    } else if ((node.type === "http" && scheme === "bearer") || node.type === "apiKey") {
      const where = node.in;
      if (node.type === "apiKey" && (typeof node.name !== "string" || (where !== "header" && where !== "query" && where !== "cookie"))) {
        skipped.push({ name, reason: "an apiKey scheme needs a name and an `in` of header, query or cookie" });
        continue;
      }
      const option = claim("apiKey", name);
      const env = option === "apiKey" ? apiKeyEnv : `${prefix}_${upperSnake(option)}`;
      const placed = node.type === "apiKey" ? { in: where as "header" | "query" | "cookie", parameter: node.name as string } : {};
      schemes.push({ ...base, type: node.type === "apiKey" ? "apiKey" : "bearer", ...placed, option, env });
    } else if (node.type === "oauth2" || node.type === "openIdConnect") {
      schemes.push({ ...base, type: "bearer", option: claim("accessToken", name) });
    } else {
      skipped.push({ name, reason: `${String(node.type)}${scheme ? ` ${scheme}` : ""} authentication is not applied by the client: set its header with the headers option` });
    }
  }
  return { schemes, skipped };
}

/**
 * An operation's security requirements as alternatives of scheme names, those naming a scheme
 * the client cannot apply left out; undefined when the spec gives none at this level.
 */
export function requirementsOf(security: unknown, known: ReadonlySet<string>): string[][] | undefined {
  if (!Array.isArray(security)) return undefined;
  const out: string[][] = [];
  for (const requirement of security) {
    if (!isObj(requirement)) continue;
    const names = Object.keys(requirement);
    if (names.every((n) => known.has(n))) out.push(names);
  }
  return out;
}
