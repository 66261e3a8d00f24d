import { describe, expect, it } from "vitest";
import { rowsOf } from "../test-helpers.ts";

describe("dcount keeps values apart exactly as grouping does", () => {
  it.each([
    ["numbers, strings and arrays that render alike", "datatable(d:dynamic)[dynamic(1), dynamic('1'), dynamic([1]), dynamic('[1]'), dynamic(1), dynamic(null)]", 4],
    ["bags with the same members in another order", `datatable(d:dynamic)[dynamic({"a":1,"b":2}), dynamic({"b":2,"a":1}), dynamic({"a":1})]`, 2],
    ["zero and negative zero", "datatable(d:real)[0.0, -0.0, real(null)]", 1],
    ["datetimes", "datatable(d:datetime)[datetime(2024-01-01), datetime(2024-01-01), datetime(2024-01-02)]", 2],
  ])("%s", (_name, table, expected) => {
    expect(rowsOf(`${table} | summarize n = dcount(d)`)).toEqual([[expected]]);
  });

  it("summarize groups by keys of several kinds exactly, in first-seen order", () => {
    const query =
      "datatable(s:string, r:real, t:datetime)['1', 0.0, datetime(2024-01-01), '1', -0.0, datetime(2024-01-01), '1', 1.0, datetime(2024-01-01), '', real(null), datetime(2024-01-02), '', real(null), datetime(2024-01-02)] | summarize n = count() by s, r, t";
    expect(rowsOf(query)).toEqual([
      ["1", 0, "2024-01-01T00:00:00Z", 2],
      ["1", 1, "2024-01-01T00:00:00Z", 1],
      ["", null, "2024-01-02T00:00:00Z", 2],
    ]);
  });
});
