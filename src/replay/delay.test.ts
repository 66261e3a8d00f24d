import { describe, expect, it } from "vitest";
import { parseIngestionDelay } from "./delay.ts";

describe("parseIngestionDelay", () => {
  it("reads a fixed delay", () => {
    const delay = parseIngestionDelay("2m");
    const draw = delay.forFile(0);
    expect([draw(), draw(), delay.forFile(5)(), delay.boundMs]).toEqual([120_000, 120_000, 120_000, 120_000]);
  });

  it("draws a uniform delay within its bounds, the same for the same seed", () => {
    const draws = (seed: number) => {
      const draw = parseIngestionDelay("uniform:1m..5m", seed).forFile(0);
      return Array.from({ length: 200 }, draw);
    };
    const a = draws(7);
    expect(a.every((d) => d >= 60_000 && d <= 300_000)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(100);
    expect(draws(7)).toEqual(a);
    expect(draws(8)).not.toEqual(a);
  });

  it("draws a lognormal delay whose median and p99 are near the spec, cut at its bound", () => {
    const delay = parseIngestionDelay("lognormal:median=2m,p99=10m", 3);
    const draws = Array.from({ length: 20_000 }, delay.forFile(0)).sort((x, y) => x - y);
    const median = draws[10_000] as number;
    const p99 = draws[19_800] as number;
    expect(median).toBeGreaterThan(110_000);
    expect(median).toBeLessThan(130_000);
    expect(p99).toBeGreaterThan(540_000);
    expect(p99).toBeLessThan(660_000);
    expect(draws.at(-1)).toBeLessThanOrEqual(delay.boundMs);
  });

  it("draws each input file's delays from a generator of its own, whatever other files are read", () => {
    const draws = (draw: () => number, count = 50) => Array.from({ length: count }, draw);
    const all = parseIngestionDelay("lognormal:median=2m,p99=10m", 7);
    const inOrder = [0, 1, 2].map((position) => draws(all.forFile(position)));
    // a process reading only the third file draws its delays exactly as one reading all three
    expect(draws(parseIngestionDelay("lognormal:median=2m,p99=10m", 7).forFile(2))).toEqual(inOrder[2]);
    // the draws of a file read twice in one process start over
    expect(draws(all.forFile(1))).toEqual(inOrder[1]);
    expect(new Set(inOrder.map((d) => d.join())).size).toBe(3);
    expect(draws(parseIngestionDelay("lognormal:median=2m,p99=10m", 8).forFile(0))).not.toEqual(inOrder[0]);
    expect(draws(parseIngestionDelay("90s").forFile(4), 2)).toEqual([90_000, 90_000]);
  });

  it.each([
    ["soon", /not a duration/],
    ["lognormal:median=2m", /missing p99/],
    ["lognormal:median=10m,p99=2m", /median ≤ p99/],
    ["uniform:5m..1m", /MIN ≤ MAX/],
    ["uniform:1m", /MIN\.\.MAX/],
    ["gamma:k=2", /unknown delay distribution/],
    ["30d", /longer than/],
  ])("refuses %s", (spec, message) => {
    expect(() => parseIngestionDelay(spec)).toThrow(message);
  });
});
