/** `…All` functions over paginated lists: every item, page after page. */
import type { IrOperation, IrPagination, IrSchema } from "../../ir/types";
import { isPlainIdentifier, stringLiteral } from "../escape";
import { layoutLongLines, PRINT_WIDTH } from "../layout";
import { typeText } from "../declarations";
import { claim, type Signature } from "./signature";

export interface Pager {
  itemSchema: IrSchema;
  itemType: string;
  /** Reads of `page` (the list's answer): its items, whether more follow, the next cursor. */
  items: (page: string) => string;
  more: (page: string) => string;
  next: (page: string) => string;
}

/** What the IR says of a paginated list, as reads of its answer. */
export function pagerOf(op: IrOperation): Pager | undefined {
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
export function pagedFunction(op: IrOperation, sig: Signature, pager: Pager, name: string, doc: string): string {
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
