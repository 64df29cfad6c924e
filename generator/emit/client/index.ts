/**
 * The client emitter: one function per JSON operation (and its `…Stream` and `…All` twins), the
 * params interfaces, and `createClient`. signature.ts places the parameters, function-docs.ts
 * writes the JSDoc, calls.ts the request each function makes, pagination.ts the `…All` loops.
 */
import type { StatementStructures } from "ts-morph";
import { parametersOf } from "../../ir/children";
import type { IrDocument, IrOperation, IrSchema } from "../../ir/types";
import { escapeJsDoc, stringLiteral } from "../escape";
import { assignFunction, indent, layoutLongLines, PRINT_WIDTH } from "../layout";
import type { ImportExtension } from "../../define-config";
import type { EmittedFile } from "../file";
import { NOCHECK, printFile, siblingModule, type Reformat } from "../print";
import { typeText } from "../declarations";
import { wirePlans } from "../wire-plans";
import { signatureOf, type Signature } from "./signature";
import { docText, operationDoc, pagedDocOf, streamDocOf } from "./function-docs";
import { serverDefaultsField, serverVariablesType } from "./params";
import { paramsInterface } from "./params-type";
import { callExpression, returnData, returnRaw } from "./calls";
import { authenticationDoc, mediaFields, securityDefaults } from "./media";
import { pagedFunction, pagerOf } from "./pagination";
import { assertNever } from "../../util/assert-never";

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
    default:
      return assertNever(schema);
  }
}

/** The doc lines naming each security scheme's option, after a blank line; none without schemes. */
function authLines(ir: IrDocument): string {
  const lines = authenticationDoc(ir);
  if (lines.length === 0) return "";
  return ` *\n * Credentials (never logged), by the spec's security schemes:\n${lines.map((l) => ` * ${l}\n`).join("")}`;
}

/** `name: bind(name, n),` in `createClient`'s object, its arguments one per line when too long, as prettier prints it. */
function bindEntry(name: string, arity: number): string {
  const line = `    ${name}: bind(${name}, ${arity}),`;
  return line.length <= PRINT_WIDTH ? line : `    ${name}: bind(\n      ${name},\n      ${arity},\n    ),`;
}

export interface ClientEmitOptions {
  validators: boolean;
  importExtension?: ImportExtension;
}

