import { Decimal } from "decimal.js";
import { EngineError } from "./errors.ts";

/**
 * Runtime values of the offline KQL engine. Values are untagged: their KQL type comes from the
 * semantic model (or from a table's column list). See docs/kql-engine.md, "Contracts".
 */

/** The scalar types of KQL, as Kusto spells them. */
export type KqlType = "bool" | "int" | "long" | "real" | "decimal" | "string" | "datetime" | "timespan" | "guid" | "dynamic";

/** All KQL scalar type names. */
export const KQL_TYPES: readonly KqlType[] = ["bool", "int", "long", "real", "decimal", "string", "datetime", "timespan", "guid", "dynamic"];

/** A JSON value: what a `dynamic` holds. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * One runtime value: null (any type but string), boolean (bool), number (int, long, real, decimal),
 * string (string, guid — lower case), bigint (datetime and timespan: 100-ns ticks; datetimes count
 * from 1970-01-01T00:00:00Z; and a long beyond ±(2^53 − 1), which a double cannot hold exactly), or a
 * JSON value (dynamic). A long is a number whenever it is a safe integer and a bigint only otherwise
 * (`normalizeLong`), so equal longs always have the same representation.
 */
export type Value = JsonValue | bigint;

/** One row: values in column order. */
export type Row = Value[];

/** One column of a runtime table. */
export interface Column {
  name: string;
  type: KqlType;
}

/** A table at run time. */
export interface Table {
  columns: Column[];
  rows: Row[];
}

/**
 * A table given to a query: its typed rows and, optionally, when each row was ingested (ticks, one entry per
 * row, null where unknown), which is what ingestion_time() returns for that row.
 */
export interface InputTable extends Table {
  ingestionTimes?: readonly (bigint | null)[];
  /**
   * The rows as consecutive segments (their concatenation is `rows`), honoured with QueryInput.reuseRowResults: a
   * stable segment's array holds the same, unchanged rows whenever it is given again, so results computed from it
   * are kept per segment. Each segment's `ingestionTimes` replaces the table's for its rows.
   */
  segments?: readonly InputSegment[];
}

/** A run of a table's rows; `stable` when the same array always holds the same rows (else a partly visible segment, built for one run). */
export interface RowSegment {
  rows: readonly Row[];
  stable: boolean;
}

/** A segment given to a query, with its rows' ingestion times (one entry per row, null where unknown). */
export interface InputSegment extends RowSegment {
  ingestionTimes?: readonly (bigint | null)[];
}

/** Smallest and largest 64-bit long. */
export const MIN_LONG = -(2n ** 63n);
/** See MIN_LONG. */
export const MAX_LONG = 2n ** 63n - 1n;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A long in its one representation: a number when it is a safe integer, else a bigint. */
export function normalizeLong(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** True when `value` fits a 64-bit signed long. */
export function fitsLong(value: bigint): boolean {
  return value >= MIN_LONG && value <= MAX_LONG;
}

/** Parses decimal integer text (optional sign, surrounding spaces) exactly as a long; null when it is not one or does not fit 64 bits. */
export function parseLongText(text: string): number | bigint | null {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return null;
  if (t.length < 16) return Number(t);
  const v = BigInt(t.replace(/^\+/, ""));
  return fitsLong(v) ? normalizeLong(v) : null;
}

/** Ticks (100 ns) per time unit. */
export const TICKS = {
  microsecond: 10n,
  millisecond: 10_000n,
  second: 10_000_000n,
  minute: 600_000_000n,
  hour: 36_000_000_000n,
  day: 864_000_000_000n,
} as const;

/** Smallest and largest datetime Kusto accepts (0001-01-01 .. 9999-12-31T23:59:59.9999999Z) as ticks since the Unix epoch. */
export const MIN_DATETIME = -621_355_968_000_000_000n;
/** See MIN_DATETIME. */
export const MAX_DATETIME = 2_534_023_007_999_999_999n;

/** True when `type` is one of the numeric KQL types. */
export function isNumericType(type: KqlType): boolean {
  return type === "int" || type === "long" || type === "real" || type === "decimal";
}

/** True when `value` is a plain JSON object (a dynamic property bag). */
export function isBag(value: Value): value is { [key: string]: JsonValue } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value a column of `type` holds for "no value": "" for strings, null otherwise. */
export function emptyOf(type: KqlType): Value {
  return type === "string" ? "" : null;
}

/** Kusto's isnull: only non-string nulls. */
export function isNullValue(value: Value): boolean {
  return value === null || value === undefined;
}

/** Kusto's isempty: null or the empty string. */
export function isEmptyValue(value: Value): boolean {
  return value === null || value === undefined || value === "";
}

// ---------------------------------------------------------------- datetime

const ISO_RE =
  /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2}|UTC|GMT)?\s*$/;
