import type { Location } from "../../diagnostics/index.ts";
import { locate, locateInScalar, type LoadedFile } from "../../load/index.ts";
import { buildAlerts, type AlertSnapshot } from "../simulation/alerts.ts";
import { prepareCaseData, restrictRows, withReferencedTables, type CaseData } from "../spec/case-data.ts";
import type { CaseSpec } from "../spec/case-spec.ts";
import { scanQueryNames } from "../selection/dependencies.ts";
import { CLOCK_FUNCTIONS } from "../../kql/clock-calls.ts";
import { problemMessage, problemsOf, type EngineOutcome, type EngineProblem, type QueryEngine } from "./engine-port.ts";
import type { ResultTable } from "../verdict/result-table.ts";
import { ingestRawSources } from "../spec/raw-events.ts";
import { checkRows, describeRows, fail } from "../verdict/row-checks.ts";
import { readRuleSettings, triggers, type RuleSettings } from "../simulation/rule-settings.ts";
import { simulateTimeline, visibleRows } from "../simulation/scheduler.ts";
import { diffSnapshot, type CaseSnapshot } from "../verdict/snapshots.ts";
import type { Failure } from "../verdict/verdict.ts";
import { queryOf, type Workspace } from "../spec/workspace.ts";

/** Where stored snapshots come from and where new ones go. */
export interface SnapshotStore {
  /** The stored snapshot of a case, or `found: false`. */
  stored(caseName: string): { found: true; value: unknown } | { found: false };
  /** Records the actual snapshot of a case (written when updating). */
  record(caseName: string, actual: CaseSnapshot): void;
  /** True when snapshots are being rewritten: mismatches are recorded, not failures. */
  updating: boolean;
}

/** Everything one case needs: the tests file, its target, the workspace, the engine and the snapshot store. */
export interface CaseContext {
  testsFile: LoadedFile;
  target: LoadedFile;
  workspace: Workspace;
  engine: QueryEngine;
  snapshots: SnapshotStore;
}

/** Runs one case of a rule, hunting query or parser and returns its failures (empty: passed). */
export function runQueryCase(context: CaseContext, spec: CaseSpec): Failure[] {
  const { testsFile, target } = context;
  const query = queryOf(target);
  const caseAt = locate(testsFile, spec.path);
  if (query === undefined) return [fail("SC5007", caseAt, `${target.path} has no query to run`)];
  let settings: RuleSettings | undefined;
  if (target.kind === "analytic-rule") {
    const read = readRuleSettings(target.data as Record<string, unknown>);
    if (!read.settings) return read.problems.map((p) => fail("SC5010", locate(target, [p.key]), p.message));
    settings = read.settings;
  }
  // raw vendor events pass through the ingestion mappings first, with now() at the case's clock
  const raw = ingestRawSources(spec, testsFile, context.workspace, context.engine, spec.now ?? spec.timeline?.end ?? 0);
  if (raw.diagnostics.length > 0) return raw.diagnostics.map((diagnostic) => ({ diagnostic }));
  const read = prepareCaseData(spec, testsFile, context.workspace, spec.ingestionDelayMs, raw.tables);
  if (read.diagnostics.length > 0) return read.diagnostics.map((diagnostic) => ({ diagnostic }));
  const prepared = { ...read, data: withReferencedTables(read.data, query, context.workspace) };
  if (spec.timeline && settings) return runTimelineCase(context, spec, settings, query, prepared);
  const now = spec.now ?? 0;
  // A rule's single run sees only its window, exactly as one scheduled run at `now` would.
  const data = settings ? restrictRows(prepared.data, visibleRows(settings, prepared.timings, now, now - settings.queryFrequencyMs)) : prepared.data;
  const outcome = context.engine(query, data, now);
  if (!outcome.ok) return engineFailures(context, outcome.problems, caseAt);
  return checkSingleRun(context, spec, settings, outcome.table);
}

function engineFailures(context: CaseContext, problems: readonly EngineProblem[], caseAt: Location): Failure[] {
  const { target } = context;
  const inQuery = target.kind === "analytic-rule" || target.kind === "hunting-query";
  return problemsOf(problems).map((p) => {
    const at = inQuery && p.offset !== undefined ? { file: target.path, start: locateInScalar(target, ["query"], p.offset) } : caseAt;
    return fail("SC5011", at, problemMessage(p));
  });
}

function checkSingleRun(context: CaseContext, spec: CaseSpec, settings: RuleSettings | undefined, table: ResultTable): Failure[] {
  const { testsFile } = context;
  const expect = spec.expect;
  const at = (key: string) => locate(testsFile, [...spec.path, "expect", key]);
  const failures: Failure[] = [];
  const count = table.rows.length;
  const fired = settings ? triggers(settings, count) : count > 0;
  if (expect.alert !== undefined && settings && fired !== expect.alert) {
    const condition = `${count} row${count === 1 ? "" : "s"} ${settings.triggerOperator} ${settings.triggerThreshold}`;
    failures.push(fail("SC5001", at("alert"), `expected ${expect.alert ? "an alert" : "no alert"}, but the trigger condition (${condition}) is ${fired}`, describeRows(table)));
  }
  failures.push(...checkRows(expect, table, at));
  if (expect.snapshot && settings) {
    failures.push(...checkSnapshot(context, spec, fired ? buildAlerts(settings, table) : []));
  }
  return failures;
}

