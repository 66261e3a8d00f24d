import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { groupKey, type Value } from "../values.ts";
import { PartialSharing, type KeyedPartial } from "./partial-sharing.ts";

/** The answer by definition: a partial shares when another position's partial holds one of its keys (pair by pair). */
function pairwise(parts: readonly KeyedPartial[]): boolean[] {
  const keysOf = (part: KeyedPartial): Set<string> => new Set(part.groups.map((g) => g.keys.map(groupKey).join("\u0001")));
  const sets = parts.map(keysOf);
  return sets.map((mine, i) => sets.some((other, j) => j !== i && [...mine].some((key) => other.has(key))));
}

/** A seeded generator (mulberry32), so a failing sequence can be replayed. */
function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEY_VALUES: Value[] = ["a", "b", "c", 1, 2, 1n, null, "", { x: 1 }, [1, 2], true];

/** A partial of `size` distinct keys of `width` values drawn from KEY_VALUES. */
function partial(random: () => number, width: number, size: number): KeyedPartial {
  const seen = new Set<string>();
  const groups: { keys: Value[] }[] = [];
  for (let tries = 0; groups.length < size && tries < 50; tries++) {
    const keys = Array.from({ length: width }, () => KEY_VALUES[Math.floor(random() * KEY_VALUES.length)]!);
    const text = keys.map(groupKey).join("\u0001");
    if (seen.has(text)) continue;
    seen.add(text);
    groups.push({ keys });
  }
  return { groups };
}

describe("PartialSharing", () => {
  it.each([1, 2, 3])("gives the pairwise answer run after run as stable partials come and go, beside partials seen in part (width %i)", (width) => {
    const random = generator(width * 7919);
    const sharing = new PartialSharing<KeyedPartial>(width);
    let window: KeyedPartial[] = [];
    for (let run = 0; run < 60; run++) {
      // the oldest partials leave, new ones arrive at the end (a run's window moving on), now and then everything goes
      window = window.slice(Math.floor(random() * 3));
      if (random() < 0.05) window = [];
      const arrivals = Math.floor(random() * 3);
      for (let a = 0; a < arrivals; a++) window.push(partial(random, width, Math.floor(random() * 4)));
      const inPart = Array.from({ length: Math.floor(random() * 3) }, () => partial(random, width, 1 + Math.floor(random() * 3)));
      const parts = [...window, ...inPart];
      const stable = parts.map((_p, i) => i < window.length);
      expect(sharing.sharing(parts, stable)).toEqual(pairwise(parts));
    }
  });

  it("counts a stable partial given twice as sharing its keys with itself, and an empty one as sharing none", () => {
    const sharing = new PartialSharing<KeyedPartial>(1);
    const a: KeyedPartial = { groups: [{ keys: ["x"] }] };
    const empty: KeyedPartial = { groups: [] };
    expect(sharing.sharing([a, empty, a, empty], [true, true, true, true])).toEqual([true, false, true, false]);
    expect(sharing.sharing([a], [true])).toEqual([false]);
  });

  it("forgets the keys of partials no longer given, also after many distinct dynamic keys", () => {
    const sharing = new PartialSharing<KeyedPartial>(1);
    const keep: KeyedPartial = { groups: [{ keys: [{ n: -1 }] }] };
    for (let run = 0; run < 3000; run++) {
      const passing: KeyedPartial = { groups: [{ keys: [{ n: run }] }, { keys: [[run, run]] }] };
      expect(sharing.sharing([keep, passing], [true, true])).toEqual([false, false]);
    }
    const again: KeyedPartial = { groups: [{ keys: [{ n: -1 }] }] };
    expect(sharing.sharing([keep, again], [true, false])).toEqual([true, true]);
  });

  it("keeps no partial alive once no one else holds it (the index holds its keys alone)", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const sharing = new PartialSharing<KeyedPartial>(1);
    const gone = ((): WeakRef<KeyedPartial> => {
      const part: KeyedPartial = { groups: [{ keys: ["x"] }, { keys: ["y"] }] };
      expect(sharing.sharing([part, { groups: [{ keys: ["x"] }] }], [true, false])).toEqual([true, true]);
      return new WeakRef(part);
    })();
    // a WeakRef's target lives to the end of the job that made it
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    expect(gone.deref()).toBeUndefined();
    // its keys stay in the index until the next run, which no longer gives it
    const later: KeyedPartial = { groups: [{ keys: ["x"] }] };
    expect(sharing.sharing([later], [true])).toEqual([false]);
  });
});
