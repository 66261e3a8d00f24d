import { describe, expect, it } from "vitest";
import type { KqlType, Value } from "../values.ts";
import { castElement, elementsOf, expandRows, type BagExpansion, type Expansion } from "./mv-expand-rows.ts";

describe("elementsOf", () => {
  it.each<[string, Value, BagExpansion, Value[]]>([
    ["null gives one null", null, "bag", [null]],
    ["an empty array gives nothing", [], "bag", []],
    ["an empty bag gives nothing", {}, "bag", []],
    ["an array gives its elements", [1, "a", null], "bag", [1, "a", null]],
    ["a bag gives one-entry bags", { p: 1, q: [2] }, "bag", [{ p: 1 }, { q: [2] }]],
    ["kind=array gives [key, value] pairs", { p: 1, q: "x" }, "array", [["p", 1], ["q", "x"]]],
    ["a scalar is its own element", 5, "bag", [5]],
  ])("%s", (_what, value, mode, elements) => {
    expect(elementsOf(value, mode)).toEqual(elements);
  });
});

describe("castElement (to typeof)", () => {
  it.each<[Value, KqlType, Value]>([
    [5, "long", 5],
    [5.5, "long", null],
    ["5", "long", null],
    [3000000000, "int", null],
    [5, "real", 5],
    ["a", "string", "a"],
    [null, "string", ""],
    [7, "string", "7"],
    [true, "bool", true],
    [1, "bool", null],
    ["2017-10-01T00:01:00Z", "datetime", 1506816060_0000000n],
    ["nope", "datetime", null],
    ["01:00:00", "timespan", 36_000_000_000n],
    ["A0000000-0000-0000-0000-00000000000B", "guid", "a0000000-0000-0000-0000-00000000000b"],
    [{ a: 1 }, "dynamic", { a: 1 }],
  ])("case %#", (value, type, out) => {
    expect(castElement(value, type)).toEqual(out);
  });
});

describe("expandRows", () => {
  const col = (i: number, type: KqlType = "dynamic"): Expansion => ({ read: (row) => row[i] as Value, target: i, type });
  const check = (): void => undefined;

  it("zips several columns, padding the shorter with null (Microsoft's example)", () => {
    const rows = expandRows([[1, { prop1: "a", prop2: "b" }, [5, 4, 3]]], [col(1), col(2)], { mode: "bag", limit: Infinity, width: 3, check });
    expect(rows).toEqual([[1, { prop1: "a" }, 5], [1, { prop2: "b" }, 4], [1, null, 3]]);
  });

  it("drops a row whose every expansion is empty, and keeps one row for null", () => {
    const rows = expandRows([[1, []], [2, null]], [col(1)], { mode: "bag", limit: Infinity, width: 2, check });
    expect(rows).toEqual([[2, null]]);
  });

  it("numbers items with with_itemindex and caps rows per input row with limit", () => {
    const rows = expandRows([[[10, 20, 30]]], [col(0, "long")], { mode: "bag", limit: 2, width: 2, indexColumn: 1, check });
    expect(rows).toEqual([[10, 0], [20, 1]]);
  });

  it("appends a new column and casts to its type", () => {
    const expansion: Expansion = { read: (row) => row[0] as Value, target: 1, type: "string" };
    const rows = expandRows([[["x", 1]]], [expansion], { mode: "bag", limit: Infinity, width: 2, check });
    expect(rows).toEqual([[["x", 1], "x"], [["x", 1], "1"]]);
  });

  it("reports the running size so the caller can enforce the row cap", () => {
    const seen: number[] = [];
    expandRows([[[1, 2]], [[3]]], [col(0)], { mode: "bag", limit: Infinity, width: 1, check: (n) => seen.push(n) });
    expect(seen).toEqual([2, 3]);
  });
});
