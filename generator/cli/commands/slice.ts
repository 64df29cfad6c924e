import { UsageError, many, one, type Parsed } from "../args";
import type { Io } from "../io";
import { slice } from "../../index";

export async function runSlice(args: Parsed, io: Io): Promise<number> {
  const [spec, ...extra] = args.positionals;
  if (!spec) throw new UsageError("slice needs a spec file: openapi-morph slice <spec> --operation <id> -o <file>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const out = one(args, "out");
  if (!out) throw new UsageError("slice needs an output file: -o <file>");
  const operations = many(args, "operation");
  const tags = many(args, "tag");
  if (operations.length === 0 && tags.length === 0) throw new UsageError("slice needs at least one --operation or --tag");
  const result = await slice(spec, { operations, tags, out });
  io.out(`${out}: ${result.operations} operation(s), ${result.schemas} schema(s)`);
  return 0;
}
