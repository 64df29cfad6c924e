/**
 * The state of one `buildIr` run, passed explicitly to every module of `ir/build/`: the spec, the
 * declarations made so far, the names handed out (in the order they are claimed, which decides
 * numbering after collisions), and what the run reports (renames, unions, warnings, examples).
 */
import { GeneratorError, escapePointerSegment } from "../../errors";
import type { ResolvedSpec } from "../../pipeline/resolve";
import { getAtPointer } from "../../pipeline/resolve";
import { isObject, type JsonObject } from "../../util/object";
import { compareCodePoints } from "../../util/strings";
import { TAKEN_NAMES, pascalCase } from "../identifiers";
import type { IrDeclaration, IrExample, IrRename, IrSchema, IrUnionReport } from "../types";
import { assertNever } from "../../util/assert-never";

export interface BuildOptions {
  /** Infer discriminated unions (rules 2 and 3; an explicit `discriminator` is always honoured). Default true. */
  inferUnions?: boolean;
  /** Schema names (as in the spec) for which no union is inferred, like `x-openapi-morph-union: false`. */
  noUnionFor?: string[];
  /**
   * `camel`: properties get camelCase TypeScript keys (`IrProperty.key`) and the client converts
   * to and from the wire's names. Default `wire`: the types use the API's own names.
   */
  naming?: "camel" | "wire";
}

/** Parses one schema node into IR; `schema.ts` provides it, the modules it calls use it to recurse. */
export type ParseSchema = (node: unknown, pointer: string, hint: string | undefined, specName?: string) => IrSchema;

export class BuildContext {
  readonly root: JsonObject;
  readonly inferUnions: boolean;
  readonly noUnionFor: Set<string>;
  readonly declarations = new Map<string, IrDeclaration>();
  readonly usedNames = new Set<string>();
  /** spec name → declaration name */
  readonly componentNames = new Map<string, string>();
  /** declaration name → spec name */
  readonly specNameOf = new Map<string, string>();
  readonly rawSchemas: JsonObject;
  /** Component names in code-point order, so numbering after a collision never depends on spec order. */
  readonly specNames: string[];
  readonly renames: IrRename[] = [];
  readonly unions: IrUnionReport[] = [];
  /** The resolver's warnings first (`$ref`s it could leave out), then the builder's. */
  readonly warnings: { pointer: string; message: string }[];
  readonly examples: IrExample[] = [];
  readonly inlineRefsInProgress = new Set<string>();
  /** Each schema reached through a `$ref` into the middle of a schema is built once, by pointer. */
  readonly inlineRefs = new Map<string, IrSchema>();
  /** Memo of `isPlainObjectSchema` and `flatProperties`, per schema object (see allOf.ts, raw.ts). */
  readonly plainObjects = new Map<object, boolean>();
  readonly flatMemo = new Map<object, Map<string, JsonObject>>();
  readonly nullableMemo = new Map<string, boolean>();
  /** allOf members: their `required` may name another member's properties, so `parseAllOf` decides those. */
  readonly allOfMembers = new WeakSet<object>();
  /** Set once by `buildIr` (see `ParseSchema`). */
  parse: ParseSchema = () => {
    throw new Error("BuildContext.parse used before it was set");
  };

  constructor(
    readonly spec: ResolvedSpec,
    options: BuildOptions,
  ) {
    this.root = spec.root;
    this.warnings = [...spec.warnings];
    this.inferUnions = options.inferUnions !== false;
    this.noUnionFor = new Set(options.noUnionFor ?? []);
    const components = isObject(this.root.components) ? this.root.components : {};
    this.rawSchemas = isObject(components.schemas) ? components.schemas : {};
    // Component names first, so they get their own names before any inline schema claims one.
    this.specNames = Object.keys(this.rawSchemas).sort(compareCodePoints);
    for (const specName of this.specNames) {
      const pointer = `#/components/schemas/${escapePointerSegment(specName)}`;
      const name = this.claimName(pascalCase(specName), pointer, specName);
      this.componentNames.set(specName, name);
      this.specNameOf.set(name, specName);
    }
  }

  errorAt(code: ConstructorParameters<typeof GeneratorError>[0], pointer: string, message: string, hint?: string): GeneratorError {
    const loc = this.spec.locate(pointer);
    return new GeneratorError(code, message, loc, hint);
  }

  rawAt(ref: string): unknown {
    return getAtPointer(this.root, ref.slice(1)).value;
  }

  claimName(wanted: string, pointer: string, original: string): string {
    let name = wanted;
    let reason = name !== original ? "sanitised to a TypeScript identifier" : "";
    if (TAKEN_NAMES.has(name)) {
      name = `${name}Schema`;
      reason = "the name is taken by the generated runtime or a global type";
    }
    if (this.usedNames.has(name)) {
      let i = 2;
      while (this.usedNames.has(`${name}${i}`)) i++;
      name = `${name}${i}`;
      reason = reason ? `${reason}, then numbered: it collides with another name` : "it collides with another name";
    }
    this.usedNames.add(name);
    if (name !== original && name !== wanted) this.renames.push({ from: original, to: name, pointer, reason });
    else if (name !== original && reason) this.renames.push({ from: original, to: name, pointer, reason });
    return name;
  }

  addDeclaration(decl: IrDeclaration): void {
    this.declarations.set(decl.name, decl);
  }

  unionAllowed(specName: string | undefined, node: JsonObject): boolean {
    return this.inferUnions && node["x-openapi-morph-union"] !== false && !(specName && this.noUnionFor.has(specName));
  }

  /**
   * Gives an anonymous object or discriminated union at a property a name of its own
   * (`FineTuningJob.error` → `FineTuningJobError`), as a hand-written SDK would.
   */
  nameInline(schema: IrSchema, name: string | undefined): IrSchema {
    if (!name) return schema;
    switch (schema.kind) {
      case "nullable":
        return { ...schema, inner: this.nameInline(schema.inner, name) };
      case "array":
        return { ...schema, items: this.nameInline(schema.items, `${name}Item`) };
      case "object":
        if (schema.properties.length === 0 && schema.extends.length === 0) return schema;
        break;
      case "union":
        if (!schema.discriminator) return schema;
        break;
      case "enum":
      case "literal":
      case "map":
      case "primitive":
      case "ref":
      case "unknown":
      case "intersection":
        return schema;
      default:
        return assertNever(schema);
    }
    const declName = this.claimName(name, schema.pointer ?? "", name);
    this.addDeclaration({
      name: declName,
      schema,
      source: "inline",
      pointer: schema.pointer ?? "",
      nullable: false,
      meta: schema.meta,
    });
    return { kind: "ref", name: declName, pointer: schema.pointer };
  }
}
