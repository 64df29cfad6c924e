/**
 * The intermediate representation: everything the emitters need, nothing OpenAPI-shaped.
 * Plain, serialisable data (`--dump-ir` prints it as JSON). Every schema node is one of the kinds
 * below; emitters are tables keyed by `IrSchema["kind"]`, so a new kind fails to compile until
 * each emitter handles it.
 */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Scalar = string | number | boolean | null;

/** Documentation carried from the spec to JSDoc. */
export interface IrMeta {
  title?: string;
  description?: string;
  /** Present when the spec gives a default (which may itself be `null`). */
  default?: { value: JsonValue };
  deprecated?: boolean;
  examples?: JsonValue[];
  format?: string;
  readOnly?: boolean;
  writeOnly?: boolean;
}

export interface IrConstraints {
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
}

interface IrBase {
  meta?: IrMeta;
  /** Where the node came from, as a JSON pointer into the resolved spec. */
  pointer?: string;
}

export interface IrPrimitive extends IrBase {
  kind: "primitive";
  type: "string" | "number" | "integer" | "boolean";
  format?: string;
  constraints?: IrConstraints;
}

/** A `const`, or an `enum` of one value: any JSON value, an object or array compared deeply. */
export interface IrLiteral extends IrBase {
  kind: "literal";
  value: JsonValue;
}

/** Values in spec order, repeats kept (the validators' messages list them as the spec does). */
export interface IrEnum extends IrBase {
  kind: "enum";
  values: JsonValue[];
}

export interface IrArray extends IrBase {
  kind: "array";
  items: IrSchema;
  constraints?: IrConstraints;
}

export interface IrProperty {
  /** The key in the API's JSON. */
  name: string;
  /**
   * The key in the generated types when it differs from `name` (`created_at` → `createdAt` with
   * `--naming camel`). Set only by the IR builder; the generated client converts between the two.
   */
  key?: string;
  required: boolean;
  schema: IrSchema;
  meta?: IrMeta;
}

export interface IrObject extends IrBase {
  kind: "object";
  /** Names of object declarations this one extends (from `allOf` of `$ref`s). */
  extends: string[];
  properties: IrProperty[];
  /** `true`: extra keys of any type; `false`: closed; a schema: extra keys of that type. */
  additionalProperties: boolean | IrSchema;
  /**
   * Set when the spec says `additionalProperties: false` (absent, the object is closed in the
   * types only): whether the validators reject keys it does not declare by default (`"reject"`,
   * JSON Schema's reading) or only with `{ strict: true }` (`"strict"`: the schema is only ever
   * answered, and servers add fields). See `passes/unknown-keys.ts`.
   */
  unknownKeys?: "reject" | "strict";
  /**
   * From `not: { required: [...] }` (or `not: { anyOf: [{ required }, …] }`): each list names keys
   * a value must not have all of (`ImageRefParam`: not both `image_url` and `file_id`).
   */
  notAllOf?: string[][];
}

/** An object whose keys are data (`additionalProperties` or `patternProperties` only). */
export interface IrMap extends IrBase {
  kind: "map";
  values: IrSchema;
  keyPatterns?: string[];
}

export type UnionReason = "discriminator" | "single-valued-property" | "tagged-object";

export interface IrDiscriminator {
  /** The discriminant's key in the API's JSON. */
  property: string;
  /** Its key in the generated types when renamed (see `IrProperty.key`): narrowing reads this one. */
  key?: string;
  reason: UnionReason;
  /** `values[i]` are the discriminant values that select `members[i]`. */
  values: string[][];
}

export interface IrUnion extends IrBase {
  kind: "union";
  members: IrSchema[];
  discriminator?: IrDiscriminator;
  /**
   * From `oneOf`: a value must match exactly one member. The validators check it; TypeScript has
   * no exclusive union, so the type is the same as for `anyOf`.
   */
  exclusive?: true;
  /**
   * A plain `string` member beside listed string values: printed `string & {}` so that editors
   * still complete the values (TypeScript would reduce the union to `string`).
   */
  openStrings?: true;
}

