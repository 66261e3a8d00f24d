import { describe, expect, it } from "vitest";
import { namedOutcome as run } from "../test-helpers.ts";

const X = "let X = datatable(Key:string, Value1:long)['a',1,'b',2,'b',3,'c',4];";
const Y = "let Y = datatable(Key:string, Value2:long)['b',10,'c',20,'c',30,'d',40];";

describe("join through runQuery", () => {
  it.each([
    ["", 3],
    ["kind=innerunique", 3],
    ["kind=inner", 4],
    ["kind=leftouter", 5],
    ["kind=rightouter", 5],
    ["kind=fullouter", 6],
    ["kind=leftsemi", 3],
    ["kind=leftanti", 1],
    ["kind=anti", 1],
    ["kind=leftantisemi", 1],
    ["kind=rightsemi", 3],
    ["kind=rightanti", 1],
    ["kind=rightantisemi", 1],
    ["kind=inner hint.strategy=broadcast", 4],
  ])("X | join %s (Y) on Key gives %i rows", (kind, count) => {
    const out = run(`${X}${Y} X | join ${kind} (Y) on Key`);
    expect(typeof out === "string" ? out : out.rows.length).toBe(count);
  });

  it("pairs $left/$right keys and renames the right side's clashing columns", () => {
    const out = run("datatable(a:long, b:string)[1,'x', 2,'y'] | join kind=inner (datatable(c:long, b:string)[1,'z']) on $left.a == $right.c");
    expect(out).toEqual({ columns: ["a", "b", "c", "b1"], rows: [[1, "x", 1, "z"]] });
  });

  it("matches on several keys", () => {
    const out = run("datatable(a:long, b:string)[1,'x', 1,'y'] | join kind=inner (datatable(a:long, b:string, v:long)[1,'y',7]) on a, b");
    expect(typeof out === "string" ? out : out.rows).toEqual([[1, "y", 1, "y", 7]]);
  });

  it("accepts several equalities joined with `and` (as Sentinel rules write them)", () => {
    const out = run("datatable(a:long, b:string)[1,'x', 1,'y'] | join kind=inner (datatable(c:long, d:string)[1,'y']) on $left.a == $right.c and $left.b == $right.d");
    expect(typeof out === "string" ? out : out.rows).toEqual([[1, "y", 1, "y"]]);
  });

  it("never matches null keys", () => {
    const out = run("datatable(k:long)[long(null), 1] | join kind=inner (datatable(k:long)[long(null), 1]) on k");
    expect(typeof out === "string" ? out : out.rows).toEqual([[1, 1]]);
  });

  it("joins an empty side to nothing", () => {
    const out = run(`${X} X | join kind=inner (X | where Value1 > 100) on Key`);
    expect(typeof out === "string" ? out : out.rows).toEqual([]);
  });

  it("refuses a join on keys of different types", () => {
    expect(run("datatable(k:long)[1] | join (datatable(k:string)['1']) on k")).toMatch(/SC400[13]/);
  });

  it("refuses a condition that is not an equality of keys", () => {
    expect(run("datatable(a:long)[1] | join (datatable(b:long)[1]) on $left.a == $right.b and $left.a > 0")).toMatch(/SC400[13]/);
  });
});

describe("lookup through runQuery", () => {
  it.each([
    ["", [["a", 1, null], ["b", 2, 10], ["b", 3, 10], ["c", 4, 20], ["c", 4, 30]]],
    ["kind=inner", [["b", 2, 10], ["b", 3, 10], ["c", 4, 20], ["c", 4, 30]]],
  ])("X | lookup %s (Y) on Key", (kind, rows) => {
    const out = run(`${X}${Y} X | lookup ${kind} (Y) on Key`);
    expect(out).toEqual({ columns: ["Key", "Value1", "Value2"], rows });
  });
});
