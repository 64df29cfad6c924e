import { run } from "../../generator/cli/main";

/** Runs the CLI in-process and captures what it prints. */
export async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** `cli` run from `dir`, as a user there would: messages name files relative to it. */
export async function cliIn(dir: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return await cli(...argv);
  } finally {
    process.chdir(cwd);
  }
}
