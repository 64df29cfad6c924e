// @ts-nocheck: generated code, type-checked by openapi-morph's tests; skipping it saves builds seconds.

/*
 * openapi-morph runtime.
 *
 * Generated clients copy this file (after a `@ts-nocheck` line: openapi-morph's tests check it,
 * users' builds need not) and import it as `./runtime`, so it must stay dependency-free and
 * compile under `tsc --strict` in browser projects that have no Node typings: only fetch,
 * Headers, Response (and its body's reader), AbortController, AbortSignal, URL, URLSearchParams,
 * FormData, Blob, File, TextEncoder, TextDecoder, btoa, crypto.randomUUID and timers are used
 * (each checked for before use where a platform may lack it). Its behaviour deliberately mirrors the official openai-node SDK
 * (retry rules, error classes, defaults) so users of that SDK find nothing surprising.
 */

export interface ClientOptions<
  Variables extends Record<string, string | undefined> = Record<string, string | undefined>,
> {
  /** Defaults to the environment variable named by the generated defaults (e.g. OPENAI_API_KEY). */
  apiKey?: string;
  /** Defaults to the spec's first server URL. Its `{variables}` are filled in from `serverVariables`. */
  baseURL?: string;
  /**
   * Values for the `{variables}` of the server URL (`https://{region}.api.example.com`); one left
   * unset keeps the spec's default. Per-call values are laid over the client's name by name.
   */
  serverVariables?: Variables;
  /** Sent as `OpenAI-Organization`. */
  organization?: string | null;
  /** Sent as `OpenAI-Project`. */
  project?: string | null;
  /** Sent last, so they override the runtime's own; `null` or `undefined` removes a header. */
  headers?: Record<string, string | null | undefined>;
  /** Milliseconds allowed for each attempt (not for the whole call). Default 600000. */
  timeout?: number;
  /** Default 2. */
  maxRetries?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Check responses with the operation's validator: `true` throws, `"warn"` logs. Default false. */
  validate?: boolean | "warn";
  /** Default `console`. */
  logger?: { warn(message: string, ...rest: unknown[]): void };
  /**
   * The most bytes of a response body the client reads (JSON and error bodies, not event
   * streams); a bigger one is cut off while it streams in, with an `APIResponseTooLargeError`.
   * Default: no limit.
   */
  maxResponseBytes?: number;
  /** For `http` `basic` security schemes. Never logged. */
  username?: string;
  /** For `http` `basic` security schemes. Never logged. */
  password?: string;
  /**
   * For `oauth2` and `openIdConnect` security schemes, sent as `Authorization: Bearer …`: a token,
   * or a function called before every request (refresh it there). Never logged.
   */
  accessToken?: Credential;
  /**
   * Credentials of the spec's other security schemes, under the option name the generated
   * client's JSDoc gives for each (derived from the scheme's name). Never logged.
   */
  credentials?: Record<string, Credential | undefined>;
  /**
   * Sends this header (e.g. `Idempotency-Key`) with a random key on every request that is not a
   * GET or HEAD, the same key on each retry, so the server can tell a retry from a new request.
   */
  idempotencyHeader?: string;
  /** The idempotency key of this request (under `idempotencyHeader`, default `Idempotency-Key`). */
  idempotencyKey?: string;
}

/** A secret, or a function giving it (called before each request, so a token can be refreshed). */
export type Credential = string | (() => string | Promise<string>);

/** Per-call options, merged over the client's with {@link mergeOptions}. */
export type RequestOptions = ClientOptions;

/** A query, header or cookie parameter's name and value, and how the spec says to write it. */
export interface QueryParam extends ParamStyle {
  name: string;
  value: unknown;
}

export interface ValidationIssue {
  path: string;
  message: string;
  expected?: string;
}

/** `omitted`: how many issues past the validator's `maxIssues` were counted but not listed. */
export type ValidationResult<T> =
  { ok: true; value: T } | { ok: false; errors: ValidationIssue[]; omitted?: number };

export interface OperationSpec<T> {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";
  /** Template such as `/fine_tuning/jobs/{fine_tuning_job_id}`. */
  path: string;
  pathParams?: Record<string, unknown>;
  /** The path parameters whose style is not `simple` without explode. */
  pathStyles?: Record<string, ParamStyle>;
  query?: QueryParam[];
  /** Header parameters, in style `simple`; one whose value is undefined or null sends nothing. */
  headers?: QueryParam[];
  /** Cookie parameters, in style `form`: sent in the `Cookie` header, after any API key cookie. */
  cookies?: QueryParam[];
  /** Encoded as `bodyType` says (JSON by default) unless undefined. */
  body?: unknown;
  /** How `body` goes on the wire (see the "Request bodies" section). Default `json`. */
  bodyType?: BodyType;
  /** The body's media type, when it is not the default of its `bodyType`. */
  contentType?: string;
  /** Per property of a multipart or form body: its part's media type, or its form style. */
  encoding?: Record<string, PartEncoding>;
  /** What the success response is read as (see the "Responses" section). Default `json`. */
  responseType?: ResponseType;
  /**
   * The operation's security requirements when they differ from the API's: alternatives tried
   * in order, each the names of the schemes it needs together; `[[]]` means none.
   */
  security?: string[][];
  /**
   * Turns the parsed response into the shape of `T` (see {@link fromWire}), before `validate`
   * sees it: validators check the generated types, not the wire.
   */
  decode?: (wire: unknown) => unknown;
  validate?: (value: unknown) => ValidationResult<T>;
}

export interface RuntimeDefaults {
  /** The spec's first server URL, `{variables}` and all. */
  baseURL: string;
  /** The defaults of its variables. */
  serverVariables?: Record<string, string>;
  apiKeyEnv?: string;
  /** Without `schemes`: `bearer` sends the `apiKey` option as a bearer token. `none` sends nothing. */
  auth?: "bearer" | "none";
  /** The spec's security schemes by name (see the "Authentication" section). */
  schemes?: Record<string, SecurityScheme>;
  /** The API's security requirements (alternatives of scheme names), unless an operation has its own. */
  security?: string[][];
}

export interface APIResult<T> {
  data: T;
  /** Its body has already been read. */
  response: Response;
  requestID: string | null;
}

const DEFAULT_TIMEOUT_MS = 600000;
const DEFAULT_MAX_RETRIES = 2;
const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8000;
const MAX_RETRY_AFTER_MS = 60000;
// setTimeout fires at once for delays above a signed 32-bit int, which would turn a huge timeout into none.
const MAX_TIMER_MS = 2147483647;
const MAX_SNIPPET_CHARS = 200;
const MAX_ISSUES_IN_MESSAGE = 3;
const REDACTED = "[redacted]";
const MIN_SECRET_LENGTH = 8;

// ---------------------------------------------------------------------------------------------
// Errors

export class OpenAPIMorphError extends Error {
  override name = "OpenAPIMorphError";

