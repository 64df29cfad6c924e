/** Naming rules, in one place so the README can document them and tests can pin them. */

const RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "as implements interface let package private protected public static yield any boolean constructor declare get " +
    "module require number set string symbol type from of unknown never object undefined await async"
  ).split(" "),
);

/**
 * Names the generated module exports itself (runtime and helpers): a schema may not take them,
 * and global types a generated file refers to must not be shadowed.
 */
export const TAKEN_NAMES = new Set([
  "APIError",
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIUserAbortError",
  "APIResponseValidationError",
  "APIResult",
  "AuthenticationError",
  "BadRequestError",
  "ClientOptions",
  "ConflictError",
  "InternalServerError",
  "MissingAPIKeyError",
  "NotFoundError",
  "OpenAPIMorphError",
  "OperationSpec",
  "PermissionDeniedError",
  "QueryParam",
  "RateLimitError",
  "RequestOptions",
  "RuntimeDefaults",
  "UnprocessableEntityError",
  "ValidationIssue",
  "ValidationResult",
  "ValidateOptions",
  "Client",
  "Array",
  "Boolean",
  "Date",
  "Error",
  "Function",
  "Map",
  "Number",
  "Object",
  "Promise",
  "Record",
  "Response",
  "Set",
  "String",
  "Symbol",
  "Partial",
  "Omit",
  "Pick",
]);

function words(raw: string): string[] {
  return raw.split(/[^A-Za-z0-9]+/).filter(Boolean);
}

/**
 * `FineTuneDPOMethod` stays as it is; `fine_tuning.job` → `FineTuningJob`; `Thing.Extra` and
 * `Thing_Extra` both → `ThingExtra` (the collision is resolved by the caller). Inner capitals are
 * kept, so acronyms survive.
 */
export function pascalCase(raw: string): string {
  const out = words(raw)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
  if (out === "") return "Schema";
  return /^[0-9]/.test(out) ? `_${out}` : out;
}

/** `retrieveFineTuningJob` stays; `list-files` → `listFiles`; `Get_Thing` → `getThing`. */
export function camelCase(raw: string): string {
  const p = pascalCase(raw);
  if (p.startsWith("_")) return p;
  const out = p[0].toLowerCase() + p.slice(1);
  return RESERVED_WORDS.has(out) ? `${out}_` : out;
}

export function isIdentifier(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) && !RESERVED_WORDS.has(name);
}

/** Code-point order: `localeCompare` differs between machines and ICU versions. */
export function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `OpenAI API` → `OPENAI_API_KEY`; `Petstore` → `PETSTORE_API_KEY`. */
export function apiKeyEnvFor(title: string): string {
  const base = words(title.replace(/\bAPI\b/gi, " "))
    .map((w) => w.toUpperCase())
    .join("_");
  return `${base || "API"}_API_KEY`;
}
