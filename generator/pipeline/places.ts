import { isHttpMethod } from "../util/http";

/**
 * What kind of OpenAPI object stands at each place of a document. A `$ref` means "the object of
 * this place's kind lives over there", so the resolver follows it by the kind of its place: a
 * Parameter in a parameter list, a Schema in a schema position, a whole `content` map, an
 * Operation, a description string, and never inside data (example values, `x-` extensions).
 */
export type Place =
  | "document"
  | "paths"
  | "pathItem"
  | "operation"
  | "parameterList"
  | "parameter"
  | "requestBody"
  | "responseMap"
  | "response"
  | "headerMap"
  | "header"
  | "contentMap"
  | "mediaType"
  | "encodingMap"
  | "encoding"
  | "exampleMap"
  | "example"
  | "linkMap"
  | "link"
  | "callbackMap"
  | "callback"
  | "components"
  | `section:${string}`
  | "securityScheme"
  | "schema"
  | "schemaMap"
  | "schemaList"
  /** A string (`description`, `summary`): a `$ref` there is the text it points to. */
  | "text"
  /** A map from names to other objects (`mapping`, `variables`, `scopes`). */
  | "names"
  /** Data: example values, defaults, enums, extensions. A `$ref` key in it is just a key. */
  | "data"
  | "other";

/** The component kinds: a `$ref` at such a place stays a reference; one into another file is imported into this section. */
const SECTION_OF: Partial<Record<Place, string>> = {
  schema: "schemas",
  parameter: "parameters",
  response: "responses",
  requestBody: "requestBodies",
  header: "headers",
  example: "examples",
  securityScheme: "securitySchemes",
  link: "links",
  callback: "callbacks",
  pathItem: "pathItems",
};

const PLACE_OF_SECTION: Record<string, Place> = Object.fromEntries(Object.entries(SECTION_OF).map(([place, section]) => [section, place as Place]));

const SCHEMA_MAPS = new Set(["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"]);
const SCHEMA_LISTS = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const SCHEMA_CHILDREN = new Set(["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "additionalItems", "unevaluatedItems", "unevaluatedProperties", "contentSchema"]);
const SCHEMA_DATA = new Set(["example", "examples", "default", "enum", "const"]);
const NAME_MAPS = new Set(["mapping", "variables", "scopes"]);
const TEXT = new Set(["description", "summary"]);

/**
 * Maps whose keys are names chosen by the spec's author, so `x-…` there is a name (a header
 * `x-request-id`, a property `x-count`), except in the objects the specification lets extensions
 * sit in (Paths, Responses, Callback).
 */
const NAME_KEYED = new Set<Place>(["paths", "responseMap", "callback", "headerMap", "contentMap", "encodingMap", "exampleMap", "linkMap", "callbackMap", "schemaMap", "names"]);
const EXTENSIBLE_MAPS = new Set<Place>(["paths", "responseMap", "callback"]);

/** The section a `$ref` at `place` points into when it names a component kind; undefined when it is followed in place. */
export function sectionOf(place: Place): string | undefined {
  return SECTION_OF[place];
}

/** Whether the keys at `place` are names (a key `$ref` then still means the whole map is a reference). */
export function keysAreNames(place: Place): boolean {
  return NAME_KEYED.has(place) || place.startsWith("section:");
}

/** The place of `node[key]` when `node` stands at `place`. */
export function childPlace(place: Place, key: string): Place {
  if (place === "data" || place === "text") return "data";
  if (key.startsWith("x-") && (!keysAreNames(place) || EXTENSIBLE_MAPS.has(place))) return "data";
  switch (place) {
    case "document":
      return key === "paths" || key === "webhooks" ? "paths" : key === "components" ? "components" : "other";
    case "components":
      return PLACE_OF_SECTION[key] ? `section:${key}` : "other";
    case "paths":
    case "callback":
      return "pathItem";
    case "pathItem":
      return key === "parameters" ? "parameterList" : isHttpMethod(key) ? "operation" : TEXT.has(key) ? "text" : "other";
    case "operation":
      return OPERATION_CHILDREN[key] ?? (TEXT.has(key) ? "text" : "other");
    case "parameterList":
      return "parameter";
    case "parameter":
    case "header":
      return key === "schema" ? "schema" : key === "content" ? "contentMap" : key === "examples" ? "exampleMap" : key === "example" ? "data" : TEXT.has(key) ? "text" : "other";
    case "requestBody":
      return key === "content" ? "contentMap" : TEXT.has(key) ? "text" : "other";
    case "response":
      return key === "headers" ? "headerMap" : key === "content" ? "contentMap" : key === "links" ? "linkMap" : TEXT.has(key) ? "text" : "other";
    case "mediaType":
      return key === "schema" ? "schema" : key === "examples" ? "exampleMap" : key === "encoding" ? "encodingMap" : key === "example" ? "data" : "other";
    case "encoding":
      return key === "headers" ? "headerMap" : "other";
    case "example":
      return key === "value" || key === "externalValue" ? "data" : TEXT.has(key) ? "text" : "other";
    case "link":
      return key === "parameters" || key === "requestBody" ? "data" : TEXT.has(key) ? "text" : "other";
    case "schema":
      return schemaChild(key);
    case "schemaMap":
    case "schemaList":
      return "schema";
    default:
      return mapChild(place, key);
  }
}

const OPERATION_CHILDREN: Record<string, Place> = { parameters: "parameterList", requestBody: "requestBody", responses: "responseMap", callbacks: "callbackMap" };

const MAP_VALUES: Partial<Record<Place, Place>> = {
  responseMap: "response",
  headerMap: "header",
  contentMap: "mediaType",
  encodingMap: "encoding",
  exampleMap: "example",
  linkMap: "link",
  callbackMap: "callback",
};

function mapChild(place: Place, key: string): Place {
  const value = MAP_VALUES[place];
  if (value) return value;
  // In `components/<section>`, every key names one component of that section.
  if (place.startsWith("section:")) return PLACE_OF_SECTION[place.slice("section:".length)] ?? "other";
  if (place === "names") return "other";
  return NAME_MAPS.has(key) ? "names" : TEXT.has(key) ? "text" : "other";
}

function schemaChild(key: string): Place {
  if (SCHEMA_MAPS.has(key)) return "schemaMap";
  if (SCHEMA_LISTS.has(key)) return "schemaList";
  if (SCHEMA_CHILDREN.has(key)) return "schema";
  if (SCHEMA_DATA.has(key)) return "data";
  if (key === "description" || key === "title") return "text";
  return key === "discriminator" ? "other" : "data";
}

/** The place of each element of an array standing at `place`. */
export function elementPlace(place: Place): Place {
  if (place === "parameterList") return "parameter";
  if (place === "schemaList" || place === "schema") return "schema";
  return place === "data" || place === "text" ? "data" : "other";
}

/**
 * Places where nothing typed depends on the referenced object (examples, links, documentation):
 * a `$ref` there that cannot be followed is a warning and the object is left out, not an error.
 */
export function refMayDangle(place: Place): boolean {
  return place === "example" || place === "exampleMap" || place === "link" || place === "linkMap" || place === "text" || place === "other" || place === "names";
}
