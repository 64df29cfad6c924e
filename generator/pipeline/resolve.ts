import { realpathSync } from "node:fs";
import * as path from "node:path";
import { GeneratorError, escapePointerSegment, quote, unescapePointerSegment } from "../errors";
import { isHttpMethod } from "../util/http";
import { isObject } from "../util/object";
import { closestName, compareCodePoints } from "../util/strings";
import { displayPathOf, loadFile, type LoadedFile, type LoadedSpec, type OpenApiVersion, type ReadLimits } from "./load";
import { isRemote } from "./sources";

/** Where file `$ref`s may lead, and how big a file may be. */
export interface RefOptions extends ReadLimits {
  /**
   * The folder whose tree file references may reach (default: the entry spec's folder; a config
   * job passes the config file's folder).
   */
  refRoot?: string;
  /** More folders file references may reach (`--allow-ref`, repeatable). */
  allowRef?: string[];
}

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
      return key === "parameters" ? "parameterList" : isHttpMethod(key) ? "operation" : "other";
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

/**
 * `obj[key] = value` with a spec-chosen key: `__proto__` would set the prototype instead of
 * adding the property (a schema property or component may well be called `__proto__`).
 */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

export function resolveRefs(spec: LoadedSpec, options: RefOptions = {}): ResolvedSpec {
  const entry = spec.file;
  const entryDir = isRemote(entry.absPath) ? process.cwd() : path.dirname(entry.absPath);
  const roots = [options.refRoot ?? entryDir, entryDir, ...(options.allowRef ?? [])].map(realOrResolved);
  const files = new Map<string, LoadedFile>([[entry.absPath, entry]]);
  /** `absPath#fragment` → the local pointer its content lives at. */
  const imported = new Map<string, string>();
  const origins: Origin[] = [];
  const localRefs: { ref: string; file: LoadedFile; filePointer: string }[] = [];
  /** Every `$ref` as rewritten into `root`, with where it is written, for the cycle check. */
  const refSites: { ref: string; file: LoadedFile; filePointer: string }[] = [];
  const root: Record<string, unknown> = {};
  const components: Record<string, Record<string, unknown>> = {};

  const fail = (file: LoadedFile, pointer: string, code: "E_REF" | "E_REF_FILE", message: string, hint?: string) =>
    new GeneratorError(code, message, { file: file.displayPath, pointer, ...file.locate(pointer) }, hint);

  const fileFor = (absPath: string, from: LoadedFile, usedAt: string, ref: string): LoadedFile => {
    const known = files.get(absPath);
    if (known) return known;
    const loaded = readRefTarget(absPath, roots, spec, options, (message, hint) => fail(from, usedAt, "E_REF_FILE", `$ref ${quote(ref)} ${message}`, hint));
    files.set(absPath, loaded);
    return loaded;
  };

  /** Splits a `$ref` into the file it names (absolute, or `undefined` for this file) and its fragment. */
  const parseRef = (ref: string, file: LoadedFile, filePointer: string): { absPath: string | undefined; fragment: string } => {
    const hash = ref.indexOf("#");
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? "" : ref.slice(hash + 1);
    if (filePart !== "" && isRemote(file.absPath)) return { absPath: remoteTarget(filePart, file, filePointer, ref), fragment };
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
      throw fail(file, filePointer, "E_REF", `remote $ref ${quote(ref)} is not supported`, "download the referenced document and point the $ref at the local copy");
    }
    return { absPath: filePart === "" ? undefined : path.resolve(path.dirname(file.absPath), decodeURIComponentSafe(filePart)), fragment };
  };

  /** A remote document's `$ref` resolves against its URL, and may only name another remote document. */
  const remoteTarget = (filePart: string, file: LoadedFile, filePointer: string, ref: string): string => {
    let target: URL | undefined;
    try {
      target = new URL(filePart, file.absPath);
    } catch {
      target = undefined;
    }
    if (target?.protocol !== "http:" && target?.protocol !== "https:") {
      throw fail(file, filePointer, "E_REF", `$ref ${quote(ref)} in a remote spec names a local file or another scheme, which is refused`, "a spec fetched from a URL can only $ref documents over http(s)");
    }
    return target.href.replace(/#.*$/, "");
  };

  /** Walks the value at `#fragment` of `target` into `localPointer`, remembering where it came from. */
  const importInto = (target: LoadedFile, fragment: string, from: LoadedFile, usedAt: string, ref: string, localPointer: string): unknown => {
    const found = getAtPointer(target.root, fragment);
    if (!found.found) {
      throw fail(from, usedAt, "E_REF", `unresolved $ref ${quote(ref)}: ${target.displayPath} has nothing at #${fragment}`);
    }
    origins.push({ prefix: localPointer, file: target, pointer: `#${fragment}` });
    return walk(found.value, target, `#${fragment}`, localPointer);
  };

  const importTarget = (target: LoadedFile, fragment: string, from: LoadedFile, usedAt: string, ref: string, section: string): string => {
    const key = `${target.absPath}#${fragment}`;
    const known = imported.get(key);
    if (known) return known;
    const segs = fragment.split("/").slice(1).map(unescapePointerSegment);
    const name = segs.length > 0 ? segs[segs.length - 1] : path.basename(target.absPath).replace(/\.[^.]+$/, "");
    const bucket = (components[section] ??= {});
    let unique = name;
    for (let i = 2; Object.prototype.hasOwnProperty.call(bucket, unique); i++) unique = `${name}${i}`;
    const localPointer = `#/components/${section}/${escapePointerSegment(unique)}`;
    imported.set(key, localPointer);
    setOwn(bucket, unique, null); // reserve the name before walking: the target may refer to itself
    setOwn(bucket, unique, importInto(target, fragment, from, usedAt, ref, localPointer));
    return localPointer;
  };

  const rewriteRef = (ref: string, file: LoadedFile, filePointer: string, rootPointer: string): string => {
    const { absPath, fragment } = parseRef(ref, file, filePointer);
    if (absPath === undefined || absPath === entry.absPath) {
      if (file === entry || absPath === entry.absPath) {
        localRefs.push({ ref: `#${fragment}`, file, filePointer });
        return `#${fragment}`;
      }
      return importTarget(file, fragment, file, filePointer, ref, sectionAt(rootPointer));
    }
    const target = fileFor(absPath, file, filePointer, ref);
    return importTarget(target, fragment, file, filePointer, ref, sectionAt(rootPointer));
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
        refSites.push({ ref: out[key] as string, file, filePointer });
      } else if (!keysAreNames && (key === "example" || (key === "examples" && !isExamplesMap(value)) || key.startsWith("x-"))) {
        setOwn(out, key, value);
      } else {
        setOwn(out, key, walk(value, file, `${filePointer}/${seg}`, `${rootPointer}/${seg}`, !keysAreNames && NAME_MAPS.has(key)));
      }
    }
    return out;
  }

  const entryComponents = spec.root.components;
  const sections = isObject(entryComponents) ? entryComponents : {};
  // The entry's own component names are taken before anything is imported, so an imported
  // `Tag` from another file becomes `Tag2` instead of silently replacing the entry's `Tag`.
  // A component that is nothing but a `$ref` into another file (the usual way to split a spec)
  // is that file's object under the entry's name, not an alias of an imported copy.
  const stubs = new Map<string, { absPath: string; fragment: string; ref: string }>();
  for (const [section, value] of Object.entries(sections)) {
    if (!isObject(value) || section === "__proto__") continue;
    const bucket = (components[section] ??= {});
    for (const [name, item] of Object.entries(value)) {
      setOwn(bucket, name, null);
      if (!isObject(item) || Object.keys(item).length !== 1 || typeof item.$ref !== "string") continue;
      const ref = item.$ref;
      const pointer = `#/components/${escapePointerSegment(section)}/${escapePointerSegment(name)}`;
      const { absPath, fragment } = parseRef(ref, entry, pointer);
      if (absPath === undefined || absPath === entry.absPath) continue;
      const key = `${absPath}#${fragment}`;
      if (imported.has(key)) continue; // a second stub for the same object stays a $ref to the first
      imported.set(key, pointer);
      stubs.set(pointer, { absPath, fragment, ref });
    }
  }

  for (const key of Object.keys(spec.root)) {
    const value = spec.root[key];
    const seg = escapePointerSegment(key);
    if (key === "components") {
      root.components = components;
      for (const section of Object.keys(sections)) {
        const sectionValue = sections[section];
        const sectionPointer = `#/components/${escapePointerSegment(section)}`;
        if (!isObject(sectionValue) || section === "__proto__") {
          // Not a map of components (so nothing was reserved): kept as it is, refs still rewritten.
          setOwn(components, section, walk(sectionValue, entry, sectionPointer, sectionPointer, true));
          continue;
        }
        for (const [name, item] of Object.entries(sectionValue)) {
          const pointer = `${sectionPointer}/${escapePointerSegment(name)}`;
          const stub = stubs.get(pointer);
          setOwn(
            components[section],
            name,
            stub ? importInto(fileFor(stub.absPath, entry, pointer, stub.ref), stub.fragment, entry, pointer, stub.ref, pointer) : walk(item, entry, pointer, pointer),
          );
        }
      }
    } else {
      setOwn(root, key, key.startsWith("x-") ? value : walk(value, entry, `#/${seg}`, `#/${seg}`, NAME_MAPS.has(key)));
    }
  }
  if (Object.keys(components).length > 0) root.components = components;

  checkLocalRefs(root, localRefs);
  checkRefCycles(root, refSites);

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

