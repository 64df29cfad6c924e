import { RE2JS } from "re2js";
import safeRegex from "safe-regex2";
import { quote } from "../errors";
import { eachNested, parametersOf } from "./children";
import type { IrDocument, IrSchema } from "./types";

/*
 * A spec's `pattern` is code from the spec's author. On JavaScript's backtracking engine some
 * patterns take exponential time (`^(a+)+$` against 30 `a`s and a `b`), so the generator never
 * runs one there unless it is plainly safe: examples are checked with RE2JS, a port of RE2, whose
 * matching is linear in the input whatever the pattern (pure JavaScript, no native build). RE2
 * has no lookaround or backreferences; such a pattern runs on JavaScript's engine only when
 * safe-regex2 finds no nested quantifier in it, and is otherwise not checked at generation time.
 */

/** How a pattern is tested at generation time: `undefined` when it is not checked (see above). */
export type PatternTest = (text: string) => boolean;

/** The pattern as JavaScript compiles it: with the `u` flag when it can, else without, else undefined. */
export function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, "u");
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/**
 * A linear-time test for `pattern` with JavaScript's meaning (a match anywhere, as
 * `RegExp.test`), `null` for a pattern JavaScript cannot compile, `undefined` when it is not
 * checked.
 */
export function patternTest(pattern: string): PatternTest | null | undefined {
  const js = safeRegExp(pattern);
  if (!js) return null;
  // Only a pattern that is valid with the `u` flag reads the same in RE2 (`\a` is a letter to
  // JavaScript without it, a bell to RE2).
  if (js.unicode) {
    try {
      const re2 = RE2JS.compile(pattern);
      return (text) => re2.test(text);
    } catch {
      // Lookaround or backreferences: no RE2.
    }
  }
  return linearOnJavaScript(pattern) ? (text) => js.test(text) : undefined;
}

/** Whether JavaScript's engine is safe on this pattern: no quantifier nested in a quantified group. */
export function linearOnJavaScript(pattern: string): boolean {
  try {
    return safeRegex(pattern);
  } catch {
    return false;
  }
}

/** A warning for each pattern whose validator could hang on a crafted string (the validators run JavaScript's engine). */
export function patternWarnings(doc: Pick<IrDocument, "declarations" | "operations">): { pointer: string; message: string }[] {
  const warnings: { pointer: string; message: string }[] = [];
  const seen = new Set<string>();
  const visit = (fallback: string) => (s: IrSchema) => {
    const pattern = s.kind === "primitive" ? s.constraints?.pattern : undefined;
    if (pattern === undefined || !safeRegExp(pattern) || linearOnJavaScript(pattern)) return;
    const pointer = s.pointer ?? fallback;
    if (seen.has(`${pointer}\n${pattern}`)) return;
    seen.add(`${pointer}\n${pattern}`);
    warnings.push({
      pointer,
      message: `pattern ${quote(pattern)} can take exponential time on JavaScript's regex (nested quantifiers): use skipPatterns on untrusted input`,
    });
  };
  for (const d of doc.declarations) eachNested(d.schema, visit(d.pointer));
  for (const op of doc.operations) {
    for (const p of parametersOf(op)) eachNested(p.schema, visit(op.pointer));
  }
  return warnings;
}