  constructor(message?: string, options?: { cause?: unknown }) {
    super(message);
    // Keeps instanceof working when a project compiles to ES5, where extending Error loses the prototype.
    Object.setPrototypeOf(this, new.target.prototype);
    if (options && "cause" in options) {
      // Set by hand rather than through super(message, { cause }) so projects whose lib predates
      // ES2022 still compile; non-enumerable like the standard property, so JSON.stringify skips it.
      Object.defineProperty(this, "cause", {
        value: options.cause,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
}

export class APIError extends OpenAPIMorphError {
  override name = "APIError";
  /** Undefined when no response arrived (connection errors, timeouts, aborts). */
  status: number | undefined;
  /** Response headers only, lower-cased: request headers would carry the API key. */
  headers: Record<string, string> | undefined;
  /** The body's `error` field when it has one, else the parsed body or its raw text. */
  error: unknown;
  requestID: string | null;

  constructor(
    status: number | undefined,
    error: unknown,
    message: string | undefined,
    headers: Record<string, string> | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.status = status;
    this.headers = headers;
    this.error = error;
    this.requestID = (headers && headers["x-request-id"]) || null;
  }
}

export class BadRequestError extends APIError {
  override name = "BadRequestError";
}
export class AuthenticationError extends APIError {
  override name = "AuthenticationError";
}
export class PermissionDeniedError extends APIError {
  override name = "PermissionDeniedError";
}
export class NotFoundError extends APIError {
  override name = "NotFoundError";
}
export class ConflictError extends APIError {
  override name = "ConflictError";
}
export class UnprocessableEntityError extends APIError {
  override name = "UnprocessableEntityError";
}
export class RateLimitError extends APIError {
  override name = "RateLimitError";
}
export class InternalServerError extends APIError {
  override name = "InternalServerError";
}

export class APIConnectionError extends APIError {
  override name = "APIConnectionError";

  constructor({ message, cause }: { message?: string; cause?: unknown } = {}) {
    super(
      undefined,
      undefined,
      message ?? "Connection error.",
      undefined,
      cause === undefined ? undefined : { cause },
    );
  }
}

export class APIConnectionTimeoutError extends APIConnectionError {
  override name = "APIConnectionTimeoutError";

  constructor({ message, cause }: { message?: string; cause?: unknown } = {}) {
    super({ message: message ?? "Request timed out.", cause });
  }
}

export class APIUserAbortError extends APIError {
  override name = "APIUserAbortError";

  constructor({ message, cause }: { message?: string; cause?: unknown } = {}) {
    super(
      undefined,
      undefined,
      message ?? "Request was aborted.",
      undefined,
      cause === undefined ? undefined : { cause },
    );
  }
}

export class APIResponseValidationError extends APIError {
  override name = "APIResponseValidationError";
  issues: ValidationIssue[];

  constructor({
    message,
    issues,
    status,
    headers,
  }: {
    message: string;
    issues: ValidationIssue[];
    status: number | undefined;
    headers: Record<string, string> | undefined;
  }) {
    super(status, undefined, message, headers);
    this.issues = issues;
  }
}

export class MissingAPIKeyError extends OpenAPIMorphError {
  override name = "MissingAPIKeyError";
}

function statusErrorClass(status: number): typeof APIError {
  if (status === 400) return BadRequestError;
  if (status === 401) return AuthenticationError;
  if (status === 403) return PermissionDeniedError;
  if (status === 404) return NotFoundError;
  if (status === 409) return ConflictError;
  if (status === 422) return UnprocessableEntityError;
  if (status === 429) return RateLimitError;
  if (status >= 500) return InternalServerError;
  return APIError;
}

// ---------------------------------------------------------------------------------------------
// Options

/**
 * Lays `b` over `a`: a value left undefined in `b` keeps `a`'s (null does override), headers are
 * merged name by name ignoring case, and two signals are combined so either one aborts.
 */
export function mergeOptions(a?: ClientOptions, b?: ClientOptions): ClientOptions {
  const merged: ClientOptions = { ...a };
  if (!b) return merged;
  const target = merged as Record<string, unknown>;
  for (const key of Object.keys(b)) {
    const value = (b as Record<string, unknown>)[key];
    if (value !== undefined && key !== "headers" && key !== "signal" && key !== "serverVariables") {
      target[key] = value;
    }
  }
  if (b.headers) merged.headers = mergeHeaderRecords(a && a.headers, b.headers);
  if (b.serverVariables) {
    const variables: Record<string, string | undefined> = { ...(a && a.serverVariables) };
    for (const name of Object.keys(b.serverVariables)) {
      const value = b.serverVariables[name];
      if (value !== undefined) variables[name] = value;
    }
    merged.serverVariables = variables;
  }
  if (wantsRawResponse(b)) (merged as RawResponseOptions)[RAW_RESPONSE] = true;
  const signal = combineSignals(a && a.signal, b.signal);
  if (signal) merged.signal = signal;
  return merged;
}

/** A generated operation: a function whose last parameter is its options, most with `withResponse` and `asResponse`. */
type Operation = ((...args: never[]) => unknown) & {
  withResponse?: (...args: never[]) => unknown;
  asResponse?: (...args: never[]) => unknown;
};

/**
 * For `createClient`: binds an operation to `clientOptions`, merged under the options each call
 * passes (the argument at `optionsAt`, after the operation's own parameters), `withResponse` too.
 */
export function operationBinder(
  clientOptions: ClientOptions,
): <F extends Operation>(operation: F, optionsAt: number) => F {
  return (operation, optionsAt) => {
    const withOptions = (args: unknown[]): never[] => {
      const bound = args.slice(0, optionsAt);
      bound[optionsAt] = mergeOptions(clientOptions, args[optionsAt] as ClientOptions | undefined);
      return bound as never[];
    };
    const call = (...args: unknown[]): unknown => operation(...withOptions(args));
    const bound: Record<string, unknown> = {};
    for (const key of ["withResponse", "asResponse"] as const) {
      const original = operation[key];
      if (original) bound[key] = (...args: unknown[]): unknown => original(...withOptions(args));
    }
    return Object.assign(call, bound) as unknown as typeof operation;
  };
}

function mergeHeaderRecords(
  a: Record<string, string | null | undefined> | undefined,
  b: Record<string, string | null | undefined>,
): Record<string, string | null | undefined> {
  const out: Record<string, string | null | undefined> = {};
  for (const source of [a, b]) {
    if (!source) continue;
    for (const name of Object.keys(source)) {
      // A later layer may spell a name differently; the old spelling must not survive beside it.
      for (const existing of Object.keys(out)) {
        if (existing.toLowerCase() === name.toLowerCase()) delete out[existing];
      }
      out[name] = source[name];
    }
  }
  return out;
}

function combineSignals(
  a: AbortSignal | undefined,
  b: AbortSignal | undefined,
): AbortSignal | undefined {
  if (!a) return b;
  if (!b || a === b) return a;
  // Older TypeScript libs do not declare AbortSignal.any, and older browsers lack it.
  const any = (AbortSignal as unknown as { any?: (signals: AbortSignal[]) => AbortSignal }).any;
  if (typeof any === "function") return any.call(AbortSignal, [a, b]);
  // Linking by hand would leave a listener on the long-lived client signal after every call,
  // so without AbortSignal.any the more specific per-call signal wins.
  return b;
}

function readEnv(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process
      ?.env;
    const value = env && env[name];
    const trimmed = typeof value === "string" ? value.trim() : "";
    return trimmed === "" ? undefined : trimmed;
  } catch {
    // Some edge runtimes expose a `process` whose env throws on access.
    return undefined;
  }
}

function nonNegativeNumber(
  name: string,
  value: number | undefined,
  fallback: number,
  integer: boolean,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" ||
    Number.isNaN(value) ||
    value < 0 ||
    (integer && !Number.isInteger(value))
  ) {
    throw new OpenAPIMorphError(
      `The ${name} option must be a non-negative ${integer ? "integer" : "number"}, got ${String(value)}.`,
    );
  }
  return value;
}

function findHeader(
  headers: Record<string, string | null | undefined> | undefined,
  name: string,
): { present: boolean; value: string | null | undefined } {
  if (headers) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === name) return { present: true, value: headers[key] };
    }
  }
  return { present: false, value: undefined };
}

// ---------------------------------------------------------------------------------------------
// Secrets: the key must never reach an error or a log line, even when a server or a custom fetch echoes it.

type Redact = (text: string) => string;

/**
 * Replaces each secret of 8 or more characters (a shorter "key" is no secret, and replacing every
 * `a` would garble every message) and never inside a marker already written: a key such as
 * `redacted` must not eat into `[redacted]`.
 */
function makeRedactor(secrets: string[]): Redact {
  const list = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  return (text) => {
    let out = text;
    for (const secret of list) {
      out = out
        .split(REDACTED)
        .map((piece) => piece.split(secret).join(REDACTED))
        .join(REDACTED);
    }
    return out;
  };
}

function redactValue(value: unknown, redact: Redact, depth = 0): unknown {
  if (typeof value === "string") return redact(value);
  if (depth > 32 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    out[redact(key)] = redactValue((value as Record<string, unknown>)[key], redact, depth + 1);
  }
  return out;
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "";
  }
}

function errorText(error: Error): string {
  return `${error.name}\n${error.message}\n${error.stack ?? ""}\n${safeStringify(error)}`;
}

function mentionsSecret(value: unknown, redact: Redact, depth = 0): boolean {
  if (depth > 8 || value === null || value === undefined) return false;
  if (typeof value === "string") return redact(value) !== value;
  if (value instanceof Error) {
    const text = errorText(value);
    return (
      redact(text) !== text ||
      mentionsSecret((value as { cause?: unknown }).cause, redact, depth + 1)
    );
  }
  const text = safeStringify(value);
  return redact(text) !== text;
}

/**
 * Keeps an underlying error as the `cause` when it is clean (its identity and fields help
 * debugging) and otherwise swaps in a copy with only its name, message, stack and cause, redacted.
 */
function sanitizeCause(value: unknown, redact: Redact, depth = 0): unknown {
  if (!mentionsSecret(value, redact)) return value;
  if (!(value instanceof Error) || depth > 8) {
    return typeof value === "string" ? redact(value) : redactValue(value, redact);
  }
  const copy = new Error(redact(value.message));
  copy.name = redact(value.name);
  if (value.stack !== undefined) copy.stack = redact(value.stack);
  const cause = (value as { cause?: unknown }).cause;
  if (cause !== undefined) {
    Object.defineProperty(copy, "cause", {
      value: sanitizeCause(cause, redact, depth + 1),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------
// Key renaming (`--naming camel`): the API's JSON keys ↔ the generated types' keys

/**
 * How keys differ between the API's JSON and the generated types; the generator writes one for
 * each type with a renamed key somewhere inside it. An object plan maps declared properties, by
 * wire key, to `[TypeScript key, plan of the value]`, and `x` is the plan of the values under any
 * other key (maps, index signatures: those keys are data and are never renamed). Arrays are
 * transparent: a plan applies to each item. An array of plans is a union: a key follows the first
 * member that declares it. A function stands for the plan it returns, so recursive types work.
 */
export type WirePlan = WireObjectPlan | readonly WirePlan[] | (() => WirePlan);

export interface WireObjectPlan {
  p?: { readonly [wireKey: string]: readonly [string, WirePlan?] };
  x?: WirePlan;
}

/** A plan with its unions and thunks flattened, indexed both ways. */
interface KeyIndex {
  fromWire: Record<string, readonly [string, WirePlan | undefined]>;
  toWire: Record<string, readonly [string, WirePlan | undefined]>;
  extra: WirePlan | undefined;
}

// Plans are constants of the generated client, so each is indexed once, not once per value.
const keyIndexes = new WeakMap<object, KeyIndex>();

/** Converts a parsed API response to the generated types' keys, as a copy: `value` is not modified. */
export function fromWire(value: unknown, plan: WirePlan): unknown {
  return rekey(value, plan, false);
}

/** Converts a value of the generated types to the API's keys (for request bodies), as a copy. */
export function toWire(value: unknown, plan: WirePlan): unknown {
  return rekey(value, plan, true);
}

function rekey(value: unknown, plan: WirePlan | undefined, toWireKeys: boolean): unknown {
  if (plan === undefined || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => rekey(item, plan, toWireKeys));
  // Dates and class instances are not JSON objects: JSON.stringify decides what they become.
  if (!isPlainObject(value)) return value;
  const index = keyIndexOf(plan);
  const known = toWireKeys ? index.toWire : index.fromWire;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const entry = known[key];
    const name = entry ? entry[0] : key;
    const converted = rekey(value[key], entry ? entry[1] : index.extra, toWireKeys);
    if (name === "__proto__") {
      // Assigning would replace the copy's prototype instead of adding a key.
      Object.defineProperty(out, name, {
        value: converted,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    } else {
      out[name] = converted;
    }
  }
  return out;
}

function keyIndexOf(plan: WirePlan): KeyIndex {
  const cached = keyIndexes.get(plan);
  if (cached) return cached;
  // Null prototypes, so that a key such as "constructor" finds nothing it did not declare.
  const index: KeyIndex = {
    fromWire: Object.create(null) as KeyIndex["fromWire"],
    toWire: Object.create(null) as KeyIndex["toWire"],
    extra: undefined,
  };
  const extras: WirePlan[] = [];
  const seen: WirePlan[] = [];
  const add = (member: WirePlan): void => {
    if (seen.indexOf(member) !== -1) return;
    seen.push(member);
    if (typeof member === "function") return add(member());
    if (isPlanList(member)) {
      for (const item of member) add(item);
      return;
    }
    const declared = member.p;
    if (declared) {
      for (const wireKey of Object.keys(declared)) {
        const entry = declared[wireKey];
        if (!entry) continue;
        addEntry(index.fromWire, wireKey, entry[0], entry[1]);
        addEntry(index.toWire, entry[0], wireKey, entry[1]);
      }
    }
    if (member.x !== undefined) extras.push(member.x);
  };
  add(plan);
  index.extra = extras.length === 0 ? undefined : extras.length === 1 ? extras[0] : extras;
  keyIndexes.set(plan, index);
  return index;
}

/** The first member to declare a key names it; the value follows every member's plan for it. */
function addEntry(
  table: Record<string, readonly [string, WirePlan | undefined]>,
  from: string,
  to: string,
  child: WirePlan | undefined,
): void {
  const existing = table[from];
  if (!existing) {
    table[from] = [to, child];
  } else if (child !== undefined) {
    table[from] = [existing[0], existing[1] === undefined ? child : [existing[1], child]];
  }
}

function isPlanList(plan: WirePlan): plan is readonly WirePlan[] {
  return Array.isArray(plan);
}

// ---------------------------------------------------------------------------------------------
// Parameter serialisation: OpenAPI's `style`, `explode` and `allowReserved`, as the specification's
// style examples table spells them (https://spec.openapis.org/oas/v3.1.1.html#style-examples)

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** How one parameter is written; left out, its location's default (path, header: simple; query: form). */
export interface ParamStyle {
  style?:
    "simple" | "label" | "matrix" | "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  /** Default true for `form`, false for every other style. */
  explode?: boolean;
  /** Query only: RFC 3986 reserved characters pass unencoded, except those that would split the query. */
  allowReserved?: boolean;
  /** The spec gives the parameter as `content` with a JSON media type: its JSON text, in no style. */
  json?: boolean;
}

/** A value split the way every style sees it: one text, a list, or key/value pairs. */
type Parts =
  | { kind: "scalar"; text: string }
  | { kind: "list"; items: string[] }
  | { kind: "pairs"; pairs: [string, string][] };

function scalarText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  // Styles cannot nest: a nested value travels as JSON, which a server can at least read back.
  if (typeof value === "object" && value !== null) return JSON.stringify(value);
  return String(value);
}

/** `null` and `undefined` items and properties are left out: no style has a way to say them. */
function partsOf(value: unknown): Parts {
  if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined && item !== null).map(scalarText);
    return { kind: "list", items };
  }
  if (isPlainObject(value)) {
    const pairs: [string, string][] = [];
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item !== undefined && item !== null) pairs.push([key, scalarText(item)]);
    }
    return { kind: "pairs", pairs };
  }
  return { kind: "scalar", text: scalarText(value) };
}

