/** Date and time functions, all on the run's frozen clock (now, ago) and UTC calendar arithmetic. */
import { EngineError } from "../errors.ts";
import { LruCache } from "../lru-cache.ts";
import { TICKS, partsFromTicks, ticksFromParts, type Value } from "../values.ts";
import { argLong, argReal, argString, argType, inDatetimeRange, toDatetime, toTimespan } from "./conversion.ts";
import { binAt } from "./math.ts";
import type { CallContext, ScalarFunction } from "./registry.ts";

type Impl = (args: readonly Value[], ctx: CallContext) => Value;
type Parts = ReturnType<typeof partsFromTicks>;

function argDatetime(args: readonly Value[], ctx: CallContext, i: number): bigint | null {
  return toDatetime(args[i] ?? null, argType(ctx, i));
}

function argTimespan(args: readonly Value[], ctx: CallContext, i: number): bigint | null {
  return toTimespan(args[i] ?? null, argType(ctx, i));
}

function checked(ticks: bigint | null): bigint | null {
  return ticks !== null && inDatetimeRange(ticks) ? ticks : null;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Adds whole months, clamping the day to the target month's length (as .NET AddMonths does). */
function addMonths(ticks: bigint, months: number): bigint | null {
  const p = partsFromTicks(ticks);
  const total = p.year * 12 + (p.month - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  if (year < 1 || year > 9999) return null;
  const day = Math.min(p.day, daysInMonth(year, month));
  return ticksFromParts(year, month, day, p.hour, p.minute, p.second, BigInt(p.fraction));
}

const UNIT_TICKS: Record<string, bigint> = {
  week: 7n * TICKS.day,
  day: TICKS.day,
  hour: TICKS.hour,
  minute: TICKS.minute,
  second: TICKS.second,
  millisecond: TICKS.millisecond,
  microsecond: TICKS.microsecond,
};

function normalizePart(part: string): string {
  const p = part.trim().toLowerCase();
  const aliases: Record<string, string> = {
    years: "year",
    quarters: "quarter",
    months: "month",
    weeks: "week",
    days: "day",
    hours: "hour",
    minutes: "minute",
    seconds: "second",
    milliseconds: "millisecond",
    microseconds: "microsecond",
    nanoseconds: "nanosecond",
  };
  return aliases[p] ?? p;
}

function unknownPart(fnName: string, part: string): never {
  throw new EngineError("SC4004", `${fnName}(): unknown period '${part}'`);
}

const datetimeAdd: Impl = (args, ctx) => {
  const part = normalizePart(argString(args, ctx, 0));
  const amount = argLong(args, ctx, 1);
  const dt = argDatetime(args, ctx, 2);
  if (amount === null || dt === null) return null;
  switch (part) {
    case "year":
      return checked(addMonths(dt, amount * 12));
    case "quarter":
      return checked(addMonths(dt, amount * 3));
    case "month":
      return checked(addMonths(dt, amount));
    case "nanosecond":
      return checked(dt + BigInt(amount) / 100n);
    default: {
      const unit = UNIT_TICKS[part];
      if (unit === undefined) return unknownPart("datetime_add", part);
      return checked(dt + BigInt(amount) * unit);
    }
  }
};

function startOfWeekTicks(ticks: bigint): bigint {
  const day = floorDiv(ticks, TICKS.day);
  // 1970-01-01 was a Thursday: day 0 is 4 days after the Sunday that starts its week.
  const dow = ((day + 4n) % 7n + 7n) % 7n;
  return (day - dow) * TICKS.day;
}

const datetimeDiff: Impl = (args, ctx) => {
  const part = normalizePart(argString(args, ctx, 0));
  const a = argDatetime(args, ctx, 1);
  const b = argDatetime(args, ctx, 2);
  if (a === null || b === null) return null;
  const pa = partsFromTicks(a);
  const pb = partsFromTicks(b);
  switch (part) {
    case "year":
      return pa.year - pb.year;
    case "quarter":
      return pa.year * 4 + Math.floor((pa.month - 1) / 3) - (pb.year * 4 + Math.floor((pb.month - 1) / 3));
    case "month":
      return pa.year * 12 + pa.month - (pb.year * 12 + pb.month);
    case "week":
      return Number((startOfWeekTicks(a) - startOfWeekTicks(b)) / UNIT_TICKS.week!);
    case "nanosecond":
      return Number((a - b) * 100n);
    default: {
      const unit = UNIT_TICKS[part];
      if (unit === undefined) return unknownPart("datetime_diff", part);
      return Number(floorDiv(a, unit) - floorDiv(b, unit));
    }
  }
};

/** ISO 8601 week number (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(ticks: bigint): number {
  const day = Number(floorDiv(ticks, TICKS.day));
  const isoDow = ((day + 3) % 7 + 7) % 7; // Monday = 0
  const thursday = day - isoDow + 3;
  const year = partsFromTicks(BigInt(thursday) * TICKS.day).year;
  const jan1 = Number(ticksFromParts(year, 1, 1) / TICKS.day);
  return Math.floor((thursday - jan1) / 7) + 1;
}

function dayOfYear(p: Parts): number {
  return Number((ticksFromParts(p.year, p.month, p.day) - ticksFromParts(p.year, 1, 1)) / TICKS.day) + 1;
}

const datetimePart: Impl = (args, ctx) => {
  const part = normalizePart(argString(args, ctx, 0));
  const dt = argDatetime(args, ctx, 1);
  if (dt === null) return null;
  const p = partsFromTicks(dt);
  switch (part) {
    case "year":
      return p.year;
    case "quarter":
      return Math.floor((p.month - 1) / 3) + 1;
    case "month":
      return p.month;
    case "week_of_year":
    case "weekofyear":
    case "week":
      return isoWeek(dt);
    case "day":
      return p.day;
    case "dayofyear":
      return dayOfYear(p);
    case "hour":
      return p.hour;
    case "minute":
      return p.minute;
    case "second":
      return p.second;
    case "millisecond":
      return Math.floor(p.fraction / 10_000);
    case "microsecond":
      return Math.floor(p.fraction / 10);
    case "nanosecond":
      return p.fraction * 100;
    default:
      return unknownPart("datetime_part", part);
  }
};

type Period = "day" | "week" | "month" | "year";

function startOf(ticks: bigint, period: Period, offset: number): bigint | null {
  switch (period) {
    case "day":
      return floorDiv(ticks, TICKS.day) * TICKS.day + BigInt(offset) * TICKS.day;
    case "week":
      return startOfWeekTicks(ticks) + BigInt(offset) * UNIT_TICKS.week!;
    case "month": {
      const p = partsFromTicks(ticks);
      return addMonths(ticksFromParts(p.year, p.month, 1), offset);
    }
    case "year": {
      const year = partsFromTicks(ticks).year + offset;
      return year < 1 || year > 9999 ? null : ticksFromParts(year, 1, 1);
    }
  }
}

function periodFn(name: string, period: Period, end: boolean): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const dt = argDatetime(args, ctx, 0);
      const offset = argLong(args, ctx, 1, 0);
      if (dt === null || offset === null) return null;
      const start = startOf(dt, period, end ? offset + 1 : offset);
      return start === null ? null : checked(end ? start - 1n : start);
    },
  };
}

function partFn(name: string, pick: (p: Parts, ticks: bigint) => Value, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    call: (args, ctx) => {
      const dt = argDatetime(args, ctx, 0);
      return dt === null ? null : pick(partsFromTicks(dt), dt);
    },
  };
}

const makeDatetime: Impl = (args, ctx) => {
  const nums = args.map((_, i) => argReal(args, ctx, i));
  if (nums.some((n) => n === null)) return null;
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = nums as number[];
  if (![year, month, day, hour, minute].every(Number.isInteger)) return null;
  if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second >= 60) return null;
  const secondTicks = BigInt(Math.round(second * 1e7));
  return ticksFromParts(year, month, day, hour, minute, 0, secondTicks);
};

const makeTimespan: Impl = (args, ctx) => {
  const nums = args.map((_, i) => argReal(args, ctx, i));
  if (nums.some((n) => n === null)) return null;
  const list = nums as number[];
  const [days, hours, minutes, seconds] =
    list.length === 2 ? [0, list[0]!, list[1]!, 0] : list.length === 3 ? [0, list[0]!, list[1]!, list[2]!] : [list[0]!, list[1]!, list[2]!, list[3] ?? 0];
  if (![days, hours, minutes].every(Number.isInteger)) return null;
  return BigInt(days) * TICKS.day + BigInt(hours) * TICKS.hour + BigInt(minutes) * TICKS.minute + BigInt(Math.round(seconds * 1e7));
};

function unixTime(name: string, ticksPerUnit: number): ScalarFunction {
  return {
    name,
    call: (args, ctx) => {
      const v = args[0] ?? null;
      let ticks: bigint | null = null;
      if (typeof v === "bigint") ticks = v * BigInt(ticksPerUnit);
      else if (typeof v === "number" && Number.isFinite(v)) {
        ticks = Number.isInteger(v) && ticksPerUnit >= 1 ? BigInt(v) * BigInt(ticksPerUnit) : BigInt(Math.round(v * ticksPerUnit));
      } else if (typeof v === "string" && argType(ctx, 0) === "dynamic") {
        return null;
      }
      return ticks === null ? null : checked(ticks);
    },
  };
}

const unixNanos: ScalarFunction = {
  name: "unixtime_nanoseconds_todatetime",
  call: (args) => {
    const v = args[0] ?? null;
    // A long beyond 2^53 arrives as a bigint and converts exactly.
    if (typeof v === "bigint") return checked(v / 100n);
    if (typeof v !== "number" || !Number.isFinite(v)) return null;
    return checked(Number.isInteger(v) ? BigInt(v) / 100n : BigInt(Math.round(v / 100)));
  },
};

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function fractionDigits(fraction: number, count: number, optional: boolean): string {
  const digits = pad(fraction, 7).slice(0, count);
  return optional ? digits.replace(/0+$/, "") : digits;
}

const DELIMITERS = new Set([" ", "/", "-", ":", ",", ".", "_", "[", "]"]);

function unsupportedFormat(fnName: string, token: string): never {
  throw new EngineError("SC4002", `${fnName}(): format element '${token}' is not supported`);
}

const tokenCache = new LruCache<string, string[]>(1000);

/** Splits a format string into runs of one repeated specifier letter and single delimiter characters (cached). */
function tokens(format: string): string[] {
  return tokenCache.getOrCreate(format, () => splitFormat(format));
}

function splitFormat(format: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < format.length; ) {
    const c = format[i]!;
    let j = i + 1;
    if (/[A-Za-z]/.test(c)) while (format[j] === c) j++;
    out.push(format.slice(i, j));
    i = j;
  }
  return out;
}

/** format_datetime with Kusto's documented elements (d, dd, f…, F…, h, hh, H, HH, m, mm, M, MM, s, ss, y, yy, yyyy, tt). */
export function formatDatetimeWith(ticks: bigint, format: string): string {
  const p = partsFromTicks(ticks);
  const hour12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return tokens(format)
    .map((t) => {
      const c = t[0]!;
      const n = t.length;
      if (!/[A-Za-z]/.test(c)) {
        if (DELIMITERS.has(c)) return t;
        return unsupportedFormat("format_datetime", t);
      }
      if (c === "f" && n <= 7) return fractionDigits(p.fraction, n, false);
      if (c === "F" && n <= 7) return fractionDigits(p.fraction, n, true);
      if (n <= 2) {
        const width = n;
        switch (c) {
          case "d":
            return pad(p.day, width);
          case "h":
            return pad(hour12, width);
          case "H":
            return pad(p.hour, width);
          case "m":
            return pad(p.minute, width);
          case "M":
            return pad(p.month, width);
          case "s":
            return pad(p.second, width);
          case "y":
            return pad(p.year % 100, width);
          case "t":
            return n === 2 ? (p.hour < 12 ? "AM" : "PM") : unsupportedFormat("format_datetime", t);
        }
      }
      if (c === "y" && n === 4) return pad(p.year, 4);
      return unsupportedFormat("format_datetime", t);
    })
    .join("");
}

/** format_timespan with Kusto's documented elements (d…, f…, F…, h, hh, H, HH, m, mm, s, ss). */
export function formatTimespanWith(ticks: bigint, format: string): string {
  const neg = ticks < 0n;
  let t = neg ? -ticks : ticks;
  const days = Number(t / TICKS.day);
  t %= TICKS.day;
  const hours = Number(t / TICKS.hour);
  const minutes = Number((t % TICKS.hour) / TICKS.minute);
  const seconds = Number((t % TICKS.minute) / TICKS.second);
  const fraction = Number(t % TICKS.second);
  const body = tokens(format)
    .map((tok) => {
      const c = tok[0]!;
      const n = tok.length;
      if (!/[A-Za-z]/.test(c)) return DELIMITERS.has(c) ? tok : unsupportedFormat("format_timespan", tok);
      if (c === "d" && n <= 8) return pad(days, n);
      if (c === "f" && n <= 7) return fractionDigits(fraction, n, false);
      if (c === "F" && n <= 7) return fractionDigits(fraction, n, true);
      if (n <= 2 && (c === "h" || c === "H")) return pad(hours, n);
      if (n <= 2 && c === "m") return pad(minutes, n);
      if (n <= 2 && c === "s") return pad(seconds, n);
      return unsupportedFormat("format_timespan", tok);
    })
    .join("");
  return neg ? `-${body}` : body;
}

const formatters = new LruCache<string, Intl.DateTimeFormat | null>(1000);

/** The formatter of time zone `zone` (cached), or null for an unknown zone. */
function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  return formatters.getOrCreate(zone, () => newZoneFormatter(zone));
}

