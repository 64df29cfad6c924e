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

/** Members prettier lays out one per line without looking inside them. */
const SIMPLE_MEMBER = /^(?:[A-Za-z_$][\w$]*(?:\[\])?|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|\(string & \{\}\))$/;

/** The members of a top-level union, or undefined when some member is not simple. */
function simpleUnionMembers(text: string): string[] | undefined {
  const members = text.split(" | ");
  // A `" | "` inside a string literal splits it; the pieces then fail the member test.
  return members.length > 1 && members.every((m) => SIMPLE_MEMBER.test(m)) ? members : undefined;
}

/** TypeScript's keyword types: no named type, so prettier does not hug them with `null`. */
export const KEYWORD_TYPES = ["string", "number", "boolean", "bigint", "symbol", "object", "unknown", "any", "never", "undefined", "void", "null"];

/** A union prettier keeps on its line however long: one named type and `null` (its `shouldHugType`). */
function hugged(members: string[]): boolean {
  const named = members.filter((m) => m !== "null");
  return named.length === 1 && /^[A-Za-z_$][\w$]*$/.test(named[0]) && !KEYWORD_TYPES.includes(named[0]);
}

/** A property signature or a type alias on one line: indentation, everything before the type, the type. */
const TYPE_LINE = /^( *)((?:export type [\w$]+ =|(?:readonly )?(?:[\w$]+|"(?:[^"\\]|\\.)*")\??:) )(.*);$/;

/**
 * Lays out, as prettier would, each line of printed declarations that is too long and types a
 * property or an alias with a union of simple members (arrays of such unions among them), or an
 * array of one: after `=` or `:`, the members on the next line when they fit there, else one per
 * line after a `|`; an array's in parentheses. Other lines are left for prettier.
 */
export function layoutTypeLines(code: string): string {
  const lines = code.split("\n");
  return lines.some((l) => l.length > PRINT_WIDTH) ? lines.map(layoutTypeLine).join("\n") : code;
}

function layoutTypeLine(line: string): string {
  const m = line.length > PRINT_WIDTH ? TYPE_LINE.exec(line) : null;
  if (!m) return line;
  const [, ind, head, type] = m;
  const array = arrayItems(type);
  if (array) return `${ind}${head}${arrayLayout(array, ind, ";")}`;
  const members = splitTopLevel(type, " | ");
  if (!members || members.length < 2 || !members.every((t) => SIMPLE_MEMBER.test(t) || arrayItems(t)) || hugged(members)) return line;
  if (ind.length + 2 + type.length + 1 <= PRINT_WIDTH) return `${ind}${head.trimEnd()}\n${ind}  ${type};`;
  const lines = members.map((t, i) => {
    const end = i === members.length - 1 ? ";" : "";
    const items = arrayItems(t);
    const flat = `${ind}  | ${t}${end}`;
    return items && flat.length > PRINT_WIDTH ? `${ind}  | ${arrayLayout(items, `${ind}    `, end)}` : flat;
  });
  return `${ind}${head.trimEnd()}\n${lines.join("\n")}`;
}

/** The members of `(a | b)[]`, an array of a union of simple members; undefined for any other type. */
function arrayItems(type: string): string[] | undefined {
  const items = /^\((.*)\)\[\]$/.exec(type);
  return items ? simpleUnionMembers(items[1]) : undefined;
}

/**
 * `(a | b)[]` broken as prettier does, its closing `)[]` at `close` and followed by `end`: the
 * members on one line inside the parentheses when they fit there, else one per line after a `|`.
 */
function arrayLayout(items: string[], close: string, end: string): string {
  const inner = items.join(" | ");
  if (close.length + 2 + inner.length <= PRINT_WIDTH) return `(\n${close}  ${inner}\n${close})[]${end}`;
  return `(\n${items.map((t) => `${close}  | ${t}`).join("\n")}\n${close})[]${end}`;
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
  if ((m = CALL_STATEMENT.exec(body))) return brokenCall(ind, m[2], m[3], m[1]) ?? line;
  return line;
}

const CALL_STATEMENT = /^((?:const [\w$]+ = )?)([\w$.]+\(.*\))([;,]?)$/;
/** Arguments a check passes: plain ones, and a property read (`v[i]`, `v[(k = "id")]`). */
const CHECK_ARGUMENT = /^(?:[\w$.]+|"(?:[^"\\]|\\.)*"|[\w$]+\[(?:[\w$]+|\(k = "(?:[^"\\]|\\.)*"\))\])$/;

