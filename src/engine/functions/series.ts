/**
 * Series functions over dynamic numeric arrays: series_stats_dynamic (and the statistics behind
 * series_stats), series_fill_const/forward/backward, series_iir. series_decompose_anomalies,
 * series_outliers, series_fill_linear and series_fir are deliberately absent (refused at plan time):
 * their results depend on undocumented details (seasonality detection, the anomaly score, int/real
 * element types that dynamic values do not keep, filter edges).
 */
import { toDynamic, type JsonValue, type Value } from "../values.ts";
import { argArray, argType } from "./conversion.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";
import { SERIES_ELEMENTWISE_FUNCTIONS } from "./series-elementwise.ts";

/** The statistics series_stats and series_stats_dynamic report, in Kusto's order. */
export interface SeriesStats {
  min: number | null;
  min_idx: number | null;
  max: number | null;
  max_idx: number | null;
  avg: number | null;
  stdev: number | null;
  variance: number | null;
  sum: number | null;
  len: number;
}

const NULL_STATS: SeriesStats = { min: null, min_idx: null, max: null, max_idx: null, avg: null, stdev: null, variance: null, sum: null, len: 0 };

/**
 * Computes series statistics (sample variance and stdev). Non-finite elements (null, NaN, ±inf,
 * non-numbers) make every statistic null unless `ignoreNonfinite`, which skips them.
 */
export function seriesStats(series: readonly JsonValue[], ignoreNonfinite: boolean): SeriesStats {
  const values: { v: number; i: number }[] = [];
  for (let i = 0; i < series.length; i++) {
    const v = series[i];
    if (typeof v === "number" && Number.isFinite(v)) values.push({ v, i });
    else if (!ignoreNonfinite) return { ...NULL_STATS, len: series.length };
  }
  if (values.length === 0) return { ...NULL_STATS };
  let min = values[0] as { v: number; i: number };
  let max = min;
  let sum = 0;
  let squares = 0;
  for (const x of values) {
    if (x.v < min.v) min = x;
    if (x.v > max.v) max = x;
    sum += x.v;
    squares += x.v * x.v;
  }
  const n = values.length;
  const avg = sum / n;
  // Kusto's one-pass form (n·Σx² − (Σx)²) / (n·(n−1)); it reproduces the documented digits.
  const variance = n > 1 ? Math.max(0, (n * squares - sum * sum) / (n * (n - 1))) : 0;
  return { min: min.v, min_idx: min.i, max: max.v, max_idx: max.i, avg, stdev: Math.sqrt(variance), variance, sum, len: n };
}

/** A fill argument as the dynamic value placed in the array. */
function dynamicArg(args: readonly Value[], ctx: CallContext, i: number, fallback: JsonValue): JsonValue {
  if (i >= args.length) return fallback;
  return toDynamic(args[i] ?? null, argType(ctx, i));
}

/** True when `v` is the missing-value placeholder (null by default). */
function isMissing(v: JsonValue | undefined, placeholder: JsonValue): boolean {
  return placeholder === null ? v === null || v === undefined : v === placeholder;
}

function fillConst(args: readonly Value[], ctx: CallContext): Value {
  const series = argArray(args, 0);
  if (!series) return null;
  const constant = dynamicArg(args, ctx, 1, 0);
  const placeholder = dynamicArg(args, ctx, 2, null);
  return series.map((v) => (isMissing(v, placeholder) ? constant : v));
}

function fillDirectional(forward: boolean): (args: readonly Value[], ctx: CallContext) => Value {
  return (args, ctx) => {
    const series = argArray(args, 0);
    if (!series) return null;
    const placeholder = dynamicArg(args, ctx, 1, null);
    const out = series.slice();
    let last: JsonValue | undefined;
    for (let k = 0; k < out.length; k++) {
      const i = forward ? k : out.length - 1 - k;
      const v = out[i];
      if (isMissing(v, placeholder)) {
        if (last !== undefined) out[i] = last;
      } else last = v as JsonValue;
    }
    return out;
  };
}

/** series_iir: y[n] = (Σ b[i]·x[n-i] − Σ_{j≥1} a[j]·y[n-j]) / a[0], zero initial state; null when an input is not numeric or a[0] is 0. */
function iir(args: readonly Value[]): Value {
  const x = argArray(args, 0);
  const b = argArray(args, 1);
  const a = argArray(args, 2);
  if (!x || !b || !a || a.length === 0) return null;
  const nums = (arr: JsonValue[]): number[] | null => (arr.every((v) => typeof v === "number") ? (arr as number[]) : null);
  const xs = nums(x);
  const bs = nums(b);
  const as = nums(a);
  if (!xs || !bs || !as || as[0] === 0) return null;
  const a0 = as[0] as number;
  const y: number[] = [];
  for (let n = 0; n < xs.length; n++) {
    let acc = 0;
    for (let i = 0; i < bs.length && i <= n; i++) acc += (bs[i] as number) * (xs[n - i] as number);
    for (let j = 1; j < as.length && j <= n; j++) acc -= (as[j] as number) * (y[n - j] as number);
    y.push(acc / a0);
  }
  return y;
}

function statsDynamic(args: readonly Value[]): Value {
  const series = argArray(args, 0);
  if (!series) return null;
  const stats = seriesStats(series, args[1] === true);
  return { ...stats };
}

/** The series family. */
export const SERIES_FUNCTIONS: readonly ScalarFunction[] = [
  { name: "series_stats_dynamic", call: statsDynamic },
  { name: "series_fill_const", call: fillConst },
  { name: "series_fill_forward", call: fillDirectional(true) },
  { name: "series_fill_backward", call: fillDirectional(false) },
  { name: "series_iir", call: iir },
  ...SERIES_ELEMENTWISE_FUNCTIONS,
];
