import { UsageError, type Io, type Parsed } from "../main";
import { specToIr } from "../../index";
import { checkExamples, formatExampleReport } from "../../ir/check";

/** Prints the conformance report of the documented examples; exit 1 when any mismatches. */
export function runExamples(args: Parsed, io: Io): number {
  const [spec] = args.positionals;
  if (!spec) throw new UsageError("examples needs a spec file: openapi-morph examples <spec>");
  const report = checkExamples(specToIr(spec));
  io.out(formatExampleReport(report));
  return report.some((r) => r.status === "mismatch") ? 1 : 0;
}
