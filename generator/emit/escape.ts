/**
 * Every string that comes from a spec passes through exactly one of these before it lands in
 * generated code, chosen by where it lands. Specs are input, and input can be hostile.
 */

const LINE_SEPARATORS = /\r\n?|[\u2028\u2029\u0085]/g;

/**
 * Invisible format characters (Unicode category Cf): the bidi controls U+202A–U+202E and
 * U+2066–U+2069 that make code read differently than it compiles ("Trojan Source",
 * CVE-2021-42574), zero-width spaces and joiners, U+FEFF, the tag characters U+E0000–U+E007F that
 * hide text from a reviewer. Spelled as visible `\uXXXX` escapes: in a string literal the value is
 * unchanged, in a comment the reader sees what is there.
 */
const INVISIBLE = /\p{Cf}/gu;

/** One invisible character as `\uXXXX` per UTF-16 unit: valid in JSON, TypeScript and plain sight. */
function spellInvisible(c: string): string {
  let out = "";
  for (let i = 0; i < c.length; i++) out += `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`;
  return out;
}

/** JSON text with every invisible format character spelled out (for JSON files the output holds). */
export function escapeInvisible(json: string): string {
  return json.replace(INVISIBLE, spellInvisible);
}

/**
 * Text inside a `/** … *\/` block: nothing may close the comment early. An opening `/*` is
 * escaped too: ts-morph's writer takes it for a nested comment and "closes" it with a stray
 * `*\/` on the next line, which breaks the file. `@ts-` is escaped because a block comment whose
 * last line starts with `@ts-ignore` is a compiler directive (the file header is such a comment).
 * The backslashes are markdown escapes, so editors still show `/*`, `*\/` and `@ts-`.
 */
export function escapeJsDoc(text: string): string {
  return text
    .replace(LINE_SEPARATORS, "\n")
    .replace(/\*\//g, "*\\/")
    .replace(/\/\*/g, "/\\*")
    .replace(/@(?=ts-)/gi, "\\@")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(INVISIBLE, spellInvisible)
    .replace(/[ \t]+$/gm, "")
    .trim();
}

/**
 * JSON text that is also safe inside generated TypeScript. U+2028/U+2029 are escaped (older
 * engines end a line there). A backslash right before a closing quote (`"a\\"`) is spelled
 * `\u005c`: ts-morph's writer takes any quote after a backslash for an escaped one, loses track
 * of where strings end, and then reads a later `/*` inside a string as a comment to close.
 */
function safeJson(value: unknown): string {
  return JSON.stringify(value)
    // Prettier writes a number's exponent without its plus sign (`1e21`); strings are left alone.
    .replace(/"(?:[^"\\]|\\.)*"|(?<=\d)e\+/g, (m) => (m === "e+" ? "e" : m))
    .replace(/\\u[0-9a-fA-F]{4}|\\[^u]/g, (escape, at: number, text: string) =>
      escape === "\\\\" && text[at + 2] === '"' ? "\\u005c" : escape,
    )
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029")
    .replace(INVISIBLE, spellInvisible);
}

/** A double-quoted string literal; also safe in a JSON context. */
export function stringLiteral(value: string): string {
  return safeJson(value);
}

/**
 * A string literal in the quotes prettier picks (double, unless the text holds more double quotes
 * than single ones), so that prettier has nothing to change in code, never in a JSON context.
 */
export function codeStringLiteral(value: string): string {
  const json = safeJson(value);
  if (value.split('"').length <= value.split("'").length) return json;
  return `'${json.slice(1, -1).replace(/\\u[0-9a-fA-F]{4}|\\[^u]|'/g, (t) => (t === '\\"' ? '"' : t === "'" ? "\\'" : t))}'`;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A name usable as a bare key or after a dot (reserved words are fine there). */
export function isPlainIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** An object key in a type or literal: bare when it is a plain identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/**
 * A key in an object literal *expression*: `__proto__` written plainly would set the object's
 * prototype instead of a property, so it is computed. (In a type, `propertyKey` is enough.)
 */
export function objectKey(name: string): string {
  return name === "__proto__" ? `[${stringLiteral(name)}]` : propertyKey(name);
}

/** A JSON value as a TypeScript expression or literal type. */
export function jsonLiteral(value: unknown): string {
  return safeJson(value ?? null);
}
