/** `oneOf`/`anyOf`: plain unions, and the discriminated ones (explicit `discriminator`, or inferred). */
import { escapePointerSegment } from "../../errors";
import { isObject } from "../../util/object";
import { pascalCase } from "../identifiers";
import type { IrDiscriminator, IrSchema, IrUnion } from "../types";
import type { BuildContext } from "./context";
import { discriminantValues, flatProperties, pointerToSchemaName, singleValue, type Raw } from "./raw";
import { dynamicRefTarget } from "./required";

export function parseUnion(
  ctx: BuildContext,
  node: Raw,
  givenMembers: unknown[],
  membersPointer: string,
  pointer: string,
  hint: string | undefined,
  specName: string | undefined,
): IrSchema {
  // A recursive member reads as the `$ref` it means, so discriminator values are found through it too.
  let rawMembers = givenMembers.map((m, i) => {
    const target = isObject(m) && typeof m.$ref !== "string" ? dynamicRefTarget(ctx, m, `${membersPointer}/${i}`) : undefined;
    return target === undefined ? m : { $ref: target };
  });
  // `A: anyOf [$ref A, …]` adds nothing to A (a value matching A matches A); printed, it would be
  // `type A = A | …`, which does not compile.
  if (specName !== undefined) {
    const self = `#/components/schemas/${escapePointerSegment(specName)}`;
    const kept = rawMembers.filter((m) => !(isObject(m) && m.$ref === self));
    if (kept.length !== rawMembers.length) {
      ctx.warnings.push({ pointer, message: "the union lists its own schema as a member; that member is dropped" });
      if (kept.length === 0) throw ctx.errorAt("E_SCHEMA", pointer, "the union has no member but itself", "a schema cannot be only a union of itself");
      rawMembers = kept;
    }
  }
  // One member left (after dropping `{type: "null"}`) is that member, named as the union would be.
  if (rawMembers.length === 1) return ctx.parse(rawMembers[0], `${membersPointer}/0`, hint);
  const parsed = rawMembers.map((m, i) => ctx.parse(m, `${membersPointer}/${i}`, undefined));
  // A member that allows anything makes the union allow anything (`unknown | X` is `unknown`).
  if (parsed.some((m) => m.kind === "unknown")) return { kind: "unknown", pointer };
  const discriminator = decideDiscriminator(ctx, node, rawMembers, specName, pointer);
  let members = parsed;
  if (discriminator) {
    members = parsed.map((member, i) => {
      const raw = rawMembers[i];
      const values = discriminator.values[i];
      // A member whose discriminant is typed wider than its mapped value(s) gets narrowed here,
      // so `switch (x[prop])` narrows in TypeScript.
      const own = discriminantValues(ctx, raw, discriminator.property);
      let m = member;
      if (!values.every((v) => own.includes(v)) || own.some((v) => !values.includes(v))) {
        const literal: IrSchema = values.length === 1 ? { kind: "literal", value: values[0] } : { kind: "enum", values };
        m = {
          kind: "intersection",
          members: [member, { kind: "object", extends: [], additionalProperties: false, properties: [{ name: discriminator.property, required: true, schema: literal }] }],
        };
      }
      const memberName = hint ? `${hint}${pascalCase(values[0] ?? `Variant${i + 1}`)}` : undefined;
      return m.kind === "object" ? ctx.nameInline(m, memberName) : m;
    });
    ctx.unions.push({
      at: hint ?? pointer,
      pointer,
      reason: discriminator.reason,
      property: discriminator.property,
      values: discriminator.values.flat(),
    });
  } else if (hint) {
    members = parsed.map((m, i) => (m.kind === "object" ? ctx.nameInline(m, `${hint}${pascalCase(m.meta?.title ?? `Variant${i + 1}`)}`) : m));
  }
  const union: IrUnion = { kind: "union", members, discriminator, pointer };
  if (membersPointer.endsWith("/oneOf")) union.exclusive = true;
  return union;
}

function decideDiscriminator(ctx: BuildContext, node: Raw, rawMembers: unknown[], specName: string | undefined, pointer: string): IrDiscriminator | undefined {
  const d = node.discriminator;
  if (isObject(d) && typeof d.propertyName === "string") {
    const property = d.propertyName;
    const mapping = isObject(d.mapping) ? d.mapping : {};
    const values = rawMembers.map((m) => {
      const ref = isObject(m) && typeof m.$ref === "string" ? m.$ref : undefined;
      const mapped = Object.entries(mapping)
        .filter(([, target]) => target === ref || (ref && typeof target === "string" && `#/components/schemas/${target}` === ref))
        .map(([value]) => value);
      if (mapped.length > 0) return mapped;
      // A member that is itself a union contributes its members' values, not its own name.
      const own = discriminantValues(ctx, m, property);
      if (own.length > 0) return own;
      const target = ref ? pointerToSchemaName(ref) : undefined;
      return target ? [target] : [];
    });
    if (values.every((v) => v.length > 0)) return { property, reason: "discriminator", values };
    ctx.warnings.push({ pointer, message: `discriminator on "${property}" does not name every member; emitted as a plain union` });
    return undefined;
  }
  if (!ctx.unionAllowed(specName, node)) return undefined;
  const propsOf = rawMembers.map((m) => flatProperties(ctx, m));
  if (propsOf.some((p) => p.size === 0)) return undefined;
  const candidates = [...propsOf[0].keys()].sort((a, b) => (a === "type" ? -1 : b === "type" ? 1 : 0));
  for (const property of candidates) {
    const values = propsOf.map((p) => {
      const prop = p.get(property);
      return prop ? singleValue(ctx, prop) : undefined;
    });
    if (values.every((v): v is string => typeof v === "string") && new Set(values).size === values.length) {
      return { property, reason: "single-valued-property", values: values.map((v) => [v]) };
    }
  }
  return undefined;
}
