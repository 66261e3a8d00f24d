import { describe, expect, it } from "vitest";
import { compareRows } from "./compare.ts";
import { tableOf } from "../test-helpers.ts";

const actual = tableOf([
  { Ip: "1.1.1.1", Count: 3, Other: "x" },
  { Ip: "2.2.2.2", Count: 5, Other: "y" },
]);

describe("compareRows", () => {
  it.each([
    ["same rows, other order", [{ Ip: "2.2.2.2", Count: 5 }, { Ip: "1.1.1.1", Count: 3 }], false],
    ["only named columns", [{ Ip: "1.1.1.1" }, { Ip: "2.2.2.2" }], false],
    ["in order", [{ Ip: "1.1.1.1" }, { Ip: "2.2.2.2" }], true],
    ["rows naming different columns", [{ Ip: "1.1.1.1" }, { Count: 5 }], false],
  ])("passes: %s", (_, expected, ordered) => {
    expect(compareRows(expected, actual, ordered)).toEqual({ ok: true });
  });

  it.each([
    ["a missing row", [{ Ip: "1.1.1.1" }], false],
    ["an extra row", [{ Ip: "1.1.1.1" }, { Ip: "2.2.2.2" }, { Ip: "3.3.3.3" }], false],
    ["a wrong value", [{ Ip: "1.1.1.1", Count: 4 }, { Ip: "2.2.2.2", Count: 5 }], false],
    ["duplicates against distinct rows", [{ Ip: "1.1.1.1" }, { Ip: "1.1.1.1" }], false],
    ["wrong order", [{ Ip: "2.2.2.2" }, { Ip: "1.1.1.1" }], true],
  ])("fails: %s", (_, expected, ordered) => {
    const result = compareRows(expected, actual, ordered);
    expect(result.ok).toBe(false);
  });

  it("finds the pairing a greedy match would miss", () => {
    const table = tableOf([{ A: "x", B: "1" }, { A: "x", B: "2" }]);
    expect(compareRows([{ A: "x" }, { A: "x", B: "1" }], table, false)).toEqual({ ok: true });
  });

  it("names missing columns", () => {
    expect(compareRows([{ Nope: 1 }], actual, false)).toEqual({ ok: false, message: expect.stringMatching(/expected column Nope not in the result \(its columns: Ip, Count, Other\)/) });
  });

  it("renders expected beside actual", () => {
    const result = compareRows([{ Ip: "1.1.1.1", Count: 3 }, { Ip: "9.9.9.9", Count: 1 }], actual, false);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diff).toBe(
      [
        "  expected       │ actual",
        "  Ip       Count │ Ip       Count",
        "= 1.1.1.1  3     │ 1.1.1.1  3",
        "- 9.9.9.9  1     │",
        "+                │ 2.2.2.2  5",
      ].join("\n"),
    );
  });
});
