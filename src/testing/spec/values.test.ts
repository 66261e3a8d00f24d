import { describe, expect, it } from "vitest";
import { cellMatches, formatCell, isEmptyCell, parseDatetime, toCell, toTypedCell, type Cell } from "./values.ts";

describe("toCell", () => {
  it.each([
    [new Date("2026-11-20T12:00:00Z"), "2026-11-20T12:00:00.000Z"],
    [5n, 5],
    [undefined, null],
    [new Map([["a", 1]]), { a: 1 }],
    [{ a: [new Date(0)] }, { a: ["1970-01-01T00:00:00.000Z"] }],
    [Number.NaN, "NaN"],
  ])("%#", (input, expected) => {
    expect(toCell(input)).toEqual(expected);
  });
});

describe("toTypedCell", () => {
  it.each([
    [BigInt(Date.UTC(2025, 10, 21)) * 10_000n, "datetime", "2025-11-21T00:00:00Z"],
    [BigInt(Date.UTC(2025, 10, 21)) * 10_000n + 1n, "datetime", "2025-11-21T00:00:00.0000001Z"],
    [-1n, "datetime", "1969-12-31T23:59:59.9999999Z"],
    [3_000_000_000n, "timespan", "00:05:00"],
    [936_000_000_000n + 5_000_000n, "timespan", "1.02:00:00.5000000"],
    [-600_000_000n, "timespan", "-00:01:00"],
    [5n, "long", 5],
    [null, "datetime", null],
  ])("%s as %s", (value, type, expected) => {
    expect(toTypedCell(value, type)).toBe(expected);
  });
});

describe("parseDatetime", () => {
  it.each([
    ["2026-11-20T12:00:00Z", Date.UTC(2026, 10, 20, 12)],
    ["2026-11-20T12:00:00", Date.UTC(2026, 10, 20, 12)],
    ["2026-11-20 12:00:00.5Z", Date.UTC(2026, 10, 20, 12, 0, 0, 500)],
    ["2026-11-20", Date.UTC(2026, 10, 20)],
    ["2026-11-20T13:00:00+01:00", Date.UTC(2026, 10, 20, 12)],
  ])("%s", (text, ms) => {
    expect(parseDatetime(text)).toBe(ms);
  });
  it.each([["yesterday"], ["12"], [12], ["2026-13-45T99:00:00Z"]])("rejects %j", (text) => {
    expect(parseDatetime(text)).toBeUndefined();
  });
});

describe("cellMatches", () => {
  const cases: [Cell, Cell, boolean][] = [
    [3, 3, true],
    [0.1 + 0.2, 0.3, true],
    [3, 4, false],
    ["3", 3, false],
    ["a", "a", true],
    ["a", "A", false],
    ["2026-11-20T12:00:00Z", "2026-11-20T12:00:00.000Z", true],
    ["2026-11-20T12:00:00Z", "2026-11-20T12:00:01.000Z", false],
    [null, null, true],
    ["", null, true],
    [null, "x", false],
    [{ a: [1, 2] }, { a: [1, 2] }, true],
    [{ a: [1, 2] }, { a: [2, 1] }, false],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [[1], { 0: 1 }, false],
    [true, "true", false],
    ["5m", "00:05:00", true],
    ["1.02:00:00", "26h", true],
    ["00:05:00", "00:05:01", false],
  ];
  it.each(cases)("%j vs %j → %s", (expected, actual, result) => {
    expect(cellMatches(expected, actual)).toBe(result);
  });
});

describe("formatCell and isEmptyCell", () => {
  it.each([
    [null, "null", true],
    ["", "", true],
    ["x", "x", false],
    [[], "[]", true],
    [{}, "{}", true],
    [{ a: 1 }, '{"a":1}', false],
    [0, "0", false],
  ] as [Cell, string, boolean][])("%j", (cell, text, empty) => {
    expect(formatCell(cell)).toBe(text);
    expect(isEmptyCell(cell)).toBe(empty);
  });
});
