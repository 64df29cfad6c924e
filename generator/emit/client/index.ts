import { StructureKind, type InterfaceDeclarationStructure, type StatementStructures } from "ts-morph";
import type { IrDocument, IrOperation, IrPagination, IrParameter, IrSchema } from "../../ir/types";
import { docFor, type Doc } from "../docs";
import { INHERITED_KEYS } from "../../ir/identifiers";
import { escapeJsDoc, isPlainIdentifier, jsonLiteral, propertyKey, stringLiteral } from "../escape";
import { assignFunction, indent, layoutLongLines, PRINT_WIDTH } from "../layout";
import { NOCHECK, printFile, siblingModule, type EmittedFile } from "../print";
import type { ImportExtension } from "../../define-config";
import { typeText } from "../declarations";
import { wirePlans, type WirePlans } from "../wire-plans";
import { headerExpression, pathStylesField, queryStyleFields, serverDefaultsField, serverVariablesType } from "./params";

/** Names the generated client refers to by reference (for `import type`). */
function collectRefs(schema: IrSchema | undefined, out: Set<string>): void {
  if (!schema) return;
  switch (schema.kind) {
    case "ref":
      out.add(schema.name);
      return;
    case "nullable":
      return collectRefs(schema.inner, out);
    case "array":
      return collectRefs(schema.items, out);
    case "map":
      return collectRefs(schema.values, out);
    case "object":
      schema.extends.forEach((e) => out.add(e));
      schema.properties.forEach((p) => collectRefs(p.schema, out));
      if (typeof schema.additionalProperties === "object") collectRefs(schema.additionalProperties, out);
      return;
    case "union":
    case "intersection":
      schema.members.forEach((m) => collectRefs(m, out));
      return;
    case "primitive":
    case "literal":
    case "enum":
    case "unknown":
      return;
  }
}

const RESERVED_LOCALS = new Set(["options", "params", "body", "result", "DEFAULTS"]);

/** A path parameter's local variable: its name when that is a plain identifier, else a safe one. */
function localName(p: IrParameter, index: number): string {
  const ident = isPlainIdentifier(p.name) ? p.name : p.name.replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^[0-9]/, "_$&");
  const name = ident || `param${index}`;
  return RESERVED_LOCALS.has(name) || RESERVED_JS.has(name) ? `${name}_` : name;
}

/**
 * Where each parameter lives in the generated signature: path parameters as positional locals
 * (numbered when two sanitise alike), query and header parameters as keys of one params object
 * (a header named like a query parameter gets a `_header` suffix), and the body under `body`
 * unless a parameter already took that key.
 */
interface Layout {
  pathLocals: string[];
  keys: Map<IrParameter, string>;
  bodyKey: string;
}

/** `base`, or `base2`, `base3`… : the first that `taken` lacks, which it then holds. */
function claim(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

function layoutOf(op: IrOperation): Layout {
  const usedLocals = new Set<string>();
  const pathLocals = op.pathParams.map((p, i) => claim(localName(p, i), usedLocals));
  const keys = new Map<IrParameter, string>();
  const usedKeys = new Set<string>();
  for (const p of [...op.queryParams, ...op.headerParams]) keys.set(p, claim(usedKeys.has(p.name) ? `${p.name}_${p.in}` : p.name, usedKeys));
  const bodyKey = claim(usedKeys.has("body") ? "requestBody" : "body", usedKeys);
  return { pathLocals, keys, bodyKey };
}

const RESERVED_JS = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(" "),
);

interface Signature {
  /** `(a: string, params: P, options?: RequestOptions)` without parentheses. */
  parameters: string;
  /** The same names, for forwarding. */
  args: string[];
  resultType: string;
  paramsOptional: boolean;
  layout: Layout;
}

function signatureOf(op: IrOperation): Signature {
  const parts: string[] = [];
  const args: string[] = [];
  const layout = layoutOf(op);
  op.pathParams.forEach((p, i) => {
    const local = layout.pathLocals[i];
    parts.push(`${local}: ${typeText(p.schema)}`);
    args.push(local);
  });
  let paramsOptional = true;
  if (op.paramsType) {
    paramsOptional = op.queryParams.every((p) => !p.required) && op.headerParams.every((p) => !p.required) && !op.requestBody?.required;
    parts.push(`params${paramsOptional ? "?" : ""}: ${op.paramsType}`);
    args.push("params");
  } else if (op.requestBody) {
    paramsOptional = !op.requestBody.required;
    parts.push(`body${paramsOptional ? "?" : ""}: ${typeText(op.requestBody.schema)}`);
    args.push("body");
  }
  parts.push("options?: RequestOptions");
  args.push("options");
  const resultType = op.response.schema ? typeText(op.response.schema) : "void";
  return { parameters: parts.join(", "), args, resultType, paramsOptional, layout };
}

