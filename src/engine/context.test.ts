import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS, oncePerRun, type RunContext, type TablePlan } from "./context.ts";

const newRun = (): RunContext => ({ now: 0n, limits: DEFAULT_LIMITS, tables: new Map(), watchlists: new Map(), cache: new Map() });

/** A plan counting its computations, answering one row holding `value`. */
function counted(value: number): { plan: TablePlan; calls: () => number } {
  let calls = 0;
  const plan: TablePlan = () => {
    calls++;
    return { columns: [{ name: "x", type: "long" }], rows: [[value]] };
  };
  return { plan, calls: () => calls };
}

describe("oncePerRun", () => {
  it("computes a site's table once per run, again in a new run", () => {
    const { plan, calls } = counted(1);
    const once = oncePerRun(plan);
    const run = newRun();
    expect(once(run)).toBe(once(run));
    expect(calls()).toBe(1);
    once(newRun());
    expect(calls()).toBe(2);
  });

  it("keeps each site's table apart in one run's cache", () => {
    const first = oncePerRun(counted(1).plan);
    const second = oncePerRun(counted(2).plan);
    const run = newRun();
    expect([first(run).rows, second(run).rows]).toEqual([[[1]], [[2]]]);
    expect(run.cache.size).toBe(2);
  });
});
