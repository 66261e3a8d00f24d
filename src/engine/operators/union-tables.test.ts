import { describe, expect, it } from "vitest";
import { segmentedTable } from "../segments.ts";
import type { Column, Row } from "../values.ts";
import { layoutUnion, unionSegments, unionTables, type UnionLeg } from "./union-tables.ts";

describe("layoutUnion", () => {
  const col = (name: string, type: Column["type"]): Column => ({ name, type });
  it.each<[string, Column[][], Column[], number | undefined, number[][] | undefined]>([
    ["Microsoft's union-1: one column per name and type", [[col("x", "long")], [col("x", "int")]], [col("S", "string"), col("x_long", "long"), col("x_int", "int")], 0, [[1], [2]]],
    ["a name's types sit together at the name's first position", [[col("v", "long"), col("k", "string")], [col("k", "string"), col("v", "real")]], [col("v_long", "long"), col("v_real", "real"), col("k", "string")], undefined, [[0, 2], [2, 1]]],
    ["a suffixed name that collides with a real column is numbered", [[col("v", "long")], [col("v", "real")], [col("v_long", "long")]], [col("v_long", "long"), col("v_real", "real"), col("v_long1", "long")], undefined, [[0], [1], [2]]],
    ["the real column keeps the name when it comes first", [[col("v_long", "long")], [col("v", "long")], [col("v", "real")]], [col("v_long", "long"), col("v_long1", "long"), col("v_real", "real")], undefined, [[0], [1], [2]]],
    ["an output that is not the legs' columns", [[col("x", "long")]], [col("y", "long")], undefined, undefined],
    ["an output with a column too few", [[col("x", "long")], [col("x", "real")]], [col("x_long", "long")], undefined, undefined],
  ])("%s", (_name, legs, output, sourceColumn, expected) => {
    expect(layoutUnion(legs, output, sourceColumn)).toEqual(expected);
  });
});

describe("unionTables", () => {
  it("lays legs out by name and type, fills absent cells, and names each row's source (Microsoft's union-1)", () => {
    const output: Column[] = [
      { name: "TableName", type: "string" },
      { name: "x_long", type: "long" },
      { name: "x_int", type: "int" },
    ];
    const out = unionTables(
      [
        { source: "View_1", table: { columns: [{ name: "x", type: "long" }], rows: [[1]] }, positions: [1] },
        { source: "View_2", table: { columns: [{ name: "x", type: "int" }], rows: [[2]] }, positions: [2] },
      ],
      output,
      0,
    );
    expect(out.rows).toEqual([["View_1", 1, null], ["View_2", null, 2]]);
  });

  it("fills absent string cells with the empty string and keeps an empty leg empty", () => {
    const output: Column[] = [
      { name: "a", type: "long" },
      { name: "s", type: "string" },
    ];
    const out = unionTables(
      [
        { source: "A", table: { columns: [{ name: "a", type: "long" }], rows: [[1], [null]] }, positions: [0] },
        { source: "B", table: { columns: [{ name: "s", type: "string" }], rows: [] }, positions: [1] },
      ],
      output,
      undefined,
    );
    expect(out.rows).toEqual([[1, ""], [null, ""]]);
  });
});

describe("unionSegments", () => {
  const output: Column[] = [
    { name: "S", type: "string" },
    { name: "a", type: "long" },
    { name: "b", type: "string" },
  ];
  const stableRows: Row[] = [[1], [2]];
  const legs = (partRows: Row[]): UnionLeg[] => [
    { source: "A", table: segmentedTable([{ name: "a", type: "long" }], [{ rows: stableRows, stable: true }, { rows: partRows, stable: false }]), positions: [1] },
    { source: "B", table: { columns: [{ name: "b", type: "string" }], rows: [["x"], ["y"]] }, positions: [2] },
  ];
  const tokens = [{}, {}];

  it("gives the rows of unionTables in its order: each leg's segments in leg order, a leg without segments as one seen in part", () => {
    const out = unionSegments(legs([[3]]), output, 0, tokens);
    expect(out.rows).toEqual(unionTables(legs([[3]]), output, 0).rows);
    expect(out.segments.map((s) => [s.rows.length, s.stable])).toEqual([[2, true], [1, false], [2, false]]);
  });

  it("gives a stable segment's laid-out rows as the same array at every run, and a segment seen in part afresh", () => {
    const first = unionSegments(legs([[3]]), output, 0, tokens);
    const second = unionSegments(legs([[3], [4]]), output, 0, tokens);
    expect(second.segments[0]!.rows).toBe(first.segments[0]!.rows);
    expect(second.segments[1]!.rows).toEqual([["A", 3, ""], ["A", 4, ""]]);
    expect(unionSegments(legs([[3]]), output, 0, [{}, {}]).segments[0]!.rows).not.toBe(first.segments[0]!.rows);
  });
});
