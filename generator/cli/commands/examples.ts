import { UsageError, type Parsed } from "../args";
import type { Io } from "../io";
import { specToIr } from "../../index";
import { checkExamples, formatExampleReport } from "../../ir/check";
import { readSources } from "../../pipeline/sources";
import { refOptionsOf } from "./generate";

/** Prints the conformance report of the documented examples; exit 1 when any mismatches. */
export async function runExamples(args: Parsed, io: Io): Promise<number> {
  const [spec] = args.positionals;
  if (!spec) throw new UsageError("examples needs a spec file: openapi-morph examples <spec>");
  const report = checkExamples(specToIr(spec, { ...refOptionsOf(args), sources: await readSources(spec) }));
  io.out(formatExampleReport(report));
  return report.some((r) => r.status === "mismatch") ? 1 : 0;
}
