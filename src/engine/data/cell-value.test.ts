import { describe, expect, it } from "vitest";
import type { KqlType } from "../values.ts";
import { cellValue } from "./cell-value.ts";

const NOON = 17_951_760_000_000_000n; // 2026-11-20T12:00:00Z

describe("cellValue", () => {
  it.each([
    [null, "string", ""],
    [undefined, "long", null],
    ["", "datetime", null],
    ["  ", "dynamic", null],
    ["", "string", ""],
    ["2026-11-20T12:00:00Z", "datetime", NOON],
    ["2026-11-20T12:00:00", "datetime", NOON],
    ["2026-11-20T12:00:00.12345678Z", "datetime", NOON + 1_234_567n],
    ["Fri, 20 Nov 2026 12:00:00 GMT", "datetime", NOON],
    [new Date("2026-11-20T12:00:00Z"), "datetime", NOON],
    [42, "long", 42],
    ["-42", "long", -42],
    [851673153924341805n, "long", 851673153924341805n],
    ["851673153924341805", "long", 851673153924341805n],
    [2147483647, "int", 2147483647],
    ["1.5", "real", 1.5],
    ["-inf", "real", -Infinity],
    [3n ** 40n, "real", Number(3n ** 40n)],
    ["0.1", "decimal", 0.1],
    [true, "bool", true],
    ["False", "bool", false],
    [0, "bool", false],
    ["90s", "timespan", 900_000_000n],
    ["-00:00:01", "timespan", -10_000_000n],
    [" 6F9619FF-8B86-D011-B42D-00C04FC964FF ", "guid", "6f9619ff-8b86-d011-b42d-00c04fc964ff"],
    [[1, { a: null }], "dynamic", [1, { a: null }]],
    ['  ["x"] ', "dynamic", ["x"]],
    ["123", "dynamic", "123"],
    ["[REDACTED", "dynamic", "[REDACTED"],
    ["{oops}", "dynamic", "{oops}"],
    [false, "dynamic", false],
  ] as const)("%s as %s", (cell, type, expected) => {
    expect(cellValue(cell, type as KqlType)).toEqual({ value: expected });
  });

  it.each([
    [5, "string", /5 is not text/],
    [{ a: 1 }, "string", /\{"a":1\} is not text/],
    [2147483648, "int", /not a 32-bit integer/],
    [2 ** 60, "long", /has lost digits; write it as text/],
    [9223372036854775808n, "long", /not a 64-bit integer/],
    ["1e3", "long", /not a 64-bit integer/],
    [1.5, "long", /not a 64-bit integer/],
    ["0x1f", "real", /not a number \(real\)/],
    ["0.1234567890123456", "decimal", /more than 15 significant digits/],
    ["on", "bool", /not true, false, 1 or 0/],
    [2, "bool", /not true, false, 1 or 0/],
    [1_700_000_000, "datetime", /not a datetime/],
    ["2026-13-01", "datetime", /not a datetime/],
    [300, "timespan", /not a timespan/],
    ["6f9619ff8b86d011b42d00c04fc964ff", "guid", /not a GUID/],
    ['{"id": 851673153924341805}', "dynamic", /the integer 851673153924341805 inside a dynamic value/],
    [[851673153924341805n], "dynamic", /the integer 851673153924341805 inside/],
  ] as const)("refuses %s as %s", (cell, type, message) => {
    const typed = cellValue(cell, type as KqlType);
    expect(typed).toEqual({ error: expect.stringMatching(message) });
  });
});
