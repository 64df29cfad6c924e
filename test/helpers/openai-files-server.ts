import { startServer, type TestServer } from "./server";

/**
 * A 127.0.0.1 server playing OpenAI's files and fine-tuning endpoints, as the fine-tuning
 * workflow uses them: `POST /files` (multipart, checked part by part), `GET /files/{id}/content`,
 * `POST /fine_tuning/jobs`, `GET /fine_tuning/jobs/{id}` (queued, running, then succeeded) and
 * `GET /fine_tuning/jobs/{id}/events` (cursor pages of two). Everything it received is kept.
 */

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: Uint8Array;
  /** What `GET /files/{id}/content` answers as. */
  contentType: string;
}

export interface OpenAIFilesServer extends TestServer {
  files: Map<string, StoredFile>;
  /** Each upload attempt: the part names in order and the file part's media type and name. */
  uploads: { parts: string[]; fileType: string; fileName: string; idempotencyKey: string | undefined }[];
  /** Each `…/events` request's `after`. */
  eventCursors: (string | null)[];
  /** Adds a file the API made (a job's results) and returns its id. */
  addFile(bytes: Uint8Array, contentType: string, filename: string): string;
  /** The next this many uploads answer 500 before the API looks at them. */
  failUploads(count: number): void;
  /** Authorization headers of every request. */
  authorizations: (string | undefined)[];
}

const EVENTS = ["Validating training file", "Files validated", "Fine-tuning job started", "Step 10/20: training loss=0.52", "Step 20/20: training loss=0.31", "Fine-tuning job succeeded"];

function jobJSON(id: string, trainingFile: string, status: string, resultFiles: string[]): object {
  const done = status === "succeeded";
  return {
    object: "fine_tuning.job",
    id,
    model: "gpt-4o-mini-2024-07-18",
    created_at: 1721764800,
    finished_at: done ? 1721768400 : null,
    fine_tuned_model: done ? "ft:gpt-4o-mini-2024-07-18:org::abc123" : null,
    organization_id: "org-123",
    result_files: resultFiles,
    status,
    validation_file: null,
    training_file: trainingFile,
    hyperparameters: { n_epochs: 3 },
    trained_tokens: done ? 5768 : null,
    error: null,
    seed: 42,
  };
}

function fileJSON(f: StoredFile): object {
  return { id: f.id, object: "file", bytes: f.bytes.length, created_at: 1721764800, filename: f.filename, purpose: f.purpose, status: "processed" };
}

export async function startOpenAIFilesServer(resultFiles: () => string[]): Promise<OpenAIFilesServer> {
  const files = new Map<string, StoredFile>();
  const jobs = new Map<string, { trainingFile: string; polls: number }>();
  const uploads: OpenAIFilesServer["uploads"] = [];
  const eventCursors: (string | null)[] = [];
  const authorizations: (string | undefined)[] = [];
  let failing = 0;
  let nextId = 1;
  const addFile = (bytes: Uint8Array, contentType: string, filename: string, purpose = "fine-tune-results"): string => {
    const id = `file-${nextId++}`;
    files.set(id, { id, filename, purpose, bytes, contentType });
    return id;
  };

  const server = await startServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const send = (status: number, data: unknown, type = "application/json") => {
        res.writeHead(status, { "content-type": type, "x-request-id": `req_${url.pathname}` });
        res.end(typeof data === "string" || data instanceof Uint8Array ? data : JSON.stringify(data));
      };
      authorizations.push(req.headers.authorization);
      try {
        const path = url.pathname.replace(/^\/v1/, "");
        let m: RegExpMatchArray | null;
        if (req.method === "POST" && path === "/files") {
          const form = await new Response(new Uint8Array(body), { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
          const file = form.get("file");
          const key = req.headers["idempotency-key"];
          uploads.push({
            parts: [...(form as unknown as { keys(): Iterable<string> }).keys()],
            fileType: file instanceof Blob ? file.type : "",
            fileName: file instanceof File ? file.name : "",
            idempotencyKey: typeof key === "string" ? key : undefined,
          });
          if (failing > 0) {
            failing--;
            return send(500, { error: { message: "The server had an error while processing your request.", type: "server_error" } });
          }
          if (!(file instanceof Blob) || form.get("purpose") !== "fine-tune") return send(400, { error: { message: "file and purpose=fine-tune are required" } });
          const id = addFile(new Uint8Array(await file.arrayBuffer()), "application/jsonl", file instanceof File ? file.name : "upload", "fine-tune");
          return send(200, fileJSON(files.get(id)!));
        }
        if (req.method === "GET" && (m = path.match(/^\/files\/([^/]+)\/content$/))) {
          const f = files.get(decodeURIComponent(m[1]));
          return f ? send(200, f.bytes, f.contentType) : send(404, { error: { message: "No such File object" } });
        }
        if (req.method === "POST" && path === "/fine_tuning/jobs") {
          const { training_file } = JSON.parse(body.toString("utf8")) as { training_file: string };
          if (!files.has(training_file)) return send(400, { error: { message: `invalid training_file: ${training_file}` } });
          const id = `ftjob-${jobs.size + 1}`;
          jobs.set(id, { trainingFile: training_file, polls: 0 });
          return send(200, jobJSON(id, training_file, "validating_files", []));
        }
        if (req.method === "GET" && (m = path.match(/^\/fine_tuning\/jobs\/([^/]+)\/events$/))) {
          const after = url.searchParams.get("after");
          eventCursors.push(after);
          const start = after === null ? 0 : Number(after.replace("ftevent-", "")) + 1;
          const page = EVENTS.slice(start, start + 2).map((message, i) => ({
            object: "fine_tuning.job.event",
            id: `ftevent-${start + i}`,
            created_at: 1721764800 + start + i,
            level: "info",
            message,
            type: "message",
          }));
          return send(200, { object: "list", data: page, has_more: start + 2 < EVENTS.length });
        }
        if (req.method === "GET" && (m = path.match(/^\/fine_tuning\/jobs\/([^/]+)$/))) {
          const job = jobs.get(decodeURIComponent(m[1]));
          if (!job) return send(404, { error: { message: "No such job" } });
          job.polls++;
          const status = job.polls < 2 ? "queued" : job.polls < 3 ? "running" : "succeeded";
          return send(200, jobJSON(m[1], job.trainingFile, status, status === "succeeded" ? resultFiles() : []));
        }
        send(404, { error: { message: `no route for ${req.method} ${path}` } });
      } catch (error) {
        send(500, { error: { message: String(error) } });
      }
    });
  });
  return {
    ...server,
    files,
    uploads,
    eventCursors,
    authorizations,
    addFile: (bytes, contentType, filename) => addFile(bytes, contentType, filename),
    failUploads: (count) => {
      failing = count;
    },
  };
}

/** A JSONL training file of about `size` bytes: one chat example per line, each different. */
export function trainingJSONL(size: number): Uint8Array<ArrayBuffer> {
  const lines: string[] = [];
  let total = 0;
  for (let i = 0; total < size; i++) {
    const line = `${JSON.stringify({ messages: [{ role: "user", content: `Question ${i}: what is ${i} squared?` }, { role: "assistant", content: `${i * i} — ünïcödé ✓` }] })}\n`;
    lines.push(line);
    total += Buffer.byteLength(line);
  }
  return new TextEncoder().encode(lines.join(""));
}
