import { StructureKind, type InterfaceDeclarationStructure, type JSDocStructure, type StatementStructures, type TypeAliasDeclarationStructure } from "ts-morph";
import type { IrDeclaration, IrDocument, IrKind, IrObject, IrProperty, IrSchema, JsonValue } from "../ir/types";
import { INHERITED_KEYS } from "../ir/identifiers";
import { docComment, docFor, typeNotes, withNotes, type Doc } from "./docs";
import { codeStringLiteral, jsonLiteral, propertyKey, stringLiteral } from "./escape";
import { indent } from "./layout";
import type { EmittedFile } from "./file";
import { printFile, printWithTypes, typePlaceholder, type Reformat } from "./print";

/**
 * How each IR kind prints as a TypeScript type. With `layout`, a union with an object literal
 * member is broken as prettier breaks it in a declaration (see `brokenUnion`); without, every type
 * but an object literal is on one line (client signatures, the diff's summaries).
 */
type TypePrinter<K extends IrKind> = (schema: Extract<IrSchema, { kind: K }>, layout: boolean) => string;

/** Wraps a type in parentheses where `|`, `&` or `[]` would otherwise bind wrongly. */
function group(text: string, inside: "union" | "intersection" | "array"): string {
  const hasUnion = /[|]/.test(stripNested(text));
  const hasIntersection = /[&]/.test(stripNested(text));
  if (inside === "array" && (hasUnion || hasIntersection)) return `(${text})`;
  if (inside === "intersection" && hasUnion) return `(${text})`;
  // `A & B | C` parses fine, but readers should not need the precedence table.
  if (inside === "union" && hasIntersection) return `(${text})`;
  return text;
}

/** Drops bracketed and quoted parts, so only the top-level operators of a type remain. */
function stripNested(text: string): string {
  let depth = 0;
  let out = "";
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "{" || c === "(" || c === "[" || c === "<") depth++;
    else if (c === "}" || c === ")" || c === "]" || c === ">") depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/**
 * A JSON value as its literal type: an object as an object type of its keys (on one line, as
 * prettier keeps a type literal written on one), an array as a tuple.
 */
function literalType(value: JsonValue): string {
  return typeof value === "string" ? stringLiteral(value) : nestedLiteralType(value);
}

