import { describe, expect, it } from "vitest";
import { parseDatetime, type KqlType, type Value } from "../values.ts";
import { CONVERSION_FUNCTIONS, parseJson, toGuid } from "./conversion.ts";
import { buildRegistry } from "./registry.ts";

const registry = buildRegistry([CONVERSION_FUNCTIONS]);

function call(name: string, arg: Value, argType: KqlType, resultType: KqlType): Value {
  const fn = registry.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call([arg], { now: 0n, argTypes: [argType], resultType });
}

const dt = (s: string): bigint => parseDatetime(s)!;

describe("conversion functions", () => {
  it.each<[string, Value, KqlType, KqlType, Value]>([
    ["tostring", 123, "long", "string", "123"],
    ["tostring", 1.5, "real", "string", "1.5"],
    ["tostring", 1e20, "real", "string", "1E+20"],
    ["tostring", 0.00001, "real", "string", "1E-05"],
    ["tostring", NaN, "real", "string", "NaN"],
    ["tostring", true, "bool", "string", "true"],
    ["tostring", null, "long", "string", ""],
    ["tostring", dt("2015-12-31 23:59:59.9"), "datetime", "string", "2015-12-31T23:59:59.9000000Z"],
    ["tostring", dt("2020-01-01"), "datetime", "string", "2020-01-01T00:00:00.0000000Z"],
    ["tostring", 36_000_000_000n, "timespan", "string", "01:00:00"],
    ["tostring", { a: 1 }, "dynamic", "string", '{"a":1}'],
    ["tostring", "abc", "dynamic", "string", "abc"],
    ["tostring", null, "dynamic", "string", ""],
    ["toint", "123", "string", "int", 123],
    ["toint", "abc", "string", "int", null],
    ["toint", "", "string", "int", null],
    ["toint", 2.9, "real", "int", 2],
    ["toint", -2.9, "real", "int", -2],
    ["toint", true, "bool", "int", 1],
    ["tolong", "  42 ", "string", "long", 42],
    ["tolong", "1.5", "string", "long", 1],
    ["toint", "-2.7", "string", "int", -2],
    ["toint", 2.3, "real", "int", 2],
    ["tolong", "not a number", "string", "long", null],
    ["tolong", 36_000_000_000n, "timespan", "long", 36_000_000_000],
    ["tolong", 7, "dynamic", "long", 7],
    ["tolong", "7", "dynamic", "long", 7],
    ["todouble", "123.4", "string", "real", 123.4],
    ["todouble", "1e3", "string", "real", 1000],
    ["todouble", "NaN", "string", "real", NaN],
    ["todouble", "x", "string", "real", null],
    ["todouble", "", "string", "real", null],
    ["toreal", 5, "long", "real", 5],
    ["todecimal", "123.45678", "string", "decimal", 123.45678],
    ["tobool", "true", "string", "bool", true],
    ["tobool", "FALSE", "string", "bool", false],
    ["tobool", "yes", "string", "bool", null],
    ["tobool", 1, "long", "bool", true],
    ["tobool", 123, "long", "bool", true],
    ["tobool", 0, "long", "bool", false],
    ["todatetime", "2015-12-31 23:59:59.9", "string", "datetime", dt("2015-12-31T23:59:59.9Z")],
    ["todatetime", "2020-01-01T10:00:00+02:00", "string", "datetime", dt("2020-01-01T08:00:00Z")],
    ["todatetime", "not a date", "string", "datetime", null],
    ["todatetime", "12-02-2022", "string", "datetime", dt("2022-12-02")],
    ["todatetime", "Sat, 8 Nov 14 15:05:02 GMT", "string", "datetime", dt("2014-11-08 15:05:02")],
    ["todatetime", "", "string", "datetime", null],
    ["totimespan", "0.00:03:00", "string", "timespan", 1_800_000_000n],
    ["totimespan", "1.5h", "string", "timespan", 54_000_000_000n],
    ["totimespan", "nope", "string", "timespan", null],
    ["toguid", "0123456789abcdef0123456789abcdef", "string", "guid", "01234567-89ab-cdef-0123-456789abcdef"],
    ["toguid", "0123456789ab-cdef-0123-456789abcdef", "string", "guid", "01234567-89ab-cdef-0123-456789abcdef"],
    ["toguid", "a string that is not a guid", "string", "guid", null],
    ["todynamic", '{"a":1}', "string", "dynamic", { a: 1 }],
    ["parse_json", "[1,2]", "string", "dynamic", [1, 2]],
    ["parse_json", "", "string", "dynamic", null],
    ["parse_json", "not json", "string", "dynamic", "not json"],
    ["parse_json", { a: 1 }, "dynamic", "dynamic", { a: 1 }],
    ["todynamic", 5, "long", "dynamic", 5],
  ])("%s(%s: %s) = %s", (name, arg, argType, resultType, expected) => {
    expect(call(name, arg, argType, resultType)).toEqual(expected);
  });

  it("parse_json keeps the documented nested values", () => {
    expect(parseJson('{"duration":{"value":118.0,"min":100.0}}')).toEqual({ duration: { value: 118, min: 100 } });
  });

  it("toguid accepts braces and upper case", () => {
    expect(toGuid("{12E8B78D-55B4-46AE-B068-26D7A0080254}", "string")).toBe("12e8b78d-55b4-46ae-b068-26d7a0080254");
  });
});
