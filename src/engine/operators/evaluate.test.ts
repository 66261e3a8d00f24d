import { describe, expect, it } from "vitest";
import { runQuery } from "../index.ts";

function run(query: string): { columns: string[]; rows: unknown[][] } | string {
  const out = runQuery(query, {}, { now: "2024-01-01T00:00:00Z" });
  if (!out.ok) return out.diagnostics.map((d) => `${d.code}: ${d.message}`).join("; ");
  return { columns: out.table.columns.map((c) => c.name), rows: out.table.rows };
}

describe("evaluate bag_unpack through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "unpacks keys into sorted columns with a prefix (Microsoft's example)",
      `datatable(d:dynamic)[dynamic({"Name": "John", "Age":20}), dynamic({"Name": "Dave", "Age":40})] | evaluate bag_unpack(d, 'Property_')`,
      { columns: ["Property_Age", "Property_Name"], rows: [[20, "John"], [40, "Dave"]] },
    ],
    [
      "fills the declared output schema",
      `datatable(d:dynamic)[dynamic({"Name": "John", "Age":20})] | evaluate bag_unpack(d) : (Name:string, Age:long)`,
      { columns: ["Name", "Age"], rows: [["John", 20]] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it("fails on a key that clashes with a column by default", () => {
    expect(run(`datatable(Name:string, d:dynamic)['x', dynamic({"Name": "John"})] | evaluate bag_unpack(d)`)).toMatch(/SC4004.*clashes/);
  });

  it("refuses, rather than drops, unpacked columns the static schema lacks (keep_source next to known columns)", () => {
    expect(run(`datatable(Name:string, d:dynamic)['x', dynamic({"Name": "John", "Age": 20})] | evaluate bag_unpack(d, columnsConflict='keep_source')`)).toMatch(
      /SC4001.*Age/,
    );
  });

  it("refuses other plugins by name", () => {
    expect(run(`datatable(a:string)['x'] | evaluate pivot(a)`)).toMatch(/SC4001.*pivot/);
  });
});
