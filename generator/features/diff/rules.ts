/** Breaking or not: the rule for each kind of change, per direction the data flows, and the change records. */

/** Why a change breaks client code, per direction the data flows; `false`: it does not. */
interface Rule {
  /** The client sends it (request bodies, parameters). */
  request: string | false;
  /** The client reads it (responses). */
  response: string | false;
}

/** The rules (README, "Change report", shows them as a table). */
export const RULES = {
  "type-added": { request: false, response: false },
  "type-removed": { request: "code that names it no longer compiles", response: "code that names it no longer compiles" },
  "operation-added": { request: false, response: false },
  "operation-removed": { request: "calls to it no longer compile", response: "calls to it no longer compile" },
  "function-renamed": { request: "calls to the old name no longer compile", response: "calls to the old name no longer compile" },
  "client-function-added": { request: false, response: false },
  "client-function-removed": { request: "calls to it no longer compile", response: "calls to it no longer compile" },
  "endpoint-changed": { request: false, response: false },
  "operation-deprecated": { request: false, response: false },
  "signature-changed": { request: "calls to it no longer compile", response: "calls to it no longer compile" },
  "optional-parameter-added": { request: false, response: false },
  "required-parameter-added": { request: "callers must now pass it", response: false },
  "parameter-removed": { request: "callers that pass it no longer compile", response: false },
  "parameter-now-optional": { request: false, response: false },
  "parameter-now-required": { request: "callers must now pass it", response: false },
  "optional-body-added": { request: false, response: false },
  "required-body-added": { request: "callers must now pass a body", response: false },
  "body-removed": { request: "callers that pass a body no longer compile", response: false },
  "body-now-optional": { request: false, response: false },
  "body-now-required": { request: "callers must now pass a body", response: false },
  "response-added": { request: false, response: false },
  "response-removed": { request: false, response: "code that uses the parsed body no longer compiles" },
  "optional-property-added": { request: false, response: false },
  "required-property-added": { request: "callers must now send it", response: false },
  "property-removed": { request: "callers that send it no longer compile", response: "code that reads it no longer compiles" },
  "property-now-optional": { request: false, response: "reads may now be undefined" },
  "property-now-required": { request: "callers must now send it", response: false },
  "nullable-added": { request: false, response: "reads must now handle null" },
  "nullable-removed": { request: "callers that send null no longer compile", response: false },
  "value-added": { request: false, response: "exhaustive switches over it no longer compile, and other code meets a value it does not know" },
  "value-removed": { request: "callers that send it no longer compile", response: "comparisons with it no longer compile" },
  "member-added": { request: false, response: "exhaustive switches over the union no longer compile, and other code meets a variant it does not know" },
  "member-removed": { request: "callers that send it no longer compile", response: "code that handles it no longer compiles" },
  "discriminant-added": { request: false, response: "exhaustive switches over the discriminant no longer compile" },
  "discriminant-removed": { request: "callers that send it no longer compile", response: "comparisons with it no longer compile" },
  "extra-keys-allowed": { request: false, response: false },
  "extra-keys-forbidden": { request: "callers that send other keys no longer compile", response: "code that reads other keys no longer compiles" },
  "base-added": { request: "callers may now have to send its properties", response: false },
  "base-removed": { request: "callers that send its properties may no longer compile", response: "code that reads its properties may no longer compile" },
  "reference-changed": { request: false, response: false },
  "type-changed": { request: "callers that send the old type may no longer compile", response: "code that reads the old type may no longer compile" },
} satisfies Record<string, Rule>;

export type ChangeKind = keyof typeof RULES;

/**
 * How the client uses a type: it sends `request` types, reads `response` types; `unused` types
 * (no operation reaches them) are exported for any use, so both rules apply.
 */
export type Direction = "request" | "response" | "both" | "unused";

export interface Change {
  kind: ChangeKind;
  /** `Type`, `Type.property`, `Type.list[]`, `Type.map[string]`, `Union(type=value)`, `operationId.query.limit`, `operationId.body`… */
  at: string;
  /** The type or operation the change belongs to. */
  target: "type" | "operation";
  name: string;
  direction: Direction;
  breaking: boolean;
  message: string;
  before?: string;
  after?: string;
}

export interface DiffSummary {
  total: number;
  breaking: number;
  nonBreaking: number;
  types: { added: number; removed: number; changed: number };
  operations: { added: number; removed: number; changed: number };
}

export interface DiffReport {
  changes: Change[];
  summary: DiffSummary;
}

export function reasonFor(kind: ChangeKind, direction: Direction): string | undefined {
  const rule: Rule = RULES[kind];
  const reasons = direction === "request" ? [rule.request] : direction === "response" ? [rule.response] : [rule.response, rule.request];
  return reasons.find((r): r is string => typeof r === "string");
}
