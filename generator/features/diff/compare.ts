/** The comparison of two API summaries: types (by shape), which way each type flows, operations. */
import { isPlainIdentifier } from "../../emit/escape";
import { compareCodePoints } from "../../util/strings";
import type { JsonValue } from "../../ir/types";
import { canonicalJson } from "../../util/json";
import { type ApiSummary, type ArrayShape, type EnumShape, type MapShape, type NullableShape, type ObjectShape, type OperationSummary, type Shape, type UnionShape, printShape } from "./summary";
import { type Change, type ChangeKind, type DiffReport, type DiffSummary, type Direction, reasonFor } from "./rules";

/** What one comparison shares: the output and both type tables. */
interface Run {
  out: Change[];
  types: { before: Record<string, Shape>; after: Record<string, Shape> };
  /** Pairs of renamed references already compared: recursive types must not loop. */
  followed: Set<string>;
}

/** Where changes are being looked for: which type or operation, and which way its data flows. */
interface Scope extends Run {
  target: Change["target"];
  name: string;
  direction: Direction;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function emit(scope: Scope, kind: ChangeKind, at: string, what: string, values: { before?: string; after?: string } = {}): void {
  const reason = reasonFor(kind, scope.direction);
  scope.out.push({
    kind,
    at,
    target: scope.target,
    name: scope.name,
    direction: scope.direction,
    breaking: reason !== undefined,
    message: reason ? `${what} — ${reason}` : what,
    ...values,
  });
}

function propertyPath(at: string, name: string): string {
  return isPlainIdentifier(name) ? `${at}.${name}` : `${at}[${JSON.stringify(name)}]`;
}

function short(text: string): string {
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}

function valueText(v: JsonValue): string {
  return JSON.stringify(v);
}

type ShapeKind = "leaf" | "enum" | "nullable" | "array" | "map" | "object" | "union" | "allOf";

function kindOf(s: Shape): ShapeKind {
  if (typeof s === "string") return "leaf";
  if ("enum" in s) return "enum";
  if ("nullable" in s) return "nullable";
  if ("array" in s) return "array";
  if ("map" in s) return "map";
  if ("union" in s) return "union";
  if ("allOf" in s) return "allOf";
  return "object";
}

function same(a: Shape, b: Shape): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function compareShapes(a: Shape, b: Shape, at: string, scope: Scope): void {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === "nullable" || kb === "nullable") {
    if (ka !== kb) emit(scope, ka === "nullable" ? "nullable-removed" : "nullable-added", at, ka === "nullable" ? "no longer nullable" : "now nullable");
    return compareShapes(ka === "nullable" ? (a as NullableShape).nullable : a, kb === "nullable" ? (b as NullableShape).nullable : b, at, scope);
  }
  if (ka === "object" && kb === "union" && (b as UnionShape).on !== undefined) return taggedObjectChanged(a as ObjectShape, b as UnionShape, "became", at, scope);
  if (ka === "union" && kb === "object" && (a as UnionShape).on !== undefined) return taggedObjectChanged(b as ObjectShape, a as UnionShape, "ceased", at, scope);
  if (ka === "leaf" && kb === "leaf" && a !== b && own(scope.types.before, a as string) !== undefined && own(scope.types.after, b as string) !== undefined) {
    return referenceChanged(a as string, b as string, at, scope);
  }
  // A union beside a single type: the single type is a union of one, so widening reads as a member added.
  if ((ka === "union") !== (kb === "union")) {
    return compareUnions(ka === "union" ? (a as UnionShape) : { union: [a] }, kb === "union" ? (b as UnionShape) : { union: [b] }, at, scope);
  }
  if (ka !== kb) return typeChanged(a, b, at, scope);
  switch (ka) {
    case "enum":
      return compareValues((a as EnumShape).enum, (b as EnumShape).enum, at, scope);
    case "array":
      return compareShapes((a as ArrayShape).array, (b as ArrayShape).array, `${at}[]`, scope);
    case "map":
      return compareShapes((a as MapShape).map, (b as MapShape).map, `${at}[string]`, scope);
    case "object":
      return compareObjects(a as ObjectShape, b as ObjectShape, at, scope);
    case "union":
      return compareUnions(a as UnionShape, b as UnionShape, at, scope);
    default:
      // Leaves and intersections: the printed type is the whole story.
      if (printShape(a) !== printShape(b)) typeChanged(a, b, at, scope);
  }
}

