/**
 * The one updating line a long `generate` shows on a terminal: `gen: format…`. It appears only
 * once a job has run for a second (a fast job prints nothing of the kind), redraws in place, and
 * is erased when the job ends, so the summary that follows stands alone. Nothing at all where the
 * stream is not a TTY or `CI` is set: logs get no control characters.
 */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export const PROGRESS_DELAY_MS = 1000;

export function progressLine(
  job: string,
  stream: ProgressStream,
  env: Record<string, string | undefined>,
  now: () => number = () => performance.now(),
): { phase(name: string): void; done(): void } | undefined {
  if (!stream.isTTY || (env.CI !== undefined && env.CI !== "" && env.CI !== "false")) return undefined;
  const start = now();
  let drawn = false;
  return {
    // The stages run synchronously, so there is no timer to draw from: each phase change looks at the clock.
    phase(name) {
      if (now() - start < PROGRESS_DELAY_MS) return;
      stream.write(`\r\x1b[2K${job}: ${name}…`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
