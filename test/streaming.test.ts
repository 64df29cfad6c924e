import type http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cli } from "./helpers/cli";
import { ROOT } from "./helpers/spec";
import { startServer, type TestServer } from "./helpers/server";
import { readTsFiles, requireTranspiled, STRICTEST_OPTIONS, typeCheck } from "./helpers/tsc";

/**
 * An operation that answers JSON or, asked to stream, server-sent events: the generated
 * `…Stream` twin against a real server on 127.0.0.1, with wire and camelCase naming.
 */

const SPEC = path.join(ROOT, "test", "fixtures", "streaming", "openapi.yaml");
const KEY = "sk-stream-test";

type Event = Record<string, unknown>;
type Stream = AsyncIterable<Event> & { requestID: string | null };
interface Generated {
  createChat(body: object, options?: object): Promise<Record<string, unknown>>;
  createChatStream(body: object, options?: object): Promise<Stream>;
  watchChat(chatId: string, options?: object): Promise<Stream>;
  createClient(options: object): { createChatStream(body: object, options?: object): Promise<Stream> };
  APIResponseValidationError: new (...args: never[]) => Error;
}

let tmp: string;
let server: TestServer;
let baseURL: string;
let requests: { headers: http.IncomingHttpHeaders; body: Record<string, unknown>; url: string }[] = [];
/** The events the server streams, as `data:` payloads. */
let script: string[] = [];
const generated: Record<"wire" | "camel", Generated> = {} as never;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "morph-stream-"));
  for (const naming of ["wire", "camel"] as const) {
    const out = path.join(tmp, naming);
    const result = await cli("generate", SPEC, "-o", out, "--quiet", "--naming", naming);
    expect(result.stderr).toBe("");
    generated[naming] = requireTranspiled<Generated>(readTsFiles(out), path.join(out, "cjs"));
  }
  server = await startServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString("utf8")));
    req.on("end", () => {
      const body = (raw === "" ? {} : JSON.parse(raw)) as Record<string, unknown>;
      requests.push({ headers: req.headers, body, url: req.url ?? "" });
      if (body.stream !== true && req.method !== "GET") {
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(JSON.stringify({ text: "whole" }));
      }
      res.writeHead(200, { "content-type": "text/event-stream", "x-request-id": "req_stream" });
      for (const data of script) res.write(`data: ${data}\n\n`);
      res.end("data: [DONE]\n\n");
    });
  });
  baseURL = server.baseURL;
});

afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  requests = [];
  script = ['{"type":"delta","text_delta":"Hel"}', '{"type":"delta","text_delta":"lo"}', '{"type":"done","finish_reason":"stop"}'];
});

async function collect(stream: AsyncIterable<Event>): Promise<Event[]> {
  const out: Event[] = [];
  for await (const event of stream) out.push(event);
  return out;
}

const options = () => ({ apiKey: KEY, baseURL, maxRetries: 0 });

test.each([
  {
    naming: "wire" as const,
    want: [{ type: "delta", text_delta: "Hel" }, { type: "delta", text_delta: "lo" }, { type: "done", finish_reason: "stop" }],
  },
  {
    naming: "camel" as const,
    want: [{ type: "delta", textDelta: "Hel" }, { type: "delta", textDelta: "lo" }, { type: "done", finishReason: "stop" }],
  },
])("naming $naming: createChatStream sends stream: true and yields each event, keys as the types name them", async ({ naming, want }) => {
  const stream = await generated[naming].createChatStream({ model: "m" }, options());
  expect(stream.requestID).toBe("req_stream");
  expect(await collect(stream)).toEqual(want);
  expect(requests).toEqual([
    { headers: expect.objectContaining({ accept: "text/event-stream", authorization: `Bearer ${KEY}` }), body: { model: "m", stream: true }, url: "/v1/chat" },
  ]);
});

test("an operation that only streams is a stream under its own name", async () => {
  expect(await collect(await generated.camel.watchChat("c 1", options()))).toEqual([
    { type: "delta", textDelta: "Hel" },
    { type: "delta", textDelta: "lo" },
    { type: "done", finishReason: "stop" },
  ]);
  expect(requests).toEqual([{ headers: expect.objectContaining({ accept: "text/event-stream" }), body: {}, url: "/v1/chats/c%201/events" }]);
  expect(Object.keys(generated.wire).filter((k) => k.startsWith("watchChat"))).toEqual(["watchChat"]);
});

test("the JSON function is unchanged beside it, and createClient binds the twin", async () => {
  expect(await generated.wire.createChat({ model: "m" }, options())).toEqual({ text: "whole" });
  expect(requests[0].headers.accept).toBe("application/json");
  const client = generated.wire.createClient(options());
  expect(await collect(await client.createChatStream({ model: "m", stream: false }))).toHaveLength(3);
  expect(requests[1].body).toEqual({ model: "m", stream: true });
});

test("validate: true checks each event with the generated validator", async () => {
  script = ['{"type":"delta","text_delta":"ok"}', '{"type":"delta","text_delta":42}'];
  const seen: Event[] = [];
  const error = await (async () => {
    try {
      for await (const event of await generated.wire.createChatStream({ model: "m" }, { ...options(), validate: true })) seen.push(event);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  expect(seen).toEqual([{ type: "delta", text_delta: "ok" }]);
  expect(error).toBeInstanceOf(generated.wire.APIResponseValidationError);
  expect((error as Error).message).toMatch(/^An event of POST \/chat \(request ID req_stream\) does not match its schema: \/text_delta/);
});

test("types: each event is the spec's event union, narrowed by switch; the wrong member's key does not compile", () => {
  const file = (name: string, line: string) => {
    const f = path.join(tmp, name);
    writeFileSync(
      f,
      [
        `import { createChatStream } from "./wire/index";`,
        `export async function read(): Promise<string> {`,
        `  let text = "";`,
        `  for await (const event of await createChatStream({ model: "m" })) {`,
        `    switch (event.type) {`,
        `      case "delta":`,
        `        ${line}`,
        `        break;`,
        `      case "done":`,
        `        text += event.finish_reason;`,
        `    }`,
        `  }`,
        `  return text;`,
        `}`,
        ``,
      ].join("\n"),
    );
    return f;
  };
  expect(typeCheck([file("stream-ok.ts", "text += event.text_delta;")])).toEqual([]);
  expect(typeCheck([file("stream-wrong.ts", "text += event.finish_reason;")]).join("\n")).toMatch(/Property 'finish_reason' does not exist on type 'ChatDelta'/);
});

test.each(["wire", "camel"])("naming %s: the output compiles under the strictest flags", (naming) => {
  expect(typeCheck([path.join(tmp, naming, "index.ts")], STRICTEST_OPTIONS)).toEqual([]);
});
