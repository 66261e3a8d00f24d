import type { LoadedFile } from "../load/index.ts";
import type { EngineData, EngineOutcome, QueryEngine, RowsSegment, WatchlistRows } from "../testing/run/engine-port.ts";
import { scanQueryNames } from "../testing/selection/dependencies.ts";
import { groupIncidents, type TimedAlert } from "../testing/simulation/incidents.ts";
import { selectRows, type ResultTable } from "../testing/verdict/result-table.ts";
import { readsClock } from "../testing/run/run-case.ts";
import { readRuleSettings, type RuleSettings } from "../testing/simulation/rule-settings.ts";
import { rowVisible, runTimes, SCHEDULED_INGESTION_GRACE_MS, simulateRunSeeing, startTimeline, type TimelineState } from "../testing/simulation/scheduler.ts";
import type { TypedTable } from "../testing/spec/typed-rows.ts";
import type { Workspace } from "../testing/spec/workspace.ts";
import type { ReplayAlert, ReplayCell, ReplayIncident, ReplayRuleSummary } from "./result.ts";
import { TableWindow, type RowSpool, type SegmentRange, type WindowSegment } from "./spool.ts";

/** A rule ready to replay: its file, settings, query and the tables it reads (directly or through parsers). */
export interface ReplayRule {
  file: LoadedFile;
  id: string;
  name: string;
  useCase?: string;
  settings: RuleSettings;
  query: string;
  tables: string[];
}

/** A rule replay cannot run, and why. */
export interface SkippedRule {
  file: LoadedFile;
  reason: string;
}

type Doc = Record<string, unknown>;

/** The workspace tables a query reads, following the parsers it calls. */
function tablesRead(query: string, workspace: Workspace): string[] {
  const tables = new Set<string>();
  const seen = new Set<string>();
  const pending = [query];
  for (let body = pending.pop(); body !== undefined; body = pending.pop()) {
    for (const name of scanQueryNames(body).names) {
      if (workspace.tables.has(name)) tables.add(name);
      const fn = workspace.functions.get(name);
      if (fn && !seen.has(name)) {
        seen.add(name);
        pending.push(fn.body);
      }
    }
  }
  return [...tables].sort();
}

/** Reads a rule file into a replayable rule, or the reason it cannot be replayed. */
export function prepareRule(file: LoadedFile, workspace: Workspace): ReplayRule | SkippedRule {
  const data = (typeof file.data === "object" && file.data !== null ? file.data : {}) as Doc;
  if (typeof data.query !== "string") return { file, reason: "the rule has no query" };
  const read = readRuleSettings(data);
  if (!read.settings) return { file, reason: `its settings cannot be simulated: ${read.problems.map((p) => `${p.key}: ${p.message}`).join("; ")}` };
  const genai = data["x-genai"] as Doc | undefined;
  const rule: ReplayRule = {
    file,
    id: String(data.id ?? ""),
    name: String(data.name ?? file.path),
    settings: read.settings,
    query: data.query,
    tables: tablesRead(data.query, workspace),
  };
  if (typeof genai?.useCase === "string") rule.useCase = genai.useCase;
  return rule;
}

/** What replaying the rules needs. */
export interface RunRulesContext {
  rules: readonly ReplayRule[];
  workspace: Workspace;
  watchlists: Map<string, WatchlistRows>;
  engine: QueryEngine;
  spool: RowSpool;
  from: number;
  to: number;
  /** Most result rows kept per alert. */
  rowLimit: number;
  /** Called every few runs (the caller samples memory). */
  onRun?: () => void;
  /** When given, each rule's runs and CPU time (user + system, ms) are added to it, by rule file (for profiling). */
  profile?: Map<string, RuleCost>;
}

/** What a rule's runs cost over a replay. */
export interface RuleCost {
  runs: number;
  cpuMs: number;
}

/** What replaying the rules produced (alerts not yet in result order) and the problems met. */
export interface RunRulesOutcome {
  summaries: ReplayRuleSummary[];
  alerts: ReplayAlert[];
  incidents: ReplayIncident[];
  runs: number;
  /** Rules whose query failed at some runs: the rule file and the first failure. */
  failures: { file: LoadedFile; message: string; runs: number }[];
  /** Rules skipped only because no input fills their tables (listed as skipped, not worth a warning). */
  unfed: Set<string>;
}

