import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import type * as Workflow from "../../examples/fine-tuning-workflow";
import type * as Client from "../../generated/fine-tuning-workflow";
import { startOpenAIFilesServer, trainingJSONL, type OpenAIFilesServer } from "./openai-files-server";

/**
 * The fine-tuning workflow, run on a generated client (`M`: the committed slice's, or the one
 * generated from the whole OpenAI spec) and the example's own function, against the 127.0.0.1
 * server: uploads from a Blob, a Uint8Array and a Node stream, a job polled until it succeeds,
 * its events over three pages, downloads of CSV, multi-line JSONL and random bytes, and an upload
 * retried after a 500. Every check is an `expect`; the caller's test fails on the first.
 */
export async function checkFineTuningWorkflow(M: typeof Client, example: typeof Workflow): Promise<void> {
  const csv: Uint8Array<ArrayBuffer> = new TextEncoder().encode("step,train_loss,train_accuracy\n1,1.52,0.31\n2,0.87,0.66\n");
  let results: string[] = [];
  const server: OpenAIFilesServer = await startOpenAIFilesServer(() => results);
  try {
    results = [server.addFile(csv, "text/csv", "step_metrics.csv")];
    const client = M.createClient({ apiKey: "sk-workflow", baseURL: server.baseURL, maxRetries: 2, validate: true, idempotencyHeader: "Idempotency-Key" });
    const training = trainingJSONL(5 * 1024 * 1024);

    // The example, from each kind of source: the server keeps what each upload carried.
    const sources: [string, () => Parameters<typeof M.toFile>[0]][] = [
      ["Blob", () => new Blob([training])],
      ["Uint8Array", () => training],
      ["Node stream", () => Readable.from(chunksOf(training, 64 * 1024))],
    ];
    for (const [what, source] of sources) {
      const { file, job, events, results: texts } = await example.fineTuningWorkflow(client, source(), { pollMs: 0 });
      const stored = server.files.get(file.id);
      expect([what, stored && Buffer.from(stored.bytes).equals(Buffer.from(training)), stored?.purpose]).toEqual([what, true, "fine-tune"]);
      expect([job.status, job.training_file]).toEqual(["succeeded", file.id]);
      expect(events).toEqual(["Validating training file", "Files validated", "Fine-tuning job started", "Step 10/20: training loss=0.52", "Step 20/20: training loss=0.31", "Fine-tuning job succeeded"]);
      expect(texts).toEqual([new TextDecoder().decode(csv)]);
    }
    expect(server.uploads.map((u) => [u.parts, u.fileType, u.fileName])).toEqual(Array(3).fill([["file", "purpose"], "application/jsonl", "train.jsonl"]));
    // Three pages of two events for each of the three runs: no cursor asked for twice in a run.
    expect(server.eventCursors).toEqual(Array(3).fill([null, "ftevent-1", "ftevent-3"]).flat());
    expect(new Set(server.authorizations)).toEqual(new Set(["Bearer sk-workflow"]));

    // Downloads: text comes back exactly, JSONL is never parsed, bytes through asResponse.
    const jsonl = '{"prompt":"a","completion":"b"}\n{"prompt":"c","completion":"d"}\n';
    const jsonlId = server.addFile(new TextEncoder().encode(jsonl), "application/jsonl", "out.jsonl");
    expect(await client.downloadFile(jsonlId)).toBe(jsonl);
    const oneLine = server.addFile(new TextEncoder().encode('{"a":1}'), "application/octet-stream", "one.jsonl");
    expect(await client.downloadFile(oneLine)).toBe('{"a":1}');
    const bytes = new Uint8Array(randomBytes(256 * 1024));
    const binaryId = server.addFile(bytes, "application/octet-stream", "weights.bin");
    const response = await client.downloadFile.asResponse(binaryId);
    expect([response.status, response.bodyUsed, response.headers.get("content-type")]).toEqual([200, false, "application/octet-stream"]);
    expect(Buffer.from(await response.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    // An upload answered 500 is sent again, the same bytes under the same Idempotency-Key.
    server.uploads.length = 0;
    server.failUploads(1);
    const retried = await client.createFile({ file: new Blob([training], { type: "application/jsonl" }), purpose: "fine-tune" });
    expect(server.uploads).toHaveLength(2);
    expect(server.uploads[0].idempotencyKey).toBeDefined();
    expect(server.uploads[1].idempotencyKey).toBe(server.uploads[0].idempotencyKey);
    expect(Buffer.from(server.files.get(retried.id)!.bytes).equals(Buffer.from(training))).toBe(true);
  } finally {
    await server.close();
  }
}

function* chunksOf(bytes: Uint8Array, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield Buffer.from(bytes.subarray(i, i + size));
}
