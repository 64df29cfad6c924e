import { readFileSync } from "node:fs";
import * as path from "node:path";
import { GeneratorError } from "../errors";
import { packageRoot } from "../util/paths";
import { progressLine } from "./progress";

/**
 * The only module that prints or decides exit codes. Everything it calls throws
 * `GeneratorError` for user mistakes; anything else is a bug and gets a short report.
 */

const USAGE = `Usage: openapi-morph <command> [options]

Commands:
  generate <spec> -o <dir>     Generate TypeScript types, client and validators into <dir>
                               (<spec>: a file, an http(s) URL, or - for stdin)
  generate --config <file>     Run every job of a config file
  diff <old-spec> <new-spec>   Report what a spec update changes in the generated API
  slice <spec> -o <file>       Write a self-contained spec holding only some operations
  examples <spec>              Check the spec's documented examples against their schemas

Without a command (or generate without a spec), runs the config file of the directory:
openapi-morph.config.ts, .mts, .js, .mjs or .json.

generate options:
  -o, --out <dir>              Output directory (required)
  --check                      Write nothing; exit 1 listing the files that differ
  --dump-ir                    Print the intermediate representation as JSON and exit
  --no-union-inference         Only honour explicit discriminators
  --no-union-for <Schema>      No union inference for one schema (repeatable)
  --naming <camel|wire>        camel: camelCase property names; the client converts (default wire)
  --no-client                  Types (and validators) only
  --no-validators              No runtime validators
  --quiet                      Print errors only
  --report <file>              Write every note and warning there (JSON for *.json, else text)
  --watch                      Regenerate whenever the spec or a file it references changes
                               (a URL spec: fetched again every --watch-interval)
  --watch-interval <seconds>   How often --watch fetches a URL spec (default 10)
  --config <file>              Take the jobs (spec, out, options) from a config file
  --import-extension <none|.js|.ts>
                               How relative imports between generated files end (default:
                               detected from the nearest package.json and tsconfig.json)

diff options:
  --operation <operationId>    Compare only this operation and the types it reaches (repeatable)
  --tag <name>                 Compare only operations with this tag (repeatable)
  --fail-on-breaking           Exit 1 when any change can break client code
  --json                       Print the changes as JSON

slice options:
  --operation <operationId>    Keep this operation (repeatable)
  --tag <name>                 Keep every operation with this tag (repeatable)
  -o, --out <file>             Where to write the sliced spec (YAML)

Global:
  --verbose                    Print every note and warning (default: a summary line per job);
                               add stack traces to errors (for bug reports)
  -h, --help                   Show this help
  -v, --version                Show the version
`;

export class UsageError extends Error {}

interface Parsed {
  command?: string;
  positionals: string[];
  flags: Map<string, string[]>;
}

const FLAGS: Record<string, { takesValue: boolean; alias?: string }> = {
  out: { takesValue: true },
  check: { takesValue: false },
  "dump-ir": { takesValue: false },
  "no-union-inference": { takesValue: false },
  "no-union-for": { takesValue: true },
  naming: { takesValue: true },
  "no-client": { takesValue: false },
  "no-validators": { takesValue: false },
  quiet: { takesValue: false },
  verbose: { takesValue: false },
  operation: { takesValue: true },
  tag: { takesValue: true },
  watch: { takesValue: false },
  config: { takesValue: true },
  "import-extension": { takesValue: true },
  report: { takesValue: true },
  "watch-interval": { takesValue: true },
  "fail-on-breaking": { takesValue: false },
  json: { takesValue: false },
  help: { takesValue: false },
  version: { takesValue: false },
};
const SHORT: Record<string, string> = { o: "out", h: "help", v: "version" };

export function parseArgs(argv: string[]): Parsed {
  const parsed: Parsed = { positionals: [], flags: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("-") && arg !== "-") {
      const [rawName, inline] = arg.startsWith("--") ? splitOnce(arg.slice(2)) : [SHORT[arg.slice(1)] ?? `-${arg.slice(1)}`, undefined];
      const spec = FLAGS[rawName];
      if (!spec) throw new UsageError(`unknown option ${arg}`);
      let value = "true";
      if (spec.takesValue) {
        const next = inline ?? argv[++i];
        if (next === undefined || (inline === undefined && next.startsWith("-"))) throw new UsageError(`option ${arg} needs a value`);
        value = next;
      } else if (inline !== undefined) throw new UsageError(`option --${rawName} takes no value`);
      parsed.flags.set(rawName, [...(parsed.flags.get(rawName) ?? []), value]);
      continue;
    }
    if (parsed.command === undefined) parsed.command = arg;
    else parsed.positionals.push(arg);
  }
  return parsed;
}

function splitOnce(s: string): [string, string | undefined] {
  const i = s.indexOf("=");
  return i === -1 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function version(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

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

const consoleIo: Io = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  progress: (job) => progressLine(job, process.stderr, process.env),
  interrupt: () => {
    const controller = new AbortController();
    process.once("SIGINT", () => controller.abort());
    return controller.signal;
  },
};

/** Runs the CLI and resolves to the exit code: 0 done, 1 failed or stale, 2 usage error. */
export async function run(argv: string[], io: Io = consoleIo): Promise<number> {
  const verbose = argv.includes("--verbose");
  try {
    const args = parseArgs(argv);
    if (args.flags.has("help")) {
      io.out(USAGE);
      return 0;
    }
    if (args.flags.has("version")) {
      io.out(version());
      return 0;
    }
    switch (args.command) {
      case "generate":
        return await (await import("./commands/generate")).runGenerate(args, io);
      case "slice":
        return await (await import("./commands/slice")).runSlice(args, io);
      case "examples":
        return await (await import("./commands/examples")).runExamples(args, io);
      case "diff":
        return await (await import("./commands/diff")).runDiff(args, io);
      case undefined: {
        // A project with a config file regenerates with a bare `openapi-morph`.
        const config = args.positionals.length === 0 ? (await import("./config")).findConfig() : undefined;
        if (!config) throw new UsageError("missing command");
        args.flags.set("config", [config]);
        return await (await import("./commands/generate")).runGenerate(args, io);
      }
      default:
        throw new UsageError(`unknown command ${JSON.stringify(args.command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`openapi-morph: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    return printError(e, io, verbose);
  }
}

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

export function main(argv: string[]): void {
  // A reader that stops early (`--dump-ir | head`) is not an error worth a stack trace.
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw e;
  });
  run(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`openapi-morph: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}

export function one(args: Parsed, flag: string): string | undefined {
  const v = args.flags.get(flag);
  if (v && v.length > 1) throw new UsageError(`--${flag} given more than once`);
  return v?.[0];
}

export function many(args: Parsed, flag: string): string[] {
  return args.flags.get(flag) ?? [];
}

export type { Parsed };