function typeChanged(a: Shape, b: Shape, at: string, scope: Scope, what?: string): void {
  const before = printShape(a);
  const after = printShape(b);
  emit(scope, "type-changed", at, what ?? `type changed from ${short(before)} to ${short(after)}`, { before, after });
}

/**
 * A reference to another declaration: upstream often renames or extracts a schema without
 * changing its shape, and structural typing keeps such code compiling. So the two declarations
 * are compared, and only their differences count.
 */
function referenceChanged(a: string, b: string, at: string, scope: Scope): void {
  emit(scope, "reference-changed", at, `now ${b} (was ${a})`, { before: a, after: b });
  const pair = `${a}\u0000${b}`;
  if (scope.followed.has(pair)) return;
  scope.followed.add(pair);
  compareShapes(own(scope.types.before, a)!, own(scope.types.after, b)!, at, scope);
}

/**
 * An object whose enum property picks among its siblings (`FineTuneMethod` before it had a
 * required `type`) becoming a discriminated union on that property, or the reverse: the enum's
 * values and the union's discriminant values say which variants are new.
 */
function taggedObjectChanged(object: ObjectShape, union: UnionShape, change: "became" | "ceased", at: string, scope: Scope): void {
  const on = union.on!;
  let tag = object.properties[on] as Shape | undefined;
  while (tag !== undefined && typeof tag !== "string" && "nullable" in tag) tag = tag.nullable;
  const enumValues = tag !== undefined && typeof tag !== "string" && "enum" in tag ? tag.enum.filter((v) => typeof v !== "object" || v === null).map(String) : [];
  const [a, b] = change === "became" ? [object, union] : [union, object];
  typeChanged(a, b, at, scope, change === "became" ? `now a discriminated union on ${JSON.stringify(on)} (was an object)` : `no longer a discriminated union on ${JSON.stringify(on)} (now an object)`);
  const label = (values: string[]) => values.map((v) => JSON.stringify(v)).join(" | ");
  union.union.forEach((member, i) => {
    const values = union.values![i];
    if (values.some((v) => enumValues.includes(v))) return;
    const text = printShape(member);
    if (change === "became") emit(scope, "member-added", at, `union member added (${on}: ${label(values)}): ${short(text)}`, { after: text });
    else emit(scope, "member-removed", at, `union member removed (${on}: ${label(values)})`, { before: text });
  });
  const unionValues = new Set(union.values!.flat());
  for (const v of enumValues) {
    if (unionValues.has(v)) continue;
    if (change === "became") emit(scope, "value-removed", propertyPath(at, on), `value ${JSON.stringify(v)} removed`, { before: JSON.stringify(v) });
    else emit(scope, "value-added", propertyPath(at, on), `value ${JSON.stringify(v)} added`, { after: JSON.stringify(v) });
  }
}

function compareValues(a: JsonValue[], b: JsonValue[], at: string, scope: Scope): void {
  // An object value whose keys were only reordered is the same value.
  const key = (v: JsonValue) => canonicalJson(v);
  const before = new Set(a.map(key));
  const after = new Set(b.map(key));
  for (const v of a) if (!after.has(key(v))) emit(scope, "value-removed", at, `value ${valueText(v)} removed`, { before: valueText(v) });
  for (const v of b) if (!before.has(key(v))) emit(scope, "value-added", at, `value ${valueText(v)} added`, { after: valueText(v) });
}