export interface IrIntersection extends IrBase {
  kind: "intersection";
  members: IrSchema[];
}

export interface IrRef extends IrBase {
  kind: "ref";
  /** The name of an `IrDeclaration`. */
  name: string;
}

export interface IrNullable extends IrBase {
  kind: "nullable";
  inner: IrSchema;
}

export interface IrUnknown extends IrBase {
  kind: "unknown";
}

export type IrSchema =
  | IrPrimitive
  | IrLiteral
  | IrEnum
  | IrArray
  | IrObject
  | IrMap
  | IrUnion
  | IrIntersection
  | IrRef
  | IrNullable
  | IrUnknown;

export type IrKind = IrSchema["kind"];

export interface IrDeclaration {
  name: string;
  schema: IrSchema;
  /** `component`: a named schema of the spec; `inline`: a nested anonymous schema given a name. */
  source: "component" | "inline";
  /** Where the schema is defined in the resolved spec. */
  pointer: string;
  /** The spec's own name for it, before sanitising (component schemas only). */
  specName?: string;
  /**
   * The schema allows `null` at its top. The declared type leaves it out (as openai-node does for
   * `Metadata`) and every reference adds `| null`, so uses read `metadata?: Metadata | null`.
   */
  nullable: boolean;
  meta?: IrMeta;
}

export interface IrParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required: boolean;
  schema: IrSchema;
  style?: "form" | "deepObject" | "simple" | "spaceDelimited" | "pipeDelimited" | "label" | "matrix";
  explode?: boolean;
  /** Query only: the spec's `allowReserved: true`. */
  allowReserved?: true;
  /** Given as `content` with a JSON media type: the value travels as its JSON text, in no style. */
  json?: true;
  meta?: IrMeta;
}

/** A `{variable}` of the first server's URL. */
export interface IrServerVariable {
  name: string;
  /** Absent when the spec gives none (a warning): calls must then set it. */
  default?: string;
  enum?: string[];
  description?: string;
}

export interface IrOperation {
  operationId: string;
  /** camelCase function name. */
  name: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS" | "TRACE";
  path: string;
  pointer: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  tags: string[];
  pathParams: IrParameter[];
  queryParams: IrParameter[];
  headerParams: IrParameter[];
  cookieParams: IrParameter[];
  requestBody?: IrRequestBody;
  /** The success response (lowest 2xx); `undefined` schema means no JSON body. */
  response: {
    status: string;
    /** How the client reads it (see {@link IrResponseKind}). */
    kind: IrResponseKind;
    contentType?: string;
    schema?: IrSchema;
    description?: string;
    /**
     * The JSON response can also come as server-sent events (`text/event-stream`, e.g. with
     * `stream: true`); `schema` is each event's, when the spec names a component for it.
     */
    eventStream?: {
      schema?: IrSchema;
      /** The request body's key that asks for the stream (OpenAI's `stream: true`), when it has one. */
      bodyFlag?: string;
    };
  };
  /** Set when the operation is a list in OpenAI's cursor convention, which the client can walk page by page. */
  pagination?: IrPagination;
  /** Why the client cannot serve this operation yet (multipart, streaming…); types are still emitted. */
  unsupported?: string;
  auth: "bearer" | "none";
  /**
   * The requirements that apply (the operation's own, else the API's): alternatives tried in
   * order, each the `IrSecurityScheme` names needed together. Empty, or an empty alternative: none.
   */
  security: string[][];
  /**
   * Name of the generated params type, when the operation takes query or header parameters
   * (which then sit beside `body` in one object). Without them the body itself is the argument.
   */
  paramsType?: string;
}

/**
 * How a request body is sent, chosen in this order when several media types are offered: `json`
 * (`application/json`, `+json`), `multipart` (`multipart/form-data`), `form`
 * (`application/x-www-form-urlencoded`), `raw` (bytes or text as given: any other media type).
 */
