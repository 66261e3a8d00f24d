import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.ts";

describe("LruCache", () => {
  it("evicts the least recently used entry beyond its capacity", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1); // "b" is now the least recently used
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
    expect(cache.size).toBe(2);
  });

  it("replaces a value stored again under the same key without growing", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("a", 5);
    expect(cache.get("a")).toBe(5);
    expect(cache.size).toBe(1);
  });

  it("makes a missing value once and stores it, but stores nothing when making it throws", () => {
    const cache = new LruCache<string, number | null>(2);
    let made = 0;
    const make = (): null => {
      made++;
      return null;
    };
    expect(cache.getOrCreate("a", make)).toBeNull();
    expect(cache.getOrCreate("a", make)).toBeNull();
    expect(made).toBe(1);
    expect(() =>
      cache.getOrCreate("b", () => {
        throw new Error("bad");
      }),
    ).toThrow("bad");
    expect(cache.size).toBe(1);
  });

  it("keeps the order right when the most recently used key is asked for again", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect([cache.get("b"), cache.get("b"), cache.get("a"), cache.get("a")]).toEqual([2, 2, 1, 1]);
    cache.set("c", 3); // "b" is the least recently used
    expect([cache.get("b"), cache.get("a"), cache.get("c")]).toEqual([undefined, 1, 3]);
  });
});