function compareObjects(a: ObjectShape, b: ObjectShape, at: string, scope: Scope): void {
  const optA = new Set(a.optional ?? []);
  const optB = new Set(b.optional ?? []);
  const has = (o: ObjectShape, name: string) => own(o.properties, name) !== undefined;
  for (const [name, shape] of Object.entries(a.properties)) {
    const where = propertyPath(at, name);
    if (!has(b, name)) {
      emit(scope, "property-removed", where, `property removed (was ${short(printShape(shape))})`, { before: printShape(shape) });
      continue;
    }
    if (optA.has(name) !== optB.has(name)) emit(scope, optB.has(name) ? "property-now-optional" : "property-now-required", where, optB.has(name) ? "property now optional" : "property now required");
    compareShapes(shape, b.properties[name], where, scope);
  }
  for (const [name, shape] of Object.entries(b.properties)) {
    if (has(a, name)) continue;
    const required = !optB.has(name);
    emit(scope, required ? "required-property-added" : "optional-property-added", propertyPath(at, name), `${required ? "required" : "optional"} property added: ${short(printShape(shape))}`, { after: printShape(shape) });
  }
  const basesA = a.extends ?? [];
  const basesB = b.extends ?? [];
  for (const base of basesA) if (!basesB.includes(base)) emit(scope, "base-removed", at, `no longer extends ${base}`, { before: base });
  for (const base of basesB) if (!basesA.includes(base)) emit(scope, "base-added", at, `now extends ${base}`, { after: base });
  if (a.extra === undefined && b.extra !== undefined) emit(scope, "extra-keys-allowed", `${at}[string]`, `extra keys now allowed: ${short(printShape(b.extra))}`, { after: printShape(b.extra) });
  else if (a.extra !== undefined && b.extra === undefined) emit(scope, "extra-keys-forbidden", `${at}[string]`, "extra keys no longer allowed", { before: printShape(a.extra) });
  else if (a.extra !== undefined && b.extra !== undefined) compareShapes(a.extra, b.extra, `${at}[string]`, scope);
}

function compareUnions(a: UnionShape, b: UnionShape, at: string, scope: Scope): void {
  if (a.on !== undefined && a.on === b.on && a.values && b.values) return compareDiscriminated(a, b, a.on, at, scope);
  // Without a shared discriminant, members are known by their printed type.
  const textsA = a.union.map(printShape);
  const textsB = b.union.map(printShape);
  const removed = a.union.filter((_, i) => !textsB.includes(textsA[i]));
  const added = b.union.filter((_, i) => !textsA.includes(textsB[i]));
  // One member of a kind changed on each side (`"auto" | number` → `"auto" | "max" | number`): say how.
  const paired = new Set<Shape>();
  for (const kind of new Set(removed.map(kindOf))) {
    const from = removed.filter((m) => kindOf(m) === kind);
    const to = added.filter((m) => kindOf(m) === kind);
    if (from.length === 1 && to.length === 1 && kind !== "leaf") {
      compareShapes(from[0], to[0], at, scope);
      paired.add(from[0]).add(to[0]);
    }
  }
  for (const m of removed) if (!paired.has(m)) emit(scope, "member-removed", at, `union member removed: ${short(printShape(m))}`, { before: printShape(m) });
  for (const m of added) if (!paired.has(m)) emit(scope, "member-added", at, `union member added: ${short(printShape(m))}`, { after: printShape(m) });
}

