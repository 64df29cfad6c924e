import { GeneratorError, quote, unescapePointerSegment } from "../errors";
import type { ResolvedSpec } from "../pipeline/resolve";
import { getAtPointer } from "../pipeline/resolve";
import { HTTP_METHODS, isHttpMethod } from "../util/http";
import { isObject, type JsonObject } from "../util/object";

/**
 * Cuts a spec down to some operations and everything they reference, so a project can commit a
 * small, self-contained fragment of a large upstream spec and refresh it when upstream changes.
 */
export interface SliceOptions {
  operations?: string[];
  tags?: string[];
}

type Raw = JsonObject;

/** The operationIds and tags a spec has, read the way `sliceSpec` matches them. */
export interface SpecOperations {
  ids: Set<string>;
  tags: Set<string>;
}

export function operationsIn(root: Record<string, unknown>): SpecOperations {
  const ids = new Set<string>();
  const tags = new Set<string>();
  for (const item of Object.values(isObject(root.paths) ? root.paths : {})) {
    if (!isObject(item)) continue;
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!isObject(op)) continue;
      if (typeof op.operationId === "string") ids.add(op.operationId);
      if (Array.isArray(op.tags)) op.tags.forEach((t) => tags.add(String(t)));
    }
  }
  return { ids, tags };
}

export function sliceSpec(spec: ResolvedSpec, options: SliceOptions): Record<string, unknown> {
  const root = spec.root;
  const wantedOps = new Set(options.operations ?? []);
  const wantedTags = new Set(options.tags ?? []);
  if (wantedOps.size === 0 && wantedTags.size === 0) {
    throw new GeneratorError("E_USAGE", "slice needs at least one --operation or --tag");
  }
  const foundOps = new Set<string>();
  const foundTags = new Set<string>();
  const paths: Raw = {};
  const rawPaths = isObject(root.paths) ? root.paths : {};
  for (const [path, item] of Object.entries(rawPaths)) {
    if (!isObject(item)) continue;
    const kept: Raw = {};
    for (const [key, value] of Object.entries(item)) {
      if (!isHttpMethod(key) || !isObject(value)) continue;
      const id = typeof value.operationId === "string" ? value.operationId : undefined;
      const tags = Array.isArray(value.tags) ? value.tags.map(String) : [];
      const byId = id !== undefined && wantedOps.has(id);
      const byTag = tags.some((t) => wantedTags.has(t));
      if (byId) foundOps.add(id!);
      for (const t of tags) if (wantedTags.has(t)) foundTags.add(t);
      if (byId || byTag) kept[key] = value;
    }
    if (Object.keys(kept).length > 0) {
      // Path-level fields (shared parameters, summary) come along, in their original order.
      paths[path] = Object.fromEntries(Object.entries(item).filter(([k]) => !isHttpMethod(k) || k in kept));
    }
  }
  for (const id of wantedOps) {
    if (!foundOps.has(id)) {
      throw new GeneratorError("E_SLICE", `no operation with operationId ${quote(id)}`, { file: spec.entry.displayPath, pointer: "#/paths" }, nearest(id, allOperationIds(rawPaths)));
    }
  }
  for (const tag of wantedTags) {
    if (!foundTags.has(tag)) {
      throw new GeneratorError("E_SLICE", `no operation has the tag ${quote(tag)}`, { file: spec.entry.displayPath, pointer: "#/paths" });
    }
  }

  const needed = new Set<string>();
  const queue: unknown[] = [paths, root.security];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k === "$ref" && typeof v === "string") enqueue(v);
        else if (k === "mapping" && isObject(v)) Object.values(v).forEach((m) => typeof m === "string" && m.startsWith("#") && enqueue(m));
        else if (k === "security" && Array.isArray(v)) v.forEach((req) => isObject(req) && Object.keys(req).forEach((s) => enqueue(`#/components/securitySchemes/${s}`)));
        else visit(v);
      }
    }
  };
  const enqueue = (ref: string) => {
    const m = /^#\/components\/([^/]+)\/([^/]+)/.exec(ref);
    if (!m) return;
    const key = `${m[1]}/${unescapePointerSegment(m[2])}`;
    if (needed.has(key)) return;
    needed.add(key);
    queue.push(getAtPointer(root, `/components/${m[1]}/${m[2]}`).value);
  };
  (Array.isArray(root.security) ? root.security : []).forEach((req) => isObject(req) && Object.keys(req).forEach((s) => enqueue(`#/components/securitySchemes/${s}`)));
  while (queue.length > 0) visit(queue.shift());

  const components: Raw = {};
  const rawComponents = isObject(root.components) ? root.components : {};
  for (const [section, entries] of Object.entries(rawComponents)) {
    if (!isObject(entries)) continue;
    const kept = Object.fromEntries(Object.entries(entries).filter(([name]) => needed.has(`${section}/${name}`)));
    if (Object.keys(kept).length > 0) components[section] = kept;
  }

  const usedTags = new Set<string>();
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item as Raw)) if (isObject(op) && Array.isArray(op.tags)) op.tags.forEach((t) => usedTags.add(String(t)));
  }
  const out: Raw = {};
  for (const [key, value] of Object.entries(root)) {
    if (key === "paths") out.paths = paths;
    else if (key === "components") out.components = components;
    else if (key === "tags" && Array.isArray(value)) out.tags = value.filter((t) => isObject(t) && usedTags.has(String(t.name)));
    else if (key === "x-oaiMeta" || key === "webhooks") continue; // navigation for the whole upstream API; meaningless in a slice
    else out[key] = value;
  }
  return out;
}

function allOperationIds(paths: Raw): string[] {
  const ids: string[] = [];
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue;
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (isObject(op) && typeof op.operationId === "string") ids.push(op.operationId);
    }
  }
  return ids;
}

function nearest(wanted: string, ids: string[]): string | undefined {
  const lower = wanted.toLowerCase();
  const close = ids.filter((id) => id.toLowerCase().includes(lower) || lower.includes(id.toLowerCase())).slice(0, 5);
  return close.length > 0 ? `did you mean ${close.join(", ")}?` : undefined;
}
