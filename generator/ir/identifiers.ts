/** Naming rules, in one place so the README can document them and tests can pin them. */

/** JavaScript's reserved words (strict mode included): no local variable may take one. */
export const JS_RESERVED_WORDS = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await"
  ).split(" "),
);

/** Those and TypeScript's contextual keywords and type names: no generated function takes one as its name. */
const RESERVED_WORDS = new Set([...JS_RESERVED_WORDS, ..."as any boolean constructor declare get module require number set string symbol type from of unknown never object undefined async".split(" ")]);

/**
 * Every name `templates/runtime.ts` exports. The output's `index.ts` re-exports the runtime beside
 * the types, validators and client, and client.ts imports from it, so a schema or an operation
 * taking one of these names would not compile. A test compares this list with the template's
 * exports: a new export there fails it until it is added here.
 */
export const RUNTIME_EXPORTS = [
  "APIConnectionError",
  "APIConnectionTimeoutError",
  "APIError",
  "APIResponseTooLargeError",
  "APIResponseValidationError",
  "APIResult",
  "APIUserAbortError",
  "APIUserError",
  "AuthenticationError",
  "BadRequestError",
  "BodyType",
  "ClientOptions",
  "ConflictError",
  "Credential",
  "EventStream",
  "InternalServerError",
  "MissingAPIKeyError",
  "NotFoundError",
  "OpenAPIMorphError",
  "OperationSpec",
  "Page",
  "ParamStyle",
  "PartEncoding",
  "PermissionDeniedError",
  "QueryParam",
  "RateLimitError",
  "RequestOptions",
  "ResponseType",
  "RuntimeDefaults",
  "SecurityScheme",
  "ServerSentEvent",
  "UnprocessableEntityError",
  "Uploadable",
  "ValidationIssue",
  "ValidationResult",
  "WireObjectPlan",
  "WirePlan",
  "asResponseOptions",
  "callOperation",
  "encodeForm",
  "fromWire",
  "headerValue",
  "mergeOptions",
  "operationBinder",
  "paginate",
  "rawOperation",
  "readEvents",
  "streamOperation",
  "toFile",
  "toWire",
];

/** What client.ts and validators.ts export besides a function per operation and `validateX`/`isX` per type. */
export const EMITTED_EXPORTS = ["Client", "createClient", "ValidateOptions"];

/** Global types a generated file refers to: a declaration of that name would shadow them. */
const GLOBAL_TYPES = ["Array", "Boolean", "Date", "Error", "Function", "Map", "Number", "Object", "Promise", "Record", "Response", "Set", "String", "Symbol", "Partial", "Omit", "Pick"];

/** Names neither a type nor an operation's function may take (types get a `Schema` suffix, functions a number). */
export const TAKEN_NAMES = new Set([...RUNTIME_EXPORTS, ...EMITTED_EXPORTS, ...GLOBAL_TYPES]);

/** Strict-mode restricted identifiers: a module binding `eval` or `arguments` is a SyntaxError on load. */
export const STRICT_RESTRICTED = new Set(["eval", "arguments"]);

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
  return RESERVED_WORDS.has(out) || STRICT_RESTRICTED.has(out) ? `${out}_` : out;
}

/**
 * Keys every object inherits. A property renamed to one of them would read the inherited member
 * whenever the API leaves it out (`to_string` → `toString` would be a function, not `undefined`).
 * Spelled out rather than read from `Object.prototype`, so output never depends on the Node version.
 */
export const INHERITED_KEYS = new Set(
  "__proto__ __defineGetter__ __defineSetter__ __lookupGetter__ __lookupSetter__ constructor hasOwnProperty isPrototypeOf propertyIsEnumerable toLocaleString toString valueOf".split(" "),
);

/**
 * The camelCase spelling of a property's wire name (`--naming camel`), or `undefined` when it has
 * none: `created_at` → `createdAt`, `fine-tuned_model` → `fineTunedModel`, `n_epochs` → `nEpochs`.
 * Only `_` and `-` between other characters separate words; leading and trailing ones are kept
 * (`_id` stays, as `id` is likely a sibling), and so is the case of every letter but the first of
 * each later word (`URL_path` → `URLPath`). The caller rejects keys that collide or are inherited.
 */
export function camelKey(name: string): string | undefined {
  const [, lead, middle, trail] = /^([_-]*)(.*?)([_-]*)$/s.exec(name)!;
  if (!/[_-]/.test(middle)) return undefined;
  const [first, ...rest] = middle.split(/[_-]+/);
  return lead + first + rest.map((w) => w[0].toUpperCase() + w.slice(1)).join("") + trail;
}

/** `OpenAI API` → `OPENAI_API_KEY`; `Petstore` → `PETSTORE_API_KEY`. */
export function apiKeyEnvFor(title: string): string {
  const base = words(title.replace(/\bAPI\b/gi, " "))
    .map((w) => w.toUpperCase())
    .join("_");
  return `${base || "API"}_API_KEY`;
}
