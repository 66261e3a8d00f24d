/** Type inspection: gettype, parse_version. */
import type { Value } from "../values.ts";
import { argString, argType } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

/** The name gettype() reports for a dynamic value. */
export function dynamicTypeName(value: Value): string {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "object":
      return "dictionary";
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      if (!Number.isInteger(value)) return "real";
      return Math.abs(value) < 2 ** 31 ? "int" : "long";
    default:
      return "string";
  }
}

function gettype(args: readonly Value[], ctx: CallContext): string {
  const type = argType(ctx, 0);
  return type === "dynamic" ? dynamicTypeName(args[0] ?? null) : type;
}

/** parse_version: up to four dot-separated parts of at most 8 digits, as one number (8 digits per part). */
export function parseVersion(text: string): number | null {
  const parts = text.trim().split(".");
  if (parts.length > 4 || parts.some((p) => !/^\d{1,8}$/.test(p))) return null;
  let value = 0n;
  for (let i = 0; i < 4; i++) value = value * 100_000_000n + BigInt(parts[i] ?? "0");
  return Number(value);
}

/** The type family. */
export const TYPE_FUNCTIONS: readonly ScalarFunction[] = [
  { name: "gettype", call: gettype },
  { name: "parse_version", call: (args, ctx) => parseVersion(argString(args, ctx, 0)) },
];
