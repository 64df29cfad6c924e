/** A client function's signature: where each parameter goes (positional path locals, keys of the params object, the body). */
import { paramsObjectOf } from "../../ir/children";
import type { IrOperation, IrParameter } from "../../ir/types";
import { JS_RESERVED_WORDS, STRICT_RESTRICTED } from "../../ir/identifiers";
import { isPlainIdentifier } from "../escape";
import { typeText } from "../declarations";
import { bodyTypeText, resultTypeOf } from "./media";

const RESERVED_LOCALS = new Set(["options", "params", "body", "result", "DEFAULTS"]);

/** A path parameter's local variable: its name when that is a plain identifier, else a safe one. */
function localName(p: IrParameter, index: number): string {
  const ident = isPlainIdentifier(p.name) ? p.name : p.name.replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^[0-9]/, "_$&");
  const name = ident || `param${index}`;
  return RESERVED_LOCALS.has(name) || JS_RESERVED_WORDS.has(name) || STRICT_RESTRICTED.has(name) ? `${name}_` : name;
}

/**
 * Where each parameter lives in the generated signature: path parameters as positional locals
 * (numbered when two sanitise alike), query and header parameters as keys of one params object
 * (a header named like a query parameter gets a `_header` suffix), and the body under `body`
 * unless a parameter already took that key.
 */
export interface Placement {
  pathLocals: string[];
  keys: Map<IrParameter, string>;
  bodyKey: string;
}

/** `base`, or `base2`, `base3`… : the first that `taken` lacks, which it then holds. */
export function claim(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}

function placementOf(op: IrOperation): Placement {
  // The function's own name is taken: its body calls `name.withResponse`.
  const usedLocals = new Set<string>([op.name]);
  const pathLocals = op.pathParams.map((p, i) => claim(localName(p, i), usedLocals));
  const keys = new Map<IrParameter, string>();
  const usedKeys = new Set<string>();
  for (const p of paramsObjectOf(op)) keys.set(p, claim(usedKeys.has(p.name) ? `${p.name}_${p.in}` : p.name, usedKeys));
  const bodyKey = claim(usedKeys.has("body") ? "requestBody" : "body", usedKeys);
  return { pathLocals, keys, bodyKey };
}

export interface Signature {
  /** `(a: string, params: P, options?: RequestOptions)` without parentheses. */
  parameters: string;
  /** The same names, for forwarding. */
  args: string[];
  resultType: string;
  paramsOptional: boolean;
  placement: Placement;
}

export function signatureOf(op: IrOperation): Signature {
  const parts: string[] = [];
  const args: string[] = [];
  const placement = placementOf(op);
  op.pathParams.forEach((p, i) => {
    const local = placement.pathLocals[i];
    parts.push(`${local}: ${typeText(p.schema)}`);
    args.push(local);
  });
  let paramsOptional = true;
  if (op.paramsType) {
    paramsOptional = paramsObjectOf(op).every((p) => !p.required) && !op.requestBody?.required;
    parts.push(`params${paramsOptional ? "?" : ""}: ${op.paramsType}`);
    args.push("params");
  } else if (op.requestBody) {
    paramsOptional = !op.requestBody.required;
    parts.push(`body${paramsOptional ? "?" : ""}: ${bodyTypeText(op)}`);
    args.push("body");
  }
  parts.push("options?: RequestOptions");
  args.push("options");
  const resultType = resultTypeOf(op);
  return { parameters: parts.join(", "), args, resultType, paramsOptional, placement };
}
