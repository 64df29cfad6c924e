import { format, type Options } from "prettier";
import type { EmittedFile } from "./emit/print";

/**
 * Pinned prettier, explicit options, no config lookup: output must not depend on the machine
 * or on a `.prettierrc` the user happens to have.
 */
export const PRETTIER_OPTIONS: Options = {
  parser: "typescript",
  printWidth: 100,
  tabWidth: 2,
  useTabs: false,
  semi: true,
  singleQuote: false,
  quoteProps: "as-needed",
  trailingComma: "all",
  bracketSpacing: true,
  arrowParens: "always",
  endOfLine: "lf",
  proseWrap: "preserve",
};

export async function formatCode(files: EmittedFile[]): Promise<EmittedFile[]> {
  return Promise.all(
    files.map(async (f) => ({
      path: f.path,
      text: f.path.endsWith(".ts") ? await format(f.text, PRETTIER_OPTIONS) : f.text,
    })),
  );
}