const SLASH_RE = /^\s*(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(AM|PM|am|pm)?)?\s*$/;

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Converts a civil UTC date/time to ticks since the Unix epoch (no range check). */
export function ticksFromParts(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, fractionTicks = 0n): bigint {
  const days = BigInt(daysFromCivil(year, month, day));
  return days * TICKS.day + BigInt(hour) * TICKS.hour + BigInt(minute) * TICKS.minute + BigInt(second) * TICKS.second + fractionTicks;
}

/** Splits ticks since the Unix epoch into civil UTC parts. */
export function partsFromTicks(ticks: bigint): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: number;
  dayOfWeek: number;
} {
  let days = ticks / TICKS.day;
  let rest = ticks % TICKS.day;
  if (rest < 0n) {
    rest += TICKS.day;
    days -= 1n;
  }
  const z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const r = Number(rest);
  const dayOfWeek = (((Number(days) % 7) + 7 + 4) % 7) as number; // 1970-01-01 was a Thursday (4)
  return {
    year,
    month,
    day,
    hour: Math.floor(r / 36_000_000_000),
    minute: Math.floor((r % 36_000_000_000) / 600_000_000),
    second: Math.floor((r % 600_000_000) / 10_000_000),
    fraction: r % 10_000_000,
    dayOfWeek,
  };
}

function fractionToTicks(fraction: string | undefined): bigint {
  if (!fraction) return 0n;
  return BigInt(fraction.slice(0, 7).padEnd(7, "0"));
}

function offsetTicks(zone: string | undefined): bigint {
  if (!zone || /^(z|utc|gmt)$/i.test(zone)) return 0n;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0n;
  const t = BigInt(m[2]!) * TICKS.hour + BigInt(m[3]!) * TICKS.minute;
  return m[1] === "-" ? -t : t;
}

function validParts(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const dim = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= dim[month - 1]!;
}

/**
 * Parses a datetime as Kusto's `todatetime`/`datetime()` accept it: ISO 8601 (date, optional time with
 * `T` or space, up to 7 fraction digits, optional `Z`/offset), `M/d/yyyy [h:mm[:ss]] [AM|PM]`, and
 * RFC 822/1123 forms. Returns ticks since the Unix epoch, or null when the text is not a datetime.
 */
export function parseDatetime(text: string): bigint | null {
  const iso = ISO_RE.exec(text);
  if (iso) {
    const [, y, mo, d, h, mi, s, f, z] = iso;
    const parts = [Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0)] as const;
    if (!validParts(...parts)) return null;
    return ticksFromParts(...parts, fractionToTicks(f)) - offsetTicks(z);
  }
  const slash = SLASH_RE.exec(text);
  if (slash) {
    const [, mo, d, y, h, mi, s, f, ampm] = slash;
    let hour = Number(h ?? 0);
    if (ampm) {
      if (hour > 12) return null;
      hour = (hour % 12) + (/pm/i.test(ampm) ? 12 : 0);
    }
    const parts = [Number(y), Number(mo), Number(d), hour, Number(mi ?? 0), Number(s ?? 0)] as const;
    if (!validParts(...parts)) return null;
    return ticksFromParts(...parts, fractionToTicks(f));
  }
  if (/^\s*(mon|tue|wed|thu|fri|sat|sun)?[a-z]*,?\s*\d{1,2}\s+[a-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(:\d{2})?\s*(gmt|utc|z|[+-]\d{4})?\s*$/i.test(text)) {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) return null;
    return BigInt(ms) * TICKS.millisecond;
  }
  return null;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** Formats a datetime as Kusto prints it: `yyyy-MM-ddTHH:mm:ss[.fffffff]Z` (fraction only when non-zero, 7 digits). */
export function formatDatetime(ticks: bigint): string {
  const p = partsFromTicks(ticks);
  const base = `${pad(p.year, 4)}-${pad(p.month, 2)}-${pad(p.day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.second, 2)}`;
  return p.fraction === 0 ? `${base}Z` : `${base}.${pad(p.fraction, 7)}Z`;
}

