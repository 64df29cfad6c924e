// Type-checks generated outputs, many at once: one tsc program over a batch of output folders is
// far cheaper than one per folder (the lib files, most of what a program reads, are bound once).
// Generated files are read without their `@ts-nocheck` line, so bodies are checked too.
"use strict";
const path = require("node:path");
const ts = require("typescript");

/** The options generated code is compiled with, here and in the tests (test/helpers/tsc.ts STRICT_OPTIONS). */
const OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  types: [],
  skipLibCheck: true,
};

const NOCHECK = /^\/\/ @ts-nocheck[^\n]*/m;
const libFiles = new Map();

function host() {
  const h = ts.createCompilerHost(OPTIONS);
  const readFile = h.readFile.bind(h);
  h.readFile = (f) => readFile(f)?.replace(NOCHECK, "");
  const getSourceFile = h.getSourceFile.bind(h);
  h.getSourceFile = (f, version, onError, create) => {
    if (!/[\\/]typescript[\\/]lib[\\/]/.test(f)) return getSourceFile(f, version, onError, create);
    let cached = libFiles.get(f);
    if (!cached) libFiles.set(f, (cached = getSourceFile(f, version, onError, create)));
    return cached;
  };
  return h;
}

/**
 * `groups`: `{ key, dir, files }`, files relative to dir. Returns, per key, the diagnostics
 * (`file:line: message`, the file relative to its group's dir).
 */
function checkGroups(groups) {
  const owner = new Map();
  const roots = [];
  for (const g of groups) {
    for (const f of g.files) {
      const abs = path.resolve(g.dir, f);
      owner.set(abs, g);
      roots.push(abs);
    }
  }
  const program = ts.createProgram(roots, OPTIONS, host());
  const result = Object.fromEntries(groups.map((g) => [g.key, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, " ").slice(0, 300);
    const g = d.file && owner.get(path.resolve(d.file.fileName));
    if (!g) {
      for (const k of Object.keys(result)) result[k].push(`(global) ${message}`);
      continue;
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0);
    result[g.key].push(`${path.relative(g.dir, d.file.fileName)}:${line + 1}: ${message}`);
  }
  return result;
}

/** The names openapi-typescript's output declares under `components.schemas`. */
function oatComponentNames(file) {
  const source = ts.createSourceFile(file, ts.sys.readFile(file) ?? "", ts.ScriptTarget.ES2022, false);
  for (const st of source.statements) {
    if (!ts.isInterfaceDeclaration(st) || st.name.text !== "components") continue;
    const schemas = st.members.find((m) => m.name && propertyName(m.name) === "schemas");
    if (!schemas || !schemas.type || !ts.isTypeLiteralNode(schemas.type)) return [];
    return schemas.type.members.filter((m) => m.name).map((m) => propertyName(m.name));
  }
  return [];
}

function propertyName(name) {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}

/**
 * The names of the entry document's own `components.schemas`. For a spec split over files,
 * openapi-typescript's bundler adds components of its own naming (`0`, `1`…) for what the files
 * hold; only the spec's own names are comparable.
 */
function specComponentNames(file) {
  const text = ts.sys.readFile(file) ?? "";
  let doc;
  try {
    doc = /^\s*[{[]/.test(text) ? JSON.parse(text) : require("js-yaml").load(text, { schema: require("js-yaml").CORE_SCHEMA });
  } catch {
    return [];
  }
  const schemas = doc && doc.components && doc.components.schemas;
  return schemas && typeof schemas === "object" ? Object.keys(schemas) : [];
}

module.exports = { OPTIONS, checkGroups, oatComponentNames, specComponentNames };

if (require.main === module) {
  // Forked by the corpus runner: one request per message, answered in order.
  process.on("message", (m) => {
    let reply;
    try {
      const components = Object.fromEntries((m.oat ?? []).map(([file, spec]) => [file, oatComponentNames(file).filter(((own) => (n) => own.has(n))(new Set(specComponentNames(spec))))]));
      reply = { id: m.id, diagnostics: checkGroups(m.groups), components };
    } catch (e) {
      reply = { id: m.id, error: String((e && e.stack) || e) };
    }
    process.send(reply);
  });
}
