/** `paths` → IR operations: parameters, the JSON request body, the success response, auth. */
import { escapePointerSegment, quote } from "../../errors";
import { isObject } from "../../util/object";
import { HTTP_METHODS, type HttpMethod } from "../../util/http";
import { compareCodePoints } from "../../util/strings";
import { TAKEN_NAMES, camelCase, pascalCase } from "../identifiers";
import type { IrOperation, IrParameter, IrSchema } from "../types";
import type { BuildContext } from "./context";
import { propertyMeta } from "./objects";
import { metaOf, pointerToSchemaName, type Raw } from "./raw";
import { refTo } from "./schema";
import { serializationOf } from "./serialization";
import { chooseBodyMedia, encodingOf, isJsonMediaType, requirementsOf, responseKindOf } from "./media";

export function deref(ctx: BuildContext, node: unknown, pointer: string): { node: Raw; pointer: string } {
  let current = node;
  let at = pointer;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === "string") {
    if (seen.has(current.$ref)) throw ctx.errorAt("E_REF", at, `circular $ref ${current.$ref}`);
    seen.add(current.$ref);
    at = current.$ref;
    current = ctx.rawAt(current.$ref);
  }
  if (!isObject(current)) throw ctx.errorAt("E_SCHEMA", at, "expected an object");
  return { node: current, pointer: at };
}

/** `known`: the names of the security schemes the client applies (`IrDocument.securitySchemes`). */
export function buildOperations(ctx: BuildContext, known: ReadonlySet<string>): IrOperation[] {
  const paths = isObject(ctx.root.paths) ? ctx.root.paths : {};
  const out: IrOperation[] = [];
  const seenIds = new Map<string, string>();
  // Validators export `validateX`/`isX`, the client `createClient` and the runtime its helpers beside the operations.
  const usedFunctionNames = new Set<string>(TAKEN_NAMES);
  for (const name of ctx.componentNames.values()) usedFunctionNames.add(`validate${name}`).add(`is${name}`);
  const globalAuth = authOf(ctx.root.security);
  const globalSecurity = requirementsOf(ctx.root.security, known) ?? [];
  for (const path of Object.keys(paths)) {
    if (path.startsWith("x-")) continue; // an extension of the Paths Object, not a path
    const pathPointer = `#/paths/${escapePointerSegment(path)}`;
    const item = deref(ctx, paths[path], pathPointer);
    for (const method of HTTP_METHODS) {
      const rawOp = item.node[method];
      if (!isObject(rawOp)) continue;
      const pointer = `${item.pointer}/${method}`;
      let operationId = typeof rawOp.operationId === "string" ? rawOp.operationId : `${method}${pascalCase(path)}`;
      // An id derived from the path (`/db/reset` and `/db-reset` give the same) is ours to number.
      for (let i = 2; typeof rawOp.operationId !== "string" && seenIds.has(operationId); i++) operationId = `${method}${pascalCase(path)}${i}`;
      const firstAt = seenIds.get(operationId);
      if (firstAt !== undefined) {
        throw ctx.errorAt("E_DUPLICATE_OPERATION", `${pointer}/operationId`, `duplicate operationId ${quote(operationId)}, first used at ${firstAt}`, "operationIds must be unique");
      }
      seenIds.set(operationId, `${pointer}/operationId`);
      let name = camelCase(operationId);
      if (usedFunctionNames.has(name)) {
        let i = 2;
        while (usedFunctionNames.has(`${name}${i}`)) i++;
        const reason = TAKEN_NAMES.has(name) ? "the name is taken by the generated runtime or client" : "function name collides with another operation";
        ctx.renames.push({ from: operationId, to: `${name}${i}`, pointer, reason });
        name = `${name}${i}`;
      } else if (name !== operationId) {
        ctx.renames.push({ from: operationId, to: name, pointer, reason: "operationId turned into a camelCase function name" });
      }
      usedFunctionNames.add(name);
      const op = buildOperation(ctx, rawOp, item.node, path, method, pointer, item.pointer, operationId, name, globalAuth);
      out.push({ ...op, security: requirementsOf(rawOp.security, known) ?? globalSecurity });
    }
  }
  return out;
}

function authOf(security: unknown): "bearer" | "none" | undefined {
  if (!Array.isArray(security)) return undefined;
  return security.length === 0 || security.every((s) => isObject(s) && Object.keys(s).length === 0) ? "none" : "bearer";
}