/**
 * `callee(args)` at `ind` after `prefix` and followed by `suffix` (`;`, `,`, ` &&`…), as prettier
 * prints it: on one line when it fits, else one argument per line. Undefined unless `fits` says
 * each argument stands on a line of its own as it is (by default: a check's plain argument,
 * which prettier never hugs or breaks).
 */
function brokenCall(ind: string, text: string, suffix: string, prefix = "", fits = (arg: string) => CHECK_ARGUMENT.test(arg)): string | undefined {
  if (ind.length + prefix.length + text.length + suffix.length <= PRINT_WIDTH) return `${ind}${prefix}${text}${suffix}`;
  const call = CALL.exec(text);
  const args = call ? splitTopLevel(call[2], ", ") : undefined;
  if (!call || !args || args.length === 0 || !args.every(fits)) return undefined;
  return `${ind}${prefix}${call[1]}(\n${args.map((a) => `${ind}  ${a},`).join("\n")}\n${ind})${suffix}`;
}

/** The operands of a chain of `op`, one per line after `ind`, each call broken as `brokenCall` does; undefined if one cannot be. */
function chainLines(operands: string[], op: string, ind: string, returned = false): string | undefined {
  const lines = operands.map((o, i) => brokenCall(ind, o, i < operands.length - 1 ? ` ${op}` : ""));
  if (!lines.every((l) => l !== undefined)) return undefined;
  // A returned chain of two operands, the first broken: prettier puts the second after its
  // closing parenthesis when it fits there, unless it is a parenthesized group (and in an `if`
  // condition it never does).
  const second = operands[1];
  if (returned && operands.length === 2 && lines[0].includes("\n") && !second.startsWith("(") && `${ind}) ${op} ${second}`.length <= PRINT_WIDTH) {
    return `${lines[0].slice(0, -op.length - 1)} ${op} ${second}`;
  }
  return lines.join("\n");
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
    return chainLines(operands, op.trim(), ind);
  }
  return brokenCall(ind, condition, "");
}

/**
 * An argument prettier puts on a line of its own as it is, when a call's arguments do not fit on
 * one line: no object, array, function or parentheses it would hug or drop, no ternary, and no
 * assignment (which it would parenthesize).
 */
function unhuggable(arg: string): boolean {
  return !/^[([{]|^function\b|^async\b/.test(arg) && [" ? ", " => ", " = "].every((x) => splitTopLevel(arg, x)?.length === 1);
}

/**
 * `return value;` too long for its line, for the two shapes the emitters print: a call with plain
 * arguments (one argument per line) and a chain of one operator, `&&` or `||` (in parentheses,
 * on one line when it fits there, else one operand per line). Undefined for anything else.
 */
function returnLayout(value: string, ind: string): string | undefined {
  const plain = brokenCall(ind, value, ";", "return ", (a) => PLAIN_ARGUMENT.test(a) || (unhuggable(a) && ind.length + 3 + a.length <= PRINT_WIDTH));
  if (plain !== undefined) return plain;
  const call = CALL.exec(value);
  const args = call ? splitTopLevel(call[2], ", ") : undefined;
  // A last argument that is a list of names: prettier hugs it, one name per line.
  const list = args && /^\[(.*)\]$/.exec(args[args.length - 1]);
  const names = list ? splitTopLevel(list[1], ", ") : undefined;
  const head = call && args ? `${ind}return ${call[1]}(${[...args.slice(0, -1), "["].join(", ")}` : "";
  if (call && args && names && names.length > 1 && args.slice(0, -1).every((a) => PLAIN_ARGUMENT.test(a)) && names.every((n) => /^[\w$]+$/.test(n)) && head.length <= PRINT_WIDTH) {
    return `${head}\n${names.map((n) => `${ind}  ${n},`).join("\n")}\n${ind}]);`;
  }
  for (const [op, other] of [[" && ", " || "], [" || ", " && "]]) {
    const operands = splitTopLevel(value, op);
    // Another operator, a ternary or an arrow at the top would make prettier group differently.
    const single = (o: string): boolean => [other, " ? ", " => "].every((x) => splitTopLevel(o, x)?.length === 1);
    if (operands && operands.length > 1 && operands.every(single)) {
      // The chain stays on one line inside the parentheses when it fits there.
      const inner = ind.length + 2 + value.length <= PRINT_WIDTH ? `${ind}  ${value}` : chainLines(operands, op.trim(), `${ind}  `, true);
      return inner === undefined ? undefined : `${ind}return (\n${inner}\n${ind});`;
    }
  }
  return undefined;
}
