/**
 * Conversion functions (tostring, tolong, todatetime, …) and the typed conversions the other families
 * share. Each function returns null (or "" for tostring) when Kusto's conversion would fail.
 */
import {
  MAX_DATETIME,
  MIN_DATETIME,
  formatDatetimeFull,
  fitsLong,
  formatReal,
  normalizeLong,
  parseDatetime,
  parseLongText,
  parseTimespan,
  unsafeLongInDynamic,
  valueToString,
  type JsonValue,
  type KqlType,
  type Value,
} from "../values.ts";
import { EngineError } from "../errors.ts";
import { decimalFromText } from "../expressions/decimal.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

/** Ticks from 0001-01-01 (.NET DateTime.Ticks origin) to the Unix epoch. */
export const EPOCH_TICKS = 621_355_968_000_000_000n;

const INTEGER_RE = /^\s*[+-]?\d+\s*$/;
const REAL_RE = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const GUID_HEX_RE = /^[0-9a-fA-F]{32}$/;

/** The static type of argument `i` (dynamic when the model gave none). */
export function argType(ctx: CallContext, i: number): KqlType {
  return ctx.argTypes[i] ?? "dynamic";
}

/** Kusto's tostring() of a value of `type` (datetimes with seven fraction digits, nulls as ""). */
export function kustoString(value: Value, type: KqlType): string {
  if (type === "datetime" && typeof value === "bigint") return formatDatetimeFull(value);
  return valueToString(value, type);
}

/** A typed value as Kusto stores it in a dynamic (datetimes and timespans become their strings). */
export function dynamicOf(value: Value, type: KqlType): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint" && type !== "datetime" && type !== "timespan") throw unsafeLongInDynamic(value);
  if (typeof value === "bigint") return kustoString(value, type);
  if (typeof value === "number" && !Number.isFinite(value)) return formatReal(value);
  return value;
}

/** Kusto's tostring() of argument `i` of a call. */
export function argString(args: readonly Value[], ctx: CallContext, i: number): string {
  return kustoString(args[i] ?? null, argType(ctx, i));
}

/** Argument `i` as a whole number, or `fallback` when absent; null when present but not a number. */
export function argLong(args: readonly Value[], ctx: CallContext, i: number, fallback: number | null = null): number | null {
  if (i >= args.length) return fallback;
  return toLong(args[i] ?? null, argType(ctx, i));
}

/** Argument `i` as an exact long (a bigint beyond ±(2^53 − 1)), or null; for functions that compute on 64-bit integers. */
export function argLongExact(args: readonly Value[], ctx: CallContext, i: number): number | bigint | null {
  return toLongExact(args[i] ?? null, argType(ctx, i));
}

/** Argument `i` as a real, or null. */
export function argReal(args: readonly Value[], ctx: CallContext, i: number): number | null {
  return toReal(args[i] ?? null, argType(ctx, i));
}

/** The elements of a dynamic array argument, or null when the argument is not an array. */
export function argArray(args: readonly Value[], i: number): JsonValue[] | null {
  const v = args[i];
  return Array.isArray(v) ? v : null;
}

/** tostring() of one element of a dynamic array (strings as-is, other values as JSON). */
export function dynamicElementString(value: JsonValue): string {
  return valueToString(value, "dynamic");
}

/** Parses a real the way Kusto's todouble parses text (invariant culture; NaN and ±Infinity allowed). */
export function parseReal(text: string): number | null {
  if (REAL_RE.test(text)) return Number(text.trim());
  const t = text.trim().toLowerCase();
  if (t === "nan") return NaN;
  if (t === "infinity" || t === "+infinity" || t === "inf") return Infinity;
  if (t === "-infinity" || t === "-inf") return -Infinity;
  return null;
}

/** Converts a value of `type` to a real (todouble/toreal); null when not convertible. */
export function toReal(value: Value, type: KqlType): number | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
      return value;
    case "boolean":
      return value ? 1 : 0;
    case "bigint":
      return type === "datetime" ? Number(value + EPOCH_TICKS) : Number(value);
    case "string":
      return type === "guid" ? null : parseReal(value);
    default:
      return null;
  }
}

