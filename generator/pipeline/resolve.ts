import { realpathSync } from "node:fs";
import * as path from "node:path";
import { GeneratorError, escapePointerSegment, MAX_QUOTE, quote, unescapePointerSegment } from "../errors";
import { isObject } from "../util/object";
import { closestName, compareCodePoints } from "../util/strings";
import { displayPathOf, loadFile, type LoadedFile, type LoadedSpec, type OpenApiVersion, type ReadLimits } from "./load";
import { isRemote } from "./sources";
import { childPlace, elementPlace, refMayDangle, sectionOf, type Place } from "./places";

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
  /** `$ref`s that could not be followed where nothing typed depends on them (examples, descriptions): left out. */
  warnings: ResolveWarning[];
  /** Maps a pointer in `root` back to the file and pointer it came from, with line:column when known. */
  locate(pointer: string): { file: string; pointer: string; line?: number; column?: number };
}

interface Origin {
  prefix: string;
  file: LoadedFile;
  pointer: string;
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

/** What a `$ref` at a place where nothing typed depends on it (an example, a description) could not reach. */
export interface ResolveWarning {
  pointer: string;
  message: string;
}

/** Returned by a walk for an object that is left out (a `$ref` that may dangle and does). */
const DROP: unique symbol = Symbol("drop");
type Walked = unknown | typeof DROP;

export function resolveRefs(spec: LoadedSpec, options: RefOptions = {}): ResolvedSpec {
  return new Resolution(spec, options).run();
}

/** One run of the resolver: the files read so far, what was imported where, the warnings. */
class Resolution {
  private readonly entry: LoadedFile;
  private readonly files: Map<string, LoadedFile>;
  /** `absPath#fragment` → the local pointer its content lives at. */
  private readonly imported = new Map<string, string>();
  private readonly origins: Origin[] = [];
  private readonly localRefs: { ref: string; file: LoadedFile; filePointer: string }[] = [];
  /** Every `$ref` as rewritten into `root`, with where it is written, for the cycle check. */
  private readonly refSites: { ref: string; file: LoadedFile; filePointer: string }[] = [];
  private readonly components: Record<string, Record<string, unknown>> = {};
  /** The `$ref`s being followed in place right now (`absPath#fragment`): one met again is a cycle. */
  private readonly inlining = new Set<string>();
  private readonly warnings: ResolveWarning[] = [];

  /** The folders (symlinks resolved) whose trees file references may reach. */
  private readonly roots: string[];

  constructor(
    private readonly spec: LoadedSpec,
    private readonly options: RefOptions,
  ) {
    this.entry = spec.file;
    this.files = new Map([[this.entry.absPath, this.entry]]);
    const entryDir = isRemote(this.entry.absPath) ? process.cwd() : path.dirname(this.entry.absPath);
    this.roots = [options.refRoot ?? entryDir, entryDir, ...(options.allowRef ?? [])].map(realOrResolved);
  }

  run(): ResolvedSpec {
    const { entry, origins } = this;
    const root: Record<string, unknown> = {};
    const stubs = this.reserveComponentNames();
    for (const key of Object.keys(this.spec.root)) {
      const seg = escapePointerSegment(key);
      if (key === "components") root.components = this.walkComponents(stubs);
      else {
        const walked = this.walk(this.spec.root[key], entry, `#/${seg}`, `#/${seg}`, childPlace("document", key));
        if (walked !== DROP) setOwn(root, key, walked);
      }
    }
    if (Object.keys(this.components).length > 0) root.components = this.components;
    for (const { ref, file, filePointer } of this.localRefs) {
      if (!getAtPointer(root, ref.slice(1)).found) {
        throw new GeneratorError("E_REF", `unresolved $ref ${quote(ref)}`, { file: file.displayPath, pointer: filePointer, ...file.locate(filePointer) }, suggestRef(root, ref));
      }
    }
    checkRefCycles(root, this.refSites);
    origins.sort((a, b) => b.prefix.length - a.prefix.length);
    return {
      version: this.spec.version,
      root,
      entry,
      files: [...this.files.values()].map((f) => f.displayPath),
      warnings: this.warnings,
      locate(pointer) {
        const origin = origins.find((o) => pointer === o.prefix || pointer.startsWith(o.prefix + "/"));
        const file = origin ? origin.file : entry;
        const filePointer = origin ? origin.pointer + pointer.slice(origin.prefix.length) : pointer;
        return { file: file.displayPath, pointer: filePointer, ...file.locate(filePointer) };
      },
    };
  }

