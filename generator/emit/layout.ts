/**
 * Prettier's layout for the few constructs the emitters print long, so that formatting can keep
 * their output as it is (see `alreadyFormatted` in format.ts). No runtime imports: the formatter's
 * worker threads load this too.
 */

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
 * (prettier's `isLoneShortArgument`: a quarter of the width) and type arguments that are not a
 * union (prettier's `isCallExpressionWithComplexTypeArguments`), the call on the next line; else
 * the argument on its own line when `left callee(` fits, the call on the next line when not (its
 * argument on a line of its own when the call is still too long).
 */
export function assignCall(left: string, callee: string, arg: string): string {
  const line = `${left} ${callee}(${arg});`;
  if (line.length <= PRINT_WIDTH) return line;
  const next = `${left}\n  ${callee}(${arg});`;
  const nextFits = next.length - left.length - 1 <= PRINT_WIDTH;
  const nextBroken = `${left}\n  ${callee}(\n    ${arg},\n  );`;
  if (arg.length <= PRINT_WIDTH / 4 && !callee.includes(" | ")) return nextFits ? next : nextBroken;
  if (left.length + callee.length + 2 <= PRINT_WIDTH) return `${left} ${callee}(\n  ${arg},\n);`;
  return nextFits ? next : nextBroken;
}

/** An object literal's entry: its key, and its value's text or, for a nested object, its entries. */
export interface ObjectEntry {
  key: string;
  value: string | ObjectEntry[];
}

function flatObject(entries: ObjectEntry[]): string {
  if (entries.length === 0) return "{}";
  return `{ ${entries.map((e) => `${e.key}: ${typeof e.value === "string" ? e.value : flatObject(e.value)}`).join(", ")} }`;
}

/**
 * `key: { … }`, an object literal's property at `column`, followed by a comma, as prettier prints
 * it: on one line when it fits, else one entry per line, each nested object laid out the same way.
 */
export function objectProperty(key: string, entries: ObjectEntry[], column: number): string {
  const flat = `${key}: ${flatObject(entries)}`;
  if (column + flat.length + 1 <= PRINT_WIDTH || entries.length === 0) return flat;
  const pad = " ".repeat(column + 2);
  const lines = entries.map((e) => `${pad}${typeof e.value === "string" ? `${e.key}: ${e.value}` : objectProperty(e.key, e.value, column + 2)},`);
  return `${key}: {\n${lines.join("\n")}\n${" ".repeat(column)}}`;
}

/**
 * `left = function …;` as prettier prints it: the function on the next line, indented, when even
 * `left = function name(` overflows the width (prettier then breaks after `=`).
 */
export function assignFunction(left: string, fn: string): string {
  const head = fn.slice(0, fn.indexOf("(") + 1);
  if (`${left} = ${head}`.length <= PRINT_WIDTH) return layoutLongLines(`${left} = ${fn};`);
  return `${left} =\n${layoutLongLines(indent(`${fn};`))}`;
}

/**
 * Splits `text` at each `separator` outside brackets and string literals (`=>` is no bracket, nor
 * are `<` and `>` between spaces, which compare).
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
    } else if (c === "(" || c === "[" || c === "{" || (c === "<" && text[i + 1] !== " " && text[i + 1] !== "=")) depth++;
    else if (c === ")" || c === "]" || c === "}" || (c === ">" && text[i - 1] !== "=" && text[i - 1] !== " ")) depth--;
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
const ASSIGN_CALL = /^((?:export )?const [\w$]+ =) ([\w$.]+(?:<[\w$.]+(?: \| [\w$.]+)*>)?)\(([\w$]+|"(?:[^"\\]|\\.)*")\);$/;
const IMPORT = /^(import (?:type )?)\{ (.*) \}( from "[^"]*";)$/;
const RETURN = /^return (.*);$/;
const CALL = /^([\w$.]+)\((.*)\)$/;
/** Arguments prettier never hugs: identifiers, numbers and strings. */
const PLAIN_ARGUMENT = /^(?:[\w$.]+|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')$/;
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
    if (pad + 4 + m[1].length + 1 <= PRINT_WIDTH) return `${ind}if (${m[1]})\n${layoutLine(`${ind}  ${m[2]}`)}`;
    const condition = conditionLayout(m[1], `${ind}  `);
    return condition === undefined ? line : `${ind}if (\n${condition}\n${ind})\n${ind}  ${m[2]}`;
  }
  if ((m = RETURN.exec(body))) return returnLayout(m[1], ind) ?? line;
  if (pad === 0 && (m = IMPORT.exec(body))) {
    const names = splitTopLevel(m[2], ", ");
    return names ? `${m[1]}{\n${names.map((n) => `  ${n},`).join("\n")}\n}${m[3]}` : line;
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

/**
 * An `if` condition broken out of its parentheses, as prettier prints it: a chain of one
 * operator, `&&` or `||`, one operand per line; a lone call with plain arguments, one argument
 * per line. Undefined for anything else (a mixed chain groups differently).
 */
function conditionLayout(condition: string, ind: string): string | undefined {
  for (const [op, other] of [[" && ", " || "], [" || ", " && "]]) {
    const operands = splitTopLevel(condition, op);
    if (!operands || operands.length < 2) continue;
    if (operands.some((o) => splitTopLevel(o, other)?.length !== 1)) return undefined;
    return operands.map((o) => `${ind}${o}`).join(` ${op.trim()}\n`);
  }
  const call = CALL.exec(condition);
  const args = call ? splitTopLevel(call[2], ", ") : undefined;
  if (ind.length + condition.length <= PRINT_WIDTH || !call || !args?.every((a) => PLAIN_ARGUMENT.test(a) || /^[\w$]+\[\(k = "(?:[^"\\]|\\.)*"\)\]$/.test(a))) {
    return ind.length + condition.length <= PRINT_WIDTH ? `${ind}${condition}` : undefined;
  }
  return `${ind}${call[1]}(\n${args.map((a) => `${ind}  ${a},`).join("\n")}\n${ind})`;
}

/**
 * An argument prettier puts on a line of its own as it is, when a call's arguments do not fit on
 * one line: no object, array, function or parentheses it would hug or drop, and no ternary.
 */
function unhuggable(arg: string): boolean {
  return !/^[([{]|^function\b|^async\b/.test(arg) && [" ? ", " => "].every((x) => splitTopLevel(arg, x)?.length === 1);
}

/**
 * `return value;` too long for its line, for the two shapes the emitters print: a call with plain
 * arguments (one argument per line) and a chain of one operator, `&&` or `||` (in parentheses,
 * on one line when it fits there, else one operand per line). Undefined for anything else.
 */
function returnLayout(value: string, ind: string): string | undefined {
  const call = CALL.exec(value);
  const args = call ? splitTopLevel(call[2], ", ") : undefined;
  if (call && args?.every((a) => PLAIN_ARGUMENT.test(a) || (unhuggable(a) && ind.length + 3 + a.length <= PRINT_WIDTH))) {
    return `${ind}return ${call[1]}(\n${args.map((a) => `${ind}  ${a},`).join("\n")}\n${ind});`;
  }
  for (const [op, other] of [[" && ", " || "], [" || ", " && "]]) {
    const operands = splitTopLevel(value, op);
    // Another operator, a ternary or an arrow at the top would make prettier group differently.
    const single = (o: string): boolean => [other, " ? ", " => "].every((x) => splitTopLevel(o, x)?.length === 1);
    if (operands && operands.length > 1 && operands.every(single)) {
      // The chain stays on one line inside the parentheses when it fits there.
      const inner = ind.length + 2 + value.length <= PRINT_WIDTH ? [value] : operands;
      return `${ind}return (\n${inner.map((o) => `${ind}  ${o}`).join(` ${op.trim()}\n`)}\n${ind});`;
    }
  }
  return undefined;
}
