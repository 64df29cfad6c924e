import { generate } from "../index";
import { specToIr } from "../index";
import { UsageError, many, one, type Io, type Parsed } from "../cli";
import { checkExamples } from "../ir/check";

export async function runGenerate(args: Parsed, io: Io): Promise<number> {
  const [spec, ...extra] = args.positionals;
  if (!spec) throw new UsageError("generate needs a spec file: openapi-morph generate <spec> -o <dir>");
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  const buildOptions = {
    inferUnions: !args.flags.has("no-union-inference"),
    noUnionFor: many(args, "no-union-for"),
  };
  if (args.flags.has("dump-ir")) {
    io.out(JSON.stringify(specToIr(spec, buildOptions), null, 2));
    return 0;
  }
  const out = one(args, "out");
  if (!out) throw new UsageError("generate needs an output directory: -o <dir>");
  const check = args.flags.has("check");
  const quiet = args.flags.has("quiet");
  const result = await generate({
    spec,
    out,
    check,
    ...buildOptions,
    client: !args.flags.has("no-client"),
    validators: !args.flags.has("no-validators"),
  });
  const { ir, write } = result;
  if (!quiet) {
    for (const u of ir.unions) io.out(`union ${u.at}: ${u.reason} on "${u.property}" (${u.values.join(" | ")})`);
    for (const r of ir.renames) io.out(`renamed ${r.from} → ${r.to} (${r.reason}) at ${r.pointer}`);
    for (const op of ir.operations) if (op.unsupported) io.err(`warning: ${op.operationId}: client function skipped: ${op.unsupported}`);
    for (const w of ir.warnings) io.err(`warning: ${w.pointer}: ${w.message}`);
    const report = checkExamples(ir);
    const bad = report.filter((r) => r.status === "mismatch");
    if (bad.length > 0) {
      io.err(`warning: ${bad.length} documented example(s) do not match their schema (run \`openapi-morph examples ${spec}\` for details):`);
      for (const r of bad) io.err(`  ${r.pointer}: ${r.issues[0].path || "(root)"} ${r.issues[0].message}`);
    }
  }
  if (check) {
    const stale = [...write.changed, ...write.removed];
    if (stale.length > 0) {
      io.err(`${out} is stale; these files differ from what ${spec} generates:`);
      for (const f of write.changed) io.err(`  ${f}`);
      for (const f of write.removed) io.err(`  ${f} (no longer generated)`);
      io.err(`run: openapi-morph generate ${spec} -o ${out}`);
      return 1;
    }
    if (!quiet) io.out(`${out} is up to date (${write.unchanged.length} files)`);
    return 0;
  }
  if (!quiet) {
    const parts = [`${write.changed.length} written`, `${write.unchanged.length} unchanged`];
    if (write.removed.length) parts.push(`${write.removed.length} removed`);
    io.out(`${out}: ${parts.join(", ")} (${ir.declarations.length} types, ${ir.operations.length} operations)`);
  }
  return 0;
}
