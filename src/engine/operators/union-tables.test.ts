import { describe, expect, it } from "vitest";
import type { Column } from "../values.ts";
import { mapLegColumns, unionTables } from "./union-tables.ts";

describe("mapLegColumns", () => {
  const output: Column[] = [
    { name: "S", type: "string" },
    { name: "x_long", type: "long" },
    { name: "x_int", type: "int" },
    { name: "y", type: "string" },
  ];
  it.each<[Column[], number[]]>([
    [[{ name: "x", type: "long" }], [1]],
    [[{ name: "x", type: "int" }, { name: "y", type: "string" }], [2, 3]],
    [[{ name: "y", type: "long" }], [-1]],
    [[{ name: "z", type: "string" }], [-1]],
  ])("%j → %j", (leg, positions) => {
    expect(mapLegColumns(leg, output)).toEqual(positions);
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
        { source: "View_1", table: { columns: [{ name: "x", type: "long" }], rows: [[1]] } },
        { source: "View_2", table: { columns: [{ name: "x", type: "int" }], rows: [[2]] } },
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
        { source: "A", table: { columns: [{ name: "a", type: "long" }], rows: [[1], [null]] } },
        { source: "B", table: { columns: [{ name: "s", type: "string" }], rows: [] } },
      ],
      output,
      undefined,
    );
    expect(out.rows).toEqual([[1, ""], [null, ""]]);
  });
});
