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
import { loadInputFile } from "./load-inputs.ts";
import { formsNamed, sourceForms, type SourceForm } from "./recognise.ts";
import type { ReplayInput, ReplayResult } from "./result.ts";
import { costLines, runRules, type RuleCost } from "./run-rules.ts";
import { loadSelectedRules, sortInRuleOrder } from "./selected-rules.ts";
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
}

/** Tracks the process's peak resident memory, sampled when asked. */
class MemoryPeak {
  peak = process.memoryUsage.rss();
  sample = (): void => {
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
  };
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

/**
 * Replays raw vendor logs through the repository's ingestion mappings and analytic rules over [from, to]: each
 * input file is recognised from its content (or mapped), raw events pass through the DCR transforms, every row
 * gets an ingestion time, and every rule runs as Sentinel's scheduler would. Problems with the inputs or
 * options come back as error diagnostics (with an empty result); rules that cannot run are listed as skipped.
 */
export async function runReplay(options: ReplayOptions): Promise<{ result: ReplayResult; diagnostics: Diagnostic[] }> {
  const started = performance.now();
  const memory = new MemoryPeak();
  const fail = (diagnostics: Diagnostic[]) => ({ result: emptyResult(options), diagnostics });
  const range = checkRange(options.from, options.to);
  if (range) return fail([range]);
  let delay: IngestionDelay;
  try {
    delay = parseIngestionDelay(options.ingestionDelay ?? "0s", options.seed ?? 1);
  } catch (error) {
    return fail([makeDiagnostic("SC5045", { file: "--ingestion-delay" }, `--ingestion-delay ${options.ingestionDelay ?? ""}: ${(error as Error).message}`)]);
  }
  const root = path.resolve(options.root);
  // the rules are prepared before any input is read: they decide which columns the spool keeps
  const selected = await loadSelectedRules(root, options.rules, options.repository);
  if (!("rules" in selected)) return fail(selected.diagnostics);
  const { workspace, rules, skipped } = selected;
  const profiles = loadProfiles(root);
  const forms = sourceForms(profiles.profiles, workspace);
  const engine = options.engine ?? createOfflineEngine();
  const spool = new RowSpool(options.pruneColumns === false ? {} : { kept: keptColumns(rules, workspace, root) });
  try {
    const inputFiles = listInputFiles(options.inputs);
    const explicit = explicitForms(options.map ?? {}, inputFiles, forms, workspace);
    const watchlists = await loadWatchlists(workspace, options.watchlists ?? []);
    const inputs: ReplayInput[] = [];
    const context = { workspace, forms, explicit, delay, engine, transformNow: options.to.getTime(), spool, onBatch: memory.sample };
    for (const file of inputFiles) inputs.push(await loadInputFile(file, context));
    spool.flush();
    // SENTINEL_REPLAY_PROFILE=1 prints each rule's CPU time over the replay to stderr, costliest first
    const profile = process.env.SENTINEL_REPLAY_PROFILE ? new Map<string, RuleCost>() : undefined;
    const ran = runRules({ rules, workspace, watchlists, engine, spool, from: options.from.getTime(), to: options.to.getTime(), rowLimit: options.rowLimit ?? DEFAULT_ROW_LIMIT, onRun: memory.sample, ...(profile ? { profile } : {}) }, skipped);
    if (profile) process.stderr.write(`replay: CPU per rule\n${costLines(profile).join("\n")}\n`);
    const { alerts, summaries } = sortInRuleOrder(selected.files, ran.summaries, ran.alerts);
    const diagnostics = [
      ...summaries.filter((s) => s.skipped && !ran.unfed.has(s.ruleFile)).map((s) => makeDiagnostic("SC5049", { file: s.ruleFile }, `${s.ruleName}: skipped: ${s.skipped ?? ""}`)),
      ...ran.failures.map((f) => makeDiagnostic("SC5052", { file: f.file.path }, `the query failed in ${f.runs} run${f.runs === 1 ? "" : "s"}, first at ${f.message}`)),
    ];
    memory.sample();
    const events = inputs.reduce((n, i) => n + i.events, 0);
    const rows = inputs.reduce((n, i) => n + i.rows, 0);
    const result: ReplayResult = {
      from: options.from.toISOString(),
      to: options.to.toISOString(),
      inputs,
      rules: summaries,
      alerts,
      incidents: ran.incidents,
      stats: { events, rows, runs: ran.runs, elapsedMs: Math.round(performance.now() - started), peakRssBytes: memory.peak },
    };
    return { result, diagnostics };
  } catch (error) {
    if (error instanceof ReplayInputError) return fail([error.diagnostic]);
    throw error;
  } finally {
    spool.dispose();
  }
}
