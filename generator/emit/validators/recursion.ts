import { referencedNames } from "../../ir/children";
import type { IrDocument } from "../../ir/types";

/**
 * The declarations whose check can call itself again on a nested value (a tree, a linked list):
 * the only places where the depth of the data, not of the spec, decides how deep a validator
 * recurses, so the only ones that need a depth limit and a cycle check.
 */
export function recursiveDeclarations(ir: IrDocument): Set<string> {
  const edges = new Map(ir.declarations.map((d) => [d.name, [...new Set(referencedNames(d.schema))]]));
  const recursive = new Set<string>();
  for (const group of stronglyConnected(edges)) {
    if (group.length > 1 || edges.get(group[0])?.includes(group[0])) for (const name of group) recursive.add(name);
  }
  return recursive;
}

/** Tarjan's strongly connected components, with an explicit stack: a 10,000-long chain of refs must not overflow. */
function stronglyConnected(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let counter = 0;
  for (const start of edges.keys()) {
    if (index.has(start)) continue;
    const frames: { node: string; next: number }[] = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1];
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++];
        if (!edges.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, next: 0 });
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const group: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          group.push(member);
        } while (member !== frame.node);
        groups.push(group);
      }
    }
  }
  return groups;
}
