// `replay --live`: the rules' scheduled runs over a time range, as the offline replay runs them (the same
// scheduler, thresholds, suppression, grouping, alerts and incidents), with each run's query executed on a Log
// Analytics workspace or an Azure Data Explorer cluster over the logs already there. See docs/replay.md.
import path from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { FunctionDefinition } from "../kql/index.ts";
import type { TimedAlert } from "../testing/simulation/incidents.ts";
import { runTimes, simulateRun, startTimeline, type TimelineState } from "../testing/simulation/scheduler.ts";
import type { WatchlistRows } from "../testing/run/engine-port.ts";
import { failedOutcome } from "../testing/run/live.ts";
import { DEFAULT_LIVE_CONCURRENCY, DEFAULT_MAX_LIVE_QUERIES } from "./live-defaults.ts";
import { checkRange, DEFAULT_ROW_LIMIT, emptyResult, loadWatchlists } from "./replay-common.ts";
import { ReplayInputError } from "./inputs.ts";
import type { LiveBackend, LiveOutcome } from "./live-backends.ts";
import { serviceQuery } from "./live-query.ts";
import type { ReplayAlert, ReplayResult, ReplayRuleSummary } from "./result.ts";
import { groupRuleIncidents, recordAlerts, ruleSummary, skippedSummary, type ReplayRule } from "./run-rules.ts";
import { loadSelectedRules, sortInRuleOrder } from "./selected-rules.ts";

/** What to replay on the service. */
export interface LiveReplayOptions {
  /** The repository root (its rules, parsers and watchlists). */
  root: string;
  /** The replayed range: the first and last scheduled run times. */
  from: Date;
  to: Date;
  /** Rule files, folders or ids (GUIDs); every analytic rule when absent. */
  rules?: string[];
  /** Watchlist CSV files replacing the repository's items of their alias (as offline). */
  watchlists?: string[];
  /** Most result rows kept per alert (default 50). */
  rowLimit?: number;
  /** Where the queries run. */
  backend: LiveBackend;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  /** Most queries the replay may send (default 2,000); a replay needing more is refused before any is sent. */
  maxQueries?: number;
}

/** Failed runs in a row after which a rule's remaining runs are not sent. */
const MAX_FAILED_RUNS_IN_A_ROW = 3;

/** One scheduled run's query: sent by the pool, or dropped (suppressed or stopped rule) before it is sent. */
interface Slot {
  time: number;
  dropped: boolean;
  outcome: Promise<LiveOutcome | undefined>;
  settle: (outcome: LiveOutcome | undefined) => void;
}

interface LiveRuleState {
  rule: ReplayRule;
  summary: ReplayRuleSummary;
  query: string;
  slots: Slot[];
  timeline: TimelineState;
  alerts: { timed: TimedAlert; replay: ReplayAlert }[];
  /** Whether a run has answered (a first-run failure stops the rule; later ones count). */
  answered: boolean;
  failures: { first?: string; count: number; inARow: number; stopped: boolean };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** What a consumed slot holds instead of its answer. */
const ANSWERED: Promise<undefined> = Promise.resolve(undefined);

function slotAt(time: number): Slot {
  let settle: Slot["settle"] = () => undefined;
  const outcome = new Promise<LiveOutcome | undefined>((resolve) => (settle = resolve));
  return { time, dropped: false, outcome, settle };
}

/** The TimeGenerated range a run looks at: (run − queryPeriod, run] for a scheduled rule, (previous run, run] for NRT. */
function rangeStart(rule: ReplayRule, time: number): number {
  return time - (rule.settings.kind === "NRT" ? rule.settings.queryFrequencyMs : rule.settings.queryPeriodMs);
}

/** Sends the slots' queries in time order, `concurrency` at a time; dropped slots are settled without a query. */
async function sendQueries(states: readonly LiveRuleState[], backend: LiveBackend, concurrency: number, counts: { queries: number; failed: number }): Promise<void> {
  const queue = states.flatMap((state) => state.slots.map((slot) => ({ state, slot }))).sort((a, b) => a.slot.time - b.slot.time);
  let next = 0;
  const worker = async () => {
    for (let item = queue[next++]; item !== undefined; item = queue[next++]) {
      const { state, slot } = item;
      if (slot.dropped) {
        slot.settle(undefined);
        continue;
      }
      counts.queries++;
      const outcome = await backend.run({ query: state.query, now: slot.time, rangeStart: rangeStart(state.rule, slot.time), rangeEnd: slot.time }).catch(failedOutcome);
      if (!outcome.ok) counts.failed++;
      slot.settle(outcome);
      // let the rules' players take the answer in first: a suppression or a stop drops later runs before they are sent
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.max(queue.length, 1)) }, worker));
}

/** Drops the rule's slots after `index` that start before `until` (all of them when `until` is infinite). */
function dropSlots(state: LiveRuleState, index: number, until: number): void {
  for (const slot of state.slots.slice(index + 1)) if (slot.time < until) slot.dropped = true;
}

/** Records a failed run; the rule stops at a first-run failure or after MAX_FAILED_RUNS_IN_A_ROW in a row. */
function recordFailure(state: LiveRuleState, index: number, time: number, message: string): void {
  const { failures } = state;
  failures.count++;
  failures.inARow++;
  failures.first ??= `${iso(time)}: ${message}`;
  if (!state.answered || failures.inARow >= MAX_FAILED_RUNS_IN_A_ROW) {
    failures.stopped = true;
    dropSlots(state, index, Number.POSITIVE_INFINITY);
  }
}

