import * as path from "node:path";
import { GeneratorError, escapePointerSegment, unescapePointerSegment } from "./errors";
import { displayPathOf, loadFile, type LoadedFile, type LoadedSpec, type OpenApiVersion } from "./load";

/**
 * A spec whose `$ref`s are all local (`#/...`) and known to resolve. Refs into other files are
 * imported as components, so the rest of the pipeline sees one document; refs stay refs, which
 * keeps recursive schemas finite and names stable.
 */
export interface ResolvedSpec {
  version: OpenApiVersion;
  root: Record<string, unknown>;
  entry: LoadedFile;
  /** Every file read, entry first, as display paths (watch mode needs them). */
  files: string[];
  /** Maps a pointer in `root` back to the file and pointer it came from, with line:column when known. */
  locate(pointer: string): { file: string; pointer: string; line?: number; column?: number };
}

const COMPONENT_SECTIONS = new Set([
  "schemas",
  "parameters",
  "responses",
  "requestBodies",
  "headers",
  "examples",
  "securitySchemes",
  "links",
  "callbacks",
  "pathItems",
]);

/** Keys whose values are maps from user-chosen names to objects. */
const NAME_MAPS = new Set([
  "properties",
  "patternProperties",
  "$defs",
  "definitions",
  "paths",
  "webhooks",
  "mapping",
  "responses",
  "content",
  "encoding",
  "headers",
  "callbacks",
  "links",
  "variables",
  "scopes",
  ...COMPONENT_SECTIONS,
]);

interface Origin {
  prefix: string;
  file: LoadedFile;
  pointer: string;
}

/**
 * What kind of OpenAPI object sits at a pointer of the assembled document, so an object imported
 * from another file lands in the right `components` section: a parameter kept in `params.yaml`
 * belongs in `components/parameters`, not among the schemas (where it would become a type).
 */
type Slot =
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
  | "other";

const SECTION_SLOT: Record<string, Slot> = {
  schemas: "schema",
  parameters: "parameter",
  responses: "response",
  requestBodies: "requestBody",
  headers: "header",
  examples: "example",
  securitySchemes: "securityScheme",
  links: "link",
  callbacks: "callback",
  pathItems: "pathItem",
};

const HTTP_METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

function childSlot(slot: Slot, key: string): Slot {
  switch (slot) {
    case "document":
      return key === "paths" || key === "webhooks" ? "paths" : key === "components" ? "components" : "other";
    case "components":
      return SECTION_SLOT[key] ? `section:${key}` : "other";
    case "paths":
    case "callback":
      return "pathItem";
    case "pathItem":
      return key === "parameters" ? "parameterList" : HTTP_METHODS.has(key) ? "operation" : "other";
    case "operation":
      if (key === "parameters") return "parameterList";
      if (key === "requestBody") return "requestBody";
      if (key === "responses") return "responseMap";
      return key === "callbacks" ? "callbackMap" : "other";
    case "parameterList":
      return "parameter";
    case "parameter":
    case "header":
      return key === "schema" ? "schema" : key === "content" ? "contentMap" : key === "examples" ? "exampleMap" : "other";
    case "requestBody":
      return key === "content" ? "contentMap" : "other";
    case "responseMap":
      return "response";
    case "response":
      return key === "headers" ? "headerMap" : key === "content" ? "contentMap" : key === "links" ? "linkMap" : "other";
    case "contentMap":
      return "mediaType";
    case "mediaType":
      return key === "schema" ? "schema" : key === "examples" ? "exampleMap" : key === "encoding" ? "encodingMap" : "other";
    case "encodingMap":
      return "encoding";
    case "encoding":
      return key === "headers" ? "headerMap" : "other";
    case "headerMap":
      return "header";
    case "exampleMap":
      return "example";
    case "linkMap":
      return "link";
    case "callbackMap":
      return "callback";
    case "schema":
      return "schema";
    default:
      // In `components/<section>`, every key names one component of that section.
      return slot.startsWith("section:") ? SECTION_SLOT[slot.slice("section:".length)] : "other";
  }
}

