/** The JSDoc of each generated client function: the spec's text, the endpoint, `@param`, `@example`, `@remarks`. */
import type { IrOperation } from "../../ir/types";
import type { Doc } from "../docs";
import { escapeJsDoc, jsonLiteral, stringLiteral } from "../escape";
import type { Signature } from "./signature";
import { bodyRemark, responseRemark } from "./media";

export type Tag = Doc["tags"][number];

/** `@param` tags for the path parameters, the only positional ones. */
function pathParamTags(op: IrOperation, sig: Signature): Tag[] {
  return op.pathParams.map((p, i) => ({ tagName: "param", text: escapeJsDoc(`${sig.placement.pathLocals[i]} ${p.meta?.description ?? ""}`.trim()) }));
}

/** An `@example` tag holding a TypeScript code block. */
function exampleTag(code: string): Tag {
  return { tagName: "example", text: `\n${escapeJsDoc(`\`\`\`ts\n${code}\n\`\`\``)}` };
}

/** The spec's summary and description, each once. */
function specText(op: IrOperation): string[] {
  return [...new Set([op.summary, op.description].filter((t): t is string => !!t && t.trim() !== ""))];
}

/** A function's doc: its text, then the endpoint, then its tags (and `@deprecated`, when the operation is). */
function functionDoc(op: IrOperation, text: string[], tags: Tag[]): Doc {
  if (op.deprecated) tags.push({ tagName: "deprecated", text: "" });
  return { description: escapeJsDoc([...text, `\`${op.method} ${op.path}\``].join("\n\n")), tags };
}

export function operationDoc(op: IrOperation, sig: Signature, streamName: string | undefined): Doc {
  const tags = pathParamTags(op, sig);
  const exampleArgs = op.pathParams.map((p) => {
    const ex = p.meta?.examples?.[0] ?? (p.schema.meta?.examples?.[0]);
    return ex !== undefined ? jsonLiteral(ex) : stringLiteral(`<${p.name}>`);
  });
  if (op.paramsType && !sig.paramsOptional) exampleArgs.push("{ ... }");
  else if (!op.paramsType && op.requestBody?.required) exampleArgs.push("{ ... }");
  const call = `await ${op.name}(${exampleArgs.join(", ")})`;
  tags.push(exampleTag(sig.resultType !== "void" ? `const result = ${call};` : `${call};`));
  for (const remark of [bodyRemark(op), responseRemark(op, op.name)]) if (remark) tags.push({ tagName: "remarks", text: remark });
  if (streamName) {
    tags.push({ tagName: "remarks", text: `For the same answer as server-sent events, one at a time, call {@link ${streamName}}.` });
  } else if (op.response.eventStream) {
    tags.push({
      tagName: "remarks",
      text: "The API can also answer with server-sent events (`text/event-stream`), which this function does not read: leave streaming off.",
    });
  }
  return functionDoc(op, specText(op), tags);
}

/** The doc of a function that streams: an operation's `…Stream` twin, or the function of one that only streams. */
export function streamDocOf(op: IrOperation, sig: Signature, streamName: string, eventType: string): Doc {
  const args = [...op.pathParams.map((p) => stringLiteral(`<${p.name}>`)), ...(op.paramsType || op.requestBody ? ["{ ... }"] : [])];
  const tags = [...pathParamTags(op, sig), exampleTag(`for await (const event of await ${streamName}(${args.join(", ")})) {\n  console.log(event);\n}`)];
  const events = `the answer comes as server-sent events (\`text/event-stream\`), each a \`${eventType}\`, yielded as it arrives. Leaving the \`for await\` loop early closes the connection.`;
  const twin = streamName !== op.name;
  return functionDoc(op, twin ? [`Like {@link ${op.name}}, but ${events}`] : [...specText(op), `The ${events.slice(4)}`], tags);
}

export function docText(doc: Doc): string {
  const lines = doc.description ? doc.description.split("\n") : [];
  for (const t of doc.tags) lines.push(...`@${t.tagName}${t.text ? ` ${t.text}` : ""}`.split("\n").map((l) => l.trimEnd()));
  return `/**\n${lines.map((l) => (l ? ` * ${l}` : " *")).join("\n")}\n */`;
}

/** The doc of a list's `…All` function. */
export function pagedDocOf(op: IrOperation, sig: Signature, name: string): Doc {
  const args = op.pathParams.map((p) => stringLiteral(`<${p.name}>`));
  const tags = [...pathParamTags(op, sig), exampleTag(`for await (const item of ${name}(${args.join(", ")})) {\n  console.log(item);\n}`)];
  const text = `Every item of {@link ${op.name}}, page after page: each next page is the one \`after\` the cursor of the page before, asked for only when the loop has read that far and the API says it \`has_more\`.`;
  return functionDoc(op, [text], tags);
}

