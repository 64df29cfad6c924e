import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { stringify } from "yaml";
import { UsageError, many, one, type Io, type Parsed } from "../main";
import { GeneratorError } from "../../errors";
import { loadSpec } from "../../pipeline/load";
import { resolveRefs } from "../../pipeline/resolve";
import { sliceSpec } from "../../features/slice";

export function runSlice(args: Parsed, io: Io): number {
  const [spec, ...extra] = args.positionals;
  if (!spec) throw new UsageError("slice needs a spec file: openapi-morph slice <spec> --operation <id> -o <file>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const out = one(args, "out");
  if (!out) throw new UsageError("slice needs an output file: -o <file>");
  const operations = many(args, "operation");
  const tags = many(args, "tag");
  if (operations.length === 0 && tags.length === 0) throw new UsageError("slice needs at least one --operation or --tag");
  const sliced = sliceSpec(resolveRefs(loadSpec(spec)), { operations, tags });
  const text = stringify(sliced, { lineWidth: 0, aliasDuplicateObjects: false });
  const target = path.resolve(out);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(temp, text);
    renameSync(temp, target);
  } catch (e) {
    throw new GeneratorError("E_WRITE", `cannot write ${out}: ${(e as Error).message}`, { file: out });
  }
  const schemas = Object.keys(((sliced.components as Record<string, object> | undefined)?.schemas ?? {}) as object).length;
  const ops = Object.values(sliced.paths as Record<string, object>).reduce((n, item) => n + Object.keys(item).filter((k) => /^(get|put|post|delete|options|head|patch|trace)$/.test(k)).length, 0);
  io.out(`${out}: ${ops} operation(s), ${schemas} schema(s)`);
  return 0;
}