/** Plays one rule's runs in order as their answers arrive, through the offline replay's scheduler and alert code. */
async function playRule(state: LiveRuleState, rowLimit: number): Promise<number> {
  let runs = 0;
  const noRows = new Map();
  for (const [index, slot] of state.slots.entries()) {
    if (state.failures.stopped) break;
    const answer = await slot.outcome;
    slot.outcome = ANSWERED; // the answer's rows are kept only as long as its alerts need them
    const outcome = simulateRun(state.rule.settings, state.timeline, noRows, slot.time, () => answer ?? { ok: false, message: "the run's query was not sent" });
    runs++;
    state.summary.runs++;
    if (outcome.run.status === "error") {
      recordFailure(state, index, slot.time, outcome.run.error ?? "no result");
      continue;
    }
    if (outcome.run.status !== "suppressed") {
      state.answered = true;
      state.failures.inARow = 0;
    }
    if (state.timeline.suppressedUntil > slot.time) dropSlots(state, index, state.timeline.suppressedUntil);
    if (outcome.alerts.length === 0 || !outcome.table) continue;
    recordAlerts(state, outcome.alerts, outcome.table, rangeStart(state.rule, slot.time), rowLimit);
  }
  return runs;
}

function failedText(state: LiveRuleState): string {
  const { count, first, stopped } = state.failures;
  return `${count} run${count === 1 ? "" : "s"} failed on the service, first at ${first ?? ""}${stopped ? "; its later runs were dropped" : ""}`;
}

/** Each rule's state and its runs' slots, or the summary saying why it is skipped. */
function planRules(rules: readonly ReplayRule[], from: number, to: number, functions: readonly FunctionDefinition[], watchlists: ReadonlyMap<string, WatchlistRows>): { states: LiveRuleState[]; summaries: ReplayRuleSummary[] } {
  const states: LiveRuleState[] = [];
  const summaries: ReplayRuleSummary[] = [];
  for (const rule of rules) {
    const summary = ruleSummary(rule);
    summaries.push(summary);
    const times = runTimes(rule.settings, from, to);
    if ("error" in times) {
      summary.skipped = times.error.replace("timeline", "the range");
      continue;
    }
    const query = serviceQuery(rule.query, functions, watchlists);
    states.push({ rule, summary, query, slots: times.map(slotAt), timeline: startTimeline(rule.settings, from), alerts: [], answered: false, failures: { count: 0, inARow: 0, stopped: false } });
  }
  return { states, summaries };
}

/**
 * Replays the rules over [from, to] on the service: every scheduled run of every rule is one query (bounded by
 * maxQueries, refused before any is sent), sent `concurrency` at a time in time order; each rule's runs then go
 * through the offline replay's scheduler, alert and incident code in order. A rule whose queries fail is reported
 * (SC5071) without stopping the others.
 */
export async function runLiveReplay(options: LiveReplayOptions): Promise<{ result: ReplayResult; diagnostics: Diagnostic[] }> {
  const started = performance.now();
  const fail = (diagnostics: Diagnostic[]) => ({ result: emptyResult(options), diagnostics });
  const range = checkRange(options.from, options.to);
  if (range) return fail([range]);
  const selected = await loadSelectedRules(path.resolve(options.root), options.rules);
  if (!("rules" in selected)) return fail(selected.diagnostics);
  const { workspace, rules, skipped } = selected;
  let watchlists: Map<string, WatchlistRows>;
  try {
    watchlists = await loadWatchlists(workspace, options.watchlists ?? []);
  } catch (error) {
    if (error instanceof ReplayInputError) return fail([error.diagnostic]);
    throw error;
  }
  const { states, summaries } = planRules(rules, options.from.getTime(), options.to.getTime(), [...workspace.functions.values()], watchlists);
  summaries.push(...skipped.map(skippedSummary));
  const total = states.reduce((n, s) => n + s.slots.length, 0);
  const maxQueries = options.maxQueries ?? DEFAULT_MAX_LIVE_QUERIES;
  if (total > maxQueries) {
    return fail([makeDiagnostic("SC5070", { file: "--from/--to" }, `the replay would send ${total} queries to ${options.backend.target} (${states.length} rules), more than --max-queries ${maxQueries}; narrow --from/--to or --rules, or raise --max-queries`)]);
  }
  const counts = { queries: 0, failed: 0 };
  const rowLimit = options.rowLimit ?? DEFAULT_ROW_LIMIT;
  const [runs] = await Promise.all([Promise.all(states.map((s) => playRule(s, rowLimit))), sendQueries(states, options.backend, options.concurrency ?? DEFAULT_LIVE_CONCURRENCY, counts)]);
  for (const state of states) if (state.failures.count > 0) state.summary.failed = failedText(state);
  const { alerts, incidents } = groupRuleIncidents(states);
  const ordered = sortInRuleOrder(selected.files, summaries, alerts);
  const diagnostics = states.filter((s) => s.failures.count > 0).map((s) => makeDiagnostic("SC5071", { file: s.rule.file.path }, `${s.rule.name}: ${failedText(s)}`));
  // nothing answered: a wrong target, login or role, not a finding about the rules
  if (counts.queries > 0 && !states.some((s) => s.answered)) {
    const first = states.find((s) => s.failures.count > 0);
    diagnostics.push(makeDiagnostic("SC5073", { file: options.backend.target }, `none of the ${counts.queries} queries sent to ${options.backend.target} answered${first ? ` (${first.rule.name}: ${failedText(first)})` : ""}`));
  }
  const result: ReplayResult = {
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    inputs: [],
    rules: ordered.summaries,
    alerts: ordered.alerts,
    incidents,
    stats: { events: 0, rows: 0, runs: runs.reduce((n, r) => n + r, 0), elapsedMs: Math.round(performance.now() - started), peakRssBytes: process.memoryUsage.rss() },
    live: { target: options.backend.target, queries: counts.queries, failedQueries: counts.failed },
  };
  return { result, diagnostics };
}
