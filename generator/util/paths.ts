import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The package root, found by walking up: this code runs from `generator/` (tests, ts-jest) and
 * from `dist/generator/` (the installed bin), and templates live at the root in both cases.
 */
export function packageRoot(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "openapi-morph") return dir;
  }
  throw new Error("openapi-morph: cannot find its own package.json");
}

export function readTemplate(name: string): string {
  return readFileSync(path.join(packageRoot(), "templates", name), "utf8");
}
