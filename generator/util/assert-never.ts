/**
 * The end of an exhaustive `switch`: it only compiles when every case is handled, so adding a
 * kind to a union (an IR kind, a wire-plan kind) lists every switch that must learn it.
 */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}
