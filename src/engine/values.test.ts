import { describe, expect, it } from "vitest";
import {
  compareWithNulls,
  formatDatetime,
  formatDatetimeFull,
  formatReal,
  formatTimespan,
  groupKey,
  parseDatetime,
  parseTimespan,
  toDynamic,
  valuesEqual,
  valueToString,
  type JsonValue,
  type KqlType,
  type Value,
} from "./values.ts";

describe("datetime", () => {
  it.each([
    ["2024-01-01", "2024-01-01T00:00:00Z"],
    ["2024-01-01T10:20:30Z", "2024-01-01T10:20:30Z"],
    ["2024-01-01 10:20:30.1234567", "2024-01-01T10:20:30.1234567Z"],
    ["2024-01-01T10:20:30.5+02:00", "2024-01-01T08:20:30.5000000Z"],
    ["2/29/2024 1:05 PM", "2024-02-29T13:05:00Z"],
    ["12-02-2022", "2022-12-02T00:00:00Z"],
    ["1969-12-31T23:59:59.9999999Z", "1969-12-31T23:59:59.9999999Z"],
    ["Sat, 8 Nov 2014 15:05:02 GMT", "2014-11-08T15:05:02Z"],
  ])("parses %s", (text, iso) => {
    const ticks = parseDatetime(text);
    expect(ticks).not.toBeNull();
    expect(formatDatetime(ticks!)).toBe(iso);
  });

  it.each(["", "yesterday", "2024-13-01", "2023-02-29", "2024-01-01T25:00:00"])("refuses %j", (text) => {
    expect(parseDatetime(text)).toBeNull();
  });

  it("counts ticks from the Unix epoch", () => {
    expect(parseDatetime("1970-01-01T00:00:01Z")).toBe(10_000_000n);
  });
});

describe("timespan", () => {
  it.each([
    ["1d", "1.00:00:00"],
    ["1.5h", "01:30:00"],
    ["30m", "00:30:00"],
    ["100ms", "00:00:00.1000000"],
    ["10tick", "00:00:00.0000010"],
    ["1.02:03:04", "1.02:03:04"],
    ["-00:05:00", "-00:05:00"],
    ["00:00:01.25", "00:00:01.2500000"],
  ])("parses %s", (text, printed) => {
    const ticks = parseTimespan(text);
    expect(ticks).not.toBeNull();
    expect(formatTimespan(ticks!)).toBe(printed);
  });

  it.each(["", "1x", "25:00:00:00", "00:61:00"])("refuses %j", (text) => {
    expect(parseTimespan(text)).toBeNull();
  });
});

describe("valueToString", () => {
  it.each<[Value, KqlType, string]>([
    [null, "long", ""],
    [true, "bool", "true"],
    [42, "long", "42"],
    [1.5, "real", "1.5"],
    [NaN, "real", "NaN"],
    [-Infinity, "real", "-Infinity"],
    [1e20, "real", "1E+20"],
    [0n, "datetime", "1970-01-01T00:00:00Z"],
    [36_000_000_000n, "timespan", "01:00:00"],
    [{ a: [1, "x"] }, "dynamic", '{"a":[1,"x"]}'],
    ["plain", "dynamic", "plain"],
    ["6f9619ff-8b86-d011-b42d-00cf4fc964ff", "guid", "6f9619ff-8b86-d011-b42d-00cf4fc964ff"],
  ])("prints case %#", (value, type, text) => {
    expect(valueToString(value, type)).toBe(text);
  });
  it("prints reals the way Kusto does", () => {
    expect(formatReal(0.0001)).toBe("0.0001");
  });
});

describe("equality and ordering", () => {
  it.each<[Value, Value, boolean]>([
    [null, null, true],
    [null, 5, false],
    [1, 1.0, true],
    ["a", "A", false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [[1, 2], [2, 1], false],
    [10n, 10n, true],
  ])("equality case %#", (a, b, eq) => {
    expect(valuesEqual(a, b)).toBe(eq);
  });

  it("puts nulls first or last as asked", () => {
    expect(compareWithNulls(null, 1, true)).toBeLessThan(0);
    expect(compareWithNulls(null, 1, false)).toBeGreaterThan(0);
    expect(compareWithNulls(2, 1, true)).toBeGreaterThan(0);
  });

  it("groups equal values under one key", () => {
    expect(groupKey({ a: 1, b: [1] })).toBe(groupKey({ b: [1], a: 1 }));
    expect(groupKey(1)).not.toBe(groupKey("1"));
    expect(groupKey(null)).not.toBe(groupKey(""));
  });
});

describe("toDynamic (a typed value stored in a dynamic, as Kusto serializes it)", () => {
  const typed = (text: string | null, type: KqlType): Value =>
    text === null ? null : type === "datetime" ? parseDatetime(text) : type === "timespan" ? parseTimespan(text) : Number(text);
  it.each<[string | null, KqlType, JsonValue]>([
    ["2020-01-01", "datetime", "2020-01-01T00:00:00.0000000Z"],
    ["2020-01-01T10:00:00.5", "datetime", "2020-01-01T10:00:00.5000000Z"],
    ["2020-01-01T10:00:00.1234567", "datetime", "2020-01-01T10:00:00.1234567Z"],
    ["01:00:00", "timespan", "01:00:00"],
    [null, "datetime", null],
    ["NaN", "real", "NaN"],
    ["5", "long", 5],
  ])("%s as %s → %j", (text, type, expected) => {
    expect(toDynamic(typed(text, type), type)).toEqual(expected);
  });

  it("keeps the short form outside dynamic values", () => {
    expect(formatDatetime(parseDatetime("2020-01-01")!)).toBe("2020-01-01T00:00:00Z");
    expect(formatDatetimeFull(parseDatetime("2020-01-01")!)).toBe("2020-01-01T00:00:00.0000000Z");
  });
});
