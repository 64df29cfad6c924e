/** The params interface of an operation (its query, header and cookie parameters and the body, as one object). */
import { StructureKind, type InterfaceDeclarationStructure } from "ts-morph";
import { paramsObjectOf } from "../../ir/children";
import type { IrOperation } from "../../ir/types";
import { docFor } from "../docs";
import { escapeJsDoc, propertyKey } from "../escape";
import { typeText } from "../declarations";
import type { Signature } from "./signature";
import { bodyTypeText } from "./media";

export function paramsInterface(op: IrOperation, { placement }: Signature): InterfaceDeclarationStructure {
  const props = paramsObjectOf(op).map((p) => ({
    kind: StructureKind.PropertySignature as const,
    name: propertyKey(placement.keys.get(p)!),
    hasQuestionToken: !p.required,
    type: typeText(p.schema),
    docs: (() => {
      const d = docFor(p.meta, p.in === "query" ? [] : [{ tagName: "remarks", text: p.in === "header" ? "Sent as a request header." : "Sent as a cookie." }]);
      return d ? [{ kind: StructureKind.JSDoc as const, description: d.description || undefined, tags: d.tags.map((t) => ({ kind: StructureKind.JSDocTag as const, ...t })) }] : undefined;
    })(),
  }));
  if (op.requestBody) {
    props.push({
      kind: StructureKind.PropertySignature,
      name: placement.bodyKey,
      hasQuestionToken: !op.requestBody.required,
      type: bodyTypeText(op),
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