interface RuleState {
  rule: ReplayRule;
  summary: ReplayRuleSummary;
  timeline: TimelineState;
  alerts: { timed: TimedAlert; replay: ReplayAlert }[];
  clockFree: boolean;
  /** The previous run's segments and outcome: a clock-free query over the same rows gives the same outcome. */
  last?: { seen: SeenTables; outcome: EngineOutcome };
  ran: boolean;
  failure?: { message: string; runs: number };
}

const SEVERITIES = ["High", "Medium", "Low", "Informational"] as const;

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A rule's summary before its runs. */
export function ruleSummary(rule: ReplayRule): ReplayRuleSummary {
  const summary: ReplayRuleSummary = { ruleId: rule.id, ruleName: rule.name, ruleFile: rule.file.path, kind: rule.settings.kind, runs: 0, alerts: 0, incidents: 0 };
  if (rule.useCase) summary.useCase = rule.useCase;
  return summary;
}

/** The summary of a rule replay cannot run, with the reason. */
export function skippedSummary(skip: SkippedRule): ReplayRuleSummary {
  const data = (skip.file.data ?? {}) as Doc;
  return { ruleId: String(data.id ?? ""), ruleName: String(data.name ?? skip.file.path), ruleFile: skip.file.path, kind: String(data.kind ?? "").toLowerCase() === "nrt" ? "NRT" : "Scheduled", runs: 0, alerts: 0, incidents: 0, skipped: skip.reason };
}

/** What alerts are recorded on: a rule, its summary and its alerts so far. */
export interface AlertHolder {
  rule: ReplayRule;
  summary: ReplayRuleSummary;
  alerts: { timed: TimedAlert; replay: ReplayAlert }[];
}

/** Records a run's alerts with the rows behind each (one row per alert for AlertPerResult, else every row). */
export function recordAlerts(holder: AlertHolder, timedAlerts: readonly TimedAlert[], table: ResultTable, windowStart: number, rowLimit: number): void {
  // buildAlerts raises per-row alerts in row order, then (beyond 150 rows) one summary of every row
  timedAlerts.forEach((timed, index) => {
    const rows = timed.alert.grouping === "AlertPerResult" ? selectRows(table, [index]) : table;
    holder.alerts.push({ timed, replay: replayAlert(holder.rule, timed, rows, windowStart, rowLimit) });
    holder.summary.alerts++;
  });
}

/** Groups each rule's alerts into incidents as Sentinel would, and returns every alert and incident. */
export function groupRuleIncidents(holders: readonly AlertHolder[]): { alerts: ReplayAlert[]; incidents: ReplayIncident[] } {
  const incidents: ReplayIncident[] = [];
  const alerts: ReplayAlert[] = [];
  for (const holder of holders) {
    for (const incident of groupIncidents(holder.rule.settings, holder.alerts.map((a) => a.timed))) {
      const members = incident.alerts.map((i) => (holder.alerts[i] as AlertHolder["alerts"][number]).replay);
      const first = members[0] as ReplayAlert;
      for (const member of members) member.incident = incidents.length;
      incidents.push({ ruleId: holder.rule.id, title: first.title, severity: first.severity, firstAlert: first.runTime, lastAlert: (members.at(-1) as ReplayAlert).runTime, alerts: members.length });
      holder.summary.incidents++;
    }
    alerts.push(...holder.alerts.map((a) => a.replay));
  }
  return { alerts, incidents };
}

/** The lookback of each table: the longest period (or NRT window) of the rules reading it, plus Sentinel's ingestion grace. */
function lookbacks(rules: readonly ReplayRule[]): Map<string, number> {
  const lookback = new Map<string, number>();
  for (const rule of rules) {
    const span = Math.max(rule.settings.queryPeriodMs, rule.settings.queryFrequencyMs) + SCHEDULED_INGESTION_GRACE_MS;
    for (const table of rule.tables) lookback.set(table, Math.max(lookback.get(table) ?? 0, span));
  }
  return lookback;
}

/**
 * Runs every rule as Sentinel's scheduler would over [from, to], all rules' runs in time order so each table
 * holds only the rows the runs still look at. A rule whose query the engine refuses at its first run is
 * skipped with the reason; a failure at a later run is counted and reported.
 */
