import { describe, expect, it } from "vitest";
import { jsonOutcome as run } from "../test-helpers.ts";

const T = `let T = datatable(k:string, v:long)["a",1, "b",5, "a",3, "c",2, "b",4];`;

describe("partition", () => {
  it.each<[string, string, { columns: string[]; rows: unknown[][] }]>([
    [
      "native: the subquery runs per key value, results concatenated in first-seen key order",
      `${T} T | partition hint.strategy=native by k (top 1 by v)`,
      { columns: ["k:string", "v:long"], rows: [["a", 3], ["b", 5], ["c", 2]] },
    ],
    [
      "the default (legacy) strategy with an implicit source",
      `${T} T | partition by k (summarize n = count(), s = sum(v) by k)`,
      { columns: ["k:string", "n:long", "s:long"], rows: [["a", 2, 4], ["b", 2, 9], ["c", 1, 2]] },
    ],
    [
      "shuffle with its hints; window functions restart in each partition",
      `${T} T | partition hint.strategy=shuffle hint.shufflekey=k by k (sort by v asc | extend r = row_number())`,
      { columns: ["k:string", "v:long", "r:long"], rows: [["a", 1, 1], ["a", 3, 2], ["b", 4, 1], ["b", 5, 2], ["c", 2, 1]] },
    ],
    [
      "`as` names the partition inside its subquery (toscalar is computed per partition)",
      `${T} T | partition by k (as P | extend m = toscalar(P | summarize max(v)))`,
      { columns: ["k:string", "v:long", "m:long"], rows: [["a", 1, 3], ["a", 3, 3], ["b", 5, 5], ["b", 4, 5], ["c", 2, 2]] },
    ],
    [
      "legacy `{ query }` with its own source reads the key by name and with toscalar()",
      "range x from 1 to 2 step 1 | partition hint.strategy=legacy by x {range z from 1 to 3 step 1 | where z > toscalar(x) | extend k = x}",
      { columns: ["z:long", "k:long"], rows: [[2, 1], [3, 1], [3, 2]] },
    ],
    [
      "an empty input gives no partition and no rows",
      `${T} T | where v > 10 | partition by k (take 1)`,
      { columns: ["k:string", "v:long"], rows: [] },
    ],
    [
      "a scan per partition (the docs' session example shape)",
      `${T} T | partition hint.strategy=native by k (sort by v asc | scan declare (total:long=0) with (step s: true => total = v + s.total;))`,
      { columns: ["k:string", "v:long", "total:long"], rows: [["a", 1, 1], ["a", 3, 4], ["b", 4, 4], ["b", 5, 9], ["c", 2, 2]] },
    ],
  ])("%s", (_what, query, expected) => {
    expect(run(query)).toEqual(expected);
  });

  it.each<[string, string, RegExp]>([
    ["more than 64 partitions with the legacy strategy", "range x from 1 to 65 step 1 | partition by x (take 1)", /^SC4004 1:31 partition's legacy strategy allows at most 64 distinct values of 'x', the input has 65/],
    ["a `{ query }` with the native strategy", "range x from 1 to 2 step 1 | partition hint.strategy=native by x {range z from 1 to 3 step 1}", /^SC4012 .*needs the legacy strategy, not native/],
    ["an operator outside the native list", `${T} T | partition hint.strategy=native by k (extend w = 1 | join kind=inner (T) on k)`, /^SC4012 .*'join' cannot run in a partition subquery with hint.strategy=native/],
    ["an unknown strategy", "range x from 1 to 2 step 1 | partition hint.strategy=fast by x (take 1)", /^SC4012 .*'fast' is not a partition strategy/],
    ["an unknown parameter", "range x from 1 to 2 step 1 | partition hint.nothing=1 by x (take 1)", /^SC400[13] /],
    ["a dynamic key (Kusto.Language's error)", "range x from 1 to 4 step 1 | extend d = dynamic([1]) | partition by d (take 1)", /^SC4003 .*dynamic/],
    ["an expression as key", "range x from 1 to 4 step 1 | partition by x % 2 (take 1)", /^SC4003 /],
  ])("refuses %s", (_what, query, message) => {
    expect(run(query)).toMatch(message);
  });
});