function compareDiscriminated(a: UnionShape, b: UnionShape, on: string, at: string, scope: Scope): void {
  const valuesA = a.values!;
  const valuesB = b.values!;
  const taken = new Set<number>();
  const label = (values: string[]) => values.map((v) => JSON.stringify(v)).join(" | ");
  a.union.forEach((member, i) => {
    const j = valuesB.findIndex((vs, k) => !taken.has(k) && vs.some((v) => valuesA[i].includes(v)));
    if (j === -1) {
      emit(scope, "member-removed", at, `union member removed (${on}: ${label(valuesA[i])})`, { before: printShape(member) });
      return;
    }
    taken.add(j);
    const shared = valuesA[i].find((v) => valuesB[j].includes(v))!;
    const where = `${at}(${on}=${shared})`;
    const inner: Scope = { ...scope, out: [] };
    compareShapes(member, b.union[j], where, inner);
    scope.out.push(...inner.out);
    // An inline member already shows its new discriminant as a changed literal; say it here only when nothing else does.
    if (inner.out.length > 0) return;
    for (const v of valuesA[i]) if (!valuesB[j].includes(v)) emit(scope, "discriminant-removed", where, `discriminant value ${JSON.stringify(v)} removed`, { before: JSON.stringify(v) });
    for (const v of valuesB[j]) if (!valuesA[i].includes(v)) emit(scope, "discriminant-added", where, `discriminant value ${JSON.stringify(v)} added`, { after: JSON.stringify(v) });
  });
  b.union.forEach((member, j) => {
    if (!taken.has(j)) emit(scope, "member-added", at, `union member added (${on}: ${label(valuesB[j])}): ${short(printShape(member))}`, { after: printShape(member) });
  });
}

// ---------------------------------------------------------------------------------------------
// Which way each type flows

function namesIn(shape: Shape, types: Record<string, Shape>, into: string[]): void {
  if (typeof shape === "string") {
    if (own(types, shape) !== undefined) into.push(shape);
    return;
  }
  if ("enum" in shape) return;
  if ("nullable" in shape) return namesIn(shape.nullable, types, into);
  if ("array" in shape) return namesIn(shape.array, types, into);
  if ("map" in shape) return namesIn(shape.map, types, into);
  if ("union" in shape) return shape.union.forEach((m) => namesIn(m, types, into));
  if ("allOf" in shape) return shape.allOf.forEach((m) => namesIn(m, types, into));
  for (const base of shape.extends ?? []) if (own(types, base) !== undefined) into.push(base);
  Object.values(shape.properties).forEach((p) => namesIn(p, types, into));
  if (shape.extra !== undefined) namesIn(shape.extra, types, into);
}

function requestShapes(op: OperationSummary): Shape[] {
  return [...Object.values(op.path ?? {}), ...Object.values(op.query ?? {}), ...Object.values(op.header ?? {}), ...(op.body !== undefined ? [op.body] : [])];
}

/** For each type an operation reaches, whether requests, responses or both reach it. */
export function flows(api: ApiSummary): Map<string, Set<"request" | "response">> {
  const result = new Map<string, Set<"request" | "response">>();
  const walk = (roots: Shape[], dir: "request" | "response") => {
    const queue: string[] = [];
    roots.forEach((r) => namesIn(r, api.types, queue));
    while (queue.length > 0) {
      const name = queue.pop()!;
      const seen = result.get(name) ?? new Set();
      if (seen.has(dir)) continue;
      result.set(name, seen.add(dir));
      namesIn(api.types[name], api.types, queue);
    }
  };
  for (const op of Object.values(api.operations)) {
    walk(requestShapes(op), "request");
    if (op.response !== undefined) walk([op.response], "response");
  }
  return result;
}

function directionOf(name: string, before: Map<string, Set<string>>, after: Map<string, Set<string>>): Direction {
  const dirs = new Set([...(before.get(name) ?? []), ...(after.get(name) ?? [])]);
  return dirs.size === 2 ? "both" : dirs.has("request") ? "request" : dirs.has("response") ? "response" : "unused";
}

// ---------------------------------------------------------------------------------------------
// Operations

