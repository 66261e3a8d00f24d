import { buildAlerts, MAX_ALERTS_PER_RUN, type AlertSnapshot } from "./alerts.ts";
import { groupIncidents, type SimulatedIncident, type TimedAlert } from "./incidents.ts";
import type { ResultTable } from "../verdict/result-table.ts";
import { triggers, type RuleSettings } from "./rule-settings.ts";

/** Sentinel runs a scheduled rule five minutes after its scheduled time, so rows ingested by then are seen. */
export const SCHEDULED_INGESTION_GRACE_MS = 5 * 60_000;

/** Most runs one timeline may simulate (e.g. a week of NRT minutes is 10,080). */
export const MAX_RUNS = 20_000;

/** When a fixture row happened (TimeGenerated) and when it reached the workspace (ingestion time), in epoch ms. */
export interface RowTiming {
  /** Undefined when the row has no TimeGenerated: the lookback cannot filter it, every run sees it. */
  timeGenerated?: number;
  ingested: number;
}

/** What the simulation asks of the engine: run the query at `now` over only the given rows of each table. */
export type RunQuery = (now: number, visible: ReadonlyMap<string, readonly number[]>) => { ok: true; table: ResultTable } | { ok: false; message: string };

/** One scheduled run and what came of it. */
export interface SimulatedRun {
  time: number;
  status: "fired" | "quiet" | "suppressed" | "error";
  rows: number;
  alerts: number;
  error?: string;
}

/** Everything a timeline produced. */
export interface Simulation {
  runs: SimulatedRun[];
  alerts: TimedAlert[];
  incidents: SimulatedIncident[];
}

/** The times the scheduler runs a rule in [start, end]: every queryFrequency from start (every minute for NRT). */
export function runTimes(settings: Pick<RuleSettings, "queryFrequencyMs">, start: number, end: number): number[] | { error: string } {
  const count = Math.floor((end - start) / settings.queryFrequencyMs) + 1;
  if (end < start) return { error: "timeline end is before its start" };
  if (count > MAX_RUNS) return { error: `timeline has ${count} runs, more than the ${MAX_RUNS} the harness simulates; shorten it` };
  return Array.from({ length: count }, (_, i) => start + i * settings.queryFrequencyMs);
}

/**
 * The rows one run sees. Scheduled rules: TimeGenerated in (now − queryPeriod, now] and ingested by now + 5 min
 * (Sentinel's built-in delay). NRT rules: rows ingested in (previous run, now], whatever their TimeGenerated.
 */
export function visibleRows(settings: Pick<RuleSettings, "kind" | "queryPeriodMs" | "queryFrequencyMs">, rows: ReadonlyMap<string, readonly RowTiming[]>, now: number, previous: number): Map<string, number[]> {
  const visible = new Map<string, number[]>();
  for (const [table, timings] of rows) {
    const indexes: number[] = [];
    timings.forEach((t, i) => {
      if (rowVisible(settings, t, now, previous)) indexes.push(i);
    });
    visible.set(table, indexes);
  }
  return visible;
}

/** True when the run at `now` (the previous run at `previous`) sees a row with this timing (see visibleRows). */
export function rowVisible(settings: Pick<RuleSettings, "kind" | "queryPeriodMs">, t: RowTiming, now: number, previous: number): boolean {
  return settings.kind === "NRT"
    ? t.ingested > previous && t.ingested <= now
    : t.ingested <= now + SCHEDULED_INGESTION_GRACE_MS && (t.timeGenerated === undefined || (t.timeGenerated > now - settings.queryPeriodMs && t.timeGenerated <= now));
}

/** Where a rule's timeline stands between runs: the previous run's time and the end of any suppression. */
export interface TimelineState {
  previous: number;
  suppressedUntil: number;
}

/** The state before the first run at `start`: the window of that run opens one frequency earlier. */
export function startTimeline(settings: Pick<RuleSettings, "queryFrequencyMs">, start: number): TimelineState {
  return { previous: start - settings.queryFrequencyMs, suppressedUntil: Number.NEGATIVE_INFINITY };
}

/** What one run did: its record, the alerts it raised, and (when the query ran) its result table. */
export interface RunOutcome {
  run: SimulatedRun;
  alerts: TimedAlert[];
  table?: ResultTable;
}

/**
 * One scheduled run at `time`, advancing `state`: a run within suppression is skipped; otherwise it sees only
 * its window's rows, the trigger condition decides whether it fires, and a fired run raises alerts by event
 * grouping (and starts suppression when it is on).
 */
export function simulateRun(settings: RuleSettings, state: TimelineState, rows: ReadonlyMap<string, readonly RowTiming[]>, time: number, query: RunQuery): RunOutcome {
  return simulateRunSeeing(settings, state, time, (now, previous) => visibleRows(settings, rows, now, previous), query);
}

/** Finds what the run at `now` sees, the previous run being at `previous` (visibleRows, or an equivalent over other shapes). */
export type VisibilityStep<V> = (now: number, previous: number) => V;

/** simulateRun with the rows a run sees found by `see` and handed to `query` in its shape. */
export function simulateRunSeeing<V>(settings: RuleSettings, state: TimelineState, time: number, see: VisibilityStep<V>, query: (now: number, visible: V) => ReturnType<RunQuery>): RunOutcome {
  const windowStart = state.previous;
  state.previous = time;
  if (time < state.suppressedUntil) return { run: { time, status: "suppressed", rows: 0, alerts: 0 }, alerts: [] };
  const result = query(time, see(time, windowStart));
  if (!result.ok) return { run: { time, status: "error", rows: 0, alerts: 0, error: result.message }, alerts: [] };
  const count = result.table.rows.length;
  if (!triggers(settings, count)) return { run: { time, status: "quiet", rows: count, alerts: 0 }, alerts: [], table: result.table };
  const raised: AlertSnapshot[] = buildAlerts(settings, result.table).slice(0, MAX_ALERTS_PER_RUN);
  if (settings.suppressionEnabled && settings.suppressionMs > 0) state.suppressedUntil = time + settings.suppressionMs;
  return { run: { time, status: "fired", rows: count, alerts: raised.length }, alerts: raised.map((alert) => ({ time, alert })), table: result.table };
}

/**
 * Runs a rule as Sentinel's scheduler would across [start, end] (see simulateRun); alerts then group into
 * incidents.
 */
export function simulateTimeline(settings: RuleSettings, rows: ReadonlyMap<string, readonly RowTiming[]>, start: number, end: number, query: RunQuery): Simulation | { error: string } {
  const times = runTimes(settings, start, end);
  if ("error" in times) return times;
  const runs: SimulatedRun[] = [];
  const alerts: TimedAlert[] = [];
  const state = startTimeline(settings, start);
  for (const time of times) {
    const outcome = simulateRun(settings, state, rows, time, query);
    runs.push(outcome.run);
    alerts.push(...outcome.alerts);
  }
  return { runs, alerts, incidents: groupIncidents(settings, alerts) };
}