/** Every `#…` reference names something in the assembled spec; otherwise an error with the nearest name as a hint. */
function checkLocalRefs(root: unknown, refs: { ref: string; file: LoadedFile; filePointer: string }[]): void {
  for (const { ref, file, filePointer } of refs) {
    if (!getAtPointer(root, ref.slice(1)).found) {
      const hint = suggestRef(root, ref);
      throw new GeneratorError(
        "E_REF",
        `unresolved $ref ${quote(ref)}`,
        { file: file.displayPath, pointer: filePointer, ...file.locate(filePointer) },
        hint,
      );
    }
  }
}

/**
 * `A: {$ref: B}` with `B: {$ref: A}` names no schema at all, and would become `type A = B; type
 * B = A`, which does not compile: a chain of `$ref`s must end at something that is not a `$ref`.
 * (Recursion through a property, `A: {properties: {next: {$ref: A}}}`, is fine and not a chain.)
 */
function checkRefCycles(root: unknown, sites: { ref: string; file: LoadedFile; filePointer: string }[]): void {
  const ends = new Set<string>();
  for (const site of sites) {
    const chain: string[] = [];
    // A Set beside the list: a generated chain of 10,000 refs must stay linear.
    const inChain = new Set<string>();
    let ref = site.ref;
    while (!ends.has(ref)) {
      if (inChain.has(ref)) {
        const cycle = [...chain.slice(chain.indexOf(ref)), ref];
        throw new GeneratorError(
          "E_REF",
          `circular $ref: ${cycle.join(" → ")}`,
          { file: site.file.displayPath, pointer: site.filePointer, ...site.file.locate(site.filePointer) },
          "a $ref must lead to a schema; a recursive type refers to itself from a property or items",
        );
      }
      chain.push(ref);
      inChain.add(ref);
      const target = getAtPointer(root, ref.slice(1)).value;
      if (!isObject(target) || typeof target.$ref !== "string" || !target.$ref.startsWith("#")) break;
      ref = target.$ref;
    }
    for (const r of chain) ends.add(r);
  }
}