  /**
   * The entry's own component names are taken before anything is imported, so an imported `Tag`
   * from another file becomes `Tag2` instead of silently replacing the entry's `Tag`. A component
   * that is nothing but a `$ref` into another file (the usual way to split a spec) is that file's
   * object under the entry's name, not an alias of an imported copy: those are returned as stubs.
   */
  private reserveComponentNames(): Map<string, { absPath: string; fragment: string; ref: string }> {
    const stubs = new Map<string, { absPath: string; fragment: string; ref: string }>();
    for (const [section, value] of Object.entries(this.sections())) {
      if (!isObject(value) || !childPlace("components", section).startsWith("section:")) continue;
      const bucket = (this.components[section] ??= {});
      for (const [name, item] of Object.entries(value)) {
        setOwn(bucket, name, null);
        if (!isObject(item) || Object.keys(item).length !== 1 || typeof item.$ref !== "string") continue;
        const ref = item.$ref;
        const pointer = `#/components/${escapePointerSegment(section)}/${escapePointerSegment(name)}`;
        const { absPath, fragment } = this.parseRef(ref, this.entry, pointer);
        if (absPath === undefined || absPath === this.entry.absPath) continue;
        const key = `${absPath}#${fragment}`;
        if (this.imported.has(key)) continue; // a second stub for the same object stays a $ref to the first
        this.imported.set(key, pointer);
        stubs.set(pointer, { absPath, fragment, ref });
      }
    }
    return stubs;
  }

  private sections(): Record<string, unknown> {
    const value = this.spec.root.components;
    return isObject(value) ? value : {};
  }

  private walkComponents(stubs: Map<string, { absPath: string; fragment: string; ref: string }>): Record<string, unknown> {
    const { entry, components } = this;
    for (const [section, sectionValue] of Object.entries(this.sections())) {
      const sectionPointer = `#/components/${escapePointerSegment(section)}`;
      const place = childPlace("components", section);
      if (!isObject(sectionValue) || !place.startsWith("section:")) {
        // Extensions, unknown sections, or not a map of components (so nothing was reserved): kept, refs followed by place.
        const walked = this.walk(sectionValue, entry, sectionPointer, sectionPointer, place);
        if (walked !== DROP) setOwn(components, section, walked);
        continue;
      }
      for (const [name, item] of Object.entries(sectionValue)) {
        const pointer = `${sectionPointer}/${escapePointerSegment(name)}`;
        const stub = stubs.get(pointer);
        const itemPlace = childPlace(place, name);
        const walked = stub ? this.importInto(this.fileFor(stub.absPath, entry, pointer, stub.ref), stub.fragment, entry, pointer, stub.ref, pointer, itemPlace) : this.walk(item, entry, pointer, pointer, itemPlace);
        if (walked === DROP) delete components[section][name];
        else setOwn(components[section], name, walked);
      }
    }
    return components;
  }

  private fail(file: LoadedFile, pointer: string, code: "E_REF" | "E_REF_FILE", message: string, hint?: string): GeneratorError {
    return new GeneratorError(code, message, { file: file.displayPath, pointer, ...file.locate(pointer) }, hint);
  }

  private fileFor(absPath: string, from: LoadedFile, usedAt: string, ref: string): LoadedFile {
    const known = this.files.get(absPath);
    if (known) return known;
    const loaded = readRefTarget(absPath, this.roots, this.spec, this.options, (message, hint) => this.fail(from, usedAt, "E_REF_FILE", `$ref ${quote(ref)} ${message}`, hint));
    this.files.set(absPath, loaded);
    return loaded;
  }

  /** Splits a `$ref` into the file it names (absolute, or `undefined` for this file) and its fragment. */
  private parseRef(ref: string, file: LoadedFile, filePointer: string): { absPath: string | undefined; fragment: string } {
    const hash = ref.indexOf("#");
    const filePart = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? "" : ref.slice(hash + 1);
    if (filePart !== "" && isRemote(file.absPath)) return { absPath: this.remoteTarget(filePart, file, filePointer, ref), fragment };
    if (/^[a-z][a-z0-9+.-]*:/i.test(filePart)) {
      throw this.fail(file, filePointer, "E_REF", `remote $ref ${quote(ref)} is not supported`, "download the referenced document and point the $ref at the local copy");
    }
    return { absPath: filePart === "" ? undefined : path.resolve(path.dirname(file.absPath), decodeURIComponentSafe(filePart)), fragment };
  }

