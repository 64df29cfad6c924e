import { GeneratorError } from "../errors";
import { progressLine } from "./progress";

/** Where the CLI's output goes: the console, or a test's buffer. Only the CLI prints. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /**
   * A line that shows a long job's phase while it runs (terminals only): `phase` redraws it, `done`
   * clears it. Absent where output is not a terminal, or in CI.
   */
  progress?(job: string): { phase(name: string): void; done(): void } | undefined;
  /**
   * A signal that aborts when the user asks a long-running command (`--watch`) to stop. Only such
   * commands ask for it, so Ctrl-C keeps its default effect everywhere else.
   */
  interrupt?(): AbortSignal;
}

export const consoleIo: Io = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  progress: (job) => progressLine(job, process.stderr, process.env),
  interrupt: () => {
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    return controller.signal;
  },
};

/** Prints a failure and gives its exit code; watch mode uses it to report a run and carry on. */
export function printError(e: unknown, io: Io, verbose: boolean): number {
  if (e instanceof GeneratorError) {
    io.err(e.format());
    if (verbose && e.stack) io.err(e.stack);
    return 1;
  }
  // Third-party messages can carry whole code frames; the first lines say what happened.
  const message = ((e as Error)?.message ?? String(e)).split("\n").slice(0, 6).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join("\n");
  io.err(`openapi-morph: internal error: ${message}`);
  io.err(verbose ? String((e as Error)?.stack) : "run again with --verbose for the stack, and report it as a bug");
  return 1;
}