export function runRules(context: RunRulesContext, skipped: readonly SkippedRule[]): RunRulesOutcome {
  const states: RuleState[] = [];
  const summaries: ReplayRuleSummary[] = [];
  const schedule: { time: number; rule: number }[] = [];
  const unfed = new Set<string>();
  // the saved functions (parsers) are the same for every rule and run: listed, and judged for the clock, once
  const functions = [...context.workspace.functions.values()];
  const parsersReadClock = functions.some((f) => readsClock(f.body));
  for (const rule of context.rules) {
    const summary = ruleSummary(rule);
    summaries.push(summary);
    const times = runTimes(rule.settings, context.from, context.to);
    if ("error" in times) {
      summary.skipped = times.error.replace("timeline", "the range");
      continue;
    }
    const fed = rule.tables.filter((t) => context.spool.tables().has(t));
    if (fed.length === 0) {
      summary.skipped = `no input holds rows of the tables it reads (${rule.tables.join(", ") || "none"})`;
      unfed.add(rule.file.path);
      continue;
    }
    const index = states.length;
    const clockFree = !parsersReadClock && !readsClock(rule.query);
    states.push({ rule, summary, timeline: startTimeline(rule.settings, context.from), alerts: [], clockFree, ran: false });
    for (const time of times) schedule.push({ time, rule: index });
  }
  summaries.push(...skipped.map(skippedSummary));
  schedule.sort((a, b) => a.time - b.time || a.rule - b.rule);
  const windows = openWindows(context, lookbacks(states.map((s) => s.rule)));
  const schemas = tableSchemas(states.map((s) => s.rule), windows, context.workspace);
  const profile = context.profile;
  let runs = 0;
  for (const { time, rule } of schedule) {
    const state = states[rule] as RuleState;
    if (state.summary.skipped) continue;
    for (const table of state.rule.tables) windows.get(table)?.advance(time);
    const before = profile ? process.cpuUsage() : undefined;
    runOnce(state, time, windows, schemas, context, functions);
    if (profile && before) addCost(profile, state.rule.file.path, process.cpuUsage(before));
    runs++;
    if (runs % 16 === 0) context.onRun?.();
  }
  const { alerts, incidents } = groupRuleIncidents(states.filter((s) => !s.summary.skipped));
  const failures = states.filter((s) => s.failure && !s.summary.skipped).map((s) => ({ file: s.rule.file, ...(s.failure as { message: string; runs: number }) }));
  return { summaries, alerts, incidents, runs, failures, unfed };
}

function addCost(profile: Map<string, RuleCost>, rule: string, cpu: NodeJS.CpuUsage): void {
  let cost = profile.get(rule);
  if (!cost) {
    cost = { runs: 0, cpuMs: 0 };
    profile.set(rule, cost);
  }
  cost.runs++;
  cost.cpuMs += (cpu.user + cpu.system) / 1000;
}

/** The costliest rules first, one line each: CPU ms, runs, ms per run and the rule file. */
export function costLines(profile: ReadonlyMap<string, RuleCost>): string[] {
  return [...profile]
    .sort((a, b) => b[1].cpuMs - a[1].cpuMs)
    .map(([rule, { runs, cpuMs }]) => `${cpuMs.toFixed(0).padStart(8)} ms CPU ${String(runs).padStart(6)} runs ${(cpuMs / runs).toFixed(1).padStart(8)} ms/run  ${rule}`);
}

/**
 * The columns of every table the rules read, one array per table for the whole replay: each run is given the
 * tables its rule reads with these same arrays, so the engine's analysis of a rule's query is done once.
 */
function tableSchemas(rules: readonly ReplayRule[], windows: ReadonlyMap<string, TableWindow>, workspace: Workspace): Map<string, TypedTable["columns"]> {
  const schemas = new Map<string, TypedTable["columns"]>();
  for (const name of [...new Set(rules.flatMap((r) => r.tables))].sort()) {
    const window = windows.get(name);
    schemas.set(name, window ? (window.columns as TypedTable["columns"]) : (workspace.tables.get(name)?.columns ?? []).map((c) => ({ name: c.name, type: c.type })));
  }
  return schemas;
}

