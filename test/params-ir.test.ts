import { irOf } from "./helpers/spec";

/** What the IR records of parameter styles and server variables, and what it warns about. */

const op = (parameters: unknown[]) => ({ "/x/{p}": { get: { operationId: "getX", parameters, responses: { "204": { description: "none" } } } } });
const pathParam = { name: "p", in: "path", required: true, schema: { type: "string" } };

describe("parameter styles", () => {
  test.each<{ given: string; param: Record<string, unknown>; want: Record<string, unknown>; warning?: RegExp }>([
    { given: "a query style", param: { name: "q", in: "query", style: "pipeDelimited", explode: false }, want: { style: "pipeDelimited", explode: false } },
    { given: "a path style", param: { ...pathParam, style: "matrix", explode: true }, want: { style: "matrix", explode: true } },
    { given: "allowReserved on a query parameter", param: { name: "q", in: "query", allowReserved: true }, want: { allowReserved: true } },
    { given: "allowReserved on a header (ignored)", param: { name: "h", in: "header", allowReserved: true }, want: {} },
    { given: "a style the location does not allow", param: { ...pathParam, style: "form" }, want: {}, warning: /style "form" is not one of a path parameter's \(simple, label, matrix\): sent as simple/ },
    { given: "a style that is no style", param: { name: "h", in: "header", style: 3 }, want: {}, warning: /style 3 is not one of a header parameter's/ },
    { given: "JSON content", param: { name: "q", in: "query", content: { "application/json": { schema: { type: "object" } } } }, want: { json: true } },
    { given: "text content", param: { name: "q", in: "query", content: { "text/plain": { schema: { type: "string" } } } }, want: {} },
    { given: "an explode that is not a boolean", param: { name: "q", in: "query", explode: "yes" }, want: {}, warning: /explode must be true or false, got "yes"/ },
  ])("$given", ({ param, want, warning }) => {
    const parameters = param.in === "path" ? [param] : [pathParam, param];
    const ir = irOf({ paths: op(parameters) });
    const o = ir.operations[0]!;
    const p = [...o.pathParams, ...o.queryParams, ...o.headerParams, ...o.cookieParams].find((x) => x.name === param.name)!;
    expect({ style: p.style, explode: p.explode, allowReserved: p.allowReserved, json: p.json }).toEqual({ style: undefined, explode: undefined, allowReserved: undefined, json: undefined, ...want });
    const messages = ir.warnings.map((w) => w.message);
    if (warning) expect(messages).toEqual([expect.stringMatching(warning)]);
    else expect(messages).toEqual([]);
  });
});

describe("server variables", () => {
  test.each<{ given: string; servers: unknown; want: unknown; warnings?: RegExp[] }>([
    {
      given: "defaults, enums and descriptions, in spec order",
      servers: [{ url: "https://{region}.example.com/{v}", variables: { region: { default: "us", enum: ["us", "eu"], description: " Where. " }, v: { default: 2 } } }],
      want: { typeName: "ServerVariables", variables: [{ name: "region", default: "us", enum: ["us", "eu"], description: "Where." }, { name: "v", default: "2" }] },
    },
    { given: "no variables", servers: [{ url: "https://example.com" }], want: undefined },
    {
      given: "a variable without a default, and a default outside the enum",
      servers: [{ url: "https://{a}.{b}.example.com", variables: { a: { enum: ["x"] }, b: { default: "z", enum: ["y"] } } }],
      want: { typeName: "ServerVariables", variables: [{ name: "a", enum: ["x"] }, { name: "b", default: "z", enum: ["y"] }] },
      warnings: [/server variable "a" has no default: calls must set serverVariables.a/, /the default of server variable "b" is not one of its enum values/],
    },
    {
      given: "a URL naming an undeclared variable",
      servers: [{ url: "https://{tenant}.example.com" }],
      want: undefined,
      warnings: [/the server URL names \{tenant\} but declares no such variable: the client sends the URL as it is/],
    },
  ])("$given", ({ servers, want, warnings = [] }) => {
    const ir = irOf({ servers, paths: {} });
    expect(ir.serverVariables).toEqual(want);
    expect(ir.warnings.map((w) => w.message)).toEqual(warnings.map((w) => expect.stringMatching(w)));
  });

  test("a schema named ServerVariables keeps its name; the variables' type is numbered", () => {
    const ir = irOf({ servers: [{ url: "https://{r}.x", variables: { r: { default: "a" } } }], paths: {}, components: { schemas: { ServerVariables: { type: "object" } } } });
    expect(ir.serverVariables?.typeName).toBe("ServerVariables2");
    expect(ir.declarations.map((d) => d.name)).toContain("ServerVariables");
  });
});