/**
 * Converts a value of `type` to a whole number for a function that computes in doubles; reals, and
 * decimal text, are truncated toward zero. A long beyond ±(2^53 − 1) is refused rather than rounded.
 */
export function toLong(value: Value, type: KqlType): number | null {
  if (typeof value === "bigint" && (type === "long" || type === "int")) {
    throw new EngineError("SC4020", `the long ${value} reached a function the offline engine computes in doubles, which would round it`);
  }
  if (typeof value === "string") {
    if (type === "guid") return null;
    if (INTEGER_RE.test(value)) return Number(value.trim());
    return REAL_RE.test(value) ? Math.trunc(Number(value.trim())) + 0 : null;
  }
  const real = toReal(value, type);
  if (real === null || !Number.isFinite(real)) return null;
  return Math.trunc(real) + 0;
}

/** A real truncated toward zero as an exact long, or null when it is not finite or does not fit 64 bits. */
function realToLong(n: number): number | bigint | null {
  if (!Number.isFinite(n)) return null;
  const whole = Math.trunc(n) + 0;
  if (Number.isSafeInteger(whole)) return whole;
  const exact = BigInt(whole);
  return fitsLong(exact) ? normalizeLong(exact) : null;
}

/**
 * tolong(): a value of `type` as an exact long (a bigint beyond ±(2^53 − 1)); integer text keeps every
 * digit, reals and decimal text are truncated toward zero, datetimes give .NET ticks (from 0001-01-01),
 * timespans their ticks; null when not convertible or beyond 64 bits.
 */
function toLongExact(value: Value, type: KqlType): number | bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") {
    if (type === "datetime") return normalizeLong(value + EPOCH_TICKS);
    return normalizeLong(value);
  }
  if (typeof value === "string") {
    if (type === "guid") return null;
    const exact = parseLongText(value);
    if (exact !== null) return exact;
    if (INTEGER_RE.test(value)) return null;
    return REAL_RE.test(value) ? realToLong(Number(value.trim())) : null;
  }
  const real = toReal(value, type);
  return real === null ? null : realToLong(real);
}

/**
 * todecimal(): text keeps its digits exactly (refused beyond 15 significant digits), a real is rounded
 * to 15 significant digits as .NET's double-to-decimal conversion does, a long keeps its digits.
 */
export function toDecimal(value: Value, type: KqlType): number | null {
  if (typeof value === "string" && type !== "guid") return decimalFromText(value);
  if (typeof value === "bigint" && (type === "long" || type === "int")) return decimalFromText(String(value));
  const real = toReal(value, type);
  if (real === null || !Number.isFinite(real)) return null;
  return type === "real" || type === "dynamic" ? Number(real.toPrecision(15)) + 0 : real;
}

/** Wraps a whole number to a signed 32-bit int, as Kusto's toint does on overflow. */
export function toInt32(n: number): number {
  if (Math.abs(n) < 2 ** 31) return n;
  return Number(BigInt.asIntN(32, BigInt(n)));
}

/** Converts a value of `type` to bool (tobool): "true"/"false" in any case, numbers by non-zero. */
export function toBool(value: Value, type: KqlType): boolean | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return Number.isNaN(value) ? null : value !== 0;
  if (typeof value === "string" && type !== "guid") {
    const t = value.trim().toLowerCase();
    if (t === "true") return true;
    if (t === "false") return false;
    if (INTEGER_RE.test(t)) return Number(t) !== 0;
    return null;
  }
  return null;
}

const DASHED_US_DATE_RE = /^\s*(\d{1,2})-(\d{1,2})-(\d{4})((?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,7})?)?)?)\s*$/;

/** Parses datetime text: the engine's formats plus `MM-dd-yyyy [time]` (as in the todatetime documentation). */
export function parseDatetimeText(text: string): bigint | null {
  const parsed = parseDatetime(text);
  if (parsed !== null) return parsed;
  const m = DASHED_US_DATE_RE.exec(text);
  return m ? parseDatetime(`${m[1]}/${m[2]}/${m[3]}${m[4] ?? ""}`) : null;
}

