/** Logical and null-handling functions: iff/iif, case, coalesce, isempty/isnull and friends, not, max_of/min_of. */
import { compareValues, isEmptyValue, isNullValue, type Value } from "../values.ts";
import { argType } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

function iff(args: readonly Value[]): Value {
  return args[0] === true ? (args[1] ?? null) : (args[2] ?? null);
}

function caseFn(args: readonly Value[]): Value {
  for (let i = 0; i + 1 < args.length; i += 2) if (args[i] === true) return args[i + 1] ?? null;
  return args[args.length - 1] ?? null;
}

function coalesce(args: readonly Value[], ctx: CallContext): Value {
  const empty = ctx.resultType === "string" ? isEmptyValue : isNullValue;
  for (const a of args) if (!empty(a)) return a;
  return ctx.resultType === "string" ? "" : null;
}

function isNull(args: readonly Value[], ctx: CallContext): boolean {
  return argType(ctx, 0) !== "string" && isNullValue(args[0] ?? null);
}

function extreme(sign: 1 | -1): (args: readonly Value[], ctx: CallContext) => Value {
  return (args, ctx) => {
    let best: Value = null;
    for (const a of args) {
      if (isNullValue(a) || (ctx.resultType !== "string" && a === "")) continue;
      if (best === null || sign * compareValues(a, best) > 0) best = a;
    }
    return best === null && ctx.resultType === "string" ? "" : best;
  };
}

/** The logic family. */
export const LOGIC_FUNCTIONS: readonly ScalarFunction[] = [
  { name: "iff", aliases: ["iif"], call: iff },
  { name: "case", call: caseFn },
  { name: "coalesce", call: coalesce },
  { name: "isempty", call: (args) => isEmptyValue(args[0] ?? null) },
  { name: "isnotempty", aliases: ["notempty"], call: (args) => !isEmptyValue(args[0] ?? null) },
  { name: "isnull", call: isNull },
  { name: "isnotnull", aliases: ["notnull"], call: (args, ctx) => !isNull(args, ctx) },
  { name: "not", call: (args) => (typeof args[0] === "boolean" ? !args[0] : null) },
  { name: "max_of", call: extreme(1) },
  { name: "min_of", call: extreme(-1) },
];
