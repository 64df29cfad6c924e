import { GeneratorError, escapePointerSegment, type ErrorLocation } from "../errors";

/**
 * The longest chain of component schemas that name each other at their top (`$ref`, or members
 * of `allOf`, `oneOf`, `anyOf`), measured without recursion. The IR builder follows such chains
 * in several places (nullability, base objects, discriminants, bases' properties) and so do the
 * emitters; a generated 10,000-long chain would overflow the stack in the first of them, so a
 * chain past MAX_CHAIN is refused up front, at the component where it starts.
 */
export const MAX_CHAIN = 1000;

const COMBINATORS = ["allOf", "oneOf", "anyOf"] as const;

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The components `node` names at its top, through nested combinators, not through properties. */
function topNames(node: unknown, nameOf: (ref: string) => string | undefined): string[] {
  const names: string[] = [];
  const todo = [node];
  for (let n = todo.pop(); n !== undefined; n = todo.pop()) {
    if (!isObj(n)) continue;
    if (typeof n.$ref === "string") {
      const name = nameOf(n.$ref);
      if (name !== undefined) names.push(name);
    }
    for (const key of COMBINATORS) if (Array.isArray(n[key])) todo.push(...(n[key] as unknown[]));
  }
  return names;
}

export function checkChains(schemas: Record<string, unknown>, nameOf: (ref: string) => string | undefined, locate: (pointer: string) => ErrorLocation): void {
  const height = new Map<string, number>();
  const onPath = new Set<string>();
  for (const start of Object.keys(schemas)) {
    if (height.has(start)) continue;
    const frames: { name: string; next: string[]; best: number }[] = [{ name: start, next: topNames(schemas[start], nameOf), best: 0 }];
    onPath.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const child = frame.next.pop();
      if (child !== undefined) {
        // A cycle is reported elsewhere (circular allOf, a union of itself): it adds no length here.
        if (onPath.has(child) || !(child in schemas)) continue;
        const known = height.get(child);
        if (known !== undefined) frame.best = Math.max(frame.best, known + 1);
        else {
          onPath.add(child);
          frames.push({ name: child, next: topNames(schemas[child], nameOf), best: 0 });
        }
        continue;
      }
      frames.pop();
      onPath.delete(frame.name);
      height.set(frame.name, frame.best);
      if (frame.best > MAX_CHAIN) {
        const pointer = `#/components/schemas/${escapePointerSegment(frame.name)}`;
        throw new GeneratorError("E_TOO_DEEP", `a chain of more than ${MAX_CHAIN} schemas naming each other ($ref, allOf, oneOf, anyOf) starts here`, { ...locate(pointer), pointer }, "a chain this long is generated, not designed: flatten it");
      }
      const parent = frames[frames.length - 1];
      if (parent) parent.best = Math.max(parent.best, frame.best + 1);
    }
  }
}