function isEmpty(parts: Parts): boolean {
  if (parts.kind === "list") return parts.items.length === 0;
  return parts.kind === "pairs" && parts.pairs.length === 0;
}

type Encode = (text: string) => string;

/** RFC 6570 reserved expansion: reserved characters and percent-encoded triples pass as they are. */
function encodeReserved(text: string): string {
  return text.replace(/%[0-9A-Fa-f]{2}|[^A-Za-z0-9\-._~:/?@!$'()*,;=]/gu, (match) =>
    match.length === 3 && match[0] === "%" ? match : encodeURIComponent(match),
  );
}

/** Each item or key and value encoded, joined by `separator` (which stays as it is). */
function joined(parts: Parts, encode: Encode, separator: string, pairJoin: string): string {
  if (parts.kind === "scalar") return encode(parts.text);
  if (parts.kind === "list") return parts.items.map(encode).join(separator);
  return parts.pairs.map(([k, v]) => `${encode(k)}${pairJoin}${encode(v)}`).join(separator);
}

/** Path `simple`, `label` and `matrix` (RFC 6570 `{x}`, `{.x}`, `{;x}`), and header `simple` (unencoded). */
function expandSimple(name: string, value: unknown, how: ParamStyle, encode: Encode): string {
  const parts: Parts = how.json ? { kind: "scalar", text: JSON.stringify(value) } : partsOf(value);
  const explode = how.explode ?? false;
  const flat = explode ? "=" : ",";
  if (how.style === "label") return `.${joined(parts, encode, explode ? "." : ",", flat)}`;
  if (how.style === "matrix") {
    const key = encode(name);
    if (parts.kind === "list" && explode && parts.items.length > 0) {
      return parts.items.map((item) => `;${key}=${encode(item)}`).join("");
    }
    if (parts.kind === "pairs" && explode && parts.pairs.length > 0) {
      return `;${joined(parts, encode, ";", "=")}`;
    }
    const text = joined(parts, encode, ",", ",");
    return text === "" ? `;${key}` : `;${key}=${text}`;
  }
  return joined(parts, encode, ",", flat);
}

/** The value of a header parameter in the `simple` style: `a,b`, `k,v,k2,v2`, or `k=v,k2=v2` exploded. */
export function headerValue(value: unknown, explode?: boolean): string {
  return expandSimple("", value, { explode: explode === true }, (text) => text);
}

/** `deepObject`: `name[key]=value`, nested objects one bracket deeper, arrays repeated. */
function deepObjectPairs(
  prefix: string,
  value: Record<string, unknown>,
  encode: Encode,
  out: string[],
  depth: number,
): void {
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined || item === null) continue;
    const name = `${prefix}%5B${encode(key)}%5D`;
    if (isPlainObject(item) && depth < 16) deepObjectPairs(name, item, encode, out, depth + 1);
    else if (Array.isArray(item)) {
      for (const element of item) {
        if (element !== undefined && element !== null)
          out.push(`${name}=${encode(scalarText(element))}`);
      }
    } else out.push(`${name}=${encode(scalarText(item))}`);
  }
}

/** One query parameter as `name=value` pairs, already encoded; none when it is unset or empty. */
function queryPairs(param: QueryParam): string[] {
  const { value } = param;
  if (value === undefined || value === null) return [];
  const encode: Encode = param.allowReserved ? encodeReserved : encodeURIComponent;
  const name = encodeURIComponent(param.name);
  if (param.json) return [`${name}=${encode(JSON.stringify(value))}`];
  const style = param.style ?? "form";
  if (style === "deepObject" && isPlainObject(value)) {
    const out: string[] = [];
    deepObjectPairs(name, value, encode, out, 0);
    return out;
  }
  const parts = partsOf(value);
  if (isEmpty(parts)) return [];
  // deepObject has no unexploded form: explode false with it is undefined in the spec.
  const explode = style === "deepObject" || (param.explode ?? style === "form");
  if (parts.kind === "scalar") return [`${name}=${encode(parts.text)}`];
  if (explode) {
    // Exploded, every style is form's: a list repeats the name, an object's keys become names.
    return parts.kind === "list"
      ? parts.items.map((item) => `${name}=${encode(item)}`)
      : parts.pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`);
  }
  const separator = style === "spaceDelimited" ? "%20" : style === "pipeDelimited" ? "%7C" : ",";
  return [`${name}=${joined(parts, encode, separator, separator)}`];
}

/**
 * `{name}`s of a server URL: the caller's values first, then the spec's defaults. A URL is left as
 * it is when neither the spec nor the caller has variables: its braces are then not variables.
 */
function substituteServerVariables(
  url: string,
  defaults: RuntimeDefaults,
  options: RequestOptions,
): string {
  if (!defaults.serverVariables && !options.serverVariables) return url;
  return url.replace(/\{([^{}]*)\}/g, (_match: string, name: string) => {
    const value =
      ownValue(options.serverVariables, name) ?? ownValue(defaults.serverVariables, name);
    if (value === undefined) {
      throw new OpenAPIMorphError(
        `The server URL ${url} needs a value for {${name}}: set serverVariables.${name} or baseURL.`,
      );
    }
    return value;
  });
}

function ownValue(
  record: Record<string, string | undefined> | undefined,
  name: string,
): string | undefined {
  // hasOwnProperty so a name such as `constructor` cannot pick up Object.prototype's.
  if (!record || !Object.prototype.hasOwnProperty.call(record, name)) return undefined;
  const value = record[name];
  return typeof value === "string" ? value : undefined;
}

// ---------------------------------------------------------------------------------------------
// Request building

function describeValue(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

function buildPath(op: OperationSpec<unknown>): string {
  return op.path.replace(/\{([^{}]+)\}/g, (_match: string, name: string) => {
    // hasOwnProperty so a parameter called e.g. `constructor` cannot pick up Object.prototype's.
    const own = (record: Record<string, unknown> | undefined): unknown =>
      record && Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
    const value = own(op.pathParams);
    const how = (own(op.pathStyles) as ParamStyle | undefined) ?? {};
    const text =
      value === undefined || value === null
        ? ""
        : expandSimple(name, value, how, (part) => encodePathText(part, name, op));
    if (text === "") {
      throw new OpenAPIMorphError(
        `Path parameter "${name}" of ${op.method} ${op.path} must be a non-empty value, got ${describeValue(value)}.`,
      );
    }
    // encodeURIComponent leaves dots alone, and URL parsing would resolve "." and ".." as directory
    // steps, sending the request to a different endpoint.
    if (text === "." || text === "..") {
      throw new OpenAPIMorphError(
        `Path parameter "${name}" of ${op.method} ${op.path} cannot be "${text}": it would change the request's path.`,
      );
    }
    return text;
  });
}

/**
 * The base URL (its `{variables}` filled in), the operation's path, then the query: the base URL's
 * own (`?api-version=…`) first, less any name the operation sets itself, then the operation's.
 */