function buildOperation(
  ctx: BuildContext,
  rawOp: Raw,
  pathItem: Raw,
  path: string,
  method: HttpMethod,
  pointer: string,
  pathPointer: string,
  operationId: string,
  name: string,
  globalAuth: "bearer" | "none" | undefined,
): Omit<IrOperation, "security"> {
  const typeBase = pascalCase(name);
  const params = new Map<string, IrParameter>();
  const addParams = (list: unknown, listPointer: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((p, i) => {
      const { node, pointer: at } = deref(ctx, p, `${listPointer}/${i}`);
      const where = node.in;
      if (where !== "path" && where !== "query" && where !== "header" && where !== "cookie") {
        throw ctx.errorAt("E_SCHEMA", `${at}/in`, `parameter "in" must be path, query, header or cookie, got ${quote(where)}`);
      }
      if (typeof node.name !== "string") throw ctx.errorAt("E_SCHEMA", `${at}/name`, "parameter without a name");
      const hint = `${typeBase}${pascalCase(node.name)}`;
      // A path parameter without a schema is still a URL segment: a string or a number.
      let schema: IrSchema = where === "path"
        ? { kind: "union", members: [{ kind: "primitive", type: "string" }, { kind: "primitive", type: "number" }] }
        : { kind: "unknown" };
      if (node.schema !== undefined) schema = ctx.nameInline(ctx.parse(node.schema, `${at}/schema`, hint), hint);
      let json = false;
      if (node.schema === undefined && isObject(node.content)) {
        const first = Object.keys(node.content)[0];
        const media = (node.content as Raw)[first];
        json = first !== undefined && first !== "*/*" && isJsonMediaType(first);
        if (isObject(media) && media.schema !== undefined) schema = ctx.nameInline(ctx.parse(media.schema, `${at}/content/${escapePointerSegment(first)}/schema`, hint), hint);
      }
      const meta = metaOf(node) ?? propertyMeta(ctx, schema);
      params.set(`${where}:${node.name}`, {
        name: node.name,
        in: where,
        required: where === "path" ? true : node.required === true,
        schema,
        ...serializationOf(node, where, at, (pointer, message) => void ctx.warnings.push({ pointer, message })),
        ...(json ? { json: true as const } : {}),
        meta,
      });
    });
  };
  addParams(pathItem.parameters, `${pathPointer}/parameters`);
  addParams(rawOp.parameters, `${pointer}/parameters`);
  const all = [...params.values()];
  const pathOrder = [...new Set([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]))];
  for (const p of pathOrder) {
    if (params.has(`path:${p}`)) continue;
    // Livable (OData's `({key})` declared `in: query`, `v{api-version}`): the URL still needs the segment.
    ctx.warnings.push({ pointer: `${pointer}/parameters`, message: `${operationId}: path template ${path} names {${p}} but no path parameter ${quote(p)} is declared; typed as a required string path parameter` });
    params.set(`path:${p}`, { name: p, in: "path", required: true, schema: { kind: "primitive", type: "string" } });
  }
  const pathParams = pathOrder.map((p) => params.get(`path:${p}`)!);

  let unsupported: string | undefined;
  let requestBody: IrOperation["requestBody"];
  if (rawOp.requestBody !== undefined) {
    const { node: body, pointer: bodyPointer } = deref(ctx, rawOp.requestBody, `${pointer}/requestBody`);
    const content = isObject(body.content) ? body.content : {};
    const types = Object.keys(content);
    const chosen = chooseBodyMedia(types);
    if (chosen) {
      const media = content[chosen.contentType];
      const hint = `${typeBase}Body`;
      const schema = isObject(media) && media.schema !== undefined
        ? ctx.nameInline(ctx.parse(media.schema, `${bodyPointer}/content/${escapePointerSegment(chosen.contentType)}/schema`, hint), hint)
        : ({ kind: "unknown" } as IrSchema);
      const encoding = chosen.kind === "multipart" || chosen.kind === "form" ? encodingOf(media) : undefined;
      const others = types.filter((t) => t !== chosen.contentType);
      requestBody = {
        required: body.required === true,
        kind: chosen.kind,
        contentType: chosen.contentType,
        schema,
        description: typeof body.description === "string" ? body.description : undefined,
        ...(encoding ? { encoding } : {}),
        ...(others.length > 0 ? { otherContentTypes: others } : {}),
      };
      // fetch refuses a body on these; a form body goes into the query string instead.
      if ((method === "get" || method === "head") && chosen.kind !== "form") {
        unsupported = `a ${method.toUpperCase()} request with a ${chosen.contentType} body, which fetch cannot send`;
      }
    }
  }

  // Only a component names the events' type: an inline event schema would add declarations of its own.
  const eventStreamOf = (events: unknown, resPointer: string): { schema?: IrSchema } => {
    const ref = isObject(events) && isObject(events.schema) && typeof events.schema.$ref === "string" ? events.schema.$ref : undefined;
    const at = `${resPointer}/content/text~1event-stream/schema`;
    return ref !== undefined && pointerToSchemaName(ref) !== undefined ? { schema: refTo(ctx, ref, at, undefined) } : {};
  };
  const responses = isObject(rawOp.responses) ? rawOp.responses : {};
  const codes = Object.keys(responses).sort(compareCodePoints);
  const success = codes.find((c) => /^2\d\d$/.test(c)) ?? codes.find((c) => /^2XX$/i.test(c)) ?? codes.find((c) => c === "default");
  let response: IrOperation["response"] = { status: success ?? "200", kind: "void" };
  if (success) {
    const { node: res, pointer: resPointer } = deref(ctx, responses[success], `${pointer}/responses/${success}`);
    const content = isObject(res.content) ? res.content : {};
    const types = Object.keys(content);
    const json = types.find(isJsonMediaType);
    const description = typeof res.description === "string" ? res.description : undefined;
    if (json) {
      const media = content[json];
      const hint = `${typeBase}Response`;
      const schema = isObject(media) && media.schema !== undefined
        ? ctx.nameInline(ctx.parse(media.schema, `${resPointer}/content/${escapePointerSegment(json)}/schema`, hint), hint)
        : ({ kind: "unknown" } as IrSchema);
      response = { status: success, kind: responseKindOf(success, types, isStringSchema(ctx, schema)), contentType: json, schema, description };
      if (content["text/event-stream"] !== undefined) response.eventStream = eventStreamOf(content["text/event-stream"], resPointer);
    } else if (types.length > 0) {
      // Events only: the client's function for it is a stream. Events beside other media (audio
      // bytes): a function for those and a stream twin.
      const kind = responseKindOf(success, types, false);
      const main = kind === "events" ? types[0] : types.find((t) => t !== "text/event-stream")!;
      response = { status: success, kind, contentType: main, description };
      if (content["text/event-stream"] !== undefined) response.eventStream = eventStreamOf(content["text/event-stream"], resPointer);
    } else response = { status: success, kind: "void", description };
  }

  // fetch refuses TRACE (a forbidden method), so no client function could send one; its types are still emitted.
  if (method === "trace") unsupported = "TRACE request (fetch cannot send one)";

  const queryParams = all.filter((p) => p.in === "query");
  const headerParams = all.filter((p) => p.in === "header");
  const cookieParams = all.filter((p) => p.in === "cookie");
  const paramsType = queryParams.length + headerParams.length + cookieParams.length > 0 ? ctx.claimName(`${typeBase}Params`, pointer, `${typeBase}Params`) : undefined;
  return {
    operationId,
    name,
    paramsType,
    method: method.toUpperCase() as IrOperation["method"],
    path,
    pointer,
    summary: typeof rawOp.summary === "string" ? rawOp.summary.trim() : undefined,
    description: typeof rawOp.description === "string" ? rawOp.description.trim() : undefined,
    deprecated: rawOp.deprecated === true,
    tags: Array.isArray(rawOp.tags) ? rawOp.tags.map(String) : [],
    pathParams,
    queryParams,
    headerParams,
    cookieParams,
    requestBody,
    response,
    unsupported,
    auth: authOf(rawOp.security) ?? globalAuth ?? "none",
  };
}

/** A string schema, directly or through a reference (components are built before operations). */
function isStringSchema(ctx: BuildContext, schema: IrSchema): boolean {
  const target = schema.kind === "ref" ? ctx.declarations.get(schema.name)?.schema : schema;
  return target?.kind === "primitive" && target.type === "string";
}
