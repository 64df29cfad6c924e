import { parentPort } from "node:worker_threads";
import { formatText } from "./format";

// Loads prettier (and its TypeScript parser) now, while the main thread is still reading the spec.
void formatText("const warm = 1;\n").catch(() => undefined);

// Formats statements for the main thread; one message in, one out, until the pool terminates it.
parentPort?.on("message", (job: { id: number; text: string }) => {
  formatText(job.text).then(
    (text) => parentPort?.postMessage({ id: job.id, text }),
    (e: unknown) => parentPort?.postMessage({ id: job.id, error: (e as Error)?.message ?? String(e) }),
  );
});