export type IrBodyKind = "json" | "multipart" | "form" | "raw";

/** The spec's `encoding` of one property of a multipart or form body. */
export interface IrPartEncoding {
  property: string;
  contentType?: string;
  style?: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  explode?: boolean;
}

export interface IrRequestBody {
  required: boolean;
  kind: IrBodyKind;
  contentType: string;
  schema: IrSchema;
  description?: string;
  /** Per property, in the spec's order; only properties the spec gives an encoding. */
  encoding?: IrPartEncoding[];
  /** The media types offered but not used, in the spec's order. */
  otherContentTypes?: string[];
}

/**
 * How a success response is read: `json` parsed; `text` the body's text (`text/*`, or JSON whose
 * schema is a string: then an answer in another media type, a JSONL file, is returned as text);
 * `binary` a Blob (`application/octet-stream`, `image/*`, `audio/*`, any other media type);
 * `void` no content; `events` only server-sent events (see `eventStream`).
 */
export type IrResponseKind = "json" | "text" | "binary" | "void" | "events";

/**
 * A security scheme the client can apply. `option` is the credential's `ClientOptions` name:
 * `apiKey` (the first `apiKey` or `http` `bearer` scheme), `accessToken` (the first `oauth2` or
 * `openIdConnect` one), `username` (every `http` `basic` one: with `password`), or a key of
 * `credentials` derived from the scheme's name.
 */
export interface IrSecurityScheme {
  name: string;
  type: "bearer" | "basic" | "apiKey";
  in?: "header" | "query" | "cookie";
  /** The header, query parameter or cookie an `apiKey` scheme is sent as. */
  parameter?: string;
  option: string;
  /** The environment variable read when the option is not given. */
  env?: string;
  description?: string;
}

/** What a cursor-paginated list's answer holds, by the keys of the generated types. */
export interface IrPagination {
  /** Each item's schema (the answer's `data` array's items). */
  items: IrSchema;
  /** The keys of the answer's items array (`data`) and of whether more pages follow (`has_more`). */
  data: string;
  hasMore: string;
  /** Where the next page's `after` comes from, first that is set: the answer's `last_id`, its last item's `id`. */
  cursors: { from: "page" | "lastItem"; key: string }[];
}

export interface IrUnionReport {
  /** Declaration (or `Declaration.property` path) the union belongs to. */
  at: string;
  pointer: string;
  reason: UnionReason;
  property: string;
  values: string[];
}

export interface IrExample {
  /** Where the spec documents the example. */
  pointer: string;
  label: string;
  /** What the example should conform to. */
  schema: IrSchema;
  /**
   * The value as the spec gives it: JSON already, or JSON text (OpenAI's `x-oaiMeta`), parsed only
   * when the example is checked (`readExample`): most runs never look.
   */
  source: { json: JsonValue } | { text: string };
}

export interface IrRename {
  from: string;
  to: string;
  pointer: string;
  reason: string;
}

export interface IrDocument {
  version: "3.0" | "3.1";
  title: string;
  apiVersion: string;
  /** The first server's URL, `{variables}` and all. */
  baseURL: string;
  /** Its variables, and the name of the generated type that lists them; absent when it has none. */
  serverVariables?: { typeName: string; variables: IrServerVariable[] };
  /** Environment variable that holds the API key, derived from the title (`OpenAI API` → `OPENAI_API_KEY`). */
  apiKeyEnv: string;
  /** The security schemes the client can apply, in the spec's order. */
  securitySchemes: IrSecurityScheme[];
  /** The API's security requirements (the spec's top-level `security`), as `IrOperation.security`. */
  security: string[][];
  declarations: IrDeclaration[];
  operations: IrOperation[];
  unions: IrUnionReport[];
  examples: IrExample[];
  renames: IrRename[];
  warnings: { pointer: string; message: string }[];
}
