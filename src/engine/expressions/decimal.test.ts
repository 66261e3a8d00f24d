import { describe, expect, it } from "vitest";
import { rowsOf } from "../test-helpers.ts";

describe("decimal is exact up to 15 significant digits, refused beyond", () => {
  it.each<[string, unknown]>([
    ["decimal(0.1) + decimal(0.2)", 0.3],
    ["todecimal('0.1') + 0.2", 0.3],
    ["decimal(1) / decimal(4)", 0.25],
    ["decimal(2.5) * 3", 7.5],
    ["decimal(10) % decimal(3)", 1],
    ["decimal(-7) % decimal(3)", -1],
    ["todecimal(0.1 + 0.2)", 0.3],
    ["todecimal(12)", 12],
    ["todecimal('abc')", null],
    ["decimal(null) + decimal(1)", null],
    ["tostring(decimal(0.00001))", "0.00001"],
    ["tostring(decimal(1e20))", "100000000000000000000"],
    ["strcat(decimal(2.5), '')", "2.5"],
  ])("%s", (expr, expected) => {
    expect(rowsOf(`print r = ${expr}`)).toEqual([[expected]]);
  });

  it("sums and averages decimals exactly", () => {
    expect(rowsOf("datatable(m:decimal)[0.1, 0.2, decimal(null)] | summarize s = sum(m), a = avg(m)")).toEqual([[0.3, 0.15]]);
  });

  it.each([
    ["a literal with 18 significant digits", "print r = decimal(1.23456789012345678)"],
    ["text with 20 digits", "print r = todecimal('12345678901234567890')"],
    ["a quotient that does not terminate", "print r = decimal(1) / decimal(3)"],
    ["division by zero", "print r = decimal(1) / decimal(0)"],
    ["an average that does not terminate", "datatable(m:decimal)[1, 1, 2] | summarize avg(m)"],
  ])("refuses %s (SC4020)", (_name, query) => {
    expect(() => rowsOf(query)).toThrow(/^SC4020 /);
  });
});
