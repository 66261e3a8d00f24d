import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.ts";
import { TICKS, formatDatetime, formatTimespan, parseDatetime, type KqlType, type Value } from "../values.ts";
import { DATETIME_FUNCTIONS, formatDatetimeWith, formatTimespanWith, isoWeek } from "./datetime.ts";
import { functionCaller } from "./test-support.ts";

const NOW = parseDatetime("2023-06-19T08:22:54.6623324Z")!;

const call = functionCaller([DATETIME_FUNCTIONS], "datetime", NOW);

const dt = (s: string): bigint => parseDatetime(s)!;
const show = (v: Value): Value => (typeof v === "bigint" ? formatDatetime(v) : v);
const S: KqlType = "string";
const L: KqlType = "long";
const DT: KqlType = "datetime";
const TS: KqlType = "timespan";

describe("datetime functions", () => {
  it("now() and ago() use the frozen clock", () => {
    expect(show(call("now", [], []))).toBe("2023-06-19T08:22:54.6623324Z");
    expect(show(call("ago", [TICKS.day], [TS]))).toBe("2023-06-18T08:22:54.6623324Z");
    expect(show(call("now", [-TICKS.hour], [TS]))).toBe("2023-06-19T07:22:54.6623324Z");
    expect(call("ago", [null], [TS])).toBe(null);
  });

  it.each<[string, number, string]>([
    ["year", 1, "2018-01-01T00:00:00Z"],
    ["quarter", 1, "2017-04-01T00:00:00Z"],
    ["month", 1, "2017-02-01T00:00:00Z"],
    ["week", 1, "2017-01-08T00:00:00Z"],
    ["day", 1, "2017-01-02T00:00:00Z"],
    ["hour", 1, "2017-01-01T01:00:00Z"],
    ["minute", 1, "2017-01-01T00:01:00Z"],
    ["second", 1, "2017-01-01T00:00:01Z"],
    ["millisecond", 1, "2017-01-01T00:00:00.0010000Z"],
  ])("datetime_add(%s, %d, 2017-01-01) = %s", (part, amount, expected) => {
    expect(show(call("datetime_add", [part, amount, dt("2017-01-01")], [S, L, DT]))).toBe(expected);
  });

  it("datetime_add clamps the day of month and rejects unknown periods", () => {
    expect(show(call("datetime_add", ["month", 1, dt("2017-01-31")], [S, L, DT]))).toBe("2017-02-28T00:00:00Z");
    expect(() => call("datetime_add", ["fortnight", 1, dt("2017-01-31")], [S, L, DT])).toThrow(EngineError);
    expect(call("datetime_add", ["year", 10000, dt("2017-01-31")], [S, L, DT])).toBe(null);
  });

  it.each<[string, string, string, number]>([
    ["year", "2017-01-01", "2000-12-31", 17],
    ["quarter", "2017-07-01", "2017-03-30", 2],
    ["month", "2017-01-01", "2015-12-30", 13],
    ["week", "2017-10-29 00:00", "2017-09-30 23:59", 5],
    ["day", "2017-10-29 00:00", "2017-09-30 23:59", 29],
    ["hour", "2017-10-31 01:00", "2017-10-30 23:59", 2],
    ["minute", "2017-10-30 23:05:01", "2017-10-30 23:00:59", 5],
    ["second", "2017-10-30 23:00:10.100", "2017-10-30 23:00:00.900", 10],
    ["millisecond", "2017-10-30 23:00:00.200100", "2017-10-30 23:00:00.100900", 100],
    ["microsecond", "2017-10-30 23:00:00.1009001", "2017-10-30 23:00:00.1008009", 100],
    ["nanosecond", "2017-10-30 23:00:00.0000000", "2017-10-30 23:00:00.0000007", -700],
  ])("datetime_diff(%s, %s, %s) = %d (documented)", (part, a, b, expected) => {
    expect(call("datetime_diff", [part, dt(a), dt(b)], [S, DT, DT], "long")).toBe(expected);
  });

  it.each<[string, string, number]>([
    ["year", "2017-10-30 01:02:03.7654321", 2017],
    ["quarter", "2017-10-30 01:02:03.7654321", 4],
    ["month", "2017-10-30 01:02:03.7654321", 10],
    ["week_of_year", "2017-10-30 01:02:03.7654321", 44],
    ["day", "2017-10-30 01:02:03.7654321", 30],
    ["dayofyear", "2017-10-30 01:02:03.7654321", 303],
    ["hour", "2017-10-30 01:02:03.7654321", 1],
    ["minute", "2017-10-30 01:02:03.7654321", 2],
    ["second", "2017-10-30 01:02:03.7654321", 3],
    ["millisecond", "2017-10-30 01:02:03.7654321", 765],
    ["microsecond", "2017-10-30 01:02:03.7654321", 765432],
    ["nanosecond", "2017-10-30 01:02:03.7654321", 765432100],
  ])("datetime_part(%s, %s) = %d (documented)", (part, value, expected) => {
    expect(call("datetime_part", [part, dt(value)], [S, DT], "int")).toBe(expected);
  });

  it.each<[string, number, string]>([
    ["startofday", -1, "2016-12-31T00:00:00Z"],
    ["startofday", 1, "2017-01-02T00:00:00Z"],
    ["startofweek", 0, "2017-01-01T00:00:00Z"],
    ["startofweek", 1, "2017-01-08T00:00:00Z"],
    ["startofmonth", -1, "2016-12-01T00:00:00Z"],
    ["startofmonth", 1, "2017-02-01T00:00:00Z"],
    ["startofyear", -1, "2016-01-01T00:00:00Z"],
    ["endofday", -1, "2016-12-31T23:59:59.9999999Z"],
    ["endofday", 1, "2017-01-02T23:59:59.9999999Z"],
    ["endofweek", -1, "2016-12-31T23:59:59.9999999Z"],
    ["endofweek", 1, "2017-01-14T23:59:59.9999999Z"],
    ["endofmonth", 0, "2017-01-31T23:59:59.9999999Z"],
    ["endofmonth", 1, "2017-02-28T23:59:59.9999999Z"],
    ["endofyear", 0, "2017-12-31T23:59:59.9999999Z"],
  ])("%s(2017-01-01 10:10:17, %d) = %s (documented)", (name, offset, expected) => {
    expect(show(call(name, [dt("2017-01-01 10:10:17"), offset], [DT, L]))).toBe(expected);
  });

  it.each<[string, string, Value]>([
    ["dayofweek", "1947-11-30 10:00:05", 0n],
    ["dayofweek", "1970-05-12", 2n * TICKS.day],
    ["dayofmonth", "2015-12-14", 14],
    ["dayofyear", "2015-12-14", 348],
    ["hourofday", "2015-12-14 18:54:00", 18],
    ["monthofyear", "2015-12-14", 12],
    ["getmonth", "2015-10-12", 10],
    ["getyear", "2015-10-12", 2015],
    ["week_of_year", "2020-12-31", 53],
    ["week_of_year", "1970-01-01", 1],
    ["week_of_year", "2021-01-01", 53],
    ["week_of_year", "2021-01-04", 1],
  ])("%s(%s) = %s", (name, value, expected) => {
    expect(call(name, [dt(value)], [DT], "long")).toBe(expected);
  });

  it("datetime-part functions give null for null", () => {
    expect(call("dayofweek", [null], [DT], "timespan")).toBe(null);
    expect(call("startofday", [null], [DT])).toBe(null);
  });

  it.each<[Value[], string | null]>([
    [[2017, 10, 1], "2017-10-01T00:00:00Z"],
    [[2017, 10, 1, 12, 10], "2017-10-01T12:10:00Z"],
    [[2017, 10, 1, 12, 11, 0.1234567], "2017-10-01T12:11:00.1234567Z"],
    [[2017, 2, 30], null],
    [[2017, 13, 1], null],
    [[2017, 1, null], null],
  ])("make_datetime(%s) = %s", (args, expected) => {
    const v = call("make_datetime", args, args.map(() => "real"));
    expect(v === null ? null : show(v)).toBe(expected);
  });

  it.each<[Value[], string]>([
    [[1, 12], "01:12:00"],
    [[1, 12, 30.55], "01:12:30.5500000"],
    [[12, 1, 12, 30.55], "12.01:12:30.5500000"],
  ])("make_timespan(%s) = %s", (args, expected) => {
    expect(formatTimespan(call("make_timespan", args, args.map(() => "real"), "timespan") as bigint)).toBe(expected);
  });

  it.each<[string, string]>([
    ["yy-MM-dd [HH:mm:ss]", "17-01-29 [09:00:05]"],
    ["yyyy-M-dd [H:mm:ss]", "2017-1-29 [9:00:05]"],
    ["yy-MM-dd [hh:mm:ss tt]", "17-01-29 [09:00:05 AM]"],
    ["d/M/y h", "29/1/17 9"],
    ["HH:mm:ss.fffffff", "09:00:05.1200000"],
    ["HH:mm:ss.FFFFFFF", "09:00:05.12"],
    ["HH:mm:ss.fff", "09:00:05.120"],
  ])("format_datetime(2017-01-29 09:00:05.12, %j) = %j", (format, expected) => {
    expect(formatDatetimeWith(dt("2017-01-29 09:00:05.12"), format)).toBe(expected);
  });

  it("format_datetime refuses elements it does not know", () => {
    expect(() => formatDatetimeWith(0n, "MMMM")).toThrow(/not supported/);
    expect(() => formatDatetimeWith(0n, "yyyy'T'")).toThrow(/not supported/);
  });

  it.each<[string, string]>([
    ["dd.hh:mm:ss:FF", "29.09:00:05:12"],
    ["ddd.h:mm:ss [fffffff]", "029.9:00:05 [1234500]"],
  ])("format_timespan(29.09:00:05.12345, %j) = %j (documented)", (format, expected) => {
    const t = 29n * TICKS.day + 9n * TICKS.hour + 5n * TICKS.second + 1_234_500n;
    expect(formatTimespanWith(t, format)).toBe(expected);
  });

  it.each<[string, number, string]>([
    ["unixtime_seconds_todatetime", 1546300800, "2019-01-01T00:00:00Z"],
    ["unixtime_seconds_todatetime", 1546300800.5, "2019-01-01T00:00:00.5000000Z"],
    ["unixtime_milliseconds_todatetime", 1546300800123, "2019-01-01T00:00:00.1230000Z"],
    ["unixtime_microseconds_todatetime", 1546300800000000, "2019-01-01T00:00:00Z"],
    ["unixtime_nanoseconds_todatetime", 1546300800000000000, "2019-01-01T00:00:00Z"],
  ])("%s(%d) = %s", (name, value, expected) => {
    expect(show(call(name, [value], ["real"]))).toBe(expected);
  });

  it("unixtime conversions give null for null and out-of-range input", () => {
    expect(call("unixtime_seconds_todatetime", [null], [L])).toBe(null);
    expect(call("unixtime_seconds_todatetime", [1e15], [L])).toBe(null);
  });

  it.each<[string, string, string]>([
    ["US/Pacific", "2020-02-02 20:02:20", "2020-02-03T04:02:20Z"],
    ["America/Chicago", "2020-02-02 20:02:20", "2020-02-03T02:02:20Z"],
    ["Europe/Paris", "2020-02-02 20:02:20", "2020-02-02T19:02:20Z"],
    ["Europe/Paris", "2020-07-02 20:02:20", "2020-07-02T18:02:20Z"],
  ])("datetime_local_to_utc(%s, %s) = %s (documented)", (zone, local, expected) => {
    expect(show(call("datetime_local_to_utc", [dt(local), zone], [DT, S]))).toBe(expected);
  });

  it("datetime_utc_to_local keeps the fraction and the documented offsets", () => {
    const utc = dt("2022-07-11T22:18:48.467862Z");
    expect(show(call("datetime_utc_to_local", [utc, "US/Pacific"], [DT, S]))).toBe("2022-07-11T15:18:48.4678620Z");
    expect(show(call("datetime_utc_to_local", [utc, "Australia/Canberra"], [DT, S]))).toBe("2022-07-12T08:18:48.4678620Z");
    expect(call("datetime_utc_to_local", [utc, "Not/AZone"], [DT, S])).toBe(null);
  });

  it.each<[Value[], KqlType[], string]>([
    [[dt("2017-05-15 10:20:00"), TICKS.day, dt("1970-01-01 12:00:00")], [DT, TS, DT], "2017-05-14T12:00:00Z"],
    [[dt("2017-05-17 10:20:00"), 7n * TICKS.day, dt("2017-06-04 00:00:00")], [DT, TS, DT], "2017-05-14T00:00:00Z"],
  ])("bin_at(%s) = %s (documented)", (args, types, expected) => {
    expect(show(call("bin_at", args, types))).toBe(expected);
  });

  it("bin_at on timespans and numbers", () => {
    expect(formatTimespan(call("bin_at", [TICKS.hour, TICKS.day, 12n * TICKS.hour], [TS, TS, TS], "timespan") as bigint)).toBe("-12:00:00");
    expect(call("bin_at", [6.5, 2.5, 7], ["real", "real", "real"], "real")).toBe(4.5);
  });

  it("isoWeek handles year boundaries", () => {
    expect(isoWeek(dt("2018-12-31"))).toBe(1);
    expect(isoWeek(dt("2016-01-03"))).toBe(53);
  });
});