function openWindows(context: RunRulesContext, lookback: ReadonlyMap<string, number>): Map<string, TableWindow> {
  const windows = new Map<string, TableWindow>();
  for (const [table, columns] of context.spool.tables()) {
    const span = lookback.get(table);
    if (span !== undefined) windows.set(table, new TableWindow(table, columns, context.spool, span, SCHEDULED_INGESTION_GRACE_MS));
  }
  return windows;
}

/** One run of one rule over the windows' rows; its alerts are recorded with the rows behind them. */
function runOnce(state: RuleState, time: number, windows: ReadonlyMap<string, TableWindow>, schemas: ReadonlyMap<string, TypedTable["columns"]>, context: RunRulesContext, functions: EngineData["functions"]): void {
  const { rule } = state;
  const windowStart = rule.settings.kind === "NRT" ? state.timeline.previous : time - rule.settings.queryPeriodMs;
  let table: ResultTable | undefined;
  const see = (now: number, previous: number) => seenSegments(rule.settings, rule.tables, windows, now, previous);
  const outcome = simulateRunSeeing(rule.settings, state.timeline, time, see, (now, seen) => {
    const result = evaluate(state, now, seen, windows, schemas, context, functions);
    if (result.ok) table = result.table;
    return result.ok ? result : { ok: false, message: result.problems.map((p) => `${p.code ? `${p.code}: ` : ""}${p.message}`).join("; ") || "the engine returned no result" };
  });
  state.summary.runs++;
  if (outcome.run.status === "error") {
    const message = `${iso(time)}: ${outcome.run.error ?? ""}`;
    if (!state.ran) state.summary.skipped = `the offline engine refuses its query (${outcome.run.error ?? "no result"})`;
    else if (state.failure) state.failure.runs++;
    else state.failure = { message, runs: 1 };
    return;
  }
  if (outcome.run.status !== "suppressed") state.ran = true;
  if (outcome.alerts.length === 0 || !table) return;
  recordAlerts(state, outcome.alerts, table, windowStart, context.rowLimit);
}

/**
 * Runs the query at `now` over the segments the run sees; a query that never reads the clock reuses the previous
 * run's outcome when it saw the same segments and rows (most NRT minutes see none). The rows are the windows' own row
 * objects, never changed while held, so the engine keeps the results of row-local prefixes on them
 * (QueryInput.reuseRowResults).
 */
function evaluate(
  state: RuleState,
  now: number,
  seen: SeenTables,
  windows: ReadonlyMap<string, TableWindow>,
  schemas: ReadonlyMap<string, TypedTable["columns"]>,
  context: RunRulesContext,
  functions: EngineData["functions"],
): EngineOutcome {
  if (state.clockFree && state.last && sameSegments(state.last.seen, seen)) return state.last.outcome;
  const tables = new Map<string, TypedTable>();
  const segments = new Map<string, RowsSegment[]>();
  // only the tables the rule reads: a table it names in a way the scan misses (table("X")) stays missing, and the
  // engine refuses the query, rather than reading it as empty
  for (const name of state.rule.tables) {
    const columns = schemas.get(name) ?? [];
    const parts = (seen.get(name) ?? []).map(segmentRows);
    segments.set(name, parts);
    let rows: unknown[][] | undefined;
    tables.set(name, {
      name,
      columns,
      // the flat rows are built only for an engine that reads them (the offline engine reads the segments)
      get rows() {
        rows ??= parts.flatMap((p) => p.rows);
        return rows;
      },
    });
  }
  const data: EngineData = { tables, functions, watchlists: context.watchlists, reuseRowResults: true, segments };
  const outcome = context.engine(state.rule.query, data, now);
  if (state.clockFree) state.last = { seen, outcome };
  return outcome;
}

/** A segment a run sees: whole, or only its rows at `rows` (ascending positions in the segment). */
export interface SeenSegment {
  segment: WindowSegment;
  rows?: number[];
}

/** The segments a run sees, per table it reads (a table without a window: none). */
export type SeenTables = ReadonlyMap<string, readonly SeenSegment[]>;

