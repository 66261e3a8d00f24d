import { describe, expect, it } from "vitest";
import { takeBatchFor } from "./test-pool.ts";

// batches come largest first (caseBatches); a worker takes its own, the ones running a query it analysed for
// validation, before any other, whatever their size
describe("takeBatchFor across batch sizes", () => {
  const queries = new Map([
    ["a1", "A | take 1"],
    ["a2", "A | take 1"],
    ["b1", "B | take 1"],
    ["c1", "C | take 1"],
  ]);
  const cases: { name: string; analysed: string[]; taken: string[] | undefined; left: string[][] }[] = [
    { name: "a smaller batch of its own before a larger one of another's", analysed: ["B | take 1"], taken: ["b1"], left: [["a1", "a2"], ["c1"]] },
    { name: "the largest of its own", analysed: ["A | take 1", "C | take 1"], taken: ["a1", "a2"], left: [["b1"], ["c1"]] },
    { name: "the largest batch when none is its own", analysed: ["D | take 1"], taken: ["a1", "a2"], left: [["b1"], ["c1"]] },
  ];
  it.each(cases)("takes $name", ({ analysed, taken, left }) => {
    const batches = [["a1", "a2"], ["b1"], ["c1"]];
    expect(takeBatchFor(batches, queries, new Set(analysed))).toEqual(taken);
    expect(batches).toEqual(left);
  });

  it("takes nothing when no batch is left", () => {
    expect(takeBatchFor([], queries, new Set(["A | take 1"]))).toBeUndefined();
  });
});