/** Strings inside an object or tuple are in prettier's quotes, so that prettier can skip the line. */
function nestedLiteralType(value: JsonValue): string {
  if (typeof value === "string") return codeStringLiteral(value);
  if (Array.isArray(value)) return `[${value.map(nestedLiteralType).join(", ")}]`;
  if (value === null || typeof value !== "object") return jsonLiteral(value);
  const members = Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${nestedLiteralType(v)}`);
  return members.length > 0 ? `{ ${members.join("; ")} }` : "{}";
}

/**
 * An optional `constructor` or `toString` would reject every value that leaves it out, since the
 * value still has Object.prototype's; admitting that inherited member's type keeps them assignable.
 */
function propertyType(p: IrProperty, text = typeText(p.schema)): string {
  const key = p.key ?? p.name;
  if (p.required || !INHERITED_KEYS.has(key)) return text;
  return `${group(text, "union")} | ${NOT_IN_OBJECT_TYPE.get(key) ?? `Object[${stringLiteral(key)}]`}`;
}

/** Inherited members TypeScript's `Object` interface does not declare, by what they hold. */
const NOT_IN_OBJECT_TYPE = new Map([
  ["__proto__", "object | null"],
  ["__defineGetter__", "Function"],
  ["__defineSetter__", "Function"],
  ["__lookupGetter__", "Function"],
  ["__lookupSetter__", "Function"],
]);

/** An enum of no values: printed `never`. */
const NEVER: IrSchema = { kind: "enum", values: [] };

/**
 * The properties as the type lists them: a key a `not: { required: [key] }` rules out is
 * `key?: never`, declared or not.
 */
function typedProperties(schema: IrObject): IrProperty[] {
  const ruledOut = new Set((schema.notAllOf ?? []).filter((names) => names.length === 1).map(([name]) => name));
  if (ruledOut.size === 0) return schema.properties;
  const never = (p: IrProperty): IrProperty => ({ ...p, required: false, schema: NEVER });
  const declared = schema.properties.map((p) => (ruledOut.has(p.name) ? never(p) : p));
  const undeclared = [...ruledOut].filter((name) => !schema.properties.some((p) => p.name === name));
  return [...declared, ...undeclared.map((name) => never({ name, required: false, schema: NEVER }))];
}

function objectLiteralType(schema: IrObject, layout = false): string {
  const lines = typedProperties(schema).map((p) => {
    const type = propertyText(p, layout);
    return `${docComment(docFor(p.meta))}${propertyKey(p.key ?? p.name)}${p.required ? "" : "?"}:${type.startsWith("\n") ? "" : " "}${type};`;
  });
  const index = indexSignatureType(schema);
  if (index) lines.push(`[key: string]: ${index};`);
  // Members indented under the brace, so the text is laid out relative to the line it starts on.
  const body = lines.length > 0 ? `{\n${indent(lines.join("\n"))}\n}` : "{}";
  return schema.extends.length > 0 ? [...schema.extends, body].join(" & ") : body;
}

/** Property types must fit the index signature, so the signature admits them too. */
function indexSignatureType(schema: IrObject): string | undefined {
  if (schema.additionalProperties === false) return undefined;
  if (schema.additionalProperties === true) return "unknown";
  const types = new Set([typeText(schema.additionalProperties)]);
  for (const p of schema.properties) {
    types.add(typeText(p.schema));
    if (!p.required) types.add("undefined");
  }
  return [...types].join(" | ");
}

/**
 * A `format: binary` string (a file in a multipart body): what the runtime uploads, including what
 * Node's `fs.createReadStream` (an async iterable of bytes) and `fs.openAsBlob` give.
 */
export const UPLOAD_TYPE = "Blob | File | Uint8Array | ArrayBuffer | ReadableStream | AsyncIterable<Uint8Array>";

const typePrinters = {
  primitive: (s) => (s.type === "integer" ? "number" : s.type === "string" && s.format === "binary" ? UPLOAD_TYPE : s.type),
  literal: (s) => literalType(s.value),
  enum: (s) => s.values.map(literalType).join(" | ") || "never",
  array: (s) => `${group(typeText(s.items), "array")}[]`,
  object: (s, layout) => objectLiteralType(s, layout),
  map: (s) => `{ [key: string]: ${typeText(s.values)} }`,
  union: (s, layout) => {
    const members = [...new Set(s.members.map((m) => (s.openStrings && m.kind === "primitive" && m.type === "string" && m.format !== "binary" ? "(string & {})" : group(typeText(m, layout && m.kind !== "union"), "union"))))];
    // A nested union stays flat: prettierShaped leaves its declaration to prettier.
    return layout && members.some(multiLine) ? brokenUnion(members) : members.join(" | ");
  },
  intersection: (s, layout) => s.members.map((m) => group(typeText(m, layout), "intersection")).join(" & "),
  ref: (s) => s.name,
  nullable: (s) => (s.inner.kind === "unknown" ? "unknown" : `${group(typeText(s.inner), "union")} | null`),
  unknown: () => "unknown",
} satisfies { [K in IrKind]: TypePrinter<K> };

export function typeText(schema: IrSchema, layout = false): string {
  return (typePrinters[schema.kind] as TypePrinter<typeof schema.kind>)(schema as never, layout);
}

/**
 * A union with an object literal member, as prettier prints it after `=` or `:`: from the next
 * line, one member per line after `| `, a member's later lines four columns in (its closing brace
 * two). The text starts with the line break, so the line before it ends at the `=` or `:`.
 */
function brokenUnion(members: string[]): string {
  return members.map((m) => `\n  | ${m.replace(/\n/g, "\n    ")}`).join("");
}

/**
 * A property's type text, laid out with `layout` unless `propertyType` adds a member to it (an
 * inherited key's), which a broken union has no place for: that declaration goes to prettier.
 */
function propertyText(p: IrProperty, layout: boolean): string {
  const text = typeText(p.schema, layout);
  return propertyType(p, text) === text || !text.startsWith("\n") ? propertyType(p, text) : propertyType(p);
}

/** Whether a type's text holds an object literal, which typeText prints over several lines. */
function multiLine(text: string): boolean {
  return text.includes("{\n");
}

/**
 * Whether typeText lays a type out as prettier does: each object literal in it is a whole property
 * or alias type (joined to at most one name by `&`), never inside a union, an array or a map, where
 * prettier indents it its own way.
 */
function prettierShaped(schema: IrSchema): boolean {
  // Prettier keeps `A & {` and `} & A` together, but puts a second name on a line of its own.
  if (schema.kind === "intersection") {
    const [a, b, ...rest] = schema.members;
    const literal = a?.kind === "object" ? a : b?.kind === "object" ? b : undefined;
    const other = literal === a ? b : a;
    return rest.length === 0 && other?.kind === "ref" && literal !== undefined && literal.extends.length === 0 && prettierShaped(literal);
  }
  // Prettier breaks a union with an object literal member as brokenUnion does.
  if (schema.kind === "union") return schema.members.every((m) => (m.kind === "object" || m.kind === "intersection" ? prettierShaped(m) : !multiLine(typeText(m))));
  if (schema.kind !== "object") return !multiLine(typeText(schema));
  return (
    schema.extends.length <= 1 &&
    schema.properties.every((p) => {
      const text = typeText(p.schema);
      return prettierShaped(p.schema) && !(multiLine(text) && propertyType(p, text) !== text);
    }) &&
    !multiLine(indexSignatureType(schema) ?? "")
  );
}

/**
 * The declaration printed: multi-line types of prettier's shape are put in after printing (see
 * printWithTypes); a declaration with any other multi-line type is left for prettier to lay out.
 */
function printedDeclaration(decl: IrDeclaration): string | StatementStructures | Reformat {
  const structure = declarationStructure(decl);
  const types: string[] = [];
  const place = (text: string): string => (types.push(text), typePlaceholder(types.length - 1));
  if (structure.kind === StructureKind.TypeAlias) {
    if (!multiLine(structure.type as string)) return structure;
    return prettierShaped(decl.schema) ? printWithTypes({ ...structure, type: place(structure.type as string) }, types) : { reformat: structure };
  }
  // The structure's types are already printed: read them rather than print them again.
  const typed = (t: unknown): boolean => typeof t === "string" && multiLine(t);
  if (!(structure.properties ?? []).some((p) => typed(p.type)) && !(structure.indexSignatures ?? []).some((i) => typed(i.returnType))) return structure;
  if (!prettierShaped(decl.schema)) return { reformat: structure };
  const properties = (structure.properties ?? []).map((p) => (multiLine(p.type as string) ? { ...p, type: place(p.type as string) } : p));
  return printWithTypes({ ...structure, properties }, types);
}

function jsDocs(doc: Doc | undefined): JSDocStructure[] | undefined {
  return doc ? [{ kind: StructureKind.JSDoc, description: doc.description || undefined, tags: doc.tags.map((t) => ({ kind: StructureKind.JSDocTag, ...t })) }] : undefined;
}

function declarationDoc(decl: IrDeclaration): Doc | undefined {
  return withNotes(docFor(decl.meta ?? decl.schema.meta), typeNotes(decl.schema));
}

export function declarationStructure(decl: IrDeclaration): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
  const schema = decl.schema;
  const docs = jsDocs(declarationDoc(decl));
  if (schema.kind === "object") {
    const index = indexSignatureType(schema);
    return {
      kind: StructureKind.Interface,
      name: decl.name,
      isExported: true,
      docs,
      extends: schema.extends,
      properties: typedProperties(schema).map((p) => {
        const name = propertyKey(p.key ?? p.name);
        return {
          kind: StructureKind.PropertySignature,
          name,
          hasQuestionToken: !p.required,
          type: propertyText(p, true),
          docs: jsDocs(docFor(p.meta)),
        };
      }),
      indexSignatures: index ? [{ kind: StructureKind.IndexSignature, keyName: "key", keyType: "string", returnType: index }] : [],
    };
  }
  return { kind: StructureKind.TypeAlias, name: decl.name, isExported: true, docs, type: typeText(schema, true) };
}

export function emitTypes(ir: IrDocument): EmittedFile {
  const header = `Types for ${ir.title}${ir.apiVersion ? ` ${ir.apiVersion}` : ""}, generated by openapi-morph from the OpenAPI document. Do not edit by hand: regenerate.`;
  // With no schemas the file must still be a module: index.ts re-exports it.
  const statements = ir.declarations.map(printedDeclaration);
  return printFile("types.ts", header, statements.length > 0 ? statements : ["export {};"]);
}
