/*
 * The fine-tuning workflow on the generated client alone: upload a JSONL training file, create a
 * job, wait for it, read its events, download its result file.
 *
 *   npx openapi-morph generate openai.yaml -o generated/openai   # or use the slice committed here
 *   OPENAI_API_KEY=sk-… npx tsx examples/fine-tuning-workflow.ts train.jsonl
 *
 * The imports below use the committed slice of the OpenAI spec (`spec/fine-tuning-workflow.yaml`);
 * the client generated from the whole spec has the same functions.
 */
import { createReadStream } from "node:fs";
import { createClient, toFile, type Client, type FineTuningJob, type OpenAIFile } from "../generated/fine-tuning-workflow";

export interface WorkflowResult {
  file: OpenAIFile;
  job: FineTuningJob;
  events: string[];
  /** Each result file's content, as text (the API sends CSV). */
  results: string[];
}

/** Uploads `training` (a Blob, bytes or a Node stream), trains on it, and reads what came out. */
export async function fineTuningWorkflow(
  client: Client,
  training: Parameters<typeof toFile>[0],
  { model = "gpt-4o-mini-2024-07-18", pollMs = 5000 } = {},
): Promise<WorkflowResult> {
  // toFile gives the upload a name and a media type, and reads a stream once so a retry resends it.
  const upload = await toFile(training, "train.jsonl", { type: "application/jsonl" });
  const file = await client.createFile({ file: upload, purpose: "fine-tune" });

  let job = await client.createFineTuningJob({ training_file: file.id, model });
  while (job.status !== "succeeded") {
    if (job.status === "failed" || job.status === "cancelled") throw new Error(`job ${job.id} ${job.status}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    job = await client.retrieveFineTuningJob(job.id);
  }

  // Every event, page after page (each page asked for only when the loop gets there).
  const events: string[] = [];
  for await (const event of client.listFineTuningEventsAll(job.id, { limit: 2 })) events.push(event.message);

  // downloadFile resolves to the file's text; downloadFile.asResponse gives the raw Response to stream bytes.
  const results: string[] = [];
  for (const id of job.result_files) results.push(await client.downloadFile(id));
  return { file, job, events, results };
}

async function main(path: string): Promise<void> {
  // Retried uploads carry the same Idempotency-Key, so the API can tell a retry from a new upload.
  const client = createClient({ maxRetries: 3, idempotencyHeader: "Idempotency-Key", validate: "warn" });
  const { job, events, results } = await fineTuningWorkflow(client, createReadStream(path));
  console.log(`${job.id}: ${job.fine_tuned_model}`);
  for (const message of events) console.log(`  ${message}`);
  for (const text of results) console.log(text);
}

if (typeof require !== "undefined" && require.main === module) {
  main(process.argv[2] ?? "train.jsonl").catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
