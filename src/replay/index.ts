// Replay: raw vendor logs through the repository's ingestion mappings and its analytic rules, offline, over a
// time range, as Sentinel's scheduler would have run them. See docs/replay.md.
import path from "node:path";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { Repository } from "../repository/index.ts";
import { loadProfiles } from "../profiles/profile.ts";
import type { QueryEngine } from "../testing/run/engine-port.ts";
import { createOfflineEngine } from "../testing/run/offline-engine.ts";
import type { Workspace } from "../testing/spec/workspace.ts";
import { keptColumns } from "./columns.ts";
import { parseIngestionDelay, type IngestionDelay } from "./delay.ts";
import { inputProblem, listInputFiles, ReplayInputError } from "./inputs.ts";
import { groupRules, inputShares, ownsFile, planJobs, readsFile, ReplayJobError, runJobs, type JobPlan } from "./jobs.ts";
import { loadInputFile } from "./load-inputs.ts";
import { firstInputProblem, mergeOutcomes, type GroupOutcome } from "./merge.ts";
import { formsNamed, sourceForms, type SourceForm } from "./recognise.ts";
import type { ReplayResult } from "./result.ts";
import { runRules, type RuleCost } from "./run-rules.ts";
import { loadSelectedRules, type SelectedRules } from "./selected-rules.ts";
import { checkRange, DEFAULT_ROW_LIMIT, emptyResult, loadWatchlists } from "./replay-common.ts";
import { RowSpool } from "./spool.ts";

export type * from "./result.ts";
export { formatReplayText } from "./text-report.ts";

/** What to replay. */
export interface ReplayOptions {
  /** The repository root (its rules, mappings, parsers, watchlists and profiles). */
  root: string;
  /** Input files or folders (every .jsonl, .ndjson, .json and .csv file under a folder). */
  inputs: string[];
  /** The replayed range: the first and last scheduled run times. */
  from: Date;
  to: Date;
  /** Rule files, folders or ids (GUIDs) to replay; every analytic rule when absent. */
  rules?: string[];
  /** Input file → source (a profile name, a table, or an input stream), overriding recognition. */
  map?: Record<string, string>;
  /** Watchlist CSV files as Sentinel exports them; the alias is the file name's stem. */
  watchlists?: string[];
  /** The ingestion delay of rows without `_TimeReceived`: `2m`, `lognormal:median=2m,p99=10m` or `uniform:1m..5m` (default 0). */
  ingestionDelay?: string;
  /** Seed of the delay distribution (default 1). */
  seed?: number;
  /** Most result rows kept per alert (default 50). */
  rowLimit?: number;
  /** The engine (default: the offline engine). */
  engine?: QueryEngine;
  /** The repository under `root`, when the caller already loaded it (default: loaded here). */
  repository?: Repository;
  /** Keep only the columns the replayed rules can read or show (default true; src/replay/columns.ts). */
  pruneColumns?: boolean;
  /**
   * Processes the rules are spread over (default 1: this process, as for a replay given an `engine` or a
   * `repository`). See src/replay/jobs.ts and docs/replay.md for when more pay.
   */
  jobs?: number;
}

/** The forms `--map` names per input file (absolute path), or the finding of a bad entry. */
function explicitForms(map: Record<string, string>, files: readonly string[], forms: readonly SourceForm[], workspace: Workspace): Map<string, SourceForm[]> {
  const explicit = new Map<string, SourceForm[]>();
  const known = new Set(files.map((f) => path.resolve(f)));
  for (const [file, source] of Object.entries(map)) {
    const absolute = path.resolve(file);
    if (!known.has(absolute)) throw inputProblem("SC5046", file, `--map ${file}=${source}: ${file} is not one of the input files`);
    const named = formsNamed(source, forms, workspace);
    if (named.length === 0) {
      const names = [...new Set(forms.map((f) => f.source))].join(", ");
      throw inputProblem("SC5046", file, `--map ${file}=${source}: no source profile, table or ingestion stream is named ${source} (profiles: ${names})`);
    }
    explicit.set(absolute, named);
  }
  return explicit;
}


/** What a replay checked and loaded before reading any input: its range, delay, rules and profiles' forms. */
interface PreparedReplay {
  root: string;
  delay: IngestionDelay;
  selected: SelectedRules;
  forms: SourceForm[];
}

