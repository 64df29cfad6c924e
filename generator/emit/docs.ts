import type { IrMeta } from "../ir/types";
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
