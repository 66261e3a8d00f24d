import { describe, expect, it } from "vitest";
import { simulateRunSeeing, simulateTimeline, startTimeline, visibleRows, type RowTiming, type RunQuery, type Simulation } from "./scheduler.ts";
import { settingsOf, tableOf } from "../test-helpers.ts";

const H = 3_600_000;
const M = 60_000;
const T0 = Date.UTC(2026, 10, 19);

/** A fake engine: the query returns the visible rows of table E, with the user each row names. */
function fakeQuery(users: string[]): RunQuery {
  return (_now, visible) => ({ ok: true, table: tableOf((visible.get("E") ?? []).map((i) => ({ User: users[i] ?? "" })), ["User"]) });
}

function simulate(rule: Record<string, unknown>, events: RowTiming[], hours: number, users = events.map(() => "alice")): Simulation {
  const result = simulateTimeline(settingsOf(rule), new Map([["E", events]]), T0, T0 + hours * H, fakeQuery(users));
  if ("error" in result) throw new Error(result.error);
  return result;
}

const at = (ms: number, delay = 0): RowTiming => ({ timeGenerated: T0 + ms, ingested: T0 + ms + delay });
const fired = (s: Simulation) => s.runs.filter((r) => r.status === "fired").map((r) => (r.time - T0) / H);
const account = { entityMappings: [{ entityType: "Account", fieldMappings: [{ identifier: "Name", columnName: "User" }] }] };

describe("simulateTimeline", () => {
  it("runs every queryFrequency across [start, end]", () => {
    const s = simulate({}, [], 3);
    expect(s.runs.map((r) => (r.time - T0) / H)).toEqual([0, 1, 2, 3]);
    expect(s.runs.every((r) => r.status === "quiet")).toBe(true);
  });

  it("catches a lookback gap: an event ingested after its window closed is never seen", () => {
    // TimeGenerated 00:55 but ingested 01:10: the 01:00 run (executing at 01:05) has not got it yet, and the
    // 02:00 run looks back only to 01:00.
    const s = simulate({ queryFrequency: "1h", queryPeriod: "1h" }, [at(55 * M, 15 * M)], 3);
    expect(s.alerts).toHaveLength(0);
  });

  it("sees an event ingested within Sentinel's five-minute grace", () => {
    const s = simulate({ queryFrequency: "1h", queryPeriod: "1h" }, [at(55 * M, 4 * M)], 3);
    expect(fired(s)).toEqual([1]);
  });

  it("raises duplicate alerts when windows overlap", () => {
    const s = simulate({ queryFrequency: "1h", queryPeriod: "2h" }, [at(30 * M)], 4);
    expect(fired(s)).toEqual([1, 2]);
    expect(s.alerts).toHaveLength(2);
  });

  it("treats the window as (now − queryPeriod, now]", () => {
    const s = simulate({ queryFrequency: "1h", queryPeriod: "1h" }, [at(1 * H)], 3);
    expect(fired(s)).toEqual([1]);
  });

  it("suppresses runs for suppressionDuration after an alert", () => {
    const events = [0.5, 1.5, 2.5, 3.5, 4.5].map((h) => at(h * H));
    const s = simulate({ suppressionEnabled: true, suppressionDuration: "3h" }, events, 5);
    expect(fired(s)).toEqual([1, 4]);
    expect(s.runs.filter((r) => r.status === "suppressed").map((r) => (r.time - T0) / H)).toEqual([2, 3, 5]);
  });

  it("never fires when the threshold is never reached in one window", () => {
    const events = Array.from({ length: 12 }, (_, i) => at(i * 20 * M + M));
    const s = simulate({ triggerThreshold: 3 }, events, 4);
    expect(s.runs.map((r) => r.rows)).toEqual([0, 3, 3, 3, 3]);
    expect(s.alerts).toHaveLength(0);
  });

  it("runs NRT rules every minute over the rows ingested since the previous run", () => {
    const events = [at(90 * 1000), at(2 * M, 3 * H), at(5 * M)];
    const s = simulateTimeline(settingsOf({ kind: "NRT" }), new Map([["E", events]]), T0, T0 + 4 * H, fakeQuery(["a", "b", "c"]));
    if ("error" in s) throw new Error(s.error);
    expect(s.runs).toHaveLength(241);
    expect(s.runs.filter((r) => r.status === "fired").map((r) => (r.time - T0) / M)).toEqual([2, 5, 182]);
  });

  it("splits results into one alert per row with AlertPerResult", () => {
    const s = simulate({ eventGroupingSettings: { aggregationKind: "AlertPerResult" } }, [at(10 * M), at(20 * M)], 1);
    expect(s.runs[1]).toMatchObject({ status: "fired", rows: 2, alerts: 2 });
  });

  it("reports engine errors per run without stopping", () => {
    const result = simulateTimeline(settingsOf({}), new Map(), T0, T0 + H, () => ({ ok: false, message: "boom" }));
    expect("error" in result ? [] : result.runs.map((r) => r.status)).toEqual(["error", "error"]);
  });

  it("refuses reversed or huge timelines", () => {
    expect(simulateTimeline(settingsOf({}), new Map(), T0, T0 - 1, fakeQuery([]))).toEqual({ error: expect.stringMatching(/before its start/) });
    expect(simulateTimeline(settingsOf({ kind: "NRT" }), new Map(), T0, T0 + 30 * 24 * H, fakeQuery([]))).toEqual({ error: expect.stringMatching(/more than/) });
  });
});