/** Checks the options and loads the rules a replay runs, or the findings that stop it. */
async function prepareReplay(options: ReplayOptions): Promise<PreparedReplay | { diagnostics: Diagnostic[] }> {
  const range = checkRange(options.from, options.to);
  if (range) return { diagnostics: [range] };
  let delay: IngestionDelay;
  try {
    delay = parseIngestionDelay(options.ingestionDelay ?? "0s", options.seed ?? 1);
  } catch (error) {
    return { diagnostics: [makeDiagnostic("SC5045", { file: "--ingestion-delay" }, `--ingestion-delay ${options.ingestionDelay ?? ""}: ${(error as Error).message}`)] };
  }
  const root = path.resolve(options.root);
  const selected = await loadSelectedRules(root, options.rules, options.repository);
  if (!("rules" in selected)) return { diagnostics: selected.diagnostics };
  const forms = sourceForms(loadProfiles(root).profiles, selected.workspace);
  return { root, delay, selected, forms };
}

/** The inputs' files, checked with the --map entries and the watchlists, in the order a replay reports their problems. */
async function checkedInputs(options: ReplayOptions, prepared: PreparedReplay) {
  const files = listInputFiles(options.inputs);
  const explicit = explicitForms(options.map ?? {}, files, prepared.forms, prepared.selected.workspace);
  const watchlists = await loadWatchlists(prepared.selected.workspace, options.watchlists ?? []);
  return { files, explicit, watchlists };
}

/** What a job's process hears of its group's replay: `tick` between batches and runs, `inputsRead` once every input is read. */
interface GroupHooks {
  tick?: () => void;
  inputsRead?: () => void;
  /** The folder the spool's files go to (a job's own, which the replay removes however the job ends). */
  spoolFolder?: string;
}

/** Tracks the process's peak resident memory, sampled when asked. */
class MemoryPeak {
  peak = process.memoryUsage.rss();
  sample = (): void => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  };
}

/** The finding of a job whose input files are not those its plan was made for (its request names the replay's files: never expected). */
function inputsChanged(plan: JobPlan, found: number): ReplayInputError {
  return inputProblem("SC5043", "--jobs", `replay job ${plan.job + 1} of ${plan.jobs} was planned over ${plan.inputTables.length} input files but found ${found}; the inputs changed while the replay started`);
}

/**
 * Replays one group of rules (all the prepared rules when `plan` is absent) over the inputs: reads the files its
 * rules' tables need (every file without a plan), spools them and runs the rules. An input problem ends it with the
 * problem in the outcome. `tick` is called between batches and runs (a job checks on its parent there).
 */
async function replayGroup(options: ReplayOptions, prepared: PreparedReplay, plan?: JobPlan, hooks: GroupHooks = {}): Promise<GroupOutcome> {
  const { tick } = hooks;
  const cpuBefore = process.cpuUsage();
  const memory = new MemoryPeak();
  const sample = () => {
    memory.sample();
    tick?.();
  };
  const { root, delay, selected, forms } = prepared;
  const { workspace, rules } = selected;
  const engine = options.engine ?? createOfflineEngine();
  const spool = new RowSpool({
    ...(options.pruneColumns === false ? {} : { kept: keptColumns(rules, workspace, root) }),
    ...(hooks.spoolFolder === undefined ? {} : { folder: hooks.spoolFolder }),
  });
  const outcome: GroupOutcome = { job: plan?.job ?? 0, inputs: [], summaries: [], alerts: [], incidents: [], runs: 0, failures: [], unfed: [], spooled: [], cpuMs: 0, peakRssBytes: 0 };
  // the position of the input file being read (-1 before the first, the count of files once all are read): where a problem ranks
  let position = -1;
  try {
    const { files, explicit, watchlists } = await checkedInputs(options, prepared);
    if (plan && files.length !== plan.inputTables.length) throw inputsChanged(plan, files.length);
    const context = { workspace, forms, explicit, engine, transformNow: options.to.getTime(), spool, onBatch: sample };
    for (const [at, file] of files.entries()) {
      position = at;
      // a job opens only the files feeding its rules' tables, as the replay recognised them (src/replay/jobs.ts)
      const tables = plan?.inputTables[at] ?? [];
      if (plan && !readsFile(plan, tables)) continue;
      const input = await loadInputFile(file, { ...context, delay: delay.forFile(at) });
      if (!plan || ownsFile(plan, tables)) outcome.inputs.push({ position: at, input });
    }
    position = files.length;
    spool.flush();
    outcome.spooled = [...spool.tables().keys()].sort();
    hooks.inputsRead?.();
    // SENTINEL_REPLAY_PROFILE=1 collects each rule's CPU time over the replay (printed once the outcomes are merged)
    const profile = process.env.SENTINEL_REPLAY_PROFILE ? new Map<string, RuleCost>() : undefined;
    const ran = runRules({ rules, workspace, watchlists, engine, spool, from: options.from.getTime(), to: options.to.getTime(), rowLimit: options.rowLimit ?? DEFAULT_ROW_LIMIT, onRun: sample, ...(profile ? { profile } : {}) }, []);
    Object.assign(outcome, { summaries: ran.summaries, alerts: ran.alerts, incidents: ran.incidents, runs: ran.runs, unfed: [...ran.unfed] });
    outcome.failures = ran.failures.map((f) => ({ file: f.file.path, message: f.message, runs: f.runs }));
    if (profile) outcome.profile = [...profile];
  } catch (error) {
    if (!(error instanceof ReplayInputError)) throw error;
    outcome.problem = { position, diagnostic: error.diagnostic };
  } finally {
    spool.dispose();
  }
  memory.sample();
  const cpu = process.cpuUsage(cpuBefore);
  outcome.cpuMs = (cpu.user + cpu.system) / 1000;
  outcome.peakRssBytes = memory.peak;
  return outcome;
}