function newZoneFormatter(zone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  } catch {
    return null;
  }
}

/** The offset (ticks) of time zone `zone` from UTC at the UTC instant `ticks`; null for an unknown zone. */
export function zoneOffset(ticks: bigint, zone: string): bigint | null {
  const formatter = zoneFormatter(zone);
  if (formatter === null) return null;
  const wholeSecond = floorDiv(ticks, TICKS.second);
  const ms = Number(wholeSecond) * 1000;
  const year = partsFromTicks(ticks).year;
  if (year < 1000 || year > 9999) return null;
  const parts = Object.fromEntries(formatter.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const local = ticksFromParts(Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - wholeSecond * TICKS.second;
}

const utcToLocal: Impl = (args, ctx) => {
  const dt = argDatetime(args, ctx, 0);
  if (dt === null) return null;
  const offset = zoneOffset(dt, argString(args, ctx, 1));
  return offset === null ? null : checked(dt + offset);
};

const localToUtc: Impl = (args, ctx) => {
  const local = argDatetime(args, ctx, 0);
  if (local === null) return null;
  const zone = argString(args, ctx, 1);
  let offset = zoneOffset(local, zone);
  if (offset === null) return null;
  // Two refinements settle the offset that applies at the resulting instant (DST edges included).
  for (let i = 0; i < 2; i++) {
    const next = zoneOffset(local - offset, zone);
    if (next === null) return null;
    offset = next;
  }
  return checked(local - offset);
};

const binAtFn: Impl = (args, ctx) => binAt(args[0] ?? null, args[1] ?? null, args[2] ?? null, argType(ctx, 0));

/** The datetime family. */
export const DATETIME_FUNCTIONS: readonly ScalarFunction[] = [
  {
    name: "now",
    call: (args, ctx) => {
      const offset = args.length > 0 ? argTimespan(args, ctx, 0) : 0n;
      return offset === null ? null : ctx.now + offset;
    },
  },
  {
    name: "ago",
    call: (args, ctx) => {
      const span = argTimespan(args, ctx, 0);
      return span === null ? null : ctx.now - span;
    },
  },
  { name: "datetime_add", call: datetimeAdd },
  { name: "datetime_diff", call: datetimeDiff },
  { name: "datetime_part", aliases: ["datepart"], call: datetimePart },
  periodFn("startofday", "day", false),
  periodFn("startofweek", "week", false),
  periodFn("startofmonth", "month", false),
  periodFn("startofyear", "year", false),
  periodFn("endofday", "day", true),
  periodFn("endofweek", "week", true),
  periodFn("endofmonth", "month", true),
  periodFn("endofyear", "year", true),
  partFn("dayofweek", (_p, t) => (((floorDiv(t, TICKS.day) + 4n) % 7n + 7n) % 7n) * TICKS.day),
  partFn("dayofmonth", (p) => p.day),
  partFn("dayofyear", (p) => dayOfYear(p)),
  partFn("hourofday", (p) => p.hour),
  partFn("monthofyear", (p) => p.month, ["getmonth"]),
  partFn("getyear", (p) => p.year),
  partFn("week_of_year", (_p, t) => isoWeek(t), ["weekofyear"]),
  { name: "make_datetime", call: makeDatetime },
  { name: "make_timespan", call: makeTimespan },
  {
    name: "format_datetime",
    call: (args, ctx) => {
      const dt = argDatetime(args, ctx, 0);
      return dt === null ? "" : formatDatetimeWith(dt, argString(args, ctx, 1));
    },
  },
  {
    name: "format_timespan",
    call: (args, ctx) => {
      const ts = argTimespan(args, ctx, 0);
      return ts === null ? "" : formatTimespanWith(ts, argString(args, ctx, 1));
    },
  },
  unixTime("unixtime_seconds_todatetime", 10_000_000),
  unixTime("unixtime_milliseconds_todatetime", 10_000),
  unixTime("unixtime_microseconds_todatetime", 10),
  unixNanos,
  { name: "datetime_utc_to_local", call: utcToLocal },
  { name: "datetime_local_to_utc", call: localToUtc },
  { name: "bin_at", call: binAtFn },
];