function buildURL(baseURL: string, op: OperationSpec<unknown>): string {
  const hash = baseURL.indexOf("#");
  const withoutHash = hash === -1 ? baseURL : baseURL.slice(0, hash);
  const mark = withoutHash.indexOf("?");
  const base = (mark === -1 ? withoutHash : withoutHash.slice(0, mark)).replace(/\/+$/, "");
  let path = buildPath(op);
  if (!path.startsWith("/")) path = `/${path}`;
  const own: string[] = [];
  for (const param of op.query ?? [])
    own.push(...wellFormed(param.name, op, () => queryPairs(param)));
  const ownNames = new Set(own.map((pair) => pairName(pair)));
  const inherited = mark === -1 ? [] : withoutHash.slice(mark + 1).split("&");
  const query = [
    ...inherited.filter((pair) => pair !== "" && !ownNames.has(pairName(pair))),
    ...own,
  ];
  return base + path + (query.length > 0 ? `?${query.join("&")}` : "");
}

/** A query pair's name, decoded, so `api%2Dversion` and `api-version` are one name. */
function pairName(pair: string): string {
  const equals = pair.indexOf("=");
  const name = (equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, " ");
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * The operation's header and cookie parameters, as `[name, value]` pairs: before the options'
 * headers, which may replace them. A `Content-Type` parameter gives way to the body's own (a
 * multipart boundary, which fetch adds, must not be lost); OpenAPI says to ignore it, and `Accept` and
 * `Authorization` ones too, but specs without security schemes send their key that way.
 */
function parameterHeaders(op: OperationSpec<unknown>, auth: AppliedAuth): [string, string][] {
  const out: [string, string][] = [];
  for (const param of op.headers ?? []) {
    const { value } = param;
    if (value === undefined || value === null) continue;
    if (op.body !== undefined && param.name.toLowerCase() === "content-type") continue;
    out.push([param.name, param.json ? JSON.stringify(value) : headerValue(value, param.explode)]);
  }
  const cookies = [...auth.cookies];
  for (const param of op.cookies ?? []) {
    cookies.push(...wellFormed(param.name, op, () => queryPairs(param), "Cookie"));
  }
  if (cookies.length > 0) out.push(["Cookie", cookies.join("; ")]);
  return out;
}

function buildHeaders(
  op: OperationSpec<unknown>,
  options: RequestOptions,
  auth: AppliedAuth,
  contentType: string | undefined,
  accept: string,
  idempotency: [string, string] | undefined,
): Headers {
  const headers = new Headers();
  const set = (name: string, value: string): void => {
    try {
      headers.set(name, value);
    } catch {
      // The platform's message quotes the value, which may be the key, so it is not passed on.
      throw new OpenAPIMorphError(
        `The value given for the request header "${name}" is not a valid HTTP header value.`,
      );
    }
  };
  for (const [name, value] of auth.headers) set(name, value);
  if (options.organization) set("OpenAI-Organization", options.organization);
  if (options.project) set("OpenAI-Project", options.project);
  set("Accept", accept);
  if (contentType !== undefined) set("Content-Type", contentType);
  if (idempotency) set(idempotency[0], idempotency[1]);
  for (const [name, value] of parameterHeaders(op, auth)) set(name, value);
  const custom = options.headers;
  if (custom) {
    for (const name of Object.keys(custom)) {
      const value = custom[name];
      if (value === null || value === undefined) {
        try {
          headers.delete(name);
        } catch {
          throw new OpenAPIMorphError(`"${name}" is not a valid HTTP header name.`);
        }
      } else {
        set(name, value);
      }
    }
  }
  return headers;
}

function missingKeyMessage(env: string | undefined): string {
  return env
    ? `The ${env} environment variable is missing or empty; either provide it, or pass the apiKey option, like { apiKey: "My API Key" }.`
    : `No API key was given; pass the apiKey option, like { apiKey: "My API Key" }.`;
}

// ---------------------------------------------------------------------------------------------
// Request bodies: JSON, multipart/form-data, application/x-www-form-urlencoded, raw bytes or text

/**
 * `json`: `JSON.stringify`. `multipart`: the platform's `FormData` (files as file parts, objects as
 * JSON parts, arrays as repeated parts). `form`: `application/x-www-form-urlencoded`, sent as the
 * query string of a GET, HEAD or DELETE (as Stripe's own clients do). `raw`: bytes or text as given.
 */
export type BodyType = "json" | "multipart" | "form" | "raw";

/** The spec's `encoding` entry for one property of a multipart or form body. */
export interface PartEncoding {
  contentType?: string;
  style?: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode?: boolean;
}

/** What a file-valued body property or a raw body accepts. */
export type Uploadable =
  Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** An encoded body: what `fetch` sends, and whether it can be sent again on a retry. */
interface EncodedBody {
  body: BodyInit | undefined;
  contentType: string | undefined;
  replayable: boolean;
  /** A form body of a GET, HEAD or DELETE, to append to the URL instead. */
  query?: string;
}

const NOT_REPLAYABLE =
  "the request body is a ReadableStream, which can be sent only once; pass a Blob, a Uint8Array or toFile(…) to allow retries";

function isBlob(value: unknown): value is Blob {
  return typeof Blob !== "undefined" && value instanceof Blob;
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof ReadableStream !== "undefined" && value instanceof ReadableStream;
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === "function"
  );
}

/** Whether a value is file content rather than data: what a multipart body sends as a file part. */
function isUploadable(value: unknown): value is Uploadable {
  return (
    isBlob(value) ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    isReadableStream(value) ||
    isAsyncIterable(value)
  );
}

/** A name for a file part: the File's own, a Node read stream's file name, else the property's. */
function fileNameOf(value: unknown, fallback: string): string {
  const named = value as { name?: unknown; path?: unknown };
  if (typeof named.name === "string" && named.name !== "") return named.name;
  if (typeof named.path === "string" && named.path !== "") {
    return named.path.split(/[\\/]/).pop() || fallback;
  }
  return fallback;
}

/** Reads a stream (web or Node) to the end, as the parts of a Blob. */
async function collectChunks(
  source: ReadableStream<Uint8Array> | AsyncIterable<unknown>,
): Promise<BlobPart[]> {
  const parts: BlobPart[] = [];
  if (isReadableStream(source)) {
    const reader = source.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value as BlobPart);
    }
    return parts;
  }
  for await (const chunk of source) {
    parts.push(
      typeof chunk === "string" ? chunk : (chunk as ArrayBufferView | ArrayBuffer as BlobPart),
    );
  }
  return parts;
}

async function toBlob(value: Uploadable | string, type: string | undefined): Promise<Blob> {
  if (isBlob(value) && (type === undefined || value.type === type)) return value;
  const parts: BlobPart[] =
    isReadableStream(value) || (isAsyncIterable(value) && !isBlob(value))
      ? await collectChunks(value)
      : [value as BlobPart];
  return new Blob(parts, type === undefined ? {} : { type });
}

/**
 * File content as a `File` with a name and a media type, as openai-node's `toFile`: from a Blob,
 * bytes, a string, a web `ReadableStream` or a Node stream (`fs.createReadStream`), read once into
 * memory so that a retried upload sends the same bytes.
 */
export async function toFile(
  data: Uploadable | string,
  name?: string,
  options: { type?: string } = {},
): Promise<File> {
  const type = options.type ?? (isBlob(data) ? data.type : undefined);
  const blob = await toBlob(data, type);
  const fileName = name ?? fileNameOf(data, "file");
  if (typeof File === "function")
    return new File([blob], fileName, type === undefined ? {} : { type });
  // Platforms without File (very old ones) still get a Blob that carries the name.
  return Object.assign(blob, { name: fileName, lastModified: 0 }) as File;
}

/** One property of a multipart body, appended as one part (arrays: one part per item). */
async function appendPart(
  form: FormData,
  name: string,
  value: unknown,
  encoding: PartEncoding | undefined,
): Promise<void> {
  if (value === undefined || value === null) return;
  const type =
    encoding && encoding.contentType && !/[*,]/.test(encoding.contentType)
      ? encoding.contentType
      : undefined;
  if (isUploadable(value)) {
    const blob = await toBlob(
      value,
      type ?? (isBlob(value) && value.type !== "" ? undefined : "application/octet-stream"),
    );
    form.append(name, blob, fileNameOf(value, name));
  } else if (Array.isArray(value)) {
    for (const item of value) await appendPart(form, name, item, encoding);
  } else if (typeof value === "object" && !(value instanceof Date)) {
    // OpenAPI's default for an object property of a multipart body: a JSON part.
    form.append(
      name,
      new Blob([JSON.stringify(value)], { type: type ?? "application/json" }),
      `${name}.json`,
    );
  } else {
    const text = value instanceof Date ? value.toISOString() : String(value);
    if (type !== undefined && type !== "text/plain")
      form.append(name, new Blob([text], { type }), name);
    else form.append(name, text);
  }
}

async function encodeMultipart(
  value: unknown,
  encoding: Record<string, PartEncoding> | undefined,
): Promise<FormData> {
  if (typeof FormData !== "function") {
    throw new OpenAPIMorphError("This environment has no FormData, which multipart uploads need.");
  }
  const form = new FormData();
  if (!isPlainObject(value))
    throw new OpenAPIMorphError("A multipart request body must be an object of its parts.");
  for (const key of Object.keys(value))
    await appendPart(form, key, value[key], encoding && encoding[key]);
  return form;
}

function formScalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** `name[key]=v` for objects, `name[]=v` for arrays of scalars, `name[0][key]=v` for arrays of objects (Stripe's shape). */
function appendBrackets(
  params: URLSearchParams,
  name: string,
  value: unknown,
  depth: number,
): void {
  if (value === undefined || value === null) return;
  if (depth > 16)
    throw new OpenAPIMorphError(`The form body nests deeper than 16 levels at ${name}.`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      const nested = isPlainObject(item) || Array.isArray(item);
      appendBrackets(params, nested ? `${name}[${i}]` : `${name}[]`, item, depth + 1);
    });
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value))
      appendBrackets(params, `${name}[${key}]`, value[key], depth + 1);
  } else {
    params.append(name, formScalar(value));
  }
}

const DELIMITERS: Record<string, string> = { form: ",", spaceDelimited: " ", pipeDelimited: "|" };

