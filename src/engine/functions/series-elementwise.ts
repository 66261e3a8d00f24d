/**
 * Element-wise and reducing series functions over dynamic numeric arrays: series_abs … series_tan,
 * series_add/subtract/multiply/divide/pow, the comparisons (series_greater, …), and series_sum,
 * series_product, series_dot_product, series_magnitude, series_pearson_correlation, series_cosine_similarity.
 * Non-numeric elements, and positions past the end of the shorter series, give null elements.
 */
import { toDynamic, type JsonValue, type Value } from "../values.ts";
import type { ScalarFunction } from "./registry.ts";

/** A series argument: an array, or a scalar number broadcast to every position (Kusto accepts both). */
type SeriesArg = { array: JsonValue[] } | { scalar: number | null };

function seriesArg(value: Value | undefined): SeriesArg | null {
  if (Array.isArray(value)) return { array: value };
  if (typeof value === "number") return { scalar: value };
  if (value === null || value === undefined) return { scalar: null };
  return null;
}

function elementAt(arg: SeriesArg, i: number): number | null {
  if ("scalar" in arg) return arg.scalar;
  const v = arg.array[i];
  return typeof v === "number" ? v : null;
}

function lengthOf(arg: SeriesArg): number {
  return "array" in arg ? arg.array.length : 0;
}

function unary(name: string, f: (x: number) => number): ScalarFunction {
  return {
    name,
    call: (args) => {
      const a = args[0];
      if (!Array.isArray(a)) return null;
      return a.map((v) => (typeof v === "number" ? toDynamic(f(v), "real") : null));
    },
  };
}

function binary(name: string, f: (a: number, b: number) => JsonValue): ScalarFunction {
  return {
    name,
    call: (args) => {
      const a = seriesArg(args[0]);
      const b = seriesArg(args[1]);
      if (!a || !b || ("scalar" in a && "scalar" in b)) return null;
      const n = Math.max(lengthOf(a), lengthOf(b));
      const out: JsonValue[] = [];
      for (let i = 0; i < n; i++) {
        const x = elementAt(a, i);
        const y = elementAt(b, i);
        out.push(x === null || y === null ? null : f(x, y));
      }
      return out;
    },
  };
}

function numbersOf(value: Value | undefined): number[] | null {
  if (!Array.isArray(value)) return null;
  return value.filter((v): v is number => typeof v === "number");
}

/** Pairs of numeric elements at the same positions of two arrays. */
function pairs(a: Value | undefined, b: Value | undefined): [number, number][] | null {
  if (!Array.isArray(a) || !Array.isArray(b)) return null;
  const out: [number, number][] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === "number" && typeof y === "number") out.push([x, y]);
  }
  return out;
}

function pearson(args: readonly Value[]): Value {
  const p = pairs(args[0], args[1]);
  if (!p || p.length === 0) return null;
  const n = p.length;
  const mx = p.reduce((s, [x]) => s + x, 0) / n;
  const my = p.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of p) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  const d = Math.sqrt(sxx * syy);
  return d === 0 ? null : sxy / d;
}

function cosine(args: readonly Value[]): Value {
  const p = pairs(args[0], args[1]);
  if (!p || p.length === 0) return null;
  const dot = p.reduce((s, [x, y]) => s + x * y, 0);
  const ma = typeof args[2] === "number" ? args[2] : Math.sqrt(p.reduce((s, [x]) => s + x * x, 0));
  const mb = typeof args[3] === "number" ? args[3] : Math.sqrt(p.reduce((s, [, y]) => s + y * y, 0));
  return ma === 0 || mb === 0 ? null : dot / (ma * mb);
}

function dotProduct(args: readonly Value[]): Value {
  const a = seriesArg(args[0]);
  const b = seriesArg(args[1]);
  if (!a || !b) return null;
  const n = Math.max(lengthOf(a), lengthOf(b));
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const x = elementAt(a, i);
    const y = elementAt(b, i);
    if (x !== null && y !== null) sum += x * y;
  }
  return sum;
}

/** The element-wise and reducing series functions. */
export const SERIES_ELEMENTWISE_FUNCTIONS: readonly ScalarFunction[] = [
  unary("series_abs", Math.abs),
  unary("series_acos", Math.acos),
  unary("series_asin", Math.asin),
  unary("series_atan", Math.atan),
  unary("series_ceiling", Math.ceil),
  unary("series_cos", Math.cos),
  unary("series_exp", Math.exp),
  unary("series_floor", Math.floor),
  unary("series_log", Math.log),
  unary("series_sign", Math.sign),
  unary("series_sin", Math.sin),
  unary("series_tan", Math.tan),
  binary("series_add", (a, b) => a + b),
  binary("series_subtract", (a, b) => a - b),
  binary("series_multiply", (a, b) => a * b),
  binary("series_divide", (a, b) => toDynamic(a / b, "real")),
  binary("series_pow", (a, b) => toDynamic(a ** b, "real")),
  binary("series_greater", (a, b) => a > b),
  binary("series_greater_equals", (a, b) => a >= b),
  binary("series_less", (a, b) => a < b),
  binary("series_less_equals", (a, b) => a <= b),
  binary("series_equals", (a, b) => a === b),
  binary("series_not_equals", (a, b) => a !== b),
  { name: "series_sum", call: (args) => numbersOf(args[0])?.reduce((s, x) => s + x, 0) ?? null },
  { name: "series_product", call: (args) => numbersOf(args[0])?.reduce((s, x) => s * x, 1) ?? null },
  { name: "series_magnitude", call: (args) => { const xs = numbersOf(args[0]); return xs ? Math.sqrt(xs.reduce((s, x) => s + x * x, 0)) : null; } },
  { name: "series_dot_product", call: dotProduct },
  { name: "series_pearson_correlation", call: pearson },
  { name: "series_cosine_similarity", call: cosine },
];