/**
 * The file a `$ref` names, read: only inside the ref roots (symlinks resolved first, so a link in
 * the tree to a file outside is outside), a regular file within the size limit, and a YAML or
 * JSON document; `refuse` makes the error that names the `$ref`.
 */
function readRefTarget(absPath: string, roots: string[], spec: LoadedSpec, options: RefOptions, refuse: (message: string, hint?: string) => GeneratorError): LoadedFile {
  // Symlinks are followed before the check: a link inside the tree to a file outside is outside.
  // A remote document's refs are URLs, kept to http(s) by remoteTarget.
  const real = isRemote(absPath) ? undefined : realOrResolved(absPath);
  if (real !== undefined && !roots.some((root) => isInside(root, real))) {
    throw refuse(`leads outside the spec's folder (to ${displayPathOf(absPath)})`, `file references stay inside ${displayPathOf(roots[0])}; allow another folder with --allow-ref <dir>`);
  }
  let loaded: LoadedFile;
  try {
    const fetched = isRemote(absPath) ? spec.sources?.get(absPath) : undefined;
    if (isRemote(absPath) && fetched === undefined) throw new GeneratorError("E_READ", "not fetched", { file: absPath });
    loaded = loadFile(absPath, isRemote(absPath) ? absPath : displayPathOf(absPath), fetched, options);
  } catch (e) {
    if (e instanceof GeneratorError && e.code === "E_READ") {
      if (isRemote(absPath)) throw refuse(`points to a document that cannot be fetched (${absPath})`);
      const reason = e.message.replace(/^cannot read the spec: /, "");
      throw refuse(`points to a file that cannot be read (${displayPathOf(absPath)}: ${reason})`, e.hint);
    }
    throw e;
  }
  if (loaded.root === null || typeof loaded.root !== "object") {
    // `KEY=secret` parses as one YAML string: such a file is not a document, and its text is not repeated.
    throw refuse(`points to a file that is not a YAML or JSON document (${displayPathOf(absPath)} holds no mapping or list)`);
  }
  return loaded;
}

/** The path with symlinks resolved, as far as it exists (a missing file is judged by its folder). */
function realOrResolved(p: string): string {
  const abs = path.resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(realOrResolved(parent), path.basename(abs));
  }
}

function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === "" || (!rel.startsWith(`..${path.sep}`) && rel !== ".." && !path.isAbsolute(rel));
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
  // A typo is a few edits away; names far apart in length are no typo of each other.
  const best = closestName(wanted, Object.keys(section).sort(compareCodePoints), Math.max(1, Math.floor(wanted.length / 5)), 3);
  return best !== undefined ? `did you mean #/components/${m[1]}/${escapePointerSegment(best)}?` : undefined;
}

