import { describe, expect, it } from "vitest";
import { joinTables, lookupTables, parseJoinKind, renameRightColumns, type JoinKind } from "./join-tables.ts";
import { groupKey, type Row, type Table, type Value } from "../values.ts";

// The example tables of Microsoft's join-flavor pages (X: Key, Value1; Y: Key, Value2).
const X: Table = {
  columns: [{ name: "Key", type: "string" }, { name: "Value1", type: "long" }],
  rows: [["a", 1], ["b", 2], ["b", 3], ["c", 4]],
};
const Y: Table = {
  columns: [{ name: "Key", type: "string" }, { name: "Value2", type: "long" }],
  rows: [["b", 10], ["c", 20], ["c", 30], ["d", 40]],
};
const on = { left: [0], right: [0] };

describe("joinTables on the documented X/Y example", () => {
  it.each<[JoinKind, string[], Row[]]>([
    ["innerunique", ["Key", "Value1", "Key1", "Value2"], [["b", 2, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]]],
    ["inner", ["Key", "Value1", "Key1", "Value2"], [["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]]],
    ["leftouter", ["Key", "Value1", "Key1", "Value2"], [["a", 1, "", null], ["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30]]],
    ["rightouter", ["Key", "Value1", "Key1", "Value2"], [["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30], ["", null, "d", 40]]],
    ["fullouter", ["Key", "Value1", "Key1", "Value2"], [["a", 1, "", null], ["b", 2, "b", 10], ["b", 3, "b", 10], ["c", 4, "c", 20], ["c", 4, "c", 30], ["", null, "d", 40]]],
    ["leftsemi", ["Key", "Value1"], [["b", 2], ["b", 3], ["c", 4]]],
    ["leftanti", ["Key", "Value1"], [["a", 1]]],
    ["rightsemi", ["Key", "Value2"], [["b", 10], ["c", 20], ["c", 30]]],
    ["rightanti", ["Key", "Value2"], [["d", 40]]],
  ])("kind=%s", (kind, names, rows) => {
    const out = joinTables(X, Y, on, kind);
    expect(out.columns.map((c) => c.name)).toEqual(names);
    expect(out.rows).toEqual(rows);
  });
});

describe("joinTables edge cases", () => {
  const L: Table = { columns: [{ name: "k", type: "long" }, { name: "v", type: "string" }], rows: [[null, "n"], [1, "one"], [2, "two"]] };
  const R: Table = { columns: [{ name: "k", type: "long" }, { name: "w", type: "real" }], rows: [[null, 0.5], [1, 1.5]] };

  it.each<[JoinKind, Row[]]>([
    ["inner", [[1, "one", 1, 1.5]]],
    ["leftouter", [[null, "n", null, null], [1, "one", 1, 1.5], [2, "two", null, null]]],
    ["fullouter", [[null, "n", null, null], [1, "one", 1, 1.5], [2, "two", null, null], [null, "", null, 0.5]]],
    ["leftanti", [[null, "n"], [2, "two"]]],
    ["rightanti", [[null, 0.5]]],
  ])("null keys never match (kind=%s)", (kind, rows) => {
    expect(joinTables(L, R, { left: [0], right: [0] }, kind).rows).toEqual(rows);
  });

  it.each<JoinKind>(["innerunique", "inner", "leftouter", "leftsemi", "rightsemi"])("an empty right side gives no matches (kind=%s)", (kind) => {
    const out = joinTables(L, { columns: R.columns, rows: [] }, { left: [0], right: [0] }, kind);
    expect(out.rows.length).toBe(kind === "leftouter" ? 3 : 0);
  });

  it("innerunique keeps the first left row of each key", () => {
    const left: Table = { columns: [{ name: "k", type: "string" }, { name: "n", type: "long" }], rows: [["x", 1], ["x", 2], ["y", 3]] };
    const right: Table = { columns: [{ name: "k", type: "string" }], rows: [["x"], ["x"]] };
    expect(joinTables(left, right, { left: [0], right: [0] }, "innerunique").rows).toEqual([["x", 1, "x"], ["x", 1, "x"]]);
  });

  it("matches on several keys, and empty strings match each other", () => {
    const left: Table = { columns: [{ name: "a", type: "string" }, { name: "b", type: "long" }], rows: [["", 1], ["p", 1], ["p", 2]] };
    const right: Table = { columns: [{ name: "c", type: "string" }, { name: "d", type: "long" }], rows: [["", 1], ["p", 2]] };
    expect(joinTables(left, right, { left: [0, 1], right: [0, 1] }, "inner").rows).toEqual([["", 1, "", 1], ["p", 2, "p", 2]]);
  });

  it("does not match a string key with a number key of the same text", () => {
    const left: Table = { columns: [{ name: "a", type: "dynamic" }], rows: [["1"], [1]] };
    const right: Table = { columns: [{ name: "a", type: "dynamic" }], rows: [[1]] };
    expect(joinTables(left, right, { left: [0], right: [0] }, "inner").rows).toEqual([[1, 1]]);
  });

  it("matches equal dynamic bags", () => {
    const left: Table = { columns: [{ name: "a", type: "dynamic" }], rows: [[{ x: 1 }], [[1, 2]]] };
    const right: Table = { columns: [{ name: "a", type: "dynamic" }], rows: [[{ x: 1 }]] };
    expect(joinTables(left, right, { left: [0], right: [0] }, "inner").rows).toEqual([[{ x: 1 }, { x: 1 }]]);
  });

  // keys are compared cell by cell as groupKey compares them (no key text per row): each left cell with the right cells it matches
  it.each<[string, Value, Value[]]>([
    ["a number", 1, [1]],
    ["-0 and 0", -0, [0, -0]],
    ["NaN", NaN, [NaN]],
    ["a long beyond 2^53 (a bigint), not the double near it", 2n ** 60n, [2n ** 60n]],
    ["a string, not the number of its text", "1", ["1"]],
    ["a bag, whatever its key order", { x: 1, y: 2 }, [{ y: 2, x: 1 }]],
    ["an array, not a string of its JSON text", [1], [[1]]],
    ["a string of an array's JSON text, not the array", "[1]", ["[1]"]],
    ["a string of a key text, not the value keyed so", "j[1]", ["j[1]"]],
    ["true, not 1", true, [true]],
  ])("matches %s", (_what, cell, matches) => {
    const cells: Value[] = [1, 0, -0, NaN, 2n ** 60n, 2 ** 60, "1", { y: 2, x: 1 }, [1], "[1]", "j[1]", true];
    const right: Table = { columns: [{ name: "a", type: "dynamic" }], rows: cells.map((c) => [c]) };
    const left: Table = { columns: [{ name: "a", type: "dynamic" }], rows: [[cell]] };
    expect(joinTables(left, right, { left: [0], right: [0] }, "inner").rows.map((r) => r[1])).toEqual(matches);
    // the same on a second key column: every cell of the key must match
    const wide = (t: Table): Table => ({ columns: [...t.columns, { name: "b", type: "string" }], rows: t.rows.map((r) => [...r, "k"]) });
    expect(joinTables(wide(left), wide(right), { left: [0, 1], right: [0, 1] }, "inner").rows.map((r) => r[2])).toEqual(matches);
  });
});

describe("renameRightColumns", () => {
  it("skips suffixes that either side already uses, as Kusto.Language does", () => {
    const names = renameRightColumns(
      [{ name: "a", type: "long" }, { name: "b", type: "string" }],
      [{ name: "a", type: "long" }, { name: "b", type: "string" }, { name: "b1", type: "long" }],
    ).map((c) => c.name);
    expect(names).toEqual(["a1", "b2", "b1"]);
  });
});

describe("lookupTables", () => {
  const facts: Table = { columns: [{ name: "k", type: "string" }, { name: "v", type: "long" }], rows: [["a", 1], ["b", 2], ["", 3]] };
  const dim: Table = { columns: [{ name: "k", type: "string" }, { name: "v", type: "long" }, { name: "label", type: "string" }], rows: [["a", 10, "A"]] };

  it.each<["leftouter" | "inner", Row[]]>([
    ["leftouter", [["a", 1, 10, "A"], ["b", 2, null, ""], ["", 3, null, ""]]],
    ["inner", [["a", 1, 10, "A"]]],
  ])("kind=%s drops the right key columns and renames clashes", (kind, rows) => {
    const out = lookupTables(facts, dim, { left: [0], right: [0] }, kind);
    expect(out.columns.map((c) => c.name)).toEqual(["k", "v", "v1", "label"]);
    expect(out.rows).toEqual(rows);
  });
});

describe("parseJoinKind", () => {
  it.each([
    ["anti", "leftanti"],
    ["leftantisemi", "leftanti"],
    ["rightantisemi", "rightanti"],
    ["fullouter", "fullouter"],
    ["outer", undefined],
  ])("%s → %s", (text, kind) => {
    expect(parseJoinKind(text)).toBe(kind);
  });
});

describe("joinTables against the join's definition", () => {
  /** Kusto's flavors by definition, pair by pair: rows whose key cells are all non-null and equal as groupKey equates them. */
  function byDefinition(left: Table, right: Table, keys: { left: number[]; right: number[] }, kind: JoinKind): Row[] {
    const keyOf = (row: Row, at: number[]): string | undefined => (at.some((i) => row[i] === null) ? undefined : at.map((i) => groupKey(row[i] as Value)).join("\u0001"));
    const matches = (l: Row, r: Row): boolean => keyOf(l, keys.left) !== undefined && keyOf(l, keys.left) === keyOf(r, keys.right);
    const pad = (t: Table): Row => t.columns.map((c) => (c.type === "string" ? "" : null));
    const firstPerKey = left.rows.filter((row, i) => keyOf(row, keys.left) !== undefined && left.rows.findIndex((o) => keyOf(o, keys.left) === keyOf(row, keys.left)) === i);
    const pairs = (rows: Row[]): Row[] => rows.flatMap((l) => right.rows.filter((r) => matches(l, r)).map((r) => [...l, ...r]));
    const unmatchedLeft = left.rows.filter((l) => !right.rows.some((r) => matches(l, r)));
    const unmatchedRight = right.rows.filter((r) => !left.rows.some((l) => matches(l, r)));
    const outer = (withLeft: boolean): Row[] => left.rows.flatMap((l) => (right.rows.some((r) => matches(l, r)) ? pairs([l]) : withLeft ? [[...l, ...pad(right)]] : []));
    switch (kind) {
      case "innerunique":
        return pairs(firstPerKey);
      case "inner":
        return pairs(left.rows);
      case "leftouter":
        return outer(true);
      case "rightouter":
        return [...outer(false), ...unmatchedRight.map((r) => [...pad(left), ...r])];
      case "fullouter":
        return [...outer(true), ...unmatchedRight.map((r) => [...pad(left), ...r])];
      case "leftsemi":
        return left.rows.filter((l) => right.rows.some((r) => matches(l, r)));
      case "leftanti":
        return unmatchedLeft;
      case "rightsemi":
        return right.rows.filter((r) => left.rows.some((l) => matches(l, r)));
      case "rightanti":
        return unmatchedRight;
    }
  }

  const cells: Value[] = ["a", "b", "", null, 1, 1n, "1", { k: 1 }];
  const columns = [{ name: "k1", type: "dynamic" as const }, { name: "k2", type: "dynamic" as const }, { name: "n", type: "long" as const }];
  // every pair of cells, twice (so keys repeat on both sides and one row object appears twice on the left)
  const grid: Row[] = cells.flatMap((a, i) => cells.map((b, j): Row => [a, b, i * cells.length + j]));
  const twice = grid.slice(0, 20);
  const left: Table = { columns, rows: [...grid, ...twice, twice[3]!] };
  const right: Table = { columns, rows: [...grid.filter((_r, i) => i % 3 !== 0), ...grid.filter((_r, i) => i % 5 === 0)] };

  it.each<JoinKind>(["innerunique", "inner", "leftouter", "rightouter", "fullouter", "leftsemi", "leftanti", "rightsemi", "rightanti"])(
    "kind=%s gives the definition's rows, in its order, on one key and on two",
    (kind) => {
      for (const keys of [{ left: [0], right: [0] }, { left: [0, 1], right: [0, 1] }, { left: [1, 0], right: [0, 1] }]) {
        expect(joinTables(left, right, keys, kind).rows).toEqual(byDefinition(left, right, keys, kind));
      }
    },
  );
});
