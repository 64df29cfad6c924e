/**
 * Prettier's layout for the few constructs the emitters print long, so that formatting can keep
 * their output as it is (see `alreadyFormatted` in format.ts). No runtime imports: the formatter's
 * worker threads load this too.
 */

import type { PrintedStatement } from "./print";

/** Indents every non-empty line by one level, for hand-written code nested in a block. */
export function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}

/** The width prettier prints to, and the emitters lay out long lines to. */
export const PRINT_WIDTH = 100;

/**
 * A function head as prettier prints it: on one line when it fits, else one parameter per line
 * with a trailing comma. `head` is everything before the parameter list, at column 0.
 */
export function signature(head: string, params: string[], returnType: string, column = 0): string {
  const line = `${head}(${params.join(", ")}): ${returnType} {`;
  if (column + line.length <= PRINT_WIDTH || params.length === 0) return line.slice(0, -2);
  const pad = " ".repeat(column + 2);
  return `${head}(\n${params.map((p) => `${pad}${p},`).join("\n")}\n${" ".repeat(column)}): ${returnType}`;
}

/**
 * `left callee(arg);` as prettier prints a call after `=`, for an identifier or string `arg`: on
 * one line when it fits; else, for an argument short enough that breaking it helps nobody
 * (prettier's `isLoneShortArgument`: a quarter of the width), the call on the next line; else the
 * argument on its own line when `left callee(` fits, the call on the next line when not (its
 * argument on a line of its own when the call is still too long). A union in the type arguments
 * makes prettier reason differently; such a call is left on one line for prettier.
 */
export function assignCall(left: string, callee: string, arg: string): string {
  const line = `${left} ${callee}(${arg});`;
  if (line.length <= PRINT_WIDTH || callee.includes(" | ")) return line;
  const next = `${left}\n  ${callee}(${arg});`;
  const nextFits = next.length - left.length - 1 <= PRINT_WIDTH;
  const nextBroken = `${left}\n  ${callee}(\n    ${arg},\n  );`;
  if (arg.length <= PRINT_WIDTH / 4) return nextFits ? next : nextBroken;
  if (left.length + callee.length + 2 <= PRINT_WIDTH) return `${left} ${callee}(\n  ${arg},\n);`;
  return nextFits ? next : nextBroken;
}

/**
 * Splits `text` at each `separator` outside brackets and string literals (`=>` is no bracket).
 * Undefined when the brackets do not balance, so a caller leaves the text alone.
 */
export function splitTopLevel(text: string, separator: string): string[] | undefined {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === "\\") i++;
    } else if (c === "(" || c === "[" || c === "{" || c === "<") depth++;
    else if (c === ")" || c === "]" || c === "}" || (c === ">" && text[i - 1] !== "=")) depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i = start - 1;
    }
    if (depth < 0) return undefined;
  }
  if (depth !== 0) return undefined;
  parts.push(text.slice(start));
  return parts;
}

/**
 * Lays out, as prettier would, each line of hand-written code that is too long and has one of the
 * shapes the emitters print: a function head, `if (…) return …;` (alone or as a loop's body) and
 * `const x = f(arg);`. Other long lines are left for prettier; lines that fit are never touched.
 */
export function layoutLongLines(code: string): string {
  const lines = code.split("\n");
  return lines.some((l) => l.length > PRINT_WIDTH) ? lines.map(layoutLine).join("\n") : code;
}

const FUNCTION_HEAD = /^((?:export )?(?:async )?function [\w$]+|[\w$.]+ = function [\w$]+)\((.*)\): (.+) \{$/;
const IF_RETURN = /^if \((.*)\) (return [^;]*;)$/;
const LOOP_BODY = /^(for \((?:[^()]|\([^()]*\))*\)) (if \(.*)$/;
const ASSIGN_CALL = /^((?:export )?const [\w$]+ =) ([\w$.]+(?:<[\w$.]+>)?)\(([\w$]+|"(?:[^"\\]|\\.)*")\);$/;
const ASSIGN_SET = /^(const [\w$]+ = new Set<\w+>)\(\[(.*)\]\);$/;

function layoutLine(line: string): string {
  if (line.length <= PRINT_WIDTH) return line;
  const pad = line.length - line.trimStart().length;
  const ind = " ".repeat(pad);
  const body = line.slice(pad);
  let m: RegExpExecArray | null;
  if ((m = FUNCTION_HEAD.exec(body))) {
    const params = splitTopLevel(m[2], ", ");
    return params ? `${ind}${signature(m[1], params, m[3], pad)} {` : line;
  }
  if ((m = LOOP_BODY.exec(body))) return `${ind}${m[1]}\n${layoutLine(`${ind}  ${m[2]}`)}`;
  if ((m = IF_RETURN.exec(body))) {
    if (pad + 4 + m[1].length + 1 <= PRINT_WIDTH) return `${ind}if (${m[1]})\n${ind}  ${m[2]}`;
    const operands = splitTopLevel(m[1], " && ");
    // A top-level `||` would make prettier group the operands differently.
    if (!operands || operands.some((o) => splitTopLevel(o, " || ")?.length !== 1)) return line;
    return `${ind}if (\n${operands.map((o) => `${ind}  ${o}`).join(" &&\n")}\n${ind})\n${ind}  ${m[2]}`;
  }
  if (pad === 0 && (m = ASSIGN_CALL.exec(body))) return assignCall(m[1], m[2], m[3]);
  if (pad === 0 && (m = ASSIGN_SET.exec(body))) {
    const items = splitTopLevel(m[2], ", ");
    // Prettier fills a line with numbers; strings go one per line.
    if (!items || !items.every((i) => i.startsWith('"'))) return line;
    return `${m[1]}([\n${items.map((i) => `  ${i},`).join("\n")}\n]);`;
  }
  return line;
}

/** The file's text: each statement after its gap (imports stay together, a blank line parts the rest). */
export function joinStatements(statements: PrintedStatement[]): string {
  return `${statements.map((s) => s.gap + s.text).join("")}\n`;
}