function compareParams(loc: "path" | "query" | "header", a: OperationSummary, b: OperationSummary, scope: Scope): void {
  const pa = a[loc] ?? {};
  const pb = b[loc] ?? {};
  const optA = new Set(a.optional ?? []);
  const optB = new Set(b.optional ?? []);
  const has = (r: Record<string, Shape>, n: string) => own(r, n) !== undefined;
  for (const [name, shape] of Object.entries(pa)) {
    const at = `${scope.name}.${loc}.${name}`;
    if (!has(pb, name)) {
      emit(scope, "parameter-removed", at, `${loc} parameter removed`, { before: printShape(shape) });
      continue;
    }
    const key = `${loc}.${name}`;
    if (optA.has(key) !== optB.has(key)) emit(scope, optB.has(key) ? "parameter-now-optional" : "parameter-now-required", at, optB.has(key) ? `${loc} parameter now optional` : `${loc} parameter now required`);
    compareShapes(shape, pb[name], at, scope);
  }
  for (const [name, shape] of Object.entries(pb)) {
    if (has(pa, name)) continue;
    const required = !optB.has(`${loc}.${name}`);
    emit(scope, required ? "required-parameter-added" : "optional-parameter-added", `${scope.name}.${loc}.${name}`, `${required ? "required" : "optional"} ${loc} parameter added: ${short(printShape(shape))}`, { after: printShape(shape) });
  }
}

function compareOperations(id: string, a: OperationSummary, b: OperationSummary, run: Run): void {
  const scope = (direction: Direction): Scope => ({ ...run, target: "operation", name: id, direction });
  const both = scope("both");
  if (a.endpoint !== b.endpoint) emit(both, "endpoint-changed", id, `now ${b.endpoint} (was ${a.endpoint})`, { before: a.endpoint, after: b.endpoint });
  const fnA = a.function ?? id;
  const fnB = b.function ?? id;
  if (fnA !== fnB) emit(both, "function-renamed", id, `client function renamed from ${fnA} to ${fnB}`, { before: fnA, after: fnB });
  if (!a.unsupported && b.unsupported) emit(both, "client-function-removed", id, `no client function any more: ${b.unsupported}`, { after: b.unsupported });
  if (a.unsupported && !b.unsupported) emit(both, "client-function-added", id, "client function added (the client now serves it)", { before: a.unsupported });
  if (!a.deprecated && b.deprecated) emit(both, "operation-deprecated", id, "now deprecated");

  const request = scope("request");
  const pathA = Object.keys(a.path ?? {});
  const pathB = Object.keys(b.path ?? {});
  const sameSet = pathA.length === pathB.length && pathA.every((n) => pathB.includes(n));
  if (sameSet && pathA.join() !== pathB.join()) emit(request, "signature-changed", id, `path parameters reordered: (${pathA.join(", ")}) → (${pathB.join(", ")})`, { before: pathA.join(", "), after: pathB.join(", ") });
  compareParams("path", a, b, request);
  compareParams("query", a, b, request);
  compareParams("header", a, b, request);
  // With query or header parameters the body travels in one params object beside them.
  const objectA = Boolean(a.query || a.header);
  const objectB = Boolean(b.query || b.header);
  if (a.body !== undefined && b.body !== undefined && objectA !== objectB) {
    emit(request, "signature-changed", id, objectB ? "the request body now goes in the params object, as `body`" : "the request body is now passed directly, not in a params object");
  }
  const bodyAt = `${id}.body`;
  const optA = (a.optional ?? []).includes("body");
  const optB = (b.optional ?? []).includes("body");
  if (a.body === undefined && b.body !== undefined) {
    emit(request, optB ? "optional-body-added" : "required-body-added", bodyAt, `${optB ? "optional" : "required"} request body added: ${short(printShape(b.body))}`, { after: printShape(b.body) });
  } else if (a.body !== undefined && b.body === undefined) {
    emit(request, "body-removed", bodyAt, "request body removed", { before: printShape(a.body) });
  } else if (a.body !== undefined && b.body !== undefined) {
    if (optA !== optB) emit(request, optB ? "body-now-optional" : "body-now-required", bodyAt, optB ? "request body now optional" : "request body now required");
    compareShapes(a.body, b.body, bodyAt, request);
  }

  const response = scope("response");
  const responseAt = `${id}.response`;
  if (a.response === undefined && b.response !== undefined) emit(response, "response-added", responseAt, `JSON response added: ${short(printShape(b.response))}`, { after: printShape(b.response) });
  else if (a.response !== undefined && b.response === undefined) emit(response, "response-removed", responseAt, "no JSON response any more", { before: printShape(a.response) });
  else if (a.response !== undefined && b.response !== undefined) compareShapes(a.response, b.response, responseAt, response);

  // The events come with a stream function of their own (a `…Stream` twin beside a JSON one).
  const eventsAt = `${id}.events`;
  if (a.events === undefined && b.events !== undefined) emit(both, "client-function-added", eventsAt, `stream function added: server-sent events of ${short(printShape(b.events))}`, { after: printShape(b.events) });
  else if (a.events !== undefined && b.events === undefined) emit(both, "client-function-removed", eventsAt, "no stream function any more: the API no longer answers with server-sent events", { before: printShape(a.events) });
  else if (a.events !== undefined && b.events !== undefined) compareShapes(a.events, b.events, eventsAt, response);
}

