/**
 * `buildIr`: a resolved OpenAPI document → the IR (`ir/types.ts`). The only place, with the
 * modules beside it, that reads OpenAPI schema objects. One run's state lives in a
 * `BuildContext` (context.ts); schema.ts, objects.ts, unions.ts, allOf.ts and operations.ts each
 * take it; raw.ts reads spec nodes before they become IR. Names are handed out in one fixed order:
 * components (code-point order), then inline schemas as they are parsed, then operations.
 */
import { checkChains } from "../chains";
import { patternWarnings } from "../patterns";
import { escapePointerSegment } from "../../errors";
import type { ResolvedSpec } from "../../pipeline/resolve";
import { isObject } from "../../util/object";
import { oaiMetaExamples, operationExamples } from "../examples";
import { compareCodePoints } from "../../util/strings";
import { apiKeyEnvFor } from "../identifiers";
import { recognizeConventions } from "../passes/conventions";
import { breakAliasCycles } from "../passes/cycles";
import { splitDirections } from "../passes/directions";
import { relaxResponseOnly } from "../passes/unknown-keys";
import { applyCamelNaming } from "../passes/naming";
import type { IrDocument } from "../types";
import { checkAllOfCycles } from "./allOf";
import { BuildContext, type BuildOptions } from "./context";
import { buildOperations } from "./operations";
import { componentIsNullable, pointerToSchemaName } from "./raw";
import { parseSchema } from "./schema";
import { serverVariablesOf } from "./serialization";
import { buildWebhookTypes } from "./webhooks";
import { markOpenStrings } from "../passes/open-strings";
import { requirementsOf, securitySchemesOf } from "./media";

export type { BuildOptions } from "./context";

/** Builds the IR from a resolved spec. Pure: the same spec and options give the same IR. */
export function buildIr(spec: ResolvedSpec, options: BuildOptions = {}): IrDocument {
  const ctx = new BuildContext(spec, options);
  ctx.parse = (node, pointer, hint, specName) => parseSchema(ctx, node, pointer, hint, specName);
  checkChains(ctx.rawSchemas, pointerToSchemaName, (pointer) => spec.locate(pointer));
  checkAllOfCycles(ctx);
  for (const specName of ctx.specNames) {
    const name = ctx.componentNames.get(specName)!;
    const pointer = `#/components/schemas/${escapePointerSegment(specName)}`;
    const raw = ctx.rawSchemas[specName];
    let schema = ctx.parse(raw, pointer, name, specName);
    const nullable = componentIsNullable(ctx, specName);
    if (nullable && schema.kind === "nullable") schema = { ...schema.inner, meta: { ...(schema.inner.meta ?? {}), ...(schema.meta ?? {}) } };
    ctx.addDeclaration({ name, schema, source: "component", pointer, specName, nullable, meta: schema.meta });
    if (isObject(raw)) ctx.examples.push(...oaiMetaExamples(raw, pointer, name, { kind: "ref", name }));
  }

  const root = ctx.root;
  const info = isObject(root.info) ? root.info : {};
  const servers = Array.isArray(root.servers) ? root.servers : [];
  const firstServer = isObject(servers[0]) && typeof servers[0].url === "string" ? servers[0].url : "";
  const variables = serverVariablesOf(root, (pointer, message) => void ctx.warnings.push({ pointer, message }));
  const title = typeof info.title === "string" ? info.title : "API";
  const components = isObject(root.components) ? root.components : {};
  const security = securitySchemesOf(components.securitySchemes, apiKeyEnvFor(title));
  for (const { name, reason } of security.skipped) ctx.warnings.push({ pointer: `#/components/securitySchemes/${escapePointerSegment(name)}`, message: reason });
  const known = new Set(security.schemes.map((s) => s.name));

  const operations = buildOperations(ctx, known);
  buildWebhookTypes(ctx);
  for (const op of operations) ctx.examples.push(...operationExamples(ctx.root, op));

  const doc: IrDocument = {
    version: spec.version,
    title,
    apiVersion: typeof info.version === "string" ? info.version : String(info.version ?? ""),
    baseURL: firstServer,
    ...(variables.length > 0 ? { serverVariables: { typeName: ctx.claimName("ServerVariables", "#/servers/0/variables", "ServerVariables"), variables } } : {}),
    apiKeyEnv: apiKeyEnvFor(title),
    securitySchemes: security.schemes,
    security: requirementsOf(root.security, known) ?? [],
    declarations: [...ctx.declarations.values()].sort((a, b) => compareCodePoints(a.name, b.name)),
    operations,
    unions: ctx.unions,
    examples: ctx.examples,
    renames: ctx.renames,
    warnings: ctx.warnings,
  };
  ctx.warnings.push(...patternWarnings(doc));
  const acyclic = relaxResponseOnly(splitDirections(breakAliasCycles(doc)));
  return recognizeConventions(markOpenStrings(options.naming === "camel" ? applyCamelNaming(acyclic) : acyclic));
}