/** A datetime as Kusto writes it in tostring() and inside dynamic values: always seven fraction digits (`2020-01-01T00:00:00.0000000Z`). */
export function formatDatetimeFull(ticks: bigint): string {
  const short = formatDatetime(ticks);
  return short.includes(".") ? short : `${short.slice(0, -1)}.0000000Z`;
}

// ---------------------------------------------------------------- timespan

const TIMESPAN_CLOCK_RE = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$/;
const TIMESPAN_UNIT_RE =
  /^\s*(-)?(\d+(?:\.\d+)?|\.\d+)\s*(d|day|days|h|hr|hrs|hour|hours|m|min|minute|minutes|s|sec|second|seconds|ms|milli|millis|millisecond|milliseconds|microsecond|microseconds|tick|ticks)\s*$/i;

const UNIT_TICKS: Record<string, bigint> = {
  d: TICKS.day,
  day: TICKS.day,
  days: TICKS.day,
  h: TICKS.hour,
  hr: TICKS.hour,
  hrs: TICKS.hour,
  hour: TICKS.hour,
  hours: TICKS.hour,
  m: TICKS.minute,
  min: TICKS.minute,
  minute: TICKS.minute,
  minutes: TICKS.minute,
  s: TICKS.second,
  sec: TICKS.second,
  second: TICKS.second,
  seconds: TICKS.second,
  ms: TICKS.millisecond,
  milli: TICKS.millisecond,
  millis: TICKS.millisecond,
  millisecond: TICKS.millisecond,
  milliseconds: TICKS.millisecond,
  microsecond: TICKS.microsecond,
  microseconds: TICKS.microsecond,
  tick: 1n,
  ticks: 1n,
};

/** Multiplies a decimal number given as text by a tick count, exactly (rounding to the nearest tick). */
function scaleDecimal(text: string, unit: bigint): bigint {
  const [whole = "0", frac = ""] = text.split(".");
  const digits = BigInt((whole || "0") + frac);
  const scale = 10n ** BigInt(frac.length);
  const product = digits * unit;
  return (product + scale / 2n) / scale;
}

/**
 * Parses a timespan as Kusto accepts it: `[-][d.]hh:mm[:ss[.fffffff]]` or a number with a unit
 * (`1.5h`, `30m`, `100ms`, `2d`, `10tick`). Returns ticks, or null when the text is not a timespan.
 */
export function parseTimespan(text: string): bigint | null {
  const clock = TIMESPAN_CLOCK_RE.exec(text);
  if (clock) {
    const [, neg, d, h, m, s, f] = clock;
    if (Number(m) > 59 || Number(s ?? 0) > 59 || (d === undefined ? false : Number(h) > 23)) return null;
    const t =
      BigInt(d ?? 0) * TICKS.day + BigInt(h!) * TICKS.hour + BigInt(m!) * TICKS.minute + BigInt(s ?? 0) * TICKS.second + fractionToTicks(f);
    return neg ? -t : t;
  }
  const unit = TIMESPAN_UNIT_RE.exec(text);
  if (unit) {
    const [, neg, num, u] = unit;
    const t = scaleDecimal(num!, UNIT_TICKS[u!.toLowerCase()]!);
    return neg ? -t : t;
  }
  return null;
}

