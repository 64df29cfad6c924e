/** The body of a client function: the `callOperation`/`streamOperation` call, laid out as prettier prints it. */
import type { IrOperation, IrParameter, IrSchema } from "../../ir/types";
import { INHERITED_KEYS } from "../../ir/identifiers";
import { isPlainIdentifier, objectKey, stringLiteral } from "../escape";
import { PRINT_WIDTH } from "../layout";
import type { WirePlans } from "../wire-plans";
import type { Signature } from "./signature";
import { headerStyleFields, pathStylesField, queryStyleFields } from "./params";
import { readsJson } from "./media";

export interface StreamVariant {
  eventSchema: IrSchema | undefined;
  /** Its type's text: `unknown` without a schema. */
  eventType: string;
  /** The body property set to `true` (OpenAI's `stream`), when the body has one. */
  flag: string | undefined;
}

export function callExpression(
  op: IrOperation,
  sig: Signature,
  validatorFor: (schema: IrSchema | undefined) => string | undefined,
  plans: WirePlans,
  converters: Set<"fromWire" | "toWire">,
  media: string[],
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
  const { placement } = sig;
  if (op.pathParams.length > 0) {
    // A template naming one parameter twice still passes it once.
    const seen = new Set<string>();
    const entries = op.pathParams.flatMap((p, i) => {
      if (seen.has(p.name)) return [];
      seen.add(p.name);
      const local = placement.pathLocals[i];
      return [p.name === local ? local : `${objectKey(p.name)}: ${local}`];
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
  // Prettier always breaks an array of two or more objects, and with it the call around it.
  const list = (key: string, params: IrParameter[], style: (p: IrParameter) => string): void => {
    if (params.length === 0) return;
    const items = params.map((p) => `{ name: ${stringLiteral(p.name)}, value: ${toWire(access(placement.keys.get(p)!), p.schema)}${style(p)} }`);
    fields.push(items.length > 1 ? `${key}: [\n${items.map((i) => `        ${i},`).join("\n")}\n      ]` : `${key}: [${items.join(", ")}]`);
  };
  list("query", op.queryParams, queryStyleFields);
  list("headers", op.headerParams, headerStyleFields);
  list("cookies", op.cookieParams, queryStyleFields);
  if (op.requestBody) {
    const value = op.paramsType ? access(placement.bodyKey) : "body";
    fields.push(`body: ${toWire(stream?.flag ? `{ ...${value}, ${objectKey(stream.flag)}: true }` : value, op.requestBody.schema)}`);
  }
  fields.push(...media);
  // Only parsed JSON is converted and validated: not text, bytes or nothing.
  const responseSchema = stream ? stream.eventSchema : readsJson(op) ? op.response.schema : undefined;
  const decode = plans.expressionFor(responseSchema);
  if (decode) {
    converters.add("fromWire");
    fields.push(`decode: (wire) => fromWire(wire, ${decode})`);
  }
  const validator = validatorFor(responseSchema);
  if (validator) fields.push(`validate: ${validator}`);
  const defaults = "DEFAULTS";
  const callee = stream ? `streamOperation<${stream.eventType}>` : `callOperation<${sig.resultType}>`;
  return returnCall(callee, defaults, fields, "options");
}

/**
 * `return callee(defaults, { fields }, opts);` in a function body, as prettier prints it: on one
 * line when it fits, else one argument per line, the object's fields too when its line is still
 * too long or a field spans lines.
 */
export function returnCall(callee: string, defaults: string, fields: string[], opts: string): string {
  const object = `{ ${fields.join(", ")} }`;
  const multiLine = fields.some((f) => f.includes("\n"));
  const line = `  return ${callee}(${defaults}, ${object}, ${opts});`;
  if (line.length <= PRINT_WIDTH && !multiLine) return line;
  const objectLine = `    ${object},`;
  const objectLines = objectLine.length > PRINT_WIDTH || multiLine ? `    {\n${fields.map((f) => `      ${f},`).join("\n")}\n    },` : objectLine;
  return `  return ${callee}(\n    ${defaults},\n${objectLines}\n    ${opts},\n  );`;
}

/** `return name.withResponse(args, asResponseOptions(options)).then(…)`, laid out as prettier does. */
export function returnRaw(name: string, args: string[]): string {
  const forwarded = args.map((a) => (a === "options" ? "asResponseOptions(options)" : a));
  const line = `  return ${name}.withResponse(${forwarded.join(", ")}).then((result) => result.response);`;
  if (line.length <= PRINT_WIDTH) return line;
  const call = `    .withResponse(${forwarded.join(", ")})`;
  const head = call.length <= PRINT_WIDTH ? call : `    .withResponse(\n${forwarded.map((a) => `      ${a},`).join("\n")}\n    )`;
  return `  return ${name}\n${head}\n    .then((result) => result.response);`;
}

/** `return name.withResponse(args).then(…)`, broken into a member chain when too long, as prettier does. */
export function returnData(name: string, args: string[]): string {
  const line = `  return ${name}.withResponse(${args.join(", ")}).then((result) => result.data);`;
  return line.length <= PRINT_WIDTH ? line : `  return ${name}\n    .withResponse(${args.join(", ")})\n    .then((result) => result.data);`;
}