// ---------------------------------------------------------------------------------------------
// The report

function sortKey(c: Change): string[] {
  return [c.target, c.name, c.at, c.kind, c.message];
}

function compareChanges(x: Change, y: Change): number {
  const a = sortKey(x);
  const b = sortKey(y);
  for (let i = 0; i < a.length; i++) {
    const d = compareCodePoints(a[i], b[i]);
    if (d !== 0) return d;
  }
  return 0;
}

function summarize(changes: Change[]): DiffSummary {
  const count = (target: Change["target"], added: ChangeKind, removed: ChangeKind) => {
    const names = (pred: (c: Change) => boolean) => new Set(changes.filter((c) => c.target === target && pred(c)).map((c) => c.name)).size;
    return {
      added: names((c) => c.kind === added),
      removed: names((c) => c.kind === removed),
      changed: names((c) => c.kind !== added && c.kind !== removed),
    };
  };
  const breaking = changes.filter((c) => c.breaking).length;
  return {
    total: changes.length,
    breaking,
    nonBreaking: changes.length - breaking,
    types: count("type", "type-added", "type-removed"),
    operations: count("operation", "operation-added", "operation-removed"),
  };
}

/** Every change from `before` to `after`, in code-point order of type/operation, location and kind. */
export function diffApis(before: ApiSummary, after: ApiSummary): DiffReport {
  const out: Change[] = [];
  const flowsBefore = flows(before);
  const flowsAfter = flows(after);
  const run: Run = { out, types: { before: before.types, after: after.types }, followed: new Set() };
  const operation = (name: string): Scope => ({ ...run, target: "operation", name, direction: "both" });
  const type = (name: string): Scope => ({ ...run, target: "type", name, direction: directionOf(name, flowsBefore, flowsAfter) });
  for (const [id, op] of Object.entries(before.operations)) {
    const next = own(after.operations, id);
    if (!next) emit(operation(id), "operation-removed", id, `operation removed (was ${op.endpoint})`, { before: op.endpoint });
    else compareOperations(id, op, next, run);
  }
  for (const [id, op] of Object.entries(after.operations)) {
    if (!own(before.operations, id)) emit(operation(id), "operation-added", id, `operation added: ${op.endpoint}`, { after: op.endpoint });
  }
  for (const [name, shape] of Object.entries(before.types)) {
    const next = own(after.types, name);
    if (next === undefined) emit(type(name), "type-removed", name, "type removed", { before: printShape(shape) });
    else if (!same(shape, next)) compareShapes(shape, next, name, type(name));
  }
  for (const [name, shape] of Object.entries(after.types)) {
    if (own(before.types, name) === undefined) emit(type(name), "type-added", name, `type added: ${short(printShape(shape))}`, { after: printShape(shape) });
  }
  out.sort(compareChanges);
  return { changes: out, summary: summarize(out) };
}
