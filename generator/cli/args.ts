import { parseArgs as parseTokens } from "node:util";
import { closestName } from "../util/strings";

/**
 * The command line, read with `node:util`'s `parseArgs` against one table of flags. A flag is one
 * line of `FLAGS` (and a line of help in main.ts's USAGE); the commands read what they need with
 * `one`, `many` and `flags.has`.
 */

/** A mistake on the command line: exit code 2 and the usage text. */
export class UsageError extends Error {}

interface FlagSpec {
  /** Takes a value (`--out dir`, `--out=dir`); otherwise a switch that takes none. */
  value?: true;
  /** One-letter form: `-o dir`, `-o=dir`. */
  short?: string;
  /** Other long names meaning the same flag. */
  aliases?: string[];
}

/** Every flag of every command. Values repeat where the command allows it (`many`). */
export const FLAGS: Record<string, FlagSpec> = {
  out: { value: true, short: "o", aliases: ["output"] },
  check: {},
  "dump-ir": {},
  "no-union-inference": {},
  "no-union-for": { value: true },
  naming: { value: true },
  "no-client": {},
  "no-validators": {},
  quiet: {},
  verbose: {},
  operation: { value: true },
  tag: { value: true },
  watch: {},
  config: { value: true },
  "import-extension": { value: true },
  report: { value: true },
  "watch-interval": { value: true },
  "allow-ref": { value: true },
  "max-file-size": { value: true },
  force: {},
  "fail-on-breaking": {},
  json: {},
  help: { short: "h" },
  version: { short: "v" },
};

export interface Parsed {
  command?: string;
  positionals: string[];
  /** Canonical flag name → its values in order (`"true"` for a switch). */
  flags: Map<string, string[]>;
}

/** Long name or alias → canonical name. */
function longNames(): Map<string, string> {
  const names = new Map<string, string>();
  for (const [name, spec] of Object.entries(FLAGS)) for (const n of [name, ...(spec.aliases ?? [])]) names.set(n, name);
  return names;
}

export function parseArgs(argv: string[]): Parsed {
  const names = longNames();
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {};
  for (const [long, name] of names) {
    const spec = FLAGS[name];
    options[long] = { type: spec.value ? "string" : "boolean", ...(spec.short && long === name ? { short: spec.short } : {}) };
  }
  // Not strict: unknown flags and misplaced values come back as tokens, reported below in our words.
  const { tokens } = parseTokens({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const parsed: Parsed = { positionals: [], flags: new Map() };
  let terminated = false;
  for (const token of tokens) {
    if (token.kind === "option-terminator") {
      terminated = true;
      continue;
    }
    if (token.kind === "positional") {
      if (parsed.command === undefined && !terminated) parsed.command = token.value;
      else parsed.positionals.push(token.value);
      continue;
    }
    const arg = argv[token.index];
    const short = !token.rawName.startsWith("--");
    const name = short ? undefined : names.get(token.name);
    // A one-letter flag stands alone (`-o dir`, `-o=dir`): `-out` or `-hv` are typos, not `-o ut` or `-h -v`.
    const shortName = short ? Object.keys(FLAGS).find((n) => FLAGS[n].short !== undefined && (arg === `-${FLAGS[n].short}` || (FLAGS[n].value && arg.startsWith(`-${FLAGS[n].short}=`)))) : undefined;
    if (name === undefined && shortName === undefined) throw unknownFlag(arg, short ? undefined : token.name);
    const flag = (name ?? shortName)!;
    let value = "true";
    if (FLAGS[flag].value) {
      // `-o=dir` reads as `-o` with the value `=dir`.
      const inline = token.inlineValue ? (short && token.value?.startsWith("=") ? token.value.slice(1) : token.value) : undefined;
      // A flag right after a value flag is a forgotten value, not the value.
      if (inline === undefined && (token.value === undefined || token.value.startsWith("-"))) throw new UsageError(`option ${token.rawName} needs a value`);
      value = inline ?? token.value!;
    } else if (token.inlineValue) throw new UsageError(`option --${flag} takes no value`);
    parsed.flags.set(flag, [...(parsed.flags.get(flag) ?? []), value]);
  }
  return parsed;
}

/** `long`: the long name typed, for the nearest known one; one-letter flags get no guess. */
function unknownFlag(arg: string, long: string | undefined): UsageError {
  const near = long === undefined ? undefined : closestName(long, [...longNames().keys()], Math.max(2, Math.floor(long.length / 3)));
  return new UsageError(`unknown option ${arg}${near ? `; did you mean --${near}?` : ""}`);
}

export function one(args: Parsed, flag: string): string | undefined {
  const v = args.flags.get(flag);
  if (v && v.length > 1) throw new UsageError(`--${flag} given more than once`);
  return v?.[0];
}

export function many(args: Parsed, flag: string): string[] {
  return args.flags.get(flag) ?? [];
}