/**
 * Replays raw vendor logs through the repository's ingestion mappings and analytic rules over [from, to]: each
 * input file is recognised from its content (or mapped), raw events pass through the DCR transforms, every row
 * gets an ingestion time, and every rule runs as Sentinel's scheduler would. Problems with the inputs or
 * options come back as error diagnostics (with an empty result); rules that cannot run are listed as skipped.
 * With more than one job, groups of rules replay in processes of their own and their outcomes are merged into the
 * result one process would give (src/replay/jobs.ts); `runner` runs them (tests run them in this process).
 */
export async function runReplay(options: ReplayOptions, runner: JobRunner = runJobs): Promise<{ result: ReplayResult; diagnostics: Diagnostic[] }> {
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const fail = (diagnostics: Diagnostic[]) => ({ result: emptyResult(options), diagnostics });
  const prepared = await prepareReplay(options);
  if ("diagnostics" in prepared) return fail(prepared.diagnostics);
  const { selected } = prepared;
  try {
    const { files, explicit } = await checkedInputs(options, prepared);
    // a given engine or repository lives in this process: its rules replay here
    const jobs = options.engine || options.repository ? 1 : (options.jobs ?? 1);
    const shares = jobs <= 1 ? [] : await inputShares(files, explicit, prepared.forms);
    const groups = jobs <= 1 ? [selected.rules] : groupRules(selected.rules, shares, jobs);
    const outcomes = groups.length <= 1 ? [await replayGroup(options, prepared)] : await runner(planJobs(groups, shares), (plan) => jobRequest(options, files, plan));
    const problem = firstInputProblem(outcomes);
    if (problem) return fail([problem]);
    const cpu = process.cpuUsage(cpuBefore);
    const ownCpuMs = (cpu.user + cpu.system) / 1000;
    // one process: its CPU time since the start and its sampled peak; with jobs, this process's plus every job's (the
    // peaks summed: the jobs run at once, so together they need about that much memory)
    const figures =
      groups.length <= 1
        ? { started, cpuMs: ownCpuMs, peakRssBytes: outcomes[0]?.peakRssBytes ?? 0 }
        : { started, cpuMs: ownCpuMs + outcomes.reduce((n, o) => n + o.cpuMs, 0), peakRssBytes: process.resourceUsage().maxRSS * 1024 + outcomes.reduce((n, o) => n + o.peakRssBytes, 0) };
    return mergeOutcomes({ from: options.from, to: options.to, files: selected.files, skipped: selected.skipped }, outcomes, figures);
  } catch (error) {
    if (error instanceof ReplayInputError || error instanceof ReplayJobError) return fail([error.diagnostic]);
    throw error;
  }
}

/** Runs a replay's jobs, one per plan, and gives their outcomes in job order (src/replay/jobs.ts: each in a process of its own). */
export type JobRunner = (plans: readonly JobPlan[], request: (plan: JobPlan) => JobRequest) => Promise<GroupOutcome[]>;

/**
 * What a job's process is handed: the replay's options for its rules alone (no engine or loaded repository: it loads
 * its own), its inputs the files this process listed (so a file added to an input folder meanwhile is read by no job
 * and every job reads the files its plan names), and its plan.
 */
export interface JobRequest {
  options: Omit<ReplayOptions, "engine" | "repository">;
  plan: JobPlan;
}

function jobRequest(options: ReplayOptions, files: readonly string[], plan: JobPlan): JobRequest {
  const { engine: _engine, repository: _repository, ...rest } = options;
  return { options: { ...rest, inputs: [...files], rules: plan.rules, jobs: 1 }, plan };
}

/** Replays one job's group of rules in this process (the job's own): its outcome, or its input problem in it. */
export async function runJob(request: JobRequest, hooks: GroupHooks): Promise<GroupOutcome> {
  const prepared = await prepareReplay(request.options);
  if ("diagnostics" in prepared) throw new Error(`job ${request.plan.job + 1}: ${prepared.diagnostics.map((d) => d.message).join("; ")}`);
  return replayGroup(request.options, prepared, request.plan, hooks);
}