  /** A remote document's `$ref` resolves against its URL, and may only name another remote document. */
  private remoteTarget(filePart: string, file: LoadedFile, filePointer: string, ref: string): string {
    let target: URL | undefined;
    try {
      target = new URL(filePart, file.absPath);
    } catch {
      target = undefined;
    }
    if (target?.protocol !== "http:" && target?.protocol !== "https:") {
      throw this.fail(file, filePointer, "E_REF", `$ref ${quote(ref)} in a remote spec names a local file or another scheme, which is refused`, "a spec fetched from a URL can only $ref documents over http(s)");
    }
    return target.href.replace(/#.*$/, "");
  }

  /** The file and value a `$ref` written in `file` names; throws E_REF when there is nothing there. */
  private target(ref: string, file: LoadedFile, filePointer: string): { file: LoadedFile; fragment: string; value: unknown } {
    const { absPath, fragment } = this.parseRef(ref, file, filePointer);
    const target = absPath === undefined ? file : this.fileFor(absPath, file, filePointer, ref);
    const found = getAtPointer(target.root, fragment);
    if (!found.found) {
      const where = target === file ? "" : `: ${target.displayPath} has nothing at #${fragment.slice(0, MAX_QUOTE)}`;
      throw this.fail(file, filePointer, "E_REF", `unresolved $ref ${quote(ref)}${where}`, target === file ? suggestRef(target.root, ref) : undefined);
    }
    return { file: target, fragment, value: found.value };
  }

  /** Walks the value at `#fragment` of `target` into `localPointer`, remembering where it came from. */
  private importInto(target: LoadedFile, fragment: string, from: LoadedFile, usedAt: string, ref: string, localPointer: string, place: Place): Walked {
    const found = getAtPointer(target.root, fragment);
    if (!found.found) {
      throw this.fail(from, usedAt, "E_REF", `unresolved $ref ${quote(ref)}: ${target.displayPath} has nothing at #${fragment.slice(0, MAX_QUOTE)}`);
    }
    this.origins.push({ prefix: localPointer, file: target, pointer: `#${fragment}` });
    return this.walk(found.value, target, `#${fragment}`, localPointer, place);
  }

  private importTarget(target: LoadedFile, fragment: string, from: LoadedFile, usedAt: string, ref: string, section: string, place: Place): string {
    const key = `${target.absPath}#${fragment}`;
    const known = this.imported.get(key);
    if (known) return known;
    const segs = fragment.split("/").slice(1).map(unescapePointerSegment);
    const name = segs.length > 0 ? segs[segs.length - 1] : path.basename(target.absPath).replace(/\.[^.]+$/, "");
    const bucket = (this.components[section] ??= {});
    let unique = name;
    for (let i = 2; Object.prototype.hasOwnProperty.call(bucket, unique); i++) unique = `${name}${i}`;
    const localPointer = `#/components/${section}/${escapePointerSegment(unique)}`;
    this.imported.set(key, localPointer);
    setOwn(bucket, unique, null); // reserve the name before walking: the target may refer to itself
    const walked = this.importInto(target, fragment, from, usedAt, ref, localPointer, place);
    setOwn(bucket, unique, walked === DROP ? {} : walked);
    return localPointer;
  }

  /** A `$ref` at a component place: stays a reference, local; one into another file imports its target into `section`. */
  private rewriteRef(ref: string, file: LoadedFile, filePointer: string, section: string, place: Place): string {
    const { absPath, fragment } = this.parseRef(ref, file, filePointer);
    if (absPath === undefined || absPath === this.entry.absPath) {
      if (file === this.entry || absPath === this.entry.absPath) {
        // Checked against the entry now when the place tolerates a dangling reference (it is then left
        // out), against the assembled document at the end otherwise (imports may add what it names).
        if (refMayDangle(place) && !getAtPointer(this.entry.root, fragment).found) this.target(`#${fragment}`, this.entry, filePointer);
        this.localRefs.push({ ref: `#${fragment}`, file, filePointer });
        return `#${fragment}`;
      }
      return this.importTarget(file, fragment, file, filePointer, ref, section, place);
    }
    const target = this.fileFor(absPath, file, filePointer, ref);
    return this.importTarget(target, fragment, file, filePointer, ref, section, place);
  }

  /** Runs `follow`; at a place that tolerates it, a `$ref` it cannot follow becomes a warning and the object is left out. */
  private tolerant<T>(place: Place, file: LoadedFile, filePointer: string, rootPointer: string, follow: () => T): T | typeof DROP {
    if (!refMayDangle(place)) return follow();
    try {
      return follow();
    } catch (e) {
      if (!(e instanceof GeneratorError) || (e.code !== "E_REF" && e.code !== "E_REF_FILE")) throw e;
      const where = file === this.entry ? "" : ` (in ${file.displayPath} ${filePointer})`;
      this.warnings.push({ pointer: rootPointer, message: `${e.message}${where}: left out` });
      return DROP;
    }
  }

  /** A `$ref` at a place of no component kind (an Operation, a whole `content` map, a description): its target, walked here. */
  private inline(obj: Record<string, unknown>, file: LoadedFile, filePointer: string, rootPointer: string, place: Place): Walked {
    const ref = obj.$ref as string;
    const target = this.target(ref, file, filePointer);
    const key = `${target.file.absPath}#${target.fragment}`;
    if (this.inlining.has(key)) throw this.fail(file, filePointer, "E_REF", `circular $ref ${quote(ref)}`, "this $ref leads back to a place that contains it");
    this.inlining.add(key);
    this.origins.push({ prefix: rootPointer, file: target.file, pointer: `#${target.fragment}` });
    let walked: Walked;
    try {
      walked = this.walk(target.value, target.file, `#${target.fragment}`, rootPointer, place);
    } finally {
      this.inlining.delete(key);
    }
    const siblings = Object.keys(obj).filter((k) => k !== "$ref");
    if (siblings.length === 0 || !isObject(walked)) return walked;
    // Siblings of the `$ref` (3.1 lets `summary` and `description` override) win over the target's.
    const out = { ...walked };
    for (const k of siblings) {
      const v = this.walk(obj[k], file, `${filePointer}/${escapePointerSegment(k)}`, `${rootPointer}/${escapePointerSegment(k)}`, childPlace(place, k));
      if (v !== DROP) setOwn(out, k, v);
    }
    return out;
  }

  private walk(node: unknown, file: LoadedFile, filePointer: string, rootPointer: string, place: Place): Walked {
    if (place === "data" || node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) {
      const element = elementPlace(place);
      return node.map((item, i) => this.walk(item, file, `${filePointer}/${i}`, `${rootPointer}/${i}`, element)).filter((v) => v !== DROP);
    }
    const obj = node as Record<string, unknown>;
    const section = sectionOf(place);
    if (typeof obj.$ref === "string" && section === undefined) return this.tolerant(place, file, filePointer, rootPointer, () => this.inline(obj, file, filePointer, rootPointer, place));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      const seg = escapePointerSegment(key);
      if (key === "$ref" && typeof value === "string" && section !== undefined) {
        const rewritten = this.tolerant(place, file, filePointer, rootPointer, () => this.rewriteRef(value, file, filePointer, section, place));
        if (rewritten === DROP) return DROP;
        out[key] = rewritten;
        this.refSites.push({ ref: rewritten, file, filePointer });
        continue;
      }
      const walked = this.walk(value, file, `${filePointer}/${seg}`, `${rootPointer}/${seg}`, childPlace(place, key));
      if (walked !== DROP) setOwn(out, key, walked);
    }
    return out;
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

function suggestRef(root: unknown, ref: string): string | undefined {
  const m = /^#\/components\/([^/]+)\/([^/]+)$/.exec(ref);
  if (!m) return undefined;
  const section = getAtPointer(root, `/components/${m[1]}`).value;
  if (!section || typeof section !== "object") return undefined;
  const wanted = unescapePointerSegment(m[2]).toLowerCase();
  // A typo is a few edits away; the closest name within that budget, first in code-point order on a tie.
  const best = closestName(wanted, Object.keys(section).sort(compareCodePoints), Math.max(1, Math.floor(wanted.length / 5)), 3);
  return best !== undefined ? `did you mean #/components/${m[1]}/${escapePointerSegment(best)}?` : undefined;
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