/** One property of a form body, by its `encoding` (OpenAPI's default: `form`, exploded). */
function appendFormField(
  params: URLSearchParams,
  name: string,
  value: unknown,
  encoding: PartEncoding | undefined,
): void {
  if (value === undefined || value === null) return;
  const style = encoding && encoding.style;
  const explode =
    encoding && encoding.explode !== undefined
      ? encoding.explode
      : style === undefined || style === "form" || style === "deepObject";
  // Objects (and arrays of them) without a style of their own take brackets: `form` would flatten
  // their keys into the body's.
  const nested =
    isPlainObject(value) ||
    (Array.isArray(value) && value.some((item) => isPlainObject(item) || Array.isArray(item)));
  if (style === "deepObject" || (style === undefined && nested)) {
    appendBrackets(params, name, value, 0);
  } else if (Array.isArray(value)) {
    const items = value.filter((item) => item !== undefined && item !== null).map(formScalar);
    if (explode) for (const item of items) params.append(name, item);
    else if (items.length > 0) params.append(name, items.join(DELIMITERS[style ?? "form"] ?? ","));
  } else if (isPlainObject(value)) {
    const pairs: string[] = [];
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item === undefined || item === null) continue;
      if (explode) params.append(key, formScalar(item));
      else pairs.push(key, formScalar(item));
    }
    if (pairs.length > 0) params.append(name, pairs.join(","));
  } else {
    params.append(name, formScalar(value));
  }
}

/** A form-urlencoded body: each property by its `encoding`, objects in brackets as Stripe expects. */
export function encodeForm(value: unknown, encoding?: Record<string, PartEncoding>): string {
  if (!isPlainObject(value))
    throw new OpenAPIMorphError("A form request body must be an object of its fields.");
  const params = new URLSearchParams();
  for (const key of Object.keys(value))
    appendFormField(params, key, value[key], encoding && encoding[key]);
  return params.toString();
}

/** A raw body as `fetch` takes it; only a web stream is sent as a stream, and only once. */
async function encodeRaw(
  value: unknown,
): Promise<{ body: BodyInit; replayable: boolean; type?: string | undefined }> {
  if (typeof value === "string") return { body: value, replayable: true };
  if (isBlob(value)) return { body: value, replayable: true, type: value.type || undefined };
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value))
    return { body: value as BodyInit, replayable: true };
  if (isReadableStream(value)) return { body: value, replayable: false };
  if (isAsyncIterable(value))
    return { body: await toBlob(value as AsyncIterable<Uint8Array>, undefined), replayable: true };
  throw new OpenAPIMorphError(
    `A raw request body must be a string, a Blob, bytes or a stream, got ${value === null ? "null" : typeof value}.`,
  );
}

function sendsFormAsQuery(method: OperationSpec<unknown>["method"]): boolean {
  return method === "GET" || method === "HEAD" || method === "DELETE";
}

async function encodeBody(op: OperationSpec<unknown>, redact: Redact): Promise<EncodedBody> {
  const type = op.bodyType ?? "json";
  const value = op.body;
  if (value === undefined) return { body: undefined, contentType: undefined, replayable: true };
  if (type === "form") {
    const text = encodeForm(value, op.encoding);
    if (sendsFormAsQuery(op.method))
      return { body: undefined, contentType: undefined, replayable: true, query: text };
    return {
      body: text,
      contentType: op.contentType ?? "application/x-www-form-urlencoded",
      replayable: true,
    };
  }
  if (op.method === "GET" || op.method === "HEAD") {
    throw new OpenAPIMorphError(`${op.method} ${op.path} cannot have a request body.`);
  }
  if (type === "multipart") {
    // fetch writes the Content-Type with the boundary it chose.
    return {
      body: await encodeMultipart(value, op.encoding),
      contentType: undefined,
      replayable: true,
    };
  }
  if (type === "raw") {
    const raw = await encodeRaw(value);
    const declared = op.contentType && !/[*,]/.test(op.contentType) ? op.contentType : undefined;
    return {
      body: raw.body,
      contentType: declared ?? raw.type ?? "application/octet-stream",
      replayable: raw.replayable,
    };
  }
  try {
    return {
      body: JSON.stringify(value),
      contentType: op.contentType ?? "application/json",
      replayable: true,
    };
  } catch (error) {
    throw new OpenAPIMorphError(
      `The request body of ${op.method} ${op.path} cannot be encoded as JSON.`,
      {
        cause: sanitizeCause(error, redact),
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Authentication, from the spec's security schemes

/**
 * One security scheme as the generated client describes it. `option` names the credential:
 * `apiKey` and `accessToken` are options of their own, basic schemes read `username` and
 * `password`, any other name is a key of the `credentials` option.
 */
export interface SecurityScheme {
  type: "bearer" | "basic" | "apiKey";
  /** Where an `apiKey` scheme's key goes, under its `name`. */
  in?: "header" | "query" | "cookie";
  name?: string;
  option: string;
  /** An environment variable read when the option is not given. */
  env?: string;
}

/** What authenticating one request adds to it. */
interface AppliedAuth {
  headers: [string, string][];
  query: [string, string][];
  cookies: string[];
  secrets: string[];
}

function legacySchemes(defaults: RuntimeDefaults): {
  schemes: Record<string, SecurityScheme>;
  security: string[][];
} {
  const bearer: SecurityScheme = { type: "bearer", option: "apiKey" };
  if (defaults.apiKeyEnv) bearer.env = defaults.apiKeyEnv;
  return { schemes: { bearer }, security: defaults.auth === "bearer" ? [["bearer"]] : [[]] };
}

async function credentialOf(
  scheme: SecurityScheme,
  options: RequestOptions,
): Promise<string | undefined> {
  const given: Credential | undefined =
    scheme.option === "apiKey"
      ? options.apiKey
      : scheme.option === "accessToken"
        ? options.accessToken
        : options.credentials &&
            Object.prototype.hasOwnProperty.call(options.credentials, scheme.option)
          ? options.credentials[scheme.option]
          : undefined;
  const value = typeof given === "function" ? await given() : given;
  const trimmed = typeof value === "string" ? value.trim() : "";
  if (trimmed !== "") return trimmed;
  return scheme.env ? readEnv(scheme.env) : undefined;
}

/** UTF-8, then base64: `btoa` alone takes only Latin-1. */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The header a scheme authenticates with, which a caller's own header replaces. */
function headerOf(scheme: SecurityScheme): string | undefined {
  if (scheme.type !== "apiKey") return "authorization";
  return scheme.in === "header" && scheme.name ? scheme.name.toLowerCase() : undefined;
}

/** The credentials of one requirement (schemes needed together), or undefined when one is missing. */
async function satisfy(
  names: string[],
  schemes: Record<string, SecurityScheme>,
  options: RequestOptions,
): Promise<AppliedAuth | undefined> {
  const applied: AppliedAuth = { headers: [], query: [], cookies: [], secrets: [] };
  for (const name of names) {
    const scheme = Object.prototype.hasOwnProperty.call(schemes, name) ? schemes[name] : undefined;
    if (!scheme) return undefined;
    const header = headerOf(scheme);
    // A caller who sets or removes that header themselves has chosen their own authentication.
    if (header !== undefined && findHeader(options.headers, header).present) continue;
    if (scheme.type === "basic") {
      if (typeof options.username !== "string" || options.username === "") return undefined;
      const pair = `${options.username}:${options.password ?? ""}`;
      applied.headers.push(["Authorization", `Basic ${base64(pair)}`]);
      applied.secrets.push(base64(pair));
      if (options.password) applied.secrets.push(options.password);
      continue;
    }
    const credential = await credentialOf(scheme, options);
    if (credential === undefined) return undefined;
    applied.secrets.push(credential);
    if (scheme.type === "bearer") applied.headers.push(["Authorization", `Bearer ${credential}`]);
    else if (scheme.in === "query") applied.query.push([scheme.name ?? name, credential]);
    else if (scheme.in === "cookie")
      applied.cookies.push(`${scheme.name ?? name}=${encodeURIComponent(credential)}`);
    else applied.headers.push([scheme.name ?? name, credential]);
  }
  return applied;
}

function credentialHint(scheme: SecurityScheme): string {
  const env = scheme.env ? ` (or set the ${scheme.env} environment variable)` : "";
  if (scheme.type === "basic") return "the username and password options";
  if (scheme.option === "apiKey" || scheme.option === "accessToken")
    return `the ${scheme.option} option${env}`;
  return `credentials: { ${scheme.option}: "…" }${env}`;
}

function missingCredentialsMessage(
  op: OperationSpec<unknown>,
  requirements: string[][],
  schemes: Record<string, SecurityScheme>,
): string {
  // The message of the common case stays the one openai-node users know.
  const first = requirements.length === 1 ? requirements[0] : undefined;
  const onlyName = first && first.length === 1 ? first[0] : undefined;
  const only = onlyName === undefined ? undefined : schemes[onlyName];
  if (only && only.option === "apiKey") return missingKeyMessage(only.env);
  const ways = requirements.map((names) =>
    names
      .map((n) => (schemes[n] ? credentialHint(schemes[n]) : `the unknown scheme ${n}`))
      .join(" and "),
  );
  return `${op.method} ${op.path} needs credentials: pass ${ways.join(", or ")}.`;
}

/** The first of the operation's security requirements the options can meet, in the spec's order. */
async function authenticate(
  defaults: RuntimeDefaults,
  op: OperationSpec<unknown>,
  options: RequestOptions,
): Promise<AppliedAuth> {
  const none: AppliedAuth = { headers: [], query: [], cookies: [], secrets: [] };
  if (defaults.auth === "none") return none;
  const legacy = defaults.schemes ? undefined : legacySchemes(defaults);
  const schemes = defaults.schemes ?? legacy!.schemes;
  const requirements = op.security ?? defaults.security ?? legacy!.security;
  if (requirements.length === 0) return none;
  for (const names of requirements) {
    const applied = await satisfy(names, schemes, options);
    if (applied) return applied;
  }
  throw new MissingAPIKeyError(missingCredentialsMessage(op, requirements, schemes));
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys

function randomKey(): string {
  const webCrypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (webCrypto && typeof webCrypto.randomUUID === "function") return webCrypto.randomUUID();
  // Not a secret, only unique enough to tell one request from another.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}

/** The idempotency header of one call (the same on each of its retries), if any. */
function idempotencyOf(
  op: OperationSpec<unknown>,
  options: RequestOptions,
): [string, string] | undefined {
  const name = options.idempotencyHeader;
  if (typeof options.idempotencyKey === "string" && options.idempotencyKey !== "") {
    return [name || "Idempotency-Key", options.idempotencyKey];
  }
  if (!name || op.method === "GET" || op.method === "HEAD") return undefined;
  return [name, `openapi-morph-retry-${randomKey()}`];
}

// ---------------------------------------------------------------------------------------------
// Retries

function shouldRetry(response: Response): boolean {
  // The server's explicit say wins over the status rules.
  const explicit = response.headers.get("x-should-retry");
  if (explicit === "true") return true;
  if (explicit === "false") return false;
  const status = response.status;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

function parseRetryAfter(headers: Headers | undefined): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Number(ms);
  const after = headers.get("retry-after");
  if (after === null || after.trim() === "") return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

function retryDelay(headers: Headers | undefined, retryIndex: number): number {
  const hinted = parseRetryAfter(headers);
  // Unlike a plain truthiness check, 0 counts: the server asked for an immediate retry.
  if (hinted !== undefined && hinted >= 0 && hinted <= MAX_RETRY_AFTER_MS) return hinted;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * Math.pow(2, retryIndex), MAX_RETRY_DELAY_MS);
  // Jitter spreads out clients that failed together so they do not retry in lockstep.
  return backoff * (1 - Math.random() * 0.25);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal && signal.aborted) {
      reject(new APIUserAbortError());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new APIUserAbortError());
    };
    const timer = setTimeout(
      () => {
        if (signal) signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.min(ms, MAX_TIMER_MS),
    );
    if (signal) signal.addEventListener("abort", onAbort, { once: true });
  });
}

// ---------------------------------------------------------------------------------------------
// One attempt

/** How an attempt reads a success: as text, as a Blob, or not at all (streams, `asResponse`). */
type BodyRead = "text" | "blob" | "none";

type AttemptOutcome =
  | { kind: "response"; response: Response; text: string; blob?: Blob }
  | { kind: "stream"; response: Response; controller: AbortController; release: () => void }
  | { kind: "retry-response"; response: Response }
  | { kind: "failed"; timedOut: boolean; cause: unknown };

async function attempt(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  timeout: number,
  userSignal: AbortSignal | undefined,
  canRetry: boolean,
  read: BodyRead,
  limits: Limits,
): Promise<AttemptOutcome> {
  const controller = new AbortController();
  let timedOut = false;
  // A streamed body outlives this function: the caller's signal must still reach it.
  let keepLinked = false;
  const onUserAbort = (): void => controller.abort();
  const release = (): void => {
    if (userSignal) userSignal.removeEventListener("abort", onUserAbort);
  };
  if (userSignal) userSignal.addEventListener("abort", onUserAbort, { once: true });
  const timer = setTimeout(
    () => {
      timedOut = true;
      controller.abort();
    },
    Math.min(timeout, MAX_TIMER_MS),
  );
  // Racing against this makes aborts and timeouts effective even with a custom fetch that ignores signals.
  const aborted = new Promise<never>((_resolve, reject) => {
    controller.signal.addEventListener(
      "abort",
      () => reject(new Error("The request was aborted.")),
      { once: true },
    );
  });
  aborted.catch(() => undefined);
  try {
    const response = await Promise.race([
      fetchImpl(url, { ...init, signal: controller.signal }),
      aborted,
    ]);
    if (!response.ok && canRetry && shouldRetry(response)) {
      // An unread body would hold the connection until garbage collection.
      if (response.body) response.body.cancel().catch(() => undefined);
      return { kind: "retry-response", response };
    }
    // The timeout covers a stream until its headers arrive, as in openai-node: streams may run long.
    if (read === "none" && response.ok) {
      keepLinked = true;
      return { kind: "stream", response, controller, release };
    }
    // The body is read under the same timer: a server that stalls mid-body must not hang the call.
    if (read === "blob" && response.ok) {
      const blob = await Promise.race([response.blob(), aborted]);
      return { kind: "response", response, text: "", blob };
    }
    const text = await Promise.race([readText(response, limits), aborted]);
    return { kind: "response", response, text };
  } catch (error) {
    if (userSignal && userSignal.aborted) throw new APIUserAbortError();
    // Not a network failure: the same server would send the same body again.
    if (error instanceof APIResponseTooLargeError) throw error;
    return { kind: "failed", timedOut, cause: error };
  } finally {
    clearTimeout(timer);
    if (!keepLinked) release();
  }
}

// ---------------------------------------------------------------------------------------------
// Responses

function headersToObject(headers: Headers, redact: Redact): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = redact(value);
  });
  return out;
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_SNIPPET_CHARS ? `${flat.slice(0, MAX_SNIPPET_CHARS)}…` : flat;
}