export function emitClient(ir: IrDocument, options: ClientEmitOptions): EmittedFile {
  const ops = ir.operations.filter((op) => !op.unsupported);
  const plans = wirePlans(ir, ops);
  // The runtime's helpers the calls use: key conversion (`--naming camel`).
  const converters = new Set<"fromWire" | "toWire">();
  const refs = new Set<string>();
  for (const op of ops) {
    parametersOf(op).forEach((p) => collectRefs(p.schema, refs));
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

  const statements: (string | StatementStructures | Reformat)[] = [];
  const body: (string | StatementStructures | Reformat)[] = [];
  // A type printed over several lines (an object literal) in a function's head or a params
  // interface: the emitters have no layout for it, so prettier makes one.
  const pushFor = (types: unknown[], ...statements: (string | StatementStructures)[]): void => {
    const multiLine = types.some((t) => typeof t === "string" && t.includes("\n"));
    body.push(...statements.map((s) => (multiLine ? { reformat: s } : s)));
  };
  const clientMembers: string[] = [];
  const clientImpl: string[] = [];
  const pushStream = (op: IrOperation, sig: Signature, streamName: string): void => {
    const eventSchema = op.response.eventStream?.schema;
    const eventType = eventSchema ? typeText(eventSchema) : "unknown";
    collectRefs(eventSchema, refs);
    const streamDoc = docText(streamDocOf(op, sig, streamName, eventType));
    pushFor(
      [sig.parameters, eventType],
      `${streamDoc}\n${layoutLongLines(`export function ${streamName}(${sig.parameters}): Promise<EventStream<${eventType}>> {`)}\n` +
        `${callExpression(op, sig, validatorFor, plans, converters, mediaFields(op, ir).filter((f) => !f.startsWith("responseType:")), { eventSchema, eventType, flag: op.response.eventStream?.bodyFlag })}\n}`,
    );
    clientMembers.push(indent(`${streamDoc}\n${streamName}: typeof ${streamName};`));
    clientImpl.push(bindEntry(streamName, sig.args.length - 1));
  };
  const names = new Set(ops.map((op) => op.name));
  let paged = false;
  // An operation that can also stream gets a `…Stream` twin, unless an operation has that name;
  // one that only streams has its own name.
  const streamNameOf = (op: IrOperation): string | undefined => {
    if (!op.response.eventStream) return undefined;
    if (op.response.kind === "events") return op.name;
    return names.has(`${op.name}Stream`) ? undefined : `${op.name}Stream`;
  };
  for (const op of ops) {
    const sig = signatureOf(op);
    const streamName = streamNameOf(op);
    if (op.paramsType) {
      const params = paramsInterface(op, sig);
      pushFor((params.properties ?? []).map((p) => p.type), params);
    }
    if (streamName === op.name) {
      pushStream(op, sig, streamName);
      continue;
    }
    const doc = docText(operationDoc(op, sig, streamName));
    pushFor(
      [sig.parameters, sig.resultType],
      `${doc}\n${layoutLongLines(`export function ${op.name}(${sig.parameters}): Promise<${sig.resultType}> {`)}\n` +
        `${returnData(op.name, sig.args)}\n}`,
      `/** Like {@link ${op.name}}, resolving to the data together with the raw \`Response\` and the request id. */\n` +
        assignFunction(
          `${op.name}.withResponse`,
          `function ${op.name}WithResponse(${sig.parameters}): Promise<APIResult<${sig.resultType}>> {\n${callExpression(op, sig, validatorFor, plans, converters, mediaFields(op, ir))}\n}`,
        ),
      `/** Like {@link ${op.name}}, resolving to the raw \`Response\` as soon as a success's headers arrive, its body unread: for streaming a large answer. */\n` +
        assignFunction(
          `${op.name}.asResponse`,
          `function ${op.name}AsResponse(${sig.parameters}): Promise<Response> {\n${returnRaw(op.name, sig.args)}\n}`,
        ),
    );
    clientMembers.push(indent(`${doc}\n${op.name}: typeof ${op.name};`));
    clientImpl.push(bindEntry(op.name, sig.args.length - 1));
    if (streamName) pushStream(op, sig, streamName);
    const pager = pagerOf(op);
    const pagedName = `${op.name}All`;
    if (pager && !names.has(pagedName) && streamName !== pagedName) {
      paged = true;
      collectRefs(pager.itemSchema, refs);
      const pagedDoc = docText(pagedDocOf(op, sig, pagedName));
      pushFor([sig.parameters, typeText(pager.itemSchema)], pagedFunction(op, sig, pager, pagedName, pagedDoc));
      clientMembers.push(indent(`${pagedDoc}\n${pagedName}: typeof ${pagedName};`));
      clientImpl.push(bindEntry(pagedName, sig.args.length - 1));
    }
  }
  const streams = ops.some((op) => streamNameOf(op) !== undefined);
  const json = ops.some((op) => streamNameOf(op) !== op.name);

  // A spec without operations still gets `Client` and `createClient`, and nothing unused.
  const hasOps = ops.length > 0;
  const runtimeImports = [
    ...(json ? ["asResponseOptions", "callOperation"] : []),
    ...(converters.has("fromWire") ? ["fromWire"] : []),
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
    const defaults = [`baseURL: ${stringLiteral(ir.baseURL)}`, ...(serverDefaults ? [serverDefaults] : []), ...securityDefaults(ir)];
    const line = `const DEFAULTS: RuntimeDefaults = { ${defaults.join(", ")} };`;
    statements.push(
      `/** Where requests go and how they authenticate, from the spec's \`servers\` and \`security\`. */\n` +
        (line.length <= PRINT_WIDTH && !line.includes("\n") ? line : `const DEFAULTS: RuntimeDefaults = {\n${defaults.map((d) => `  ${d},`).join("\n")}\n};`),
    );
  }
  statements.push(...body);
  statements.push(
    `/** Every operation of ${escapeJsDoc(ir.title)}, bound to one set of options (merged under each call's). */\nexport interface Client ${hasOps ? `{\n${clientMembers.join("\n")}\n}` : "{}"}`,
    `/**\n * A client whose calls share options: API key, base URL, headers, timeout, retries, validation.\n${authLines(ir)} * @example\n * \`\`\`ts\n * const client = createClient({ apiKey: "…", maxRetries: 3 });\n${ops[0] ? ` * const result = await client.${ops[0].name}(${ops[0].pathParams.map((p) => stringLiteral(`<${p.name}>`)).join(", ")});\n` : ""} * \`\`\`\n */\n` +
      (hasOps
        ? `export function createClient(clientOptions: ${clientOptionsType} = {}): Client {\n  const bind = operationBinder(clientOptions);\n  return {\n${clientImpl.join("\n")}\n  };\n}`
        : `export function createClient(_clientOptions: ${clientOptionsType} = {}): Client {\n  return {};\n}`),
  );
  statements.push(...plans.statements);
  const header = `Client for ${ir.title}${ir.apiVersion ? ` ${ir.apiVersion}` : ""}, generated by openapi-morph. Do not edit by hand: regenerate.`;
  return printFile("client.ts", header, statements);
}

