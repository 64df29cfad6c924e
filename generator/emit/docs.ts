import type { IrMeta, IrObject, IrSchema } from "../ir/types";
import { escapeJsDoc, jsonLiteral } from "./escape";

export interface DocTag {
  tagName: string;
  text?: string;
}

export interface Doc {
  description: string;
  tags: DocTag[];
}

/** JSDoc for a type or property, from its spec metadata; `undefined` when the spec says nothing. */
export function docFor(meta: IrMeta | undefined, extra: DocTag[] = []): Doc | undefined {
  const tags: DocTag[] = [];
  if (meta?.format) tags.push({ tagName: "format", text: escapeJsDoc(meta.format) });
  if (meta?.default) tags.push({ tagName: "default", text: escapeJsDoc(jsonLiteral(meta.default.value)) });
  for (const ex of meta?.examples ?? []) tags.push({ tagName: "example", text: escapeJsDoc(jsonLiteral(ex)) });
  if (meta?.deprecated) tags.push({ tagName: "deprecated" });
  tags.push(...extra);
  const description = meta?.description ? escapeJsDoc(meta.description) : "";
  if (!description && tags.length === 0) return undefined;
  return { description, tags };
}

/** The same JSDoc as a comment block, for members printed inside a type literal. */
export function docComment(doc: Doc | undefined): string {
  if (!doc) return "";
  const lines = doc.description ? doc.description.split("\n") : [];
  for (const t of doc.tags) lines.push(`@${t.tagName}${t.text ? ` ${t.text}` : ""}`);
  return `/**\n${lines.map((l) => (l ? ` * ${l}` : " *")).join("\n")}\n */\n`;
}

/**
 * The objects a declaration's schema is made of at its top: itself, or an intersection's object
 * members (`ImageRefParam`: its properties beside a union of `required` lists).
 */
function topObjects(schema: IrSchema): IrObject[] {
  if (schema.kind === "object") return [schema];
  if (schema.kind === "intersection") return schema.members.flatMap((m) => (m.kind === "object" ? [m] : []));
  return [];
}

/** How the validators treat the unknown keys of a declaration whose spec says `additionalProperties: false`. */
export function unknownKeysOf(schema: IrSchema): "reject" | "strict" | undefined {
  const modes = topObjects(schema).map((o) => o.unknownKeys);
  return modes.includes("reject") ? "reject" : modes.includes("strict") ? "strict" : undefined;
}

/** What the spec rules out that a type cannot say, a short line each, for the declaration's JSDoc. */
export function typeNotes(schema: IrSchema): string[] {
  const notes: string[] = [];
  const mode = unknownKeysOf(schema);
  if (mode === "reject") notes.push("`additionalProperties: false`: the validators reject unknown properties.");
  if (mode === "strict") notes.push("`additionalProperties: false`, but only ever answered: the validators accept unknown properties unless `{ strict: true }`.");
  for (const o of topObjects(schema)) {
    for (const names of o.notAllOf ?? []) {
      // A single key is `key?: never` in the type itself.
      if (names.length < 2) continue;
      const keys = names.map((n) => `\`${o.properties.find((p) => p.name === n)?.key ?? n}\``);
      notes.push(escapeJsDoc(`Must not have ${keys.slice(0, -1).join(", ")} and ${keys[keys.length - 1]} together (\`not: { required }\`); the validators check it.`));
    }
  }
  return notes;
}

/** `doc` with the notes appended, a paragraph each. */
export function withNotes(doc: Doc | undefined, notes: string[]): Doc | undefined {
  if (notes.length === 0) return doc;
  return { description: [doc?.description ?? "", ...notes].filter(Boolean).join("\n\n"), tags: doc?.tags ?? [] };
}
