/**
 * Every string that comes from a spec passes through exactly one of these before it lands in
 * generated code, chosen by where it lands. Specs are input, and input can be hostile.
 */

const LINE_SEPARATORS = /\r\n?|[\u2028\u2029\u0085]/g;

/** Text inside a `/** … *\/` block: nothing may close the comment early. */
export function escapeJsDoc(text: string): string {
  return text
    .replace(LINE_SEPARATORS, "\n")
    .replace(/\*\//g, "*\\/")
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/[ \t]+$/gm, "")
    .trim();
}

/** A double-quoted string literal; also safe in a JSON context. */
export function stringLiteral(value: string): string {
  return JSON.stringify(value).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key in a type or literal: bare when it is a plain identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : stringLiteral(name);
}

/** Property access on a value: `x.name` or `x["name"]`. */
export function propertyAccess(target: string, name: string): string {
  return IDENTIFIER.test(name) ? `${target}.${name}` : `${target}[${stringLiteral(name)}]`;
}

/** A JSON value as a TypeScript expression or literal type. */
export function jsonLiteral(value: unknown): string {
  return JSON.stringify(value ?? null).replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}