describe("incident grouping in timelines", () => {
  const hourly = [0.5, 1.5, 2.5].map((h) => at(h * H));
  const grouping = (config: Record<string, unknown>) => ({ incidentConfiguration: { createIncident: true, groupingConfiguration: { enabled: true, lookbackDuration: "5h", ...config } } });

  it.each([
    ["no grouping: one incident per alert", {}, ["alice", "alice", "alice"], 3],
    ["AnyAlert within lookback", grouping({ matchingMethod: "AnyAlert" }), ["alice", "bob", "carol"], 1],
    ["AnyAlert with a short lookback", grouping({ matchingMethod: "AnyAlert", lookbackDuration: "1h" }), ["a", "a", "a"], 2],
    ["AllEntities, same entity", grouping({ matchingMethod: "AllEntities" }), ["alice", "alice", "alice"], 1],
    ["AllEntities, different entities", grouping({ matchingMethod: "AllEntities" }), ["alice", "bob", "alice"], 2],
    ["Selected by Account", grouping({ matchingMethod: "Selected", groupByEntities: ["Account"] }), ["alice", "bob", "bob"], 2],
    ["Selected by severity", grouping({ matchingMethod: "Selected", groupByAlertDetails: ["Severity"] }), ["alice", "bob", "carol"], 1],
    ["createIncident false", { incidentConfiguration: { createIncident: false } }, ["a", "a", "a"], 0],
  ])("%s", (_, config, users, incidents) => {
    const s = simulate({ ...account, ...config }, hourly, 3, users);
    expect(s.alerts).toHaveLength(3);
    expect(s.incidents).toHaveLength(incidents);
  });

  it("opens a new incident after 150 alerts", () => {
    const many = Array.from({ length: 200 }, (_, i) => at(10 * M + i));
    const s = simulate({ eventGroupingSettings: { aggregationKind: "AlertPerResult" }, ...grouping({ matchingMethod: "AnyAlert" }) }, many, 1, many.map((_, i) => `u${i}`));
    expect(s.alerts).toHaveLength(150);
    expect(s.incidents.map((i) => i.alerts.length)).toEqual([150]);
    const again = simulate({ queryPeriod: "2h", eventGroupingSettings: { aggregationKind: "AlertPerResult" }, ...grouping({ matchingMethod: "AnyAlert" }) }, many, 2, many.map((_, i) => `u${i}`));
    expect(again.incidents.map((i) => i.alerts.length)).toEqual([150, 150]);
  });
});

describe("visibleRows", () => {
  it("filters each table separately and keeps rows without TimeGenerated", () => {
    const rows = new Map<string, RowTiming[]>([
      ["A", [at(10 * M), at(2 * H)]],
      ["B", [{ ingested: T0 }]],
    ]);
    const settings = settingsOf({});
    expect(visibleRows(settings, rows, T0 + H, T0)).toEqual(new Map([["A", [0]], ["B", [0]]]));
  });
});

describe("simulateRunSeeing", () => {
  it("hands the query what the injected step found for the run's time and the previous run's, and skips it under suppression", () => {
    const settings = settingsOf({ suppressionEnabled: true, suppressionDuration: "PT2H" });
    const state = startTimeline(settings, T0);
    const asked: [number, number][] = [];
    const see = (now: number, previous: number) => {
      asked.push([now, previous]);
      return ["bob"];
    };
    const query = (_now: number, users: string[]) => ({ ok: true as const, table: tableOf(users.map((User) => ({ User })), ["User"]) });
    const first = simulateRunSeeing(settings, state, T0, see, query);
    const second = simulateRunSeeing(settings, state, T0 + H, see, query);
    expect(asked).toEqual([[T0, T0 - H]]);
    expect([first.run.status, first.run.rows, second.run.status]).toEqual(["fired", 1, "suppressed"]);
  });
});
