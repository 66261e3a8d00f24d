import { describe, expect, it } from "vitest";
import { namedOutcome as run } from "../test-helpers.ts";

describe("evaluate bag_unpack through runQuery", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "unpacks keys into sorted columns with a prefix (Microsoft's example)",
      `datatable(d:dynamic)[dynamic({"Name": "John", "Age":20}), dynamic({"Name": "Dave", "Age":40})] | evaluate bag_unpack(d, 'Property_')`,
      { columns: ["Property_Age", "Property_Name"], rows: [[20, "John"], [40, "Dave"]] },
    ],
    [
      "ignoredProperties takes a dynamic array, single-quoted as in Microsoft's example",
      `datatable(d:dynamic)[dynamic({"Name": "John", "Age":20, "Address": "A-1"}), dynamic({"Name": "Dave", "Age":40})] | evaluate bag_unpack(d, ignoredProperties=dynamic(['Address', 'Age']))`,
      { columns: ["Name"], rows: [["John"], ["Dave"]] },
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

  it.each<[string, string, { columns: string[]; rows: unknown[][] } | RegExp]>([
    [
      "keeps unpacked columns next to known ones (keep_source, Microsoft's example)",
      `datatable(Name:string, d:dynamic)['James', dynamic({"Name": "John", "Age":20}), 'David', dynamic({"Name": "Dave", "Age":40})] | evaluate bag_unpack(d, columnsConflict='keep_source')`,
      { columns: ["Name", "Age"], rows: [["James", 20], ["David", 40]] },
    ],
    [
      "replace_source replaces the column in place and appends the new keys",
      `datatable(Name:string, d:dynamic, z:long)['x', dynamic({"Name": "John", "Age": 20}), 1, 'y', dynamic({"Age": 3}), 2] | evaluate bag_unpack(d, columnsConflict='replace_source')`,
      { columns: ["Name", "z", "Age"], rows: [["John", 1, 20], ["", 2, 3]] },
    ],
    [
      "row-preserving operators keep the unpacked columns",
      `datatable(z:long, d:dynamic)[1, dynamic({"b": 1, "a": "p"}), 2, dynamic({"a": "q"})] | evaluate bag_unpack(d) | where z > 0 | sort by z asc | take 1`,
      { columns: ["z", "a", "b"], rows: [[1, "p", 1]] },
    ],
    [
      "operators reading only known columns run",
      `datatable(z:long, d:dynamic)[1, dynamic({"a": 1}), 1, dynamic({"b": 2})] | evaluate bag_unpack(d) | summarize n = count() by z`,
      { columns: ["z", "n"], rows: [[1, 2]] },
    ],
    ["extend after unpacked columns is refused, not laid out wrongly", `datatable(z:long, d:dynamic)[1, dynamic({"a": 1})] | evaluate bag_unpack(d) | extend k = z`, /SC4001.*extend.*\(a\)/],
    ["join after unpacked columns is refused", `datatable(z:long, d:dynamic)[1, dynamic({"a": 1})] | evaluate bag_unpack(d) | join (datatable(z:long)[1]) on z`, /SC4001.*join/],
    ["pack_all() would miss unpacked columns: refused", `datatable(z:long, d:dynamic)[1, dynamic({"a": 1})] | evaluate bag_unpack(d) | project p = pack_all()`, /SC4001.*project/],
    ["summarize with * would miss unpacked columns: refused", `datatable(z:long, d:dynamic)[1, dynamic({"a": 1})] | evaluate bag_unpack(d) | summarize arg_max(z, *)`, /SC4001.*summarize/],
  ])("%s", (_what, query, expected) => {
    if (expected instanceof RegExp) expect(run(query)).toMatch(expected);
    else expect(run(query)).toEqual(expected);
  });

  it("refuses other plugins by name", () => {
    expect(run(`datatable(a:string)['x'] | evaluate pivot(a)`)).toMatch(/SC4001.*pivot/);
  });
});
