import { readFileSync } from "node:fs";
import * as path from "node:path";
import { UsageError, parseArgs } from "./args";
import { printError, consoleIo, type Io } from "./io";
import { packageRoot } from "../util/paths";

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
  -o, --out <dir>              Output directory (required; also --output)
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
  --allow-ref <dir>            Let file $refs reach this folder too (repeatable; default: the spec's folder only)
  --max-file-size <bytes>      Refuse a spec file bigger than this (default 67108864, 64 MB)
  --force                      Take over files in the output directory that an earlier run did not write

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

function version(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

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
