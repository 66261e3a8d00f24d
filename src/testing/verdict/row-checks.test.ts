import { describe, expect, it } from "vitest";
import type { Location } from "../../diagnostics/index.ts";
import { makeResultTable } from "./result-table.ts";
import { checkRows, type RowExpectation } from "./row-checks.ts";

const table = makeResultTable([{ name: "User", type: "string" }], [["alice"], ["bob"]]);
const LINES = { rows: 1, minRows: 2, values: 3 };
const at = (key: keyof typeof LINES): Location => ({ file: "t.tests.yaml", start: { line: LINES[key], col: 1 } });

describe("checkRows", () => {
  it.each<[string, RowExpectation, [number, string][]]>([
    ["a matching count, minimum and rows", { rows: 2, minRows: 1, values: [{ User: "bob" }, { User: "alice" }], ordered: false }, []],
    ["a wrong count", { rows: 3, ordered: false }, [[1, "step s: expected 3 result rows, got 2"]]],
    ["too few rows", { minRows: 5, ordered: false }, [[2, "step s: expected at least 5 result rows, got 2"]]],
  ])("checks %s, each failure at its key with the prefix", (_name, expectation, expected) => {
    const found = checkRows(expectation, table, at, "step s: ").map((f) => [f.diagnostic.line, f.diagnostic.message]);
    expect(found).toEqual(expected);
  });

  it("shows the result rows with a count failure and a diff with a values failure", () => {
    const [count] = checkRows({ rows: 1, ordered: false }, table, at);
    expect(count?.diff).toContain("alice");
    const [values] = checkRows({ values: [{ User: "bob" }, { User: "alice" }], ordered: true }, table, at);
    expect(values?.diagnostic).toMatchObject({ code: "SC5001", line: 3 });
    expect(values?.diff).toBeDefined();
  });
});
