/** Compiled by test/client.test.ts; each `@ts-expect-error` asserts that a line must not compile. */
import { createClient, retrieveFineTuningJob, type APIResult, type FineTuningJob } from "../../generated";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export async function usage(): Promise<void> {
  const job = await retrieveFineTuningJob("ftjob-abc123");
  const exact: Equal<typeof job, FineTuningJob> = true;
  const client = createClient({ apiKey: "sk", maxRetries: 1, timeout: 1000 });
  const viaClient = await client.retrieveFineTuningJob("ftjob-abc123", { headers: { "X-Trace": "1" } });
  const sameType: Equal<typeof viaClient, FineTuningJob> = true;
  const raw: APIResult<FineTuningJob> = await client.retrieveFineTuningJob.withResponse("ftjob-abc123");
  void [exact, sameType, raw];

  // @ts-expect-error the job id is a string
  await retrieveFineTuningJob(42);
  // @ts-expect-error the job id is required
  await retrieveFineTuningJob();
  // @ts-expect-error unknown options are rejected
  await retrieveFineTuningJob("ftjob-abc123", { retries: 3 });
  // @ts-expect-error the result is a job, not a string
  const wrong: string = await retrieveFineTuningJob("ftjob-abc123");
  void wrong;
}
