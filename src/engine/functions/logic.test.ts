import { describe, expect, it } from "vitest";
import type { KqlType, Value } from "../values.ts";
import { LOGIC_FUNCTIONS } from "./logic.ts";
import { buildRegistry } from "./registry.ts";
import { TYPE_FUNCTIONS, parseVersion } from "./type.ts";

const registry = buildRegistry([LOGIC_FUNCTIONS, TYPE_FUNCTIONS]);

function call(name: string, args: Value[], argTypes: KqlType[], resultType: KqlType): Value {
  const fn = registry.get(name);
  if (!fn) throw new Error(`no function ${name}`);
  return fn.call(args, { now: 0n, argTypes, resultType });
}

describe("logic functions", () => {
  it.each<[string, Value[], KqlType[], KqlType, Value]>([
    ["iff", [true, 1, 2], ["bool", "long", "long"], "long", 1],
    ["iff", [false, 1, 2], ["bool", "long", "long"], "long", 2],
    ["iff", [null, 1, 2], ["bool", "long", "long"], "long", 2],
    ["iif", [true, "a", "b"], ["bool", "string", "string"], "string", "a"],
    ["case", [false, "Small", true, "Medium", "Large"], ["bool", "string", "bool", "string", "string"], "string", "Medium"],
    ["case", [false, "Small", null, "Medium", "Large"], ["bool", "string", "bool", "string", "string"], "string", "Large"],
    ["coalesce", [null, 42, 33], ["long", "long", "long"], "long", 42],
    ["coalesce", [null, null], ["long", "long"], "long", null],
    ["coalesce", ["", "x"], ["string", "string"], "string", "x"],
    ["coalesce", ["", ""], ["string", "string"], "string", ""],
    ["isempty", [""], ["string"], "bool", true],
    ["isempty", ["x"], ["string"], "bool", false],
    ["isempty", [null], ["long"], "bool", true],
    ["isempty", [[]], ["dynamic"], "bool", false],
    ["isnotempty", ["x"], ["string"], "bool", true],
    ["isnull", [""], ["string"], "bool", false],
    ["isnull", [null], ["long"], "bool", true],
    ["isnull", [null], ["dynamic"], "bool", true],
    ["isnull", [{}], ["dynamic"], "bool", false],
    ["isnotnull", [5], ["long"], "bool", true],
    ["not", [true], ["bool"], "bool", false],
    ["not", [null], ["bool"], "bool", null],
    ["max_of", [10, 1, -3, 17], ["long", "long", "long", "long"], "long", 17],
    ["min_of", [10, 1, -3, 17], ["long", "long", "long", "long"], "long", -3],
    ["max_of", [null, 1], ["long", "long"], "long", 1],
    ["max_of", [null, null], ["long", "long"], "long", null],
    ["max_of", ["a", "b"], ["string", "string"], "string", "b"],
    ["max_of", [1, 2.5], ["long", "real"], "real", 2.5],
  ])("%s(%s) = %s", (name, args, types, resultType, expected) => {
    expect(call(name, args, types, resultType)).toEqual(expected);
  });
});

describe("gettype and parse_version", () => {
  it.each<[Value, KqlType, string]>([
    ["a", "string", "string"],
    [111, "long", "long"],
    [true, "bool", "bool"],
    [0n, "datetime", "datetime"],
    [10_000_000n, "timespan", "timespan"],
    [1, "dynamic", "int"],
    ["abc", "dynamic", "string"],
    [{ abc: 1 }, "dynamic", "dictionary"],
    [[1, 2, 3], "dynamic", "array"],
    [123.45, "real", "real"],
    [null, "dynamic", "null"],
    ["12e8b78d-55b4-46ae-b068-26d7a0080254", "guid", "guid"],
  ])("gettype(%s: %s) = %s", (value, type, expected) => {
    expect(call("gettype", [value], [type], "string")).toBe(expected);
  });

  it.each<[string, number | null]>([
    ["0.0.0.5", 5],
    ["0.0.7.0", 700000000],
    ["0.0.3", 300000000],
    ["0.2", 20000000000000000],
    ["1", 1e24],
    ["1.2.3.4.5", null],
    ["1.a", null],
    ["123456789.0", null],
    ["", null],
  ])("parse_version(%s) = %s", (text, expected) => {
    expect(parseVersion(text)).toBe(expected);
  });
});