/** The `components` section an object found at `pointer` (in the assembled document) belongs to. */
export function sectionAt(pointer: string): string {
  let slot: Slot = "document";
  for (const raw of pointer.replace(/^#/, "").split("/").slice(1)) slot = childSlot(slot, unescapePointerSegment(raw));
  const entry = Object.entries(SECTION_SLOT).find(([, s]) => s === slot);
  return entry ? entry[0] : "schemas";
}

export function getAtPointer(root: unknown, fragment: string): { found: boolean; value: unknown } {
  if (fragment === "" || fragment === "/") return { found: fragment === "", value: root };
  if (!fragment.startsWith("/")) return { found: false, value: undefined };
  let node: unknown = root;
  for (const raw of fragment.slice(1).split("/")) {
    const seg = decodeURIComponentSafe(unescapePointerSegment(raw));
    if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, seg)) {
      return { found: false, value: undefined };
    }
    node = (node as Record<string, unknown>)[seg];
  }
  return { found: true, value: node };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function resolveRefs(spec: LoadedSpec): ResolvedSpec {
  const entry = spec.file;
  const files = new Map<string, LoadedFile>([[entry.absPath, entry]]);
  const imported = new Map<string, string>();
  const origins: Origin[] = [];
  const localRefs: { ref: string; usedAt: string; file: LoadedFile; filePointer: string }[] = [];
  const root: Record<string, unknown> = {};

  const fail = (file: LoadedFile, pointer: string, code: "E_REF" | "E_REF_FILE", message: string, hint?: string) =>
    new GeneratorError(code, message, { file: file.displayPath, pointer, ...file.locate(pointer) }, hint);

  const fileFor = (absPath: string, from: LoadedFile, usedAt: string, ref: string): LoadedFile => {
    const known = files.get(absPath);
    if (known) return known;
    let loaded: LoadedFile;
    try {
      loaded = loadFile(absPath, displayPathOf(absPath));
    } catch (e) {
      if (e instanceof GeneratorError && e.code === "E_READ") {
        throw fail(from, usedAt, "E_REF_FILE", `$ref ${JSON.stringify(ref)} points to a file that cannot be read (${displayPathOf(absPath)})`);
      }
      throw e;
    }
    files.set(absPath, loaded);
    return loaded;
  };

  const importTarget = (target: LoadedFile, fragment: string, from: LoadedFile, usedAt: string, ref: string): string => {
    const key = `${target.absPath}#${fragment}`;
    const known = imported.get(key);
    if (known) return known;
    const found = getAtPointer(target.root, fragment);
    if (!found.found) {
      throw fail(from, usedAt, "E_REF", `unresolved $ref ${JSON.stringify(ref)}: ${target.displayPath} has nothing at #${fragment}`);
    }
    const segs = fragment.split("/").slice(1).map(unescapePointerSegment);
    let section = "schemas";
    let name: string;
    if (segs.length === 3 && segs[0] === "components" && COMPONENT_SECTIONS.has(segs[1])) {
      section = segs[1];
      name = segs[2];
    } else {
      name = segs.length > 0 ? segs[segs.length - 1] : path.basename(target.absPath).replace(/\.[^.]+$/, "");
    }
    const components = ((root.components ??= {}) as Record<string, Record<string, unknown>>);
    const bucket = (components[section] ??= {});
    let unique = name;
    for (let i = 2; Object.prototype.hasOwnProperty.call(bucket, unique); i++) unique = `${name}${i}`;
    const localPointer = `#/components/${section}/${escapePointerSegment(unique)}`;
    imported.set(key, localPointer);
    bucket[unique] = null; // reserve the name before walking: the target may refer to itself
    origins.push({ prefix: localPointer, file: target, pointer: `#${fragment}` });
    bucket[unique] = walk(found.value, target, `#${fragment}`, localPointer);
    return localPointer;
  };

  const rewriteRef = (ref: string, file: LoadedFile, filePointer: string, rootPointer: string): string => {
    const hash = ref.indexOf("#");
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? "" : ref.slice(hash + 1);
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
      throw fail(file, filePointer, "E_REF", `remote $ref ${JSON.stringify(ref)} is not supported`, "download the referenced document and point the $ref at the local copy");
    }
    if (filePart === "") {
      if (file === entry) {
        localRefs.push({ ref, usedAt: rootPointer, file, filePointer });
        return ref;
      }
      return importTarget(file, fragment, file, filePointer, ref);
    }
    const absPath = path.resolve(path.dirname(file.absPath), decodeURIComponentSafe(filePart));
    if (absPath === entry.absPath) {
      localRefs.push({ ref: `#${fragment}`, usedAt: rootPointer, file, filePointer });
      return `#${fragment}`;
    }
    const target = fileFor(absPath, file, filePointer, ref);
    return importTarget(target, fragment, file, filePointer, ref);
  };

  function walk(node: unknown, file: LoadedFile, filePointer: string, rootPointer: string, keysAreNames = false): unknown {
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) {
      return node.map((item, i) => walk(item, file, `${filePointer}/${i}`, `${rootPointer}/${i}`));
    }
    const obj = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      const seg = escapePointerSegment(key);
      // Examples and vendor extensions are data: a `$ref` key inside them is not a reference.
      // Under `properties` and the like, keys are names, so a property called `example` is a schema.
      if (!keysAreNames && key === "$ref" && typeof value === "string") {
        out[key] = rewriteRef(value, file, filePointer, rootPointer);
      } else if (!keysAreNames && (key === "example" || (key === "examples" && !isExamplesMap(value)) || key.startsWith("x-"))) {
        out[key] = value;
      } else {
        out[key] = walk(value, file, `${filePointer}/${seg}`, `${rootPointer}/${seg}`, !keysAreNames && NAME_MAPS.has(key));
      }
    }
    return out;
  }

  for (const key of Object.keys(spec.root)) {
    const value = spec.root[key];
    if (key === "components" && value && typeof value === "object") {
      const components = (root.components ??= {}) as Record<string, unknown>;
      for (const section of Object.keys(value)) {
        const seg = escapePointerSegment(section);
        const walked = walk((value as Record<string, unknown>)[section], entry, `#/components/${seg}`, `#/components/${seg}`, true);
        // Imported components may already sit in this section; the entry file's own come first.
        const existing = components[section] as Record<string, unknown> | undefined;
        components[section] = existing && walked && typeof walked === "object" ? { ...(walked as object), ...existing } : walked;
      }
    } else {
      const seg = escapePointerSegment(key);
      root[key] = key.startsWith("x-") ? value : walk(value, entry, `#/${seg}`, `#/${seg}`, NAME_MAPS.has(key));
    }
  }

  for (const { ref, usedAt, file, filePointer } of localRefs) {
    if (!getAtPointer(root, ref.slice(1)).found) {
      const hint = suggestRef(root, ref);
      throw new GeneratorError(
        "E_REF",
        `unresolved $ref ${JSON.stringify(ref)}`,
        { file: file.displayPath, pointer: filePointer, ...file.locate(filePointer) },
        hint,
      );
    }
  }

  origins.sort((a, b) => b.prefix.length - a.prefix.length);
  return {
    version: spec.version,
    root,
    entry,
    files: [...files.values()].map((f) => f.displayPath),
    locate(pointer) {
      const origin = origins.find((o) => pointer === o.prefix || pointer.startsWith(o.prefix + "/"));
      const file = origin ? origin.file : entry;
      const filePointer = origin ? origin.pointer + pointer.slice(origin.prefix.length) : pointer;
      return { file: file.displayPath, pointer: filePointer, ...file.locate(filePointer) };
    },
  };
}

/** `examples` under a media type or parameter is a map of Example Objects, which may be `$ref`s. */
function isExamplesMap(value: unknown): boolean {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  return Object.values(value).every((v) => v !== null && typeof v === "object" && ("$ref" in v || "value" in v || "externalValue" in v || "summary" in v));
}

function suggestRef(root: unknown, ref: string): string | undefined {
  const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
  if (!m) return undefined;
  const section = getAtPointer(root, `/components/${m[1]}`).value;
  if (!section || typeof section !== "object") return undefined;
  const wanted = unescapePointerSegment(m[2]).toLowerCase();
  const close = Object.keys(section).find((k) => k.toLowerCase() === wanted);
  return close ? `did you mean #/components/${m[1]}/${escapePointerSegment(close)}?` : undefined;
}