/** Converts a value of `type` to datetime ticks (todatetime); strings are parsed, other types give null. */
export function toDatetime(value: Value, type: KqlType): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return type === "timespan" ? null : value;
  if (typeof value === "string" && type !== "guid") return parseDatetimeText(value);
  return null;
}

/** Converts a value of `type` to timespan ticks (totimespan); numbers are taken as ticks. */
export function toTimespan(value: Value, type: KqlType): bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint") return type === "datetime" ? null : value;
  if (typeof value === "number") return Number.isFinite(value) ? BigInt(Math.trunc(value)) : null;
  if (typeof value === "string" && type !== "guid") return parseTimespan(value);
  return null;
}

/** Converts text to a lower-case guid string (toguid): 32 hex digits, dashes and one pair of braces or parentheses allowed. */
export function toGuid(value: Value, type: KqlType): string | null {
  if (typeof value !== "string") return null;
  if (type === "guid") return value;
  let t = value.trim();
  if ((t.startsWith("{") && t.endsWith("}")) || (t.startsWith("(") && t.endsWith(")"))) t = t.slice(1, -1);
  const hex = t.replaceAll("-", "");
  if (!GUID_HEX_RE.test(hex)) return null;
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Parses JSON text as parse_json does: valid JSON gives its value, "" gives null, anything else the string itself. */
export function parseJson(text: string): JsonValue {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

/** Converts a value of `type` to dynamic (todynamic/parse_json): strings are parsed as JSON, other scalars wrapped. */
export function toDynamicValue(value: Value, type: KqlType): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case "string":
      return parseJson(value as string);
    case "dynamic":
      return value as JsonValue;
    default:
      return dynamicOf(value, type);
  }
}

/** True when `ticks` is a datetime Kusto can represent. */
export function inDatetimeRange(ticks: bigint): boolean {
  return ticks >= MIN_DATETIME && ticks <= MAX_DATETIME;
}

/** Converts a value of type `from` to type `to` with the conversion functions' rules. */
export function convertValue(value: Value, from: KqlType, to: KqlType): Value {
  switch (to) {
    case "string":
      return kustoString(value, from);
    case "bool":
      return toBool(value, from);
    case "int": {
      const n = toLongExact(value, from);
      return n === null ? null : typeof n === "bigint" ? Number(BigInt.asIntN(32, n)) : toInt32(n);
    }
    case "long":
      return toLongExact(value, from);
    case "real":
      return toReal(value, from);
    case "decimal":
      return toDecimal(value, from);
    case "datetime":
      return toDatetime(value, from);
    case "timespan":
      return toTimespan(value, from);
    case "guid":
      return toGuid(value, from);
    case "dynamic":
      return toDynamicValue(value, from);
  }
}

function converter(name: string, to: KqlType, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    call: (args, ctx) => {
      const from = argType(ctx, 0);
      const value = args[0] ?? null;
      // dynamic scalars convert as their JSON type would
      const effective = from === "dynamic" && typeof value === "string" && to !== "dynamic" ? "string" : from;
      return convertValue(value, effective, to);
    },
  };
}

/** tostring, toint, tolong, todouble/toreal, tobool, todatetime, totimespan, toguid, todecimal, todynamic/parse_json. */
export const CONVERSION_FUNCTIONS: readonly ScalarFunction[] = [
  converter("tostring", "string"),
  converter("toint", "int"),
  converter("tolong", "long"),
  converter("toreal", "real", ["todouble"]),
  converter("todecimal", "decimal"),
  converter("tobool", "bool", ["toboolean"]),
  converter("todatetime", "datetime"),
  converter("totimespan", "timespan", ["totime"]),
  converter("toguid", "guid"),
  converter("todynamic", "dynamic", ["parse_json", "parsejson", "toobject"]),
];
