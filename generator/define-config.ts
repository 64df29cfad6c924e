/**
 * The shape of `openapi-morph.config.{json,ts,mts,js,mjs}`. Part of the library API: a TypeScript
 * or JavaScript config file exports `defineConfig({...})`, which gives it types and completions.
 */

/** One `generate` run; the keys are the CLI's flags in camelCase. */
export interface JobConfig {
  /** The spec: a file (relative to the config file), an `http(s)` URL, or `-` for stdin. */
  spec: string;
  /** The output directory, relative to the config file. */
  out: string;
  noUnionInference?: boolean;
  noUnionFor?: string[];
  /** `camel`: camelCase property names in the types (the client converts); default `wire`. */
  naming?: "camel" | "wire";
  noClient?: boolean;
  noValidators?: boolean;
  quiet?: boolean;
  /**
   * How relative imports between the generated files end: `none` (`./types`), `.js` (ESM with
   * `nodenext`/`node16`) or `.ts` (`allowImportingTsExtensions`, Node's type stripping). Default:
   * detected from the `package.json` and `tsconfig.json` nearest to `out`.
   */
  importExtension?: ImportExtension;
  /** Folders (relative to the config file) that file `$ref`s may reach besides the config's own. */
  allowRef?: string[];
  /** The most bytes one spec file may have (default 64 MB). */
  maxFileSize?: number;
}

export type ImportExtension = "none" | ".js" | ".ts";

export interface UserConfig {
  jobs: JobConfig[];
}

/** Returns its argument: it exists for the types (`export default defineConfig({ jobs: [...] })`). */
export function defineConfig(config: UserConfig): UserConfig {
  return config;
}
