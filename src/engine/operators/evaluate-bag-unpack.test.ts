import { describe, expect, it } from "vitest";
import type { Table } from "../values.ts";
import { BagUnpackConflict, unpackBags, unpackBagsToSchema, type BagUnpackOptions } from "./evaluate-bag-unpack.ts";

const people: Table = {
  columns: [{ name: "Name", type: "string" }, { name: "d", type: "dynamic" }],
  rows: [
    ["James", { Name: "John", Age: 20 }],
    ["David", { Name: "Dave", Height: 170, Age: 40 }],
    ["Emily", null],
  ],
};
const opts = (o: Partial<BagUnpackOptions>): BagUnpackOptions => ({ column: 1, prefix: "", conflict: "error", ignored: new Set(), ...o });

describe("unpackBags", () => {
  it("adds one column per key, sorted, typed from the values (Microsoft's examples)", () => {
    const out = unpackBags(people, opts({ prefix: "p_" }));
    expect(out.columns).toEqual([
      { name: "Name", type: "string" },
      { name: "p_Age", type: "long" },
      { name: "p_Height", type: "long" },
      { name: "p_Name", type: "string" },
    ]);
    expect(out.rows).toEqual([
      ["James", 20, null, "John"],
      ["David", 40, 170, "Dave"],
      ["Emily", null, null, ""],
    ]);
  });

  it.each<[BagUnpackOptions["conflict"], string[], unknown[]]>([
    ["keep_source", ["Name", "Age", "Height"], ["James", 20, null]],
    ["replace_source", ["Name", "Age", "Height"], ["John", 20, null]],
  ])("columnsConflict=%s", (conflict, names, firstRow) => {
    const out = unpackBags(people, opts({ conflict }));
    expect(out.columns.map((c) => c.name)).toEqual(names);
    expect(out.rows[0]).toEqual(firstRow);
  });

  it("fails on a clashing key by default, as Kusto does", () => {
    expect(() => unpackBags(people, opts({}))).toThrow(BagUnpackConflict);
  });

  it("skips ignoredProperties and types mixed values as dynamic", () => {
    const t: Table = { columns: [{ name: "d", type: "dynamic" }], rows: [[{ a: 1, b: "x" }], [{ a: "y", b: "z" }]] };
    const out = unpackBags(t, { column: 0, prefix: "", conflict: "error", ignored: new Set(["b"]) });
    expect(out.columns).toEqual([{ name: "a", type: "dynamic" }]);
    expect(out.rows).toEqual([[1], ["y"]]);
  });

  it("gives no new columns for an empty input", () => {
    expect(unpackBags({ columns: people.columns, rows: [] }, opts({})).columns).toEqual([{ name: "Name", type: "string" }]);
  });
});

describe("unpackBagsToSchema", () => {
  it("fills the declared columns from the input or the bag, casting to the declared type", () => {
    const out = unpackBagsToSchema(people, opts({}), [
      { name: "Name", type: "string" },
      { name: "Age", type: "long" },
      { name: "Missing", type: "string" },
    ]);
    expect(out.rows).toEqual([["James", 20, ""], ["David", 40, ""], ["Emily", null, ""]]);
  });
});
