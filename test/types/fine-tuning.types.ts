/**
 * Compiled by test/types.test.ts with tsc --strict. Every `@ts-expect-error` is an assertion:
 * if the line stops being an error, compilation fails.
 */
import type {
  FineTuneMethod,
  FineTuneReinforcementMethodGrader,
  FineTuningJob,
  GraderMultiGraders,
  Metadata,
} from "../../generated";

function assertNever(x: never): never {
  throw new Error(`unexpected ${JSON.stringify(x)}`);
}

export function describeMethod(method: FineTuneMethod): string {
  switch (method.type) {
    case "supervised":
      return `supervised, epochs ${String(method.supervised?.hyperparameters?.n_epochs)}`;
    case "dpo":
      return `dpo, beta ${String(method.dpo?.hyperparameters?.beta)}`;
    case "reinforcement":
      return `reinforcement with ${method.reinforcement ? describeGrader(method.reinforcement.grader) : "no grader"}`;
    default:
      return assertNever(method);
  }
}

export function describeGrader(grader: FineTuneReinforcementMethodGrader): string {
  switch (grader.type) {
    case "string_check":
      return `${grader.name}: ${grader.operation}`;
    case "text_similarity":
      return `${grader.name}: ${grader.evaluation_metric}`;
    case "python":
      return `${grader.name}: ${grader.source.length} chars`;
    case "score_model":
      return `${grader.name}: ${grader.model}`;
    case "multi":
      return `${grader.name}: ${describeInner(grader.graders)}`;
    default:
      return assertNever(grader);
  }
}

export function describeInner(grader: GraderMultiGraders): string {
  switch (grader.type) {
    case "string_check":
    case "text_similarity":
    case "python":
    case "score_model":
      return grader.type;
    case "label_model":
      return grader.labels.join(",");
    default:
      return assertNever(grader);
  }
}

export const supervised: FineTuneMethod = { type: "supervised", supervised: { hyperparameters: { n_epochs: "auto" } } };
export const bare: FineTuneMethod = { type: "dpo" };

// @ts-expect-error a supervised method cannot carry a dpo configuration
export const mixed: FineTuneMethod = { type: "supervised", dpo: {} };

// @ts-expect-error an unknown method type is rejected
export const unknownType: FineTuneMethod = { type: "unsupervised" };

// @ts-expect-error an unknown grader type is rejected
export const unknownGrader: FineTuneReinforcementMethodGrader = { type: "regex", name: "x" };

export function nullability(job: FineTuningJob): void {
  const model: string | null = job.fine_tuned_model;
  // @ts-expect-error fine_tuned_model can be null
  const notNull: string = job.fine_tuned_model;
  const finish: number | null | undefined = job.estimated_finish;
  // @ts-expect-error estimated_finish is optional
  const required: number | null = job.estimated_finish;
  const epochs: "auto" | number | undefined = job.method?.type === "supervised" ? job.method.supervised?.hyperparameters?.n_epochs : undefined;
  const metadata: Metadata | null | undefined = job.metadata;
  const value: string | undefined = job.metadata?.["key"];
  // @ts-expect-error error is required (nullable, but present)
  const partial: FineTuningJob = { ...job, error: undefined };
  void [model, notNull, finish, required, epochs, metadata, value, partial];
}

// @ts-expect-error Metadata values are strings
export const badMetadata: Metadata = { key: 1 };