function parseJSON(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function statusError(
  response: Response,
  text: string,
  headers: Record<string, string>,
  redact: Redact,
): APIError {
  const status = response.status;
  let error: unknown = text === "" ? undefined : text;
  const parsed = text === "" ? undefined : parseJSON(text);
  if (parsed && parsed.ok) {
    const body = parsed.value;
    const wrapped = isPlainObject(body) ? body["error"] : undefined;
    error = wrapped !== undefined && wrapped !== null ? wrapped : body;
  }
  let message: string | undefined;
  const serverMessage = isPlainObject(error) ? error["message"] : undefined;
  if (serverMessage !== undefined && serverMessage !== null && serverMessage !== "") {
    message = typeof serverMessage === "string" ? serverMessage : safeStringify(serverMessage);
  }
  if (message === undefined) {
    const detail = response.statusText || snippet(text);
    message = detail ? `${status} ${detail}` : `${status} status code (no body)`;
  }
  const ErrorClass = statusErrorClass(status);
  return new ErrorClass(status, redactValue(error, redact), redact(message), headers);
}

function issuesSummary(issues: ValidationIssue[]): string {
  const shown = issues
    .slice(0, MAX_ISSUES_IN_MESSAGE)
    .map((issue) => `${issue.path === "" ? "(root)" : issue.path}: ${issue.message}`)
    .join("; ");
  const more = issues.length - MAX_ISSUES_IN_MESSAGE;
  return more > 0 ? `${shown}; and ${more} more` : shown;
}

// ---------------------------------------------------------------------------------------------
// Responses: what a success is read as

/**
 * `json`: parsed JSON (`undefined` for an empty body or a 204). `string`: a JSON string schema,
 * so the body's text unless the answer says it is JSON (files in JSONL or CSV come back as they
 * are, never parsed). `text`: the body's text. `binary`: a `Blob`. `void`: nothing.
 */
export type ResponseType = "json" | "string" | "text" | "binary" | "void";

const NOT_JSON: unique symbol = Symbol("not JSON");

function isJSONContentType(type: string | null): boolean {
  return type !== null && /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type);
}

function acceptOf(op: OperationSpec<unknown>): string {
  const type = op.responseType ?? "json";
  return type === "json" ? "application/json" : type === "text" ? "text/*, */*;q=0.5" : "*/*";
}

/** The success's data; `parsed` when it came from JSON (and so gets decoded and validated). */
function readSuccess(
  type: ResponseType,
  response: Response,
  text: string,
  blob: Blob | undefined,
): { parsed: boolean; value: unknown } {
  if (type === "binary") return { parsed: false, value: blob ?? new Blob([text]) };
  if (type === "void") return { parsed: false, value: undefined };
  if (type === "text") return { parsed: false, value: text };
  if (type === "string") {
    if (!isJSONContentType(response.headers.get("content-type")))
      return { parsed: false, value: text };
    const parsed = parseJSON(text);
    // A JSON answer that is not one string (a one-line JSONL file sent as JSON) is the file's text.
    return parsed.ok && typeof parsed.value === "string"
      ? { parsed: true, value: parsed.value }
      : { parsed: false, value: text };
  }
  // No body (204, HEAD, or simply empty) means there is nothing to return.
  if (text === "") return { parsed: false, value: undefined };
  const parsed = parseJSON(text);
  return { parsed: true, value: parsed.ok ? parsed.value : NOT_JSON };
}

/**
 * Enums are open for reading: an answer with a string the spec's enum does not list yet
 * (`status: "paused"`) is the API moving ahead of its spec, not a broken answer, so it passes
 * `validate: true`; `validate: "warn"` still logs it. Any other issue fails as before.
 */
function isNewEnumValue(issue: ValidationIssue): boolean {
  return /^expected one of .*, got the string "/.test(issue.message);
}

// ---------------------------------------------------------------------------------------------
// Server-sent events

/** One event of a `text/event-stream` body. */
export interface ServerSentEvent {
  /** `message` when the server names none. */
  event: string;
  data: string;
}

/** The body as text, chunk by chunk; a multi-byte character split across chunks stays whole. */
async function* textChunks(response: Response): AsyncGenerator<string> {
  if (!response.body) {
    // A custom fetch may give no stream; its text is the whole body.
    yield await response.text();
    return;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    finished = true;
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    // Leaving early (a `break`, an error) must close the connection rather than leave it open.
    if (!finished) reader.cancel().catch(() => undefined);
  }
}

/**
 * Splits a `text/event-stream` body into events, as the HTML standard's event stream
 * interpretation does: lines end at CRLF, LF or CR; `data` lines join with LF; a line starting
 * with a colon is a comment; a blank line ends an event; an event unfinished when the body ends is
 * dropped. Fields other than `event` and `data` (`id`, `retry`) are read and ignored.
 */
