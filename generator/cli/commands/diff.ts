import { UsageError, many, type Parsed } from "../args";
import type { Io } from "../io";
import { formatReport } from "../../features/diff";
import { diff } from "../../index";

export async function runDiff(args: Parsed, io: Io): Promise<number> {
  const [before, after, ...extra] = args.positionals;
  if (!before || !after) throw new UsageError("diff needs two spec files: openapi-morph diff <old-spec> <new-spec>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  for (const flag of ["out", "check", "dump-ir", "no-client", "no-validators", "watch", "config"]) {
    if (args.flags.has(flag)) throw new UsageError(`--${flag} does not apply to diff`);
  }
  const operations = many(args, "operation");
  const tags = many(args, "tag");
  const selection = operations.length > 0 || tags.length > 0 ? { operations, tags } : undefined;
  const { after: summaryAfter, before: summaryBefore, report } = await diff(before, after, {
    ...selection,
    inferUnions: !args.flags.has("no-union-inference"),
    noUnionFor: many(args, "no-union-for"),
  });
  if (args.flags.has("json")) io.out(JSON.stringify(report, null, 2));
  else for (const line of formatReport(report, { ...summaryBefore.operations, ...summaryAfter.operations })) io.out(line);
  return args.flags.has("fail-on-breaking") && report.summary.breaking > 0 ? 1 : 0;
}
