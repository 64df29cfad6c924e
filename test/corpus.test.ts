import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../generator/index";
import { GeneratorError } from "../generator/errors";
import { readTsFiles, typeCheck } from "./helpers/tsc";

/**
 * Real specs from the public corpus (`../shared/specs/corpus/`, skipped when absent) generate,
 * and their output compiles with bodies checked: the check `npm run corpus` makes of every spec
 * (with openapi-typescript beside it, timings and `bench/corpus.md`), here on a fixed subset so
 * `npm test` stays fast. The subset takes every vendor of the corpus and each class of problem
 * met there (webhooks-only documents, `$ref`s by place, extensions, undeclared path parameters),
 * leaving out the big specs (Stripe, Asana, Twilio's api_v2010, PagerDuty REST, Adyen's and
 * Apideck's large ones, about 150 KB and more): they take minutes, `npm run corpus` covers them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readSources } = require("../bench/corpus/sources") as { readSources(): { path: string; abs: string; checkout: string; exists: boolean }[] | undefined };

const SUBSET = [
  "oai/_archive_/schemas/v3.0/pass/api-with-examples.yaml",
  "oai/_archive_/schemas/v3.0/pass/callback-example.yaml",
  "oai/_archive_/schemas/v3.0/pass/link-example.yaml",
  "oai/_archive_/schemas/v3.0/pass/petstore-expanded.yaml",
  "oai/_archive_/schemas/v3.0/pass/petstore.yaml",
  "oai/_archive_/schemas/v3.0/pass/uspto.yaml",
  "readme/3.0/yaml/callbacks.yaml",
  "readme/3.0/yaml/circular.yaml",
  "readme/3.0/yaml/complex-nesting.yaml",
  "readme/3.0/yaml/discriminators.yaml",
  "readme/3.0/yaml/polymorphism.yaml",
  "readme/3.0/yaml/schema-types.yaml",
  "readme/3.1/yaml/petstore.yaml",
  "readme/3.1/yaml/webhooks.yaml",
  "readme/3.1/yaml/train-travel.yaml",
  "readme/3.1/yaml/schema-validation-local.yaml",
  "swagger/src/main/resources/openapi.yaml",
  "redocly/openapi.yaml",
  "redocly/openapi/openapi.yaml",
  "digitalocean/specification/DigitalOcean-public.v2.yaml",
  "lob/lob-api-public.yml",
  "openapi-ts/packages/openapi-fetch/examples/vue-3/src/schema/catfact.json",
  "twilio/spec/json/twilio_accounts_v1.json",
  "twilio/spec/json/twilio_chat_v3.json",
  "twilio/spec/json/twilio_oauth_v1.json",
  "asana/defs/app_components_oas.yaml",
  "pagerduty/reference/events-v1/openapiv3.json",
  "pagerduty/reference/events-v2/openapiv3.json",
  "pagerduty/reference/mcp/openapiv3.json",
  "spotify/official-spotify-open-api.yml",
  "adyen/json/BalanceControlService-v2.json",
  "adyen/json/BinLookupService-v54.json",
  "adyen/json/DisputeService-v30.json",
  "adyen/json/BalancePlatformTransferNotification-v4.json",
  "hubspot/PublicApiSpecs/CRM/Contacts/Rollouts/424/v3/contacts.json",
  "hubspot/PublicApiSpecs/CRM/Deals/Rollouts/424/v3/deals.json",
  "hubspot/PublicApiSpecs/Auth/Oauth/Rollouts/279897/v3/oauth.json",
  "hubspot/PublicApiSpecs/Webhooks/Webhooks/Rollouts/147891/v3/webhooks.json",
  "heyapi/specs/3.0.x/full.yaml",
  "heyapi/specs/3.1.x/full.yaml",
  "heyapi/specs/3.1.x/external.yaml",
  "apideck/webhook.yml",
  "mermade/3.0/pass/OAI/uber.yaml",
  "mermade/3.0/pass/extensionsEverywhere.yaml",
  "mermade/3.0/pass/externalPathItemRef.yaml",
  "mermade/3.1/pass/mega.yaml",
  "mermade/3.1/pass/schema.yaml",
  "mermade/3.1/pass/minimal_comp.yaml",
  "mermade/3.1/pass/path_var_empty_pathitem.yaml",
  "mermade/3.1/pass/path_no_response.yaml",
  "mermade/3.1/pass/comp_pathitems.yaml",
  "sendgrid/spec/json/tsg_mail_v3.json",
  "sendgrid/spec/json/tsg_mc_contacts_v3.json",
  "realworld/api/openapi.yml",
];

/** Specs that must keep failing, with the short error they get. */
const REFUSED: [string, RegExp][] = [
  ["readme/2.0/yaml/petstore.yaml", /^error E_SWAGGER2: .*Swagger 2\.0 is not supported/],
  // Upstream's own schema $ref is broken: the error names the pointer and stays one short line.
  ["hubspot/PublicApiSpecs/CMS/Hubdb/Rollouts/243927/v3/hubdb.json", /^error E_REF: \S+hubdb\.json #\/components\/schemas\/RandomAccessCollectionResponseWithTotalHubDbTableRowV3\/properties\/results\/items: unresolved \$ref "#\/components\/schemas\/HubDbTableRowV3Wrapper"$/],
];

const sources = readSources();
const present = new Map((sources ?? []).filter((s) => s.exists).map((s) => [s.path, s]));
const run = sources ? describe : describe.skip;

run("the corpus subset", () => {
  let tmp: string;
  const outputs = new Map<string, string>();
  const failures: string[] = [];
  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "morph-corpus-"));
    for (const [i, spec] of SUBSET.entries()) {
      const source = present.get(spec);
      if (!source) continue;
      const abs = source.abs;
      const out = path.join(tmp, String(i));
      try {
        await generate({ spec: abs, out, cache: false, parallel: false, allowRef: [source.checkout] });
        outputs.set(spec, out);
      } catch (e) {
        failures.push(`${spec}: ${e instanceof GeneratorError ? e.format() : String(e)}`);
      }
    }
  }, 300_000);
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test("is at least 40 specs from every vendor of the corpus, all of them listed there", () => {
    expect(SUBSET.length).toBeGreaterThanOrEqual(40);
    const listed = new Set((sources ?? []).map((s) => s.path));
    expect(SUBSET.filter((s) => !listed.has(s))).toEqual([]);
    const vendors = (list: string[]) => [...new Set(list.map((s) => s.split("/")[0]))].sort();
    expect(vendors(SUBSET)).toEqual(vendors([...listed]).filter((v) => v !== "stripe"));
  });

  test("every spec generates", () => {
    expect(failures).toEqual([]);
  });

  test("every output compiles, bodies included, in one program", () => {
    // Every output carries the same runtime.ts; checked once, it is half the program's work less.
    const [first, ...rest] = [...outputs.values()];
    const runtime = first === undefined ? "" : readFileSync(path.join(first, "runtime.ts"), "utf8");
    for (const out of rest) {
      expect(readFileSync(path.join(out, "runtime.ts"), "utf8")).toBe(runtime);
      writeFileSync(path.join(out, "runtime.ts"), `export * from ${JSON.stringify(path.join(first, "runtime"))};\n`);
    }
    const files = [...outputs.values()].flatMap((out) => readTsFiles(out).map((f) => path.join(out, f.path)));
    const byOutput = new Map([...outputs].map(([spec, out]) => [out, spec]));
    const errors = typeCheck(files).map((d) => {
      const out = [...byOutput.keys()].find((o) => d.startsWith(o + path.sep));
      return out ? `${byOutput.get(out)}: ${d.slice(out.length + 1)}` : d;
    });
    expect(errors).toEqual([]);
  }, 300_000);

  test.each(REFUSED)("%s is refused with a short error", async (spec, want) => {
    const abs = present.get(spec)?.abs;
    if (!abs || !existsSync(abs)) return;
    const error = await generate({ spec: abs, out: path.join(tmp, "refused"), cache: false }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(GeneratorError);
    expect((error as GeneratorError).format()).toMatch(want);
  });
});
