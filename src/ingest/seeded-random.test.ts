import { describe, expect, it } from "vitest";
import { seededRandom } from "./seeded-random.ts";

describe("seededRandom", () => {
  it("draws in [0, 1)", () => {
    const draws = Array.from({ length: 1000 }, seededRandom(0));
    expect(draws.every((d) => d >= 0 && d < 1)).toBe(true);
  });

  it("repeats its sequence for the same seed and not for another", () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take(7)).toEqual(take(7));
    expect(take(7)).not.toEqual(take(8));
  });
});
