/**
 * Webhooks (3.1): requests the API sends, not ones the client makes. No client function, but each
 * one's JSON payload becomes a type named after the webhook (`newPet` → `NewPetWebhook`), for the
 * user's handler.
 */
import { escapePointerSegment } from "../../errors";
import { HTTP_METHODS } from "../../util/http";
import { isObject } from "../../util/object";
import { pascalCase } from "../identifiers";
import type { BuildContext } from "./context";
import { isJsonMediaType } from "./media";
import { deref } from "./operations";
import { metaOf } from "./raw";

export function buildWebhookTypes(ctx: BuildContext): void {
  const webhooks = isObject(ctx.root.webhooks) ? ctx.root.webhooks : {};
  for (const webhook of Object.keys(webhooks)) {
    if (webhook.startsWith("x-")) continue;
    const item = deref(ctx, webhooks[webhook], `#/webhooks/${escapePointerSegment(webhook)}`);
    for (const method of HTTP_METHODS) {
      const rawOp = item.node[method];
      if (!isObject(rawOp) || rawOp.requestBody === undefined) continue;
      const { node: body, pointer: bodyPointer } = deref(ctx, rawOp.requestBody, `${item.pointer}/${method}/requestBody`);
      const content = isObject(body.content) ? body.content : {};
      const json = Object.keys(content).find(isJsonMediaType);
      const media = json === undefined ? undefined : content[json];
      if (json === undefined || !isObject(media) || media.schema === undefined) continue;
      const base = `${pascalCase(webhook)}${method === "post" ? "" : pascalCase(method)}`;
      const wanted = base.endsWith("Webhook") ? base : `${base}Webhook`;
      const pointer = `${bodyPointer}/content/${escapePointerSegment(json)}/schema`;
      const name = ctx.claimName(wanted, pointer, wanted);
      const schema = ctx.parse(media.schema, pointer, name);
      ctx.addDeclaration({ name, schema, source: "inline", pointer, nullable: false, meta: schema.meta ?? metaOf(body) });
    }
  }
}