type Tag = Doc["tags"][number];

/** `@param` tags for the path parameters, the only positional ones. */
function pathParamTags(op: IrOperation, sig: Signature): Tag[] {
  return op.pathParams.map((p, i) => ({ tagName: "param", text: escapeJsDoc(`${sig.layout.pathLocals[i]} ${p.meta?.description ?? ""}`.trim()) }));
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

function operationDoc(op: IrOperation, sig: Signature, streamName: string | undefined): Doc {
  const tags = pathParamTags(op, sig);
  const exampleArgs = op.pathParams.map((p) => {
    const ex = p.meta?.examples?.[0] ?? (p.schema.meta?.examples?.[0]);
    return ex !== undefined ? jsonLiteral(ex) : stringLiteral(`<${p.name}>`);
  });
  if (op.paramsType && !sig.paramsOptional) exampleArgs.push("{ ... }");
  else if (!op.paramsType && op.requestBody?.required) exampleArgs.push("{ ... }");
  const call = `await ${op.name}(${exampleArgs.join(", ")})`;
  tags.push(exampleTag(op.response.schema ? `const result = ${call};` : `${call};`));
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
function streamDocOf(op: IrOperation, sig: Signature, streamName: string, eventType: string): Doc {
  const args = [...op.pathParams.map((p) => stringLiteral(`<${p.name}>`)), ...(op.paramsType || op.requestBody ? ["{ ... }"] : [])];
  const tags = [...pathParamTags(op, sig), exampleTag(`for await (const event of await ${streamName}(${args.join(", ")})) {\n  console.log(event);\n}`)];
  const events = `the answer comes as server-sent events (\`text/event-stream\`), each a \`${eventType}\`, yielded as it arrives. Leaving the \`for await\` loop early closes the connection.`;
  const twin = streamName !== op.name;
  return functionDoc(op, twin ? [`Like {@link ${op.name}}, but ${events}`] : [...specText(op), `The ${events.slice(4)}`], tags);
}

function docText(doc: Doc): string {
  const lines = doc.description ? doc.description.split("\n") : [];
  for (const t of doc.tags) lines.push(...`@${t.tagName}${t.text ? ` ${t.text}` : ""}`.split("\n").map((l) => l.trimEnd()));
  return `/**\n${lines.map((l) => (l ? ` * ${l}` : " *")).join("\n")}\n */`;
}

function paramsInterface(op: IrOperation, { layout }: Signature): InterfaceDeclarationStructure {
  const props = [...op.queryParams, ...op.headerParams].map((p) => ({
    kind: StructureKind.PropertySignature as const,
    name: propertyKey(layout.keys.get(p)!),
    hasQuestionToken: !p.required,
    type: typeText(p.schema),
    docs: (() => {
      const d = docFor(p.meta, p.in === "header" ? [{ tagName: "remarks", text: "Sent as a request header." }] : []);
      return d ? [{ kind: StructureKind.JSDoc as const, description: d.description || undefined, tags: d.tags.map((t) => ({ kind: StructureKind.JSDocTag as const, ...t })) }] : undefined;
    })(),
  }));
  if (op.requestBody) {
    props.push({
      kind: StructureKind.PropertySignature,
      name: layout.bodyKey,
      hasQuestionToken: !op.requestBody.required,
      type: typeText(op.requestBody.schema),
      docs: op.requestBody.description ? [{ kind: StructureKind.JSDoc, description: escapeJsDoc(op.requestBody.description), tags: [] }] : undefined,
    });
  }
  return {
    kind: StructureKind.Interface,
    name: op.paramsType!,
    isExported: true,
    docs: [{ kind: StructureKind.JSDoc, description: `Parameters of {@link ${op.name}}.`, tags: [] }],
    properties: props,
  };
}

/** How the `…Stream` variant of an operation differs: each event's schema, and the body flag that asks for a stream. */
interface StreamVariant {
  eventSchema: IrSchema | undefined;
  /** Its type's text: `unknown` without a schema. */
  eventType: string;
  /** The body property set to `true` (OpenAI's `stream`), when the body has one. */
  flag: string | undefined;
}

function callExpression(
  op: IrOperation,
  sig: Signature,
  validatorFor: (schema: IrSchema | undefined) => string | undefined,
  plans: WirePlans,
  converters: Set<"fromWire" | "toWire" | "headerValue">,
  stream?: StreamVariant,
): string {
  const fields: string[] = [`method: ${stringLiteral(op.method)}`, `path: ${stringLiteral(op.path)}`];
  // Values whose keys are renamed (`--naming camel`) are converted; parameter names stay as the spec has them.
  const toWire = (value: string, schema: IrSchema) => {
    const plan = plans.expressionFor(schema);
    if (!plan) return value;
    converters.add("toWire");
    return `toWire(${value}, ${plan})`;
  };
  const { layout } = sig;
  if (op.pathParams.length > 0) {
    // A template naming one parameter twice still passes it once.
    const seen = new Set<string>();
    const entries = op.pathParams.flatMap((p, i) => {
      if (seen.has(p.name)) return [];
      seen.add(p.name);
      const local = layout.pathLocals[i];
      return [p.name === local ? local : `${propertyKey(p.name)}: ${local}`];
    });
    fields.push(`pathParams: { ${entries.join(", ")} }`);
    const styles = pathStylesField(op.pathParams);
    if (styles) fields.push(styles);
  }
  const source = "params";
  const access = (name: string) => {
    // Reading an inherited key from a params object that lacks it must not find Object.prototype's.
    if (INHERITED_KEYS.has(name)) {
      return `(${source} !== undefined && Object.prototype.hasOwnProperty.call(${source}, ${stringLiteral(name)}) ? ${source}[${stringLiteral(name)}] : undefined)`;
    }
    return isPlainIdentifier(name)
      ? `${source}${sig.paramsOptional ? "?." : "."}${name}`
      : `${source}${sig.paramsOptional ? "?." : ""}[${stringLiteral(name)}]`;
  };
  if (op.queryParams.length > 0) {
    const items = op.queryParams.map((p) => `{ name: ${stringLiteral(p.name)}, value: ${toWire(access(layout.keys.get(p)!), p.schema)}${queryStyleFields(p)} }`);
    // Prettier always breaks an array of two or more objects, and with it the call around it.
    fields.push(items.length > 1 ? `query: [\n${items.map((i) => `        ${i},`).join("\n")}\n      ]` : `query: [${items.join(", ")}]`);
  }
  if (op.requestBody) {
    const value = op.paramsType ? access(layout.bodyKey) : "body";
    fields.push(`body: ${toWire(stream?.flag ? `{ ...${value}, ${propertyKey(stream.flag)}: true }` : value, op.requestBody.schema)}`);
  }
  const responseSchema = stream ? stream.eventSchema : op.response.schema;
  const decode = plans.expressionFor(responseSchema);
  if (decode) {
    converters.add("fromWire");
    fields.push(`decode: (wire) => fromWire(wire, ${decode})`);
  }
  const validator = validatorFor(responseSchema);
  if (validator) fields.push(`validate: ${validator}`);
  let opts = "options";
  if (op.headerParams.length > 0) {
    // An absent header parameter adds nothing: `undefined` in headers would delete a header the options set.
    const headers = op.headerParams.map((p) => {
      const value = access(layout.keys.get(p)!);
      const header = headerExpression(p, value);
      if (header.usesRuntime) converters.add("headerValue");
      return `...(${value} === undefined ? {} : { ${stringLiteral(p.name)}: ${header.text} })`;
    });
    opts = `mergeOptions({ headers: { ${headers.join(", ")} } }, options)`;
  }
  const defaults = op.auth === "none" ? "{ ...DEFAULTS, auth: \"none\" }" : "DEFAULTS";
  const callee = stream ? `streamOperation<${stream.eventType}>` : `callOperation<${sig.resultType}>`;
  return returnCall(callee, defaults, fields, opts);
}

/** How a paginated list's `…All` function reads each page. */
interface Pager {
  itemSchema: IrSchema;
  itemType: string;
  /** Reads of `page` (the list's answer): its items, whether more follow, the next cursor. */
  items: (page: string) => string;
  more: (page: string) => string;
  next: (page: string) => string;
}

/** What the IR says of a paginated list, as reads of its answer. */
function pagerOf(op: IrOperation): Pager | undefined {
  const pagination = op.pagination;
  if (!pagination) return undefined;
  const member = (key: string): string => (isPlainIdentifier(key) ? `.${key}` : `[${stringLiteral(key)}]`);
  const items = (p: string): string => `${p}${member(pagination.data)}`;
  const cursor = (p: string, c: IrPagination["cursors"][number]): string =>
    c.from === "page" ? `${p}${member(c.key)}` : `${items(p)}[${items(p)}.length - 1]?.${isPlainIdentifier(c.key) ? c.key : `[${stringLiteral(c.key)}]`}`;
  return {
    itemSchema: pagination.items,
    itemType: typeText(pagination.items),
    items,
    more: (p) => `${p}${member(pagination.hasMore)}`,
    // The page's own cursor first; its last item's id when the page leaves the cursor out.
    next: (p) => pagination.cursors.map((c) => cursor(p, c)).join(" ?? "),
  };
}

/** `…All`: every item of a paginated list, fetching page after page as the loop reads on. */
function pagedFunction(op: IrOperation, sig: Signature, pager: Pager, name: string, doc: string): string {
  const taken = new Set(sig.args);
  const [after, query, page] = [claim("after", taken), claim("query", taken), claim("page", taken)];
  const args = sig.args.map((a) => (a === "params" ? query : a));
  // Laid out as prettier does: the call's arguments, then the object's fields, one per line when too long.
  const call = `    const ${page} = await ${op.name}(${args.join(", ")});`;
  const fields = [`items: ${pager.items(page)}`, `more: ${pager.more(page)}`, `next: ${pager.next(page)}`];
  const result = `    return { ${fields.join(", ")} };`;
  return (
    `${doc}\n${layoutLongLines(`export function ${name}(${sig.parameters}): AsyncGenerator<${pager.itemType}> {`)}\n` +
    `  return paginate(async (${after}) => {\n` +
    `${layoutLongLines(`    const ${query} = ${after} === undefined ? params : { ...params, ${after === "after" ? after : `after: ${after}`} };`)}\n` +
    `${call.length <= PRINT_WIDTH ? call : `    const ${page} = await ${op.name}(\n${args.map((a) => `      ${a},`).join("\n")}\n    );`}\n` +
    `${result.length <= PRINT_WIDTH ? result : `    return {\n${fields.map((f) => `      ${f},`).join("\n")}\n    };`}\n` +
    `  });\n}`
  );
}

/** The doc of a list's `…All` function. */
function pagedDocOf(op: IrOperation, sig: Signature, name: string): Doc {
  const args = op.pathParams.map((p) => stringLiteral(`<${p.name}>`));
  const tags = [...pathParamTags(op, sig), exampleTag(`for await (const item of ${name}(${args.join(", ")})) {\n  console.log(item);\n}`)];
  const text = `Every item of {@link ${op.name}}, page after page: each next page is the one \`after\` the cursor of the page before, asked for only when the loop has read that far and the API says it \`has_more\`.`;
  return functionDoc(op, [text], tags);
}


/**
 * `return callee(defaults, { fields }, opts);` in a function body, as prettier prints it: on one
 * line when it fits, else one argument per line, the object's fields too when its line is still
 * too long or a field spans lines.
 */
function returnCall(callee: string, defaults: string, fields: string[], opts: string): string {
  const object = `{ ${fields.join(", ")} }`;
  const multiLine = fields.some((f) => f.includes("\n"));
  const line = `  return ${callee}(${defaults}, ${object}, ${opts});`;
  if (line.length <= PRINT_WIDTH && !multiLine) return line;
  const objectLine = `    ${object},`;
  const objectLines = objectLine.length > PRINT_WIDTH || multiLine ? `    {\n${fields.map((f) => `      ${f},`).join("\n")}\n    },` : objectLine;
  return `  return ${callee}(\n    ${defaults},\n${objectLines}\n    ${opts},\n  );`;
}

/** `return name.withResponse(args).then(…)`, broken into a member chain when too long, as prettier does. */
function returnData(name: string, args: string[]): string {
  const line = `  return ${name}.withResponse(${args.join(", ")}).then((result) => result.data);`;
  return line.length <= PRINT_WIDTH ? line : `  return ${name}\n    .withResponse(${args.join(", ")})\n    .then((result) => result.data);`;
}

export interface ClientEmitOptions {
  validators: boolean;
  importExtension?: ImportExtension;
}

export function emitClient(ir: IrDocument, options: ClientEmitOptions): EmittedFile {
  const ops = ir.operations.filter((op) => !op.unsupported);
  const plans = wirePlans(ir, ops);
  // The runtime's helpers the calls use: key conversion (`--naming camel`) and header serialisation.
  const converters = new Set<"fromWire" | "toWire" | "headerValue">();
  const refs = new Set<string>();
  for (const op of ops) {
    op.pathParams.forEach((p) => collectRefs(p.schema, refs));
    [...op.queryParams, ...op.headerParams].forEach((p) => collectRefs(p.schema, refs));
    collectRefs(op.requestBody?.schema, refs);
    collectRefs(op.response.schema, refs);
  }
  const nullableDecls = new Set(ir.declarations.filter((d) => d.nullable).map((d) => d.name));
  const validators = new Set<string>();
  // Only named responses have a validator of their own; others pass through unchecked.
  const validatorFor = (schema: IrSchema | undefined): string | undefined => {
    if (!options.validators || !schema) return undefined;
    const target = schema.kind === "nullable" ? schema.inner : schema;
    if (target.kind !== "ref" || (schema.kind === "nullable" && !nullableDecls.has(target.name))) return undefined;
    validators.add(`validate${target.name}`);
    return `validate${target.name}`;
  };

  const statements: (string | StatementStructures)[] = [];
  const body: (string | StatementStructures)[] = [];
  const clientMembers: string[] = [];
  const clientImpl: string[] = [];
  const pushStream = (op: IrOperation, sig: Signature, streamName: string): void => {
    const eventSchema = op.response.eventStream?.schema;
    const eventType = eventSchema ? typeText(eventSchema) : "unknown";
    collectRefs(eventSchema, refs);
    const streamDoc = docText(streamDocOf(op, sig, streamName, eventType));
    body.push(
      `${streamDoc}\n${layoutLongLines(`export function ${streamName}(${sig.parameters}): Promise<EventStream<${eventType}>> {`)}\n` +
        `${callExpression(op, sig, validatorFor, plans, converters, { eventSchema, eventType, flag: op.response.eventStream?.bodyFlag })}\n}`,
    );
    clientMembers.push(indent(`${streamDoc}\n${streamName}: typeof ${streamName};`));
    clientImpl.push(`    ${streamName}: bind(${streamName}, ${sig.args.length - 1}),`);
  };
  const names = new Set(ops.map((op) => op.name));
  let paged = false;
  // An operation that can also stream gets a `…Stream` twin, unless an operation has that name;
  // one that only streams has its own name.
  const streamNameOf = (op: IrOperation): string | undefined => {
    if (!op.response.eventStream) return undefined;
    if (!op.response.schema) return op.name;
    return names.has(`${op.name}Stream`) ? undefined : `${op.name}Stream`;
  };
  for (const op of ops) {
    const sig = signatureOf(op);
    const streamName = streamNameOf(op);
    if (op.paramsType) body.push(paramsInterface(op, sig));
    if (streamName === op.name) {
      pushStream(op, sig, streamName);
      continue;
    }
    const doc = docText(operationDoc(op, sig, streamName));
    body.push(
      `${doc}\n${layoutLongLines(`export function ${op.name}(${sig.parameters}): Promise<${sig.resultType}> {`)}\n` +
        `${returnData(op.name, sig.args)}\n}`,
      `/** Like {@link ${op.name}}, resolving to the data together with the raw \`Response\` and the request id. */\n` +
        assignFunction(
          `${op.name}.withResponse`,
          `function ${op.name}WithResponse(${sig.parameters}): Promise<APIResult<${sig.resultType}>> {\n${callExpression(op, sig, validatorFor, plans, converters)}\n}`,
        ),
    );
    clientMembers.push(indent(`${doc}\n${op.name}: typeof ${op.name};`));
    clientImpl.push(`    ${op.name}: bind(${op.name}, ${sig.args.length - 1}),`);
    if (streamName) pushStream(op, sig, streamName);
    const pager = pagerOf(op);
    const pagedName = `${op.name}All`;
    if (pager && !names.has(pagedName) && streamName !== pagedName) {
      paged = true;
      collectRefs(pager.itemSchema, refs);
      const pagedDoc = docText(pagedDocOf(op, sig, pagedName));
      body.push(pagedFunction(op, sig, pager, pagedName, pagedDoc));
      clientMembers.push(indent(`${pagedDoc}\n${pagedName}: typeof ${pagedName};`));
      clientImpl.push(`    ${pagedName}: bind(${pagedName}, ${sig.args.length - 1}),`);
    }
  }
  const streams = ops.some((op) => streamNameOf(op) !== undefined);
  const json = ops.some((op) => streamNameOf(op) !== op.name);

  // A spec without operations still gets `Client` and `createClient`, and nothing unused.
  const hasOps = ops.length > 0;
  const runtimeImports = [
    ...(json ? ["callOperation"] : []),
    ...(converters.has("fromWire") ? ["fromWire"] : []),
    ...(converters.has("headerValue") ? ["headerValue"] : []),
    ...(ops.some((op) => op.headerParams.length > 0) ? ["mergeOptions"] : []),
    "operationBinder",
    ...(paged ? ["paginate"] : []),
    ...(streams ? ["streamOperation"] : []),
    ...(converters.has("toWire") ? ["toWire"] : []),
    ...(json ? ["type APIResult"] : []),
    "type ClientOptions",
    ...(streams ? ["type EventStream"] : []),
    "type RequestOptions",
    "type RuntimeDefaults",
    ...(plans.statements.length > 0 ? ["type WirePlan"] : []),
  ];
  if (hasOps) statements.push(NOCHECK);
  const sibling = (name: string) => siblingModule(name, options.importExtension);
  statements.push(hasOps ? layoutLongLines(`import { ${runtimeImports.join(", ")} } from "${sibling("runtime")}";`) : `import type { ClientOptions } from "${sibling("runtime")}";`);
  if (refs.size > 0) statements.push(layoutLongLines(`import type { ${[...refs].sort().join(", ")} } from "${sibling("types")}";`));
  if (validators.size > 0) statements.push(layoutLongLines(`import { ${[...validators].sort().join(", ")} } from "${sibling("validators")}";`));
  const variablesType = serverVariablesType(ir);
  if (variablesType) statements.push(variablesType);
  const clientOptionsType = ir.serverVariables ? `ClientOptions<${ir.serverVariables.typeName}>` : "ClientOptions";
  if (hasOps) {
    const serverDefaults = serverDefaultsField(ir);
    const defaults = [`baseURL: ${stringLiteral(ir.baseURL)}`, ...(serverDefaults ? [serverDefaults] : []), `apiKeyEnv: ${stringLiteral(ir.apiKeyEnv)}`, `auth: ${stringLiteral(ops.some((o) => o.auth === "bearer") ? "bearer" : "none")}`];
    const line = `const DEFAULTS: RuntimeDefaults = { ${defaults.join(", ")} };`;
    statements.push(
      `/** Where requests go and how they authenticate, from the spec's \`servers\` and \`security\`. */\n` +
        (line.length <= PRINT_WIDTH ? line : `const DEFAULTS: RuntimeDefaults = {\n${defaults.map((d) => `  ${d},`).join("\n")}\n};`),
    );
  }
  statements.push(...body);
  statements.push(
    `/** Every operation of ${escapeJsDoc(ir.title)}, bound to one set of options (merged under each call's). */\nexport interface Client ${hasOps ? `{\n${clientMembers.join("\n")}\n}` : "{}"}`,
    `/**\n * A client whose calls share options: API key, base URL, headers, timeout, retries, validation.\n * @example\n * \`\`\`ts\n * const client = createClient({ apiKey: "…", maxRetries: 3 });\n${ops[0] ? ` * const result = await client.${ops[0].name}(${ops[0].pathParams.map((p) => stringLiteral(`<${p.name}>`)).join(", ")});\n` : ""} * \`\`\`\n */\n` +
      (hasOps
        ? `export function createClient(clientOptions: ${clientOptionsType} = {}): Client {\n  const bind = operationBinder(clientOptions);\n  return {\n${clientImpl.join("\n")}\n  };\n}`
        : `export function createClient(_clientOptions: ${clientOptionsType} = {}): Client {\n  return {};\n}`),
  );
  statements.push(...plans.statements);
  const header = `Client for ${ir.title}${ir.apiVersion ? ` ${ir.apiVersion}` : ""}, generated by openapi-morph. Do not edit by hand: regenerate.`;
  return printFile("client.ts", header, statements);
}