function checkSnapshot(context: CaseContext, spec: CaseSpec, actual: CaseSnapshot): Failure[] {
  const { snapshots, testsFile } = context;
  const at = locate(testsFile, [...spec.path, "expect", "snapshot"]);
  if (snapshots.updating) {
    snapshots.record(spec.name, actual);
    return [];
  }
  const stored = snapshots.stored(spec.name);
  if (!stored.found) return [fail("SC5008", at, `no stored snapshot for case "${spec.name}"; run with --update-snapshots and review the file`)];
  const diff = diffSnapshot(stored.value, actual);
  return diff === undefined ? [] : [fail("SC5009", at, `the alerts differ from the stored snapshot of case "${spec.name}"`, diff)];
}

function runTimelineCase(context: CaseContext, spec: CaseSpec, settings: RuleSettings, query: string, prepared: CaseData): Failure[] {
  const { testsFile } = context;
  const timeline = spec.timeline as NonNullable<CaseSpec["timeline"]>;
  const at = (key: string) => locate(testsFile, [...spec.path, "expect", key]);
  // A query that never reads the clock (no now() or ago(), in it or in any parser) is a function of its input
  // rows alone, so runs that see the same rows share one evaluation (most NRT minutes see no rows at all).
  const clockFree = ![query, ...prepared.data.functions.map((f) => f.body)].some(readsClock);
  const memo = new Map<string, EngineOutcome>();
  const simulation = simulateTimeline(settings, prepared.timings, timeline.start, timeline.end, (now, visible) => {
    const key = clockFree ? JSON.stringify([...visible]) : undefined;
    const outcome: EngineOutcome = (key === undefined ? undefined : memo.get(key)) ?? context.engine(query, restrictRows(prepared.data, visible), now);
    if (key !== undefined) memo.set(key, outcome);
    return outcome.ok ? outcome : { ok: false, message: outcome.problems.map((p) => p.message).join("; ") || "the engine returned no result" };
  });
  if ("error" in simulation) return [fail("SC5007", locate(testsFile, [...spec.path, "timeline"]), simulation.error)];
  const errors = simulation.runs.filter((r) => r.status === "error");
  if (errors.length > 0) {
    const first = errors[0] as (typeof errors)[number];
    return [fail("SC5011", locate(testsFile, spec.path), `the query failed in ${errors.length} run${errors.length > 1 ? "s" : ""}, first at ${iso(first.time)}: ${first.error ?? ""}`)];
  }
  const failures: Failure[] = [];
  const expect = spec.expect;
  const firing = simulation.runs.filter((r) => r.status === "fired").map((r) => r.time);
  const runTable = simulation.runs.map((r) => `${iso(r.time)}  ${r.status.padEnd(10)} rows=${r.rows} alerts=${r.alerts}`).join("\n");
  if (expect.alerts !== undefined && simulation.alerts.length !== expect.alerts) {
    failures.push(fail("SC5001", at("alerts"), `expected ${expect.alerts} alerts over the timeline, got ${simulation.alerts.length}`, runTable));
  }
  if (expect.incidents !== undefined && simulation.incidents.length !== expect.incidents) {
    const detail = simulation.incidents.map((i, n) => `incident ${n + 1}: created ${iso(i.created)}, ${i.alerts.length} alert(s)`).join("\n");
    failures.push(fail("SC5001", at("incidents"), `expected ${expect.incidents} incidents, got ${simulation.incidents.length}`, detail || undefined));
  }
  if (expect.firingRuns !== undefined) {
    const want = [...expect.firingRuns].sort((a, b) => a - b);
    if (want.length !== firing.length || want.some((t, i) => t !== firing[i])) {
      const message = `expected firing runs [${want.map(iso).join(", ")}], got [${firing.map(iso).join(", ")}]`;
      failures.push(fail("SC5001", at("firingRuns"), message, runTable));
    }
  }
  if (expect.snapshot) {
    const actual: CaseSnapshot = simulation.alerts.map((a): { run: string } & AlertSnapshot => ({ run: iso(a.time), ...a.alert }));
    failures.push(...checkSnapshot(context, spec, actual));
  }
  return failures;
}

/** True when KQL text may read the clock: it names now() or ago() outside comments and strings. */
export function readsClock(kql: string): boolean {
  const names = scanQueryNames(kql).names;
  return [...CLOCK_FUNCTIONS].some((name) => names.has(name));
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}