/** Formats a timespan as Kusto prints it: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(ticks: bigint): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = t / TICKS.day;
  t %= TICKS.day;
  const hours = Number(t / TICKS.hour);
  t %= TICKS.hour;
  const minutes = Number(t / TICKS.minute);
  t %= TICKS.minute;
  const seconds = Number(t / TICKS.second);
  const fraction = Number(t % TICKS.second);
  const clock = `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}${fraction === 0 ? "" : `.${pad(fraction, 7)}`}`;
  return `${neg ? "-" : ""}${days > 0n ? `${days}.` : ""}${clock}`;
}

// ---------------------------------------------------------------- numbers and strings

/** Formats a real as Kusto prints it (shortest round-trip digits; NaN, Infinity, -Infinity). */
export function formatReal(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e15 || abs < 1e-4)) {
    const [mantissa, exponent = "0"] = value.toExponential().split("e");
    const exp = Number(exponent);
    return `${mantissa}E${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  return String(value);
}

/** Kusto's tostring() of a value of `type` (strings of null values are ""). */
export function valueToString(value: Value, type: KqlType): string {
  if (value === null || value === undefined) return "";
  switch (type) {
    case "string":
    case "guid":
      return String(value);
    case "bool":
      return value ? "true" : "false";
    case "int":
    case "long":
      return typeof value === "number" ? (Number.isInteger(value) ? value.toFixed(0) : formatReal(value)) : String(value);
    case "decimal":
      // A decimal prints in plain notation (0.00001, not 1E-05), as .NET's decimal does.
      return typeof value === "number" && Number.isFinite(value) ? new Decimal(String(value)).toFixed() : String(value);
    case "real":
      return typeof value === "number" ? formatReal(value) : String(value);
    case "datetime":
      return typeof value === "bigint" ? formatDatetime(value) : String(value);
    case "timespan":
      return typeof value === "bigint" ? formatTimespan(value) : String(value);
    case "dynamic":
      return typeof value === "string" ? value : dynamicToJson(value);
    default:
      return String(value);
  }
}

/** Serializes a dynamic value as compact JSON, as Kusto prints it. */
export function dynamicToJson(value: Value): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? "null";
}

/** The refusal for a long beyond ±(2^53 − 1) entering a dynamic value, which holds numbers as doubles here. */
export function unsafeLongInDynamic(value: bigint): EngineError {
  return new EngineError("SC4020", `the long ${value} cannot be stored exactly in a dynamic value by the offline engine (its dynamic numbers are doubles)`);
}

/** Converts a typed value to the dynamic (JSON) form Kusto stores when packing it into a bag or array. */
export function toDynamic(value: Value, type: KqlType): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint" && type !== "timespan" && type !== "datetime") throw unsafeLongInDynamic(value);
  if (typeof value === "bigint") return type === "timespan" ? formatTimespan(value) : formatDatetimeFull(value);
  if (typeof value === "number" && !Number.isFinite(value)) return formatReal(value);
  return value;
}

// ---------------------------------------------------------------- equality and ordering

/** Deep equality of two dynamic values (object key order ignored). */
export function dynamicEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return typeof a === "number" && typeof b === "number" && Number.isNaN(a) && Number.isNaN(b) ? false : a === b;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => dynamicEquals(x, b[i]!));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && dynamicEquals(a[k]!, b[k]!));
}

/** A key that identifies a value for grouping and distinct (equal values, equal keys). */
export function groupKey(value: Value): string {
  if (value === null || value === undefined) return "\u0000n";
  switch (typeof value) {
    case "string":
      return `s${value}`;
    case "number":
      return `d${Object.is(value, -0) ? 0 : value}`;
    case "bigint":
      return `t${value}`;
    case "boolean":
      return value ? "b1" : "b0";
    default:
      return `j${stableJson(value)}`;
  }
}

function stableJson(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (isBag(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k]!)}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * Orders two non-null values of the same KQL type (strings ordinally, numbers numerically with NaN
 * first, datetimes/timespans by ticks, bools false < true, dynamic by a JSON rendering).
 * Returns a negative, zero or positive number.
 */
export function compareValues(a: Value, b: Value): number {
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : -1;
    if (Number.isNaN(b)) return 1;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  if (typeof a === "number" && typeof b === "bigint") return compareMixed(a, b);
  if (typeof a === "bigint" && typeof b === "number") return -compareMixed(b, a);
  const ka = groupKey(a);
  const kb = groupKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/**
 * Orders a number against a bigint as Kusto compares a real with a long: both as reals (NaN first). A
 * safe-integer long never ties with a bigint one, whose magnitude is at least 2^53.
 */
function compareMixed(a: number, b: bigint): number {
  return compareValues(a, Number(b));
}

/**
 * Compares two values with nulls ordered as Kusto sorts them: `nullsFirst` puts nulls before all
 * other values. Used by sort, top, min/max and arg_min/arg_max.
 */
export function compareWithNulls(a: Value, b: Value, nullsFirst: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) {
    if (an && bn) return 0;
    return an === nullsFirst ? -1 : 1;
  }
  return compareValues(a, b);
}

/** Kusto `==` on two values of compatible types: null equals null and nothing else (so `x != 5` holds for a null x). */
export function valuesEqual(a: Value, b: Value): boolean {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn;
  if (typeof a === "number" && typeof b === "number") return a === b;
  if (typeof a === "bigint" && typeof b === "bigint") return a === b;
  // A real against a long beyond 2^53: compared as reals, as Kusto promotes the long.
  if (typeof a === "number" && typeof b === "bigint") return a === Number(b);
  if (typeof a === "bigint" && typeof b === "number") return Number(a) === b;
  if (typeof a === "object" || typeof b === "object") return dynamicEquals(a, b);
  return a === b;
}
