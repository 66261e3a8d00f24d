import { formatDatetimeFull, MIN_DATETIME, type Value } from "../values.ts";

/** A make-series axis: bins `start + i·step` for i in [0, count). Datetime and timespan axes are in ticks (bigint). */
export type SeriesAxis = { kind: "ticks"; start: bigint; step: bigint; count: number } | { kind: "number"; start: number; step: number; count: number };

/** Kusto bins datetimes from 0001-01-01, so bin(t, 7d) starts weeks on Mondays, not on the Unix epoch's Thursday. */
const EPOCH_SHIFT = -MIN_DATETIME;

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Kusto's bin() of a tick value (datetime when `datetime` is true, else timespan). */
export function binTicks(value: bigint, step: bigint, datetime: boolean): bigint {
  const shift = datetime ? EPOCH_SHIFT : 0n;
  return floorDiv(value + shift, step) * step - shift;
}

/**
 * Builds the axis from `from`/`to` (either may be null: then the first bin of the data, and one step past its
 * last bin). `to` is exclusive: the last bin starts before it. Returns undefined when there is nothing to span.
 */
export function makeAxis(from: Value, to: Value, step: Value, data: readonly Value[], datetime: boolean): SeriesAxis | undefined {
  if (typeof step === "bigint") {
    const present = data.filter((v): v is bigint => typeof v === "bigint");
    const start = typeof from === "bigint" ? from : present.length ? binTicks(present.reduce((a, b) => (b < a ? b : a)), step, datetime) : undefined;
    const end = typeof to === "bigint" ? to : present.length ? binTicks(present.reduce((a, b) => (b > a ? b : a)), step, datetime) + step : undefined;
    if (start === undefined || end === undefined) return undefined;
    const count = end > start ? Number((end - start + step - 1n) / step) : 0;
    return { kind: "ticks", start, step, count };
  }
  if (typeof step !== "number") return undefined;
  const present = data.filter((v): v is number => typeof v === "number");
  const start = typeof from === "number" ? from : present.length ? Math.floor(present.reduce((a, b) => Math.min(a, b)) / step) * step : undefined;
  const end = typeof to === "number" ? to : present.length ? Math.floor(present.reduce((a, b) => Math.max(a, b)) / step) * step + step : undefined;
  if (start === undefined || end === undefined) return undefined;
  const count = end > start ? Math.ceil((end - start) / step) : 0;
  return { kind: "number", start, step, count };
}

/** The bin index of an axis value, or -1 when it is null or outside the axis. */
export function binIndex(axis: SeriesAxis, value: Value): number {
  if (axis.kind === "ticks") {
    if (typeof value !== "bigint") return -1;
    const i = floorDiv(value - axis.start, axis.step);
    return i >= 0n && i < BigInt(axis.count) ? Number(i) : -1;
  }
  if (typeof value !== "number") return -1;
  const i = Math.floor((value - axis.start) / axis.step);
  return i >= 0 && i < axis.count ? i : -1;
}

/** The axis values as the dynamic array make-series returns. */
export function axisValues(axis: SeriesAxis, datetime: boolean, format: (ticks: bigint) => string): (string | number)[] {
  const out: (string | number)[] = [];
  for (let i = 0; i < axis.count; i++) {
    if (axis.kind === "ticks") {
      const t = axis.start + BigInt(i) * axis.step;
      out.push(datetime ? formatDatetimeFull(t) : format(t));
    } else out.push(axis.start + i * axis.step);
  }
  return out;
}