export async function* readEvents(chunks: AsyncIterable<string>): AsyncGenerator<ServerSentEvent> {
  let buffer = "";
  let data: string[] = [];
  let event = "";
  const line = (text: string): ServerSentEvent | undefined => {
    if (text === "") {
      const done =
        data.length > 0 ? { event: event || "message", data: data.join("\n") } : undefined;
      data = [];
      event = "";
      return done;
    }
    if (text.startsWith(":")) return undefined;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    return undefined;
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    let start = 0;
    // Each terminator is looked for again only once the one found before is behind `start`:
    // searching afresh for every line would rescan the rest of a large chunk for each line.
    let lf = -2;
    let cr = -2;
    for (;;) {
      if (lf !== -1 && lf < start) lf = buffer.indexOf("\n", start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf("\r", start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR last in the buffer may be the first half of a CRLF: wait for the next chunk.
        if (cr === buffer.length - 1) break;
        end = cr;
        next = buffer[cr + 1] === "\n" ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      const done = line(buffer.slice(start, end));
      start = next;
      if (done) yield done;
    }
    buffer = buffer.slice(start);
  }
  // The body ended: a last CR still ended its line, and only a blank line dispatches.
  if (buffer.endsWith("\r")) {
    const last = line(buffer.slice(0, -1));
    if (last) yield last;
  }
}

/**
 * The events of one streamed response, in order, each parsed as JSON and then decoded and
 * validated like a response. Read it once, with `for await`; leaving the loop early closes the
 * connection. OpenAI's closing `data: [DONE]` ends it; an `error` event throws an `APIError`.
 */
export class EventStream<T> implements AsyncIterable<T> {
  /** Its body is what this stream reads. */
  readonly response: Response;
  readonly requestID: string | null;
  private readonly controller: AbortController;
  private readonly toEvent: (event: ServerSentEvent) => T;
  private readonly fail: (error: unknown) => never;
  private readonly release: () => void;
  private started = false;

  constructor(
    response: Response,
    controller: AbortController,
    toEvent: (event: ServerSentEvent) => T,
    fail: (error: unknown) => never,
    release: () => void,
  ) {
    this.response = response;
    this.requestID = response.headers.get("x-request-id");
    this.controller = controller;
    this.toEvent = toEvent;
    this.fail = fail;
    this.release = release;
  }

  /** Stops the stream: the loop reading it ends with an `APIUserAbortError`. */
  abort(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    if (this.started) throw new OpenAPIMorphError("This event stream has been read already.");
    this.started = true;
    try {
      for await (const event of readEvents(textChunks(this.response))) {
        if (event.data === "[DONE]") return;
        // An event without data is a keep-alive.
        if (event.data === "") continue;
        yield this.toEvent(event);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.release();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pagination

/** One page of a cursor-paginated list, as the generated `…All` functions read it. */
export interface Page<T> {
  items: T[];
  /** Whether the API says more pages follow (`has_more`). */
  more: boolean | null | undefined;
  /** The cursor of the next page: the page's `last_id`, or its last item's `id`. */
  next: string | null | undefined;
}

/**
 * Every item of a cursor-paginated list, page after page, each page fetched only when the items
 * before it have been read: breaking out of the loop stops asking. It ends when the API says there
 * is no more, or sends an empty page, no cursor, or any cursor it was given before (a server
 * alternating between two cursors would otherwise loop for ever).
 */
export async function* paginate<T>(
  page: (after: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T> {
  let after: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const { items, more, next } = await page(after);
    yield* items;
    if (!more || items.length === 0 || typeof next !== "string" || seen.has(next)) return;
    seen.add(next);
    after = next;
  }
}

// ---------------------------------------------------------------------------------------------
// Hostile servers and arguments: redirects, oversized bodies, path text

/** A call refused before anything was sent, because of an argument the caller gave. */
export class APIUserError extends OpenAPIMorphError {
  override name = "APIUserError";
}

/** The response body was bigger than the `maxResponseBytes` option; it was not read further. */
export class APIResponseTooLargeError extends APIError {
  override name = "APIResponseTooLargeError";
}

/**
 * A path parameter as a URL path segment. A lone surrogate (half of an emoji, cut by a slice) has
 * no UTF-8 form; `encodeURIComponent` would throw a bare URIError.
 */
function encodePathText(text: string, name: string, op: OperationSpec<unknown>): string {
  return wellFormed(name, op, () => encodeURIComponent(text), "Path");
}

/** Runs an encoding step, turning the URIError of a lone surrogate into the library's own error. */
function wellFormed<T>(
  name: string,
  op: OperationSpec<unknown>,
  encode: () => T,
  kind: "Path" | "Query" | "Cookie" = "Query",
): T {
  try {
    return encode();
  } catch (error) {
    if (!(error instanceof URIError)) throw error;
    throw new APIUserError(
      `${kind} parameter "${name}" of ${op.method} ${op.path} is not well-formed Unicode (it holds a lone surrogate, such as half of an emoji).`,
    );
  }
}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const MAX_REDIRECTS = 20;
/** Request headers that say who the caller is; none of them may reach another origin. */
const CREDENTIAL_HEADER =
  /^(authorization|proxy-authorization|cookie|openai-organization|openai-project)$|api[-_]?key|token|secret|session|auth|credential|password/i;

/**
 * `fetch` with redirects followed here rather than by the platform, which forwards every custom
 * header (an `api-key`, `OpenAI-Organization`, a cookie) to whatever origin a redirect names.
 * Once the origin changes, every credential header is dropped (by name, or because its value
 * holds a secret of this call) and stays dropped for the rest of the chain.
 */
function followingRedirects(fetchImpl: typeof fetch, redact: Redact): typeof fetch {
  return async (input, init) => {
    let url = String(input);
    let origin: string | undefined;
    let current: RequestInit = { ...init, redirect: "manual" };
    for (let hops = 0; ; hops++) {
      const response = await fetchImpl(url, current);
      if (response.type === "opaqueredirect") {
        throw new OpenAPIMorphError(
          "The server answered with a redirect that this platform does not let the client inspect; set baseURL to the address it redirects to.",
        );
      }
      const location = REDIRECT_STATUSES.includes(response.status)
        ? response.headers.get("location")
        : null;
      if (location === null) return response;
      if (response.body) response.body.cancel().catch(() => undefined);
      if (hops >= MAX_REDIRECTS)
        throw new OpenAPIMorphError(`More than ${MAX_REDIRECTS} redirects.`);
      // Parsed only now: a relative baseURL (a browser app's own API) needs no URL parsing otherwise.
      origin ??= new URL(url).origin;
      const next = new URL(location, url);
      if (next.protocol !== "https:" && next.protocol !== "http:") {
        throw new OpenAPIMorphError(
          `A redirect led to a ${next.protocol} URL, which is not followed.`,
        );
      }
      const headers = new Headers(current.headers);
      const method = (current.method || "GET").toUpperCase();
      // As browsers do: 303, and 301/302 after a POST, become a GET without a body.
      const toGet =
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === "POST");
      if (next.origin !== origin) {
        const names: string[] = [];
        headers.forEach((value, name) => {
          if (CREDENTIAL_HEADER.test(name) || redact(value) !== value) names.push(name);
        });
        for (const name of names) headers.delete(name);
      }
      current = { ...current, headers };
      if (toGet && method !== "HEAD") {
        headers.delete("content-type");
        current = { ...current, method: "GET" };
        delete current.body;
      }
      url = next.href;
    }
  };
}

/** The body as text, cut off once it passes `max` bytes (and refused at once if it says it will). */
async function readText(response: Response, limits: Limits): Promise<string> {
  const max = limits.maxResponseBytes;
  if (max === Infinity) return response.text();
  const tooLarge = (): APIResponseTooLargeError =>
    new APIResponseTooLargeError(
      response.status,
      undefined,
      `The response body is larger than the maxResponseBytes option (${max} bytes); it was not read further.`,
      headersToObject(response.headers, limits.redact),
    );
  const declared = Number(response.headers.get("content-length"));
  if (declared > max) {
    if (response.body) response.body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!response.body) {
    const text = await response.text();
    if (new TextEncoder().encode(text).length > max) throw tooLarge();
    return text;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

// ---------------------------------------------------------------------------------------------
// Entry point

/** A call checked and ready to send: everything that can be wrong with it failed before this. */
interface Prepared {
  url: string;
  init: RequestInit;
  fetchImpl: typeof fetch;
  timeout: number;
  maxRetries: number;
  userSignal: AbortSignal | undefined;
  redact: Redact;
  limits: Limits;
  /** False for a stream body: it cannot be sent twice, so the call is not retried. */
  replayable: boolean;
}

interface Limits {
  maxResponseBytes: number;
  redact: Redact;
}

/** Every credential the options hold, used or not: none may reach an error or a log line. */
function givenSecrets(options: RequestOptions): string[] {
  const out: string[] = [];
  for (const value of [options.apiKey, options.accessToken, options.password]) {
    if (typeof value === "string") out.push(value, value.trim());
  }
  const credentials = options.credentials;
  if (credentials) {
    for (const key of Object.keys(credentials)) {
      const value = credentials[key];
      if (typeof value === "string") out.push(value, value.trim());
    }
  }
  const customAuth = findHeader(options.headers, "authorization");
  if (typeof customAuth.value === "string") {
    out.push(customAuth.value);
    const token = customAuth.value.replace(/^\S+\s+/, "");
    if (token !== customAuth.value) out.push(token);
  }
  return out;
}

function withQuery(url: string, pairs: [string, string][], encoded: string | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of pairs) params.append(name, value);
  const text = [encoded, params.toString()].filter((t) => t !== undefined && t !== "").join("&");
  return text === "" ? url : url + (url.includes("?") ? "&" : "?") + text;
}

async function prepare(
  defaults: RuntimeDefaults,
  op: OperationSpec<unknown>,
  options: RequestOptions,
  accept: string,
): Promise<Prepared> {
  const timeout = nonNegativeNumber("timeout", options.timeout, DEFAULT_TIMEOUT_MS, false);
  const maxRetries = nonNegativeNumber("maxRetries", options.maxRetries, DEFAULT_MAX_RETRIES, true);
  const baseURL = buildURL(
    substituteServerVariables(options.baseURL || defaults.baseURL, defaults, options),
    op,
  );
  const auth = await authenticate(defaults, op, options);
  const redact = makeRedactor([...auth.secrets, ...givenSecrets(options)]);
  const encoded = await encodeBody(op, redact);
  const url = withQuery(baseURL, auth.query, encoded.query);
  const headers = buildHeaders(
    op,
    options,
    auth,
    encoded.contentType,
    accept,
    idempotencyOf(op, options),
  );

  let fetchImpl = options.fetch;
  if (!fetchImpl) {
    if (typeof fetch !== "function") {
      throw new OpenAPIMorphError(
        "This environment has no global fetch; pass one with the fetch option.",
      );
    }
    // Wrapped so the platform fetch is always called unbound (browsers throw "Illegal invocation" otherwise).
    fetchImpl = (input, init) => fetch(input, init);
  }
  // Redirects are followed by hand, so credentials never cross to another origin (see below).
  const init: RequestInit = { method: op.method, headers, redirect: "manual" };
  if (encoded.body !== undefined) init.body = encoded.body;
  // fetch sends a stream body only when told it may start before the response (Node requires it).
  if (isReadableStream(encoded.body)) (init as { duplex?: string }).duplex = "half";
  const limits = {
    maxResponseBytes: nonNegativeNumber(
      "maxResponseBytes",
      options.maxResponseBytes,
      Infinity,
      true,
    ),
    redact,
  };
  fetchImpl = followingRedirects(fetchImpl, redact);
  return {
    url,
    init,
    fetchImpl,
    timeout,
    maxRetries,
    userSignal: options.signal,
    redact,
    limits,
    replayable: encoded.replayable,
  };
}

type Sent = Extract<AttemptOutcome, { kind: "response" | "stream" }> & {
  /** Why a failure that would have been retried was not. */
  notRetried?: string;
};

/** Attempts until a response that is not retried, or until retries run out. */
async function send(call: Prepared, read: BodyRead): Promise<Sent> {
  const { url, init, fetchImpl, timeout, maxRetries, userSignal, redact, limits } = call;
  for (let retryIndex = 0; ; retryIndex++) {
    if (userSignal && userSignal.aborted) throw new APIUserAbortError();
    const canRetry = retryIndex < maxRetries && call.replayable;
    const blocked = retryIndex < maxRetries && !call.replayable;
    const outcome = await attempt(
      fetchImpl,
      url,
      init,
      timeout,
      userSignal,
      canRetry,
      read,
      limits,
    );
    if (outcome.kind === "response" || outcome.kind === "stream") {
      const failed = outcome.kind === "response" && !outcome.response.ok;
      return blocked && failed && shouldRetry(outcome.response)
        ? { ...outcome, notRetried: NOT_REPLAYABLE }
        : outcome;
    }
    if (outcome.kind === "retry-response") {
      await sleep(retryDelay(outcome.response.headers, retryIndex), userSignal);
      continue;
    }
    if (canRetry) {
      await sleep(retryDelay(undefined, retryIndex), userSignal);
      continue;
    }
    const cause = sanitizeCause(outcome.cause, redact);
    const message = blocked
      ? `${outcome.timedOut ? "Request timed out" : "Connection error"} (not retried: ${NOT_REPLAYABLE}).`
      : undefined;
    const details = message === undefined ? { cause } : { message, cause };
    throw outcome.timedOut
      ? new APIConnectionTimeoutError(details)
      : new APIConnectionError(details);
  }
}

/** The error for a failed status, saying why it was not retried when it would have been. */
function failure(
  sent: Sent,
  text: string,
  headers: Record<string, string>,
  redact: Redact,
): APIError {
  const error = statusError(sent.response, text, headers, redact);
  if (sent.notRetried) error.message = `${error.message} (not retried: ${sent.notRetried})`;
  return error;
}

/** Decodes and, when asked, validates one parsed value: a response, or one event of a stream. */
function decodeAndCheck<T>(
  data: unknown,
  op: OperationSpec<T>,
  options: RequestOptions,
  what: string,
  context: { response: Response; headers: Record<string, string>; redact: Redact },
): T {
  if (data !== undefined && op.decode) data = op.decode(data);
  const mode = options.validate ?? false;
  if (mode !== false && op.validate) {
    const result = op.validate(data);
    if (result.ok) {
      data = result.value;
    } else if (mode === true && result.errors.every(isNewEnumValue)) {
      // Enums are open for reading: see isNewEnumValue.
    } else {
      const { redact } = context;
      const issues = result.errors.map((issue) => redactValue(issue, redact) as ValidationIssue);
      const requestID = context.response.headers.get("x-request-id");
      const where = requestID ? ` (request ID ${redact(requestID)})` : "";
      const message = `${what} of ${op.method} ${op.path}${where} does not match its schema: ${issuesSummary(issues)}`;
      if (mode === "warn") {
        (options.logger ?? console).warn(message, issues);
      } else {
        throw new APIResponseValidationError({
          message,
          issues,
          status: context.response.status,
          headers: context.headers,
        });
      }
    }
  }
  return data as T;
}

/** Sends one operation with openai-node's retry, timeout and error semantics. */
export async function callOperation<T>(
  defaults: RuntimeDefaults,
  op: OperationSpec<T>,
  options: RequestOptions = {},
): Promise<APIResult<T>> {
  if (wantsRawResponse(options)) {
    // `asResponse`: no data, the body left unread for the caller.
    const response = await rawOperation(defaults, op, options);
    return { data: undefined as T, response, requestID: response.headers.get("x-request-id") };
  }
  const type = op.responseType ?? "json";
  const call = await prepare(defaults, op as OperationSpec<unknown>, options, acceptOf(op));
  const sent = await send(call, type === "binary" ? "blob" : "text");
  const { response } = sent;
  const text = sent.kind === "response" ? sent.text : "";
  const { redact } = call;
  const responseHeaders = headersToObject(response.headers, redact);
  const requestID = response.headers.get("x-request-id");
  if (!response.ok) throw failure(sent, text, responseHeaders, redact);
  const context = { response, headers: responseHeaders, redact };
  const read = readSuccess(type, response, text, sent.kind === "response" ? sent.blob : undefined);
  if (!read.parsed) return { data: read.value as T, response, requestID };
  if (read.value === NOT_JSON) {
    const contentType = response.headers.get("content-type") || "no content-type";
    throw new APIError(
      response.status,
      redact(text),
      redact(
        `${op.method} ${op.path} returned ${response.status} with a body that is not JSON (${contentType}): ${snippet(text)}`,
      ),
      responseHeaders,
    );
  }
  return {
    data: decodeAndCheck(read.value, op, options, "The response", context),
    response,
    requestID,
  };
}

const RAW_RESPONSE: unique symbol = Symbol("asResponse");

type RawResponseOptions = RequestOptions & { [RAW_RESPONSE]?: true };

function wantsRawResponse(options: RequestOptions): boolean {
  return (options as RawResponseOptions)[RAW_RESPONSE] === true;
}

/**
 * The options of a generated function's `asResponse`: its `withResponse` then resolves once the
 * headers are in, with the `Response` of a success, its body unread (see {@link rawOperation}).
 */
export function asResponseOptions(options?: RequestOptions): RequestOptions {
  const marked: RawResponseOptions = { ...options };
  marked[RAW_RESPONSE] = true;
  return marked;
}

/**
 * Sends one operation like {@link callOperation} (retries, timeout until the headers arrive,
 * errors for failed statuses) and resolves to the raw `Response` of a success, its body unread:
 * for streaming a large download, or reading it any other way. The caller's signal still aborts
 * the body.
 */
export async function rawOperation<T>(
  defaults: RuntimeDefaults,
  op: OperationSpec<T>,
  options: RequestOptions = {},
): Promise<Response> {
  const call = await prepare(defaults, op as OperationSpec<unknown>, options, acceptOf(op));
  const sent = await send(call, "none");
  if (sent.kind === "stream") return sent.response;
  throw failure(sent, sent.text, headersToObject(sent.response.headers, call.redact), call.redact);
}

/**
 * Sends one operation asking for server-sent events (`Accept: text/event-stream`), with the same
 * retries, timeout (until the headers arrive) and errors as {@link callOperation}; resolves once
 * the stream has started, to the events still to come.
 */
export async function streamOperation<T>(
  defaults: RuntimeDefaults,
  op: OperationSpec<T>,
  options: RequestOptions = {},
): Promise<EventStream<T>> {
  const call = await prepare(defaults, op as OperationSpec<unknown>, options, "text/event-stream");
  const outcome = await send(call, "none");
  const { redact } = call;
  const response = outcome.response;
  const responseHeaders = headersToObject(response.headers, redact);
  if (outcome.kind === "response") throw failure(outcome, outcome.text, responseHeaders, redact);
  // A server that ignored the request for events would otherwise look like an empty stream.
  const contentType = response.headers.get("content-type");
  if (contentType !== null && !/^text\/event-stream\b/i.test(contentType)) {
    // Read while the caller's signal still reaches the body: a server that stalls here can be stopped.
    let text = "";
    try {
      text = await response.text();
    } catch {
      if (outcome.controller.signal.aborted) throw new APIUserAbortError();
    } finally {
      outcome.release();
    }
    throw new APIError(
      response.status,
      redact(text),
      redact(
        `${op.method} ${op.path} answered ${contentType} instead of text/event-stream: ${snippet(text)}`,
      ),
      responseHeaders,
    );
  }
  const context = { response, headers: responseHeaders, redact };
  const toEvent = (event: ServerSentEvent): T => {
    const parsed = parseJSON(event.data);
    if (!parsed.ok) {
      throw new APIError(
        response.status,
        redact(event.data),
        redact(`${op.method} ${op.path} sent an event that is not JSON: ${snippet(event.data)}`),
        responseHeaders,
      );
    }
    // An `error` event is the server giving up mid-stream, as openai-node reads it.
    if (event.event === "error") {
      const error =
        isPlainObject(parsed.value) && isPlainObject(parsed.value["error"])
          ? parsed.value["error"]
          : parsed.value;
      const message =
        isPlainObject(error) && typeof error["message"] === "string"
          ? error["message"]
          : snippet(event.data);
      throw new APIError(
        response.status,
        redactValue(error, redact),
        redact(message),
        responseHeaders,
      );
    }
    return decodeAndCheck(parsed.value, op, options, "An event", context);
  };
  const fail = (error: unknown): never => {
    if (outcome.controller.signal.aborted) throw new APIUserAbortError();
    if (error instanceof OpenAPIMorphError) throw error;
    throw new APIConnectionError({ cause: sanitizeCause(error, redact) });
  };
  return new EventStream(response, outcome.controller, toEvent, fail, outcome.release);
}