/** How much of a segment a run sees, judged from the segment's range alone: all, none or some of its rows. */
export function rangeVisibility(settings: Pick<RuleSettings, "kind" | "queryPeriodMs">, range: SegmentRange, now: number, previous: number): "all" | "none" | "some" {
  if (settings.kind === "NRT") {
    if (range.maxIngested <= previous || range.minIngested > now) return "none";
    return range.minIngested > previous && range.maxIngested <= now ? "all" : "some";
  }
  const after = now - settings.queryPeriodMs;
  if (range.minIngested > now + SCHEDULED_INGESTION_GRACE_MS) return "none";
  // rows without a TimeGenerated pass the lookback: only a segment with none of them can fall outside it whole
  if (!range.untimed && (range.maxTimeGenerated <= after || range.minTimeGenerated > now)) return "none";
  const inPeriod = range.minTimeGenerated > after && range.maxTimeGenerated <= now;
  return range.maxIngested <= now + SCHEDULED_INGESTION_GRACE_MS && inPeriod ? "all" : "some";
}

/**
 * The segments of each window a run sees (rowVisible's rows, as visibleRows finds them): a segment is decided by its
 * range, and only one straddling a bound is read row by row, so the cost is per segment where segments are whole.
 */
export function seenSegments(settings: Pick<RuleSettings, "kind" | "queryPeriodMs">, tables: readonly string[], windows: ReadonlyMap<string, { segments: readonly WindowSegment[] }>, now: number, previous: number): Map<string, SeenSegment[]> {
  const seen = new Map<string, SeenSegment[]>();
  for (const table of tables) {
    const window = windows.get(table);
    if (!window) continue;
    const parts: SeenSegment[] = [];
    for (const segment of window.segments) {
      const verdict = segment.rows.length === 0 ? "none" : rangeVisibility(settings, segment.range, now, previous);
      if (verdict === "all") parts.push({ segment });
      else if (verdict === "some") {
        const rows: number[] = [];
        segment.timings.forEach((t, i) => {
          if (rowVisible(settings, t, now, previous)) rows.push(i);
        });
        if (rows.length === segment.rows.length) parts.push({ segment });
        else if (rows.length > 0) parts.push({ segment, rows });
      }
    }
    seen.set(table, parts);
  }
  return seen;
}

/** The rows the engine is given for a seen segment: the segment's own (stable) array when seen whole, else a new one. */
export function segmentRows(part: SeenSegment): RowsSegment {
  const { segment, rows } = part;
  return rows ? { rows: rows.map((i) => segment.rows[i] as unknown[]), stable: false } : { rows: segment.rows, stable: true };
}

/** True when two runs see the same rows: the same segments, each whole in both or in part with the same positions. */
export function sameSegments(before: SeenTables, now: SeenTables): boolean {
  if (before.size !== now.size) return false;
  for (const [table, parts] of now) {
    const earlier = before.get(table);
    if (!earlier || earlier.length !== parts.length) return false;
    for (const [i, part] of parts.entries()) {
      const other = earlier[i] as SeenSegment;
      if (other.segment !== part.segment || !samePositions(other.rows, part.rows)) return false;
    }
  }
  return true;
}

function samePositions(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

/** An alert of the simulation as the replay result records it, with at most `rowLimit` of the rows behind it. */
function replayAlert(rule: ReplayRule, timed: TimedAlert, rows: ResultTable, windowStart: number, rowLimit: number): ReplayAlert {
  const { alert } = timed;
  const severity = SEVERITIES.find((s) => s === alert.severity) ?? "Medium";
  return {
    ruleId: rule.id,
    ruleName: rule.name,
    ruleFile: rule.file.path,
    runTime: iso(timed.time),
    windowStart: iso(windowStart),
    windowEnd: iso(timed.time),
    title: alert.displayName,
    description: alert.description,
    severity,
    tactics: alert.tactics,
    techniques: alert.techniques,
    entities: alert.entities.map((e) => ({ type: e.type, identifiers: e.identifiers as Record<string, ReplayCell> })),
    customDetails: alert.customDetails as Record<string, ReplayCell[]>,
    incident: null,
    rows: rows.rows.slice(0, rowLimit).map((row) => Object.fromEntries(rows.columns.map((c, i) => [c.name, (row[i] ?? null) as ReplayCell]))),
    rowCount: rows.rows.length,
  };
}
