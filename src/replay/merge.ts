// The outcomes of a replay's groups of rules (one group in one process, or one per job) merged into its result: the
// inputs in input order, the rules in rule file order, the incidents rule by rule, the alerts in run-time then rule
// order, and the findings, as one process replaying every rule gives them.
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { LoadedFile } from "../load/index.ts";
import type { ReplayAlert, ReplayIncident, ReplayInput, ReplayResult, ReplayRuleSummary } from "./result.ts";
import { costLines, skippedSummary, type RuleCost, type SkippedRule } from "./run-rules.ts";
import { sortInRuleOrder } from "./selected-rules.ts";

/** What replaying one group of rules produced: plain data, so a job's process can hand it over whole. */
export interface GroupOutcome {
  /** The job's number (0 when one process replays every rule). */
  job: number;
  /** The files this group reports, with their position among the input files. */
  inputs: { position: number; input: ReplayInput }[];
  summaries: ReplayRuleSummary[];
  /** In the group's rule order; `incident` indexes the group's own `incidents`. */
  alerts: ReplayAlert[];
  incidents: ReplayIncident[];
  runs: number;
  /** Rules whose query failed at later runs: the rule file, the first failure and how many runs failed. */
  failures: { file: string; message: string; runs: number }[];
  /** Rule files skipped only because no input fills their tables. */
  unfed: string[];
  /** The tables the group spooled (those its rules read that some input fills, or every table without pruning). */
  spooled: string[];
  /** SENTINEL_REPLAY_PROFILE: each rule's runs and CPU time. */
  profile?: [string, RuleCost][];
  /** CPU time (user + system) and peak resident memory of the group's process. */
  cpuMs: number;
  peakRssBytes: number;
  /** The input problem that stopped the group, if any, and the position among the input files of the file it is in (-1: before any file, as a bad --map entry or watchlist). */
  problem?: { position: number; diagnostic: Diagnostic };
}

/** The figures of the processes behind a replay. */
interface ReplayFigures {
  started: number;
  cpuMs: number;
  peakRssBytes: number;
}

/** What merging needs of the replay: its range, rule files in order, and the rules it skipped before running. */
interface MergeContext {
  from: Date;
  to: Date;
  files: readonly LoadedFile[];
  skipped: readonly SkippedRule[];
}

/** The problem of the earliest input file among the groups' (the one a single process meets first), or undefined. */
export function firstInputProblem(outcomes: readonly GroupOutcome[]): Diagnostic | undefined {
  const problems = outcomes.flatMap((o) => (o.problem ? [o.problem] : []));
  return problems.reduce<GroupOutcome["problem"]>((first, p) => (first === undefined || p.position < first.position ? p : first), undefined)?.diagnostic;
}

/** The groups' incidents in rule file order (each rule's in its order), and every alert pointing at its merged incident. */
function mergeIncidents(outcomes: readonly GroupOutcome[], rank: (file: string) => number): { alerts: ReplayAlert[]; incidents: ReplayIncident[] } {
  const entries: { outcome: number; local: number; file: string; incident: ReplayIncident }[] = [];
  outcomes.forEach((outcome, o) => {
    // every incident holds at least one alert, of the rule that raised it
    const fileOf = new Map(outcome.alerts.flatMap((a) => (a.incident === null ? [] : [[a.incident, a.ruleFile] as const])));
    outcome.incidents.forEach((incident, local) => entries.push({ outcome: o, local, file: fileOf.get(local) ?? "", incident }));
  });
  entries.sort((a, b) => rank(a.file) - rank(b.file) || a.outcome - b.outcome || a.local - b.local);
  const merged = new Map(entries.map((e, i) => [`${e.outcome}:${e.local}`, i]));
  // the alerts' order is sortInRuleOrder's (run time, then rule; a rule's alerts all come from one outcome, in order)
  const alerts = outcomes.flatMap((outcome, o) => outcome.alerts.map((a) => ({ ...a, incident: a.incident === null ? null : (merged.get(`${o}:${a.incident}`) ?? null) })));
  return { alerts, incidents: entries.map((e) => e.incident) };
}

