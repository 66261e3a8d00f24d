import { buildAlerts, MAX_ALERTS_PER_RUN, type AlertSnapshot } from "./alerts.ts";
import { groupIncidents, type SimulatedIncident, type TimedAlert } from "./incidents.ts";
import type { ResultTable } from "./result-table.ts";
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
      const seen =
        settings.kind === "NRT"
          ? t.ingested > previous && t.ingested <= now
          : t.ingested <= now + SCHEDULED_INGESTION_GRACE_MS && (t.timeGenerated === undefined || (t.timeGenerated > now - settings.queryPeriodMs && t.timeGenerated <= now));
      if (seen) indexes.push(i);
    });
    visible.set(table, indexes);
  }
  return visible;
}

/**
 * Runs a rule as Sentinel's scheduler would across [start, end]: each run sees only its window's rows, the
 * trigger condition decides whether it fires, a fired run raises alerts by event grouping and (with
 * suppression on) skips the runs within suppressionDuration after it; alerts then group into incidents.
 */
export function simulateTimeline(settings: RuleSettings, rows: ReadonlyMap<string, readonly RowTiming[]>, start: number, end: number, query: RunQuery): Simulation | { error: string } {
  const times = runTimes(settings, start, end);
  if ("error" in times) return times;
  const runs: SimulatedRun[] = [];
  const alerts: TimedAlert[] = [];
  let suppressedUntil = Number.NEGATIVE_INFINITY;
  let previous = start - settings.queryFrequencyMs;
  for (const time of times) {
    const windowStart = previous;
    previous = time;
    if (time < suppressedUntil) {
      runs.push({ time, status: "suppressed", rows: 0, alerts: 0 });
      continue;
    }
    const result = query(time, visibleRows(settings, rows, time, windowStart));
    if (!result.ok) {
      runs.push({ time, status: "error", rows: 0, alerts: 0, error: result.message });
      continue;
    }
    const count = result.table.rows.length;
    if (!triggers(settings, count)) {
      runs.push({ time, status: "quiet", rows: count, alerts: 0 });
      continue;
    }
    const raised: AlertSnapshot[] = buildAlerts(settings, result.table).slice(0, MAX_ALERTS_PER_RUN);
    for (const alert of raised) alerts.push({ time, alert });
    runs.push({ time, status: "fired", rows: count, alerts: raised.length });
    if (settings.suppressionEnabled && settings.suppressionMs > 0) suppressedUntil = time + settings.suppressionMs;
  }
  return { runs, alerts, incidents: groupIncidents(settings, alerts) };
}
