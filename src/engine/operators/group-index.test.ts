import { describe, expect, it } from "vitest";
import { groupKey, type Value } from "../values.ts";
import { GroupIndex } from "./group-index.ts";

const SAMPLES: Value[] = [null, "", "1", 1, 1n, 0, -0, Number.NaN, true, false, "s1", "d1", "t1", [1], { a: 1, b: [2] }, { b: [2], a: 1 }, "j[1]", 2n ** 70n];

/** Every tuple of `width` keys drawn from the samples (the third key repeats the first). */
function tuplesOf(width: number): Value[][] {
  const tuples: Value[][] = [];
  for (const a of SAMPLES) for (const b of width > 1 ? SAMPLES : [null]) tuples.push(width === 3 ? [a, b, a] : width === 2 ? [a, b] : [a]);
  return tuples;
}

/** The groupKey text of a tuple: two tuples are one group exactly when these are equal. */
const keyOf = (tuple: Value[]) => tuple.map(groupKey).join("\u0001");

describe("GroupIndex", () => {
  it.each([1, 2, 3])("finds a tuple of %i keys exactly when groupKey says the values are equal", (width) => {
    const index = new GroupIndex<string>(width);
    const tuples = tuplesOf(width);
    const byKey = new Map<string, string>();
    for (const tuple of tuples) {
      const key = keyOf(tuple);
      const found = index.get(tuple);
      expect(found).toBe(byKey.get(key));
      if (found === undefined) {
        index.set(tuple, key);
        byKey.set(key, key);
      }
    }
    expect(byKey.size).toBeGreaterThan(10);
  });

  it("keeps bags with the same members in another order in one group and apart from look-alike strings", () => {
    const index = new GroupIndex<number>(1);
    index.set([{ a: 1, b: 2 }], 1);
    expect(index.get([{ b: 2, a: 1 }])).toBe(1);
    expect(index.get([groupKey({ a: 1, b: 2 })])).toBeUndefined();
    expect(index.get([{ a: 1, b: 3 }])).toBeUndefined();
  });
});

describe("GroupIndex.getOrCreate and delete", () => {
  it.each([1, 2, 3])("agree with get and set over tuples of %i keys, and delete forgets exactly one tuple", (width) => {
    const index = new GroupIndex<string>(width);
    const tuples = tuplesOf(width);
    const byKey = new Map<string, string>();
    for (const tuple of tuples) {
      const key = keyOf(tuple);
      const got = index.getOrCreate(tuple, () => key);
      expect(got).toBe(byKey.get(key) ?? key);
      byKey.set(key, key);
    }
    for (const [i, tuple] of tuples.entries()) {
      if (i % 2 === 1) continue;
      index.delete(tuple);
      byKey.delete(keyOf(tuple));
    }
    for (const tuple of tuples) expect(index.get(tuple)).toBe(byKey.get(keyOf(tuple)));
    index.delete([{ never: "seen" }, "x", "y"]);
    for (const tuple of tuples) index.delete(tuple);
    for (const tuple of tuples) expect(index.get(tuple)).toBeUndefined();
  });
});
