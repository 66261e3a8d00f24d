import { afterEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_LIMITS, HEAP_READ_INTERVAL_MS, RunBudget } from "./context.ts";
import { runQuery } from "./run-query.ts";
import { TEST_NOW } from "./test-helpers.ts";

/** Runs a query under the given limits: its outcome ("ok" or the first diagnostic's code) and how long the run took (its planning, outside the budget, is done first). */
function timed(query: string, limits: Parameters<typeof runQuery>[2]["limits"]): { outcome: string; message: string; ms: number } {
  runQuery(query, {}, { now: TEST_NOW, limits: { maxRows: 1 } });
  const started = performance.now();
  const out = runQuery(query, {}, { now: TEST_NOW, limits });
  const ms = performance.now() - started;
  return out.ok ? { outcome: "ok", message: "", ms } : { outcome: out.diagnostics[0]!.code, message: out.diagnostics[0]!.message, ms };
}

/** Slack for a loaded machine: the budget is checked every few thousand steps. */
const SLACK_MS = 3_000;

describe("time budget", () => {
  it("stops a long query with SC4013 soon after its budget", () => {
    const query = "range x from 1 to 1000000 step 1 | extend y = strcat(tostring(x), 'a') | summarize count() by y | where y has 'z'";
    const run = timed(query, { maxMilliseconds: 50 });
    expect([run.outcome, run.message]).toEqual(["SC4013", "the query ran longer than its time budget of 50 ms (limits.maxMilliseconds)"]);
    expect(run.ms).toBeLessThan(50 + SLACK_MS);
  });

  it("defaults to 30 seconds and 1 GiB", () => {
    expect([DEFAULT_LIMITS.maxMilliseconds, DEFAULT_LIMITS.maxMemoryMb]).toEqual([30_000, 1_024]);
  });
});

describe("memory budget", () => {
  it("stops a query whose heap grows past its budget with SC4007", () => {
    const query = "range x from 1 to 1000000 step 1 | extend s = strcat(tostring(x), strrep('y', 200)) | summarize make_list(s)";
    const run = timed(query, { maxMemoryMb: 32 });
    expect([run.outcome, run.message]).toEqual(["SC4007", "the query used more than its memory budget of 32 MiB (limits.maxMemoryMb)"]);
  });

  it("builds a list of 900,000 items within 256 MiB", () => {
    const out = runQuery("range x from 1 to 900000 step 1 | summarize l = make_list(x) | project n = array_length(l)", {}, { now: TEST_NOW, limits: { maxMemoryMb: 256 } });
    expect(out.ok && out.table.rows).toEqual([[900_000]]);
  });
});

describe("heap reads", () => {
  afterEach(() => vi.useRealTimers());

  it("reads the heap at most once per interval: never in a run shorter than one, however many checks it makes", () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const reads = vi.spyOn(process, "memoryUsage");
    const budget = new RunBudget({ maxMilliseconds: 1_000, maxMemoryMb: 1 }, { start: 0, length: 0 });
    for (let i = 0; i < 1_000; i++) budget.check();
    expect(reads).toHaveBeenCalledTimes(0);
    vi.advanceTimersByTime(HEAP_READ_INTERVAL_MS);
    for (let i = 0; i < 1_000; i++) budget.check();
    expect(reads).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(HEAP_READ_INTERVAL_MS);
    budget.check();
    expect(reads).toHaveBeenCalledTimes(2);
    reads.mockRestore();
  });

  it("measures growth from the first read: a heap past it by more than the budget stops the run with SC4007", () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    let heap = 100 * 1024 * 1024;
    const reads = vi.spyOn(process, "memoryUsage").mockImplementation(() => ({ rss: 0, heapTotal: 0, heapUsed: heap, external: 0, arrayBuffers: 0 }));
    const budget = new RunBudget({ maxMilliseconds: 1_000, maxMemoryMb: 8 }, { start: 0, length: 0 });
    vi.advanceTimersByTime(HEAP_READ_INTERVAL_MS);
    budget.check();
    heap += 8 * 1024 * 1024;
    vi.advanceTimersByTime(HEAP_READ_INTERVAL_MS);
    expect(() => budget.check()).not.toThrow();
    heap += 1;
    vi.advanceTimersByTime(HEAP_READ_INTERVAL_MS);
    expect(() => budget.check()).toThrow("the query used more than its memory budget of 8 MiB (limits.maxMemoryMb)");
    reads.mockRestore();
  });
});

/**
 * Queries of the kind a hostile or careless rule would hold: each must end (with a result or a budget error) within its
 * time budget. Those that only a budget stops (no row limit applies) get a short one: the runs stop the same way, sooner.
 */
const RED_TEAM: [string, string, RegExp, number][] = [
  ["a cartesian join", "range a from 1 to 3000 step 1 | extend k = 1 | join kind=inner (range b from 1 to 3000 step 1 | extend k = 1) on k | count", /^SC4005$/, 5_000],
  ["a huge range", "range x from 1 to 1000000000000 step 1", /^SC4005$/, 5_000],
  ["a giant list expanded", "range x from 1 to 2000 step 1 | extend l = range(1, 2000) | mv-expand l | count", /^SC4005$/, 5_000],
  ["a giant set", "range x from 1 to 200000 step 1 | summarize s = make_set(strcat('k', tostring(x), strrep('v', 1000)))", /^SC40(07|13)$/, 1_000],
  ["a giant bag", "range x from 1 to 200000 step 1 | summarize b = make_bag(bag_pack(strcat('k', tostring(x)), strcat(tostring(x), strrep('v', 1000))))", /^SC40(07|13)$/, 1_000],
  ["a catastrophic regex on long text", "range x from 1 to 200 step 1 | extend t = strcat(strrep('a', 20000), 'b') | where t matches regex '(a+)+$' | count", /^ok$/, 5_000],
];

describe("red-team queries end within their budgets", () => {
  it.each(RED_TEAM)("%s", (_name, query, expected, maxMilliseconds) => {
    const run = timed(query, { maxMilliseconds, maxMemoryMb: 64, maxRows: 200_000 });
    expect(run.outcome).toMatch(expected);
    expect(run.ms).toBeLessThan(maxMilliseconds + SLACK_MS);
  });
});