function mergeProfiles(outcomes: readonly GroupOutcome[]): Map<string, RuleCost> {
  const profile = new Map<string, RuleCost>();
  for (const [rule, cost] of outcomes.flatMap((o) => o.profile ?? [])) {
    const sum = profile.get(rule) ?? { runs: 0, cpuMs: 0 };
    profile.set(rule, { runs: sum.runs + cost.runs, cpuMs: sum.cpuMs + cost.cpuMs });
  }
  return profile;
}

/** With jobs, one line per job: its rules, CPU time, peak memory and the tables it spooled. */
function jobLines(outcomes: readonly GroupOutcome[]): string[] {
  if (outcomes.length < 2) return [];
  const mb = (bytes: number) => `${Math.round(bytes / 1048576)} MB`;
  return outcomes.map((o) => `job ${o.job + 1}: ${o.summaries.length} rules, ${(o.cpuMs / 1000).toFixed(1)} s CPU, peak ${mb(o.peakRssBytes)}; spooled ${o.spooled.join(", ") || "nothing"}`);
}

/**
 * The result of a replay from its groups' outcomes (none of which met an input problem) and its figures, with its
 * findings: SC5049 per rule skipped for a reason other than missing inputs, SC5052 per rule whose later runs failed.
 */
export function mergeOutcomes(context: MergeContext, outcomes: readonly GroupOutcome[], figures: ReplayFigures): { result: ReplayResult; diagnostics: Diagnostic[] } {
  const order = new Map(context.files.map((f, i) => [f.path, i]));
  const rank = (file: string) => order.get(file) ?? 0;
  const { alerts: grouped, incidents } = mergeIncidents(outcomes, rank);
  const summaries = [...outcomes.flatMap((o) => o.summaries), ...context.skipped.map(skippedSummary)];
  const sorted = sortInRuleOrder(context.files, summaries, grouped);
  const unfed = new Set(outcomes.flatMap((o) => o.unfed));
  const failures = outcomes.flatMap((o) => o.failures).sort((a, b) => rank(a.file) - rank(b.file));
  const diagnostics = [
    ...sorted.summaries.filter((s) => s.skipped && !unfed.has(s.ruleFile)).map((s) => makeDiagnostic("SC5049", { file: s.ruleFile }, `${s.ruleName}: skipped: ${s.skipped ?? ""}`)),
    ...failures.map((f) => makeDiagnostic("SC5052", { file: f.file }, `the query failed in ${f.runs} run${f.runs === 1 ? "" : "s"}, first at ${f.message}`)),
  ];
  // SENTINEL_REPLAY_PROFILE=1 prints each rule's CPU time over the replay to stderr, costliest first
  if (outcomes.some((o) => o.profile)) process.stderr.write(`replay: CPU per rule\n${[...costLines(mergeProfiles(outcomes)), ...jobLines(outcomes)].join("\n")}\n`);
  const inputs = outcomes.flatMap((o) => o.inputs).sort((a, b) => a.position - b.position).map((i) => i.input);
  const result: ReplayResult = {
    from: context.from.toISOString(),
    to: context.to.toISOString(),
    inputs,
    rules: sorted.summaries,
    alerts: sorted.alerts,
    incidents,
    stats: {
      events: inputs.reduce((n, i) => n + i.events, 0),
      rows: inputs.reduce((n, i) => n + i.rows, 0),
      runs: outcomes.reduce((n, o) => n + o.runs, 0),
      elapsedMs: Math.round(performance.now() - figures.started),
      peakRssBytes: figures.peakRssBytes,
      cpuMs: Math.round(figures.cpuMs),
      jobs: outcomes.length,
    },
  };
  return { result, diagnostics };
}
