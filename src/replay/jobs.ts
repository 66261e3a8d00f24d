// `replay --jobs N`: the replayed rules split into groups, each group replayed over the same inputs, range, delay and
// seed in a process of its own (src/replay/job-worker.ts), reading and spooling only the tables its rules read. Rules
// are independent of each other (a rule's alerts, suppression and incidents depend on its own runs alone), so the
// groups' outcomes merge into the result one process gives (src/replay/merge.ts). See docs/replay.md#jobs.
import { fork, type ChildProcess, type Serializable } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { firstRecordForm, formTables } from "./load-inputs.ts";
import type { GroupOutcome } from "./merge.ts";
import type { SourceForm } from "./recognise.ts";
import type { ReplayRule } from "./run-rules.ts";

/**
 * What reading an input file costs against what one rule over it costs, per input byte. The 0.25× day: reading,
 * typing, transforming and spooling its 108 MB took 15 s of CPU and the runs of its rules 67 s, while the rules read
 * 1.5 GB of input between them (each counting the files feeding its tables): about 0.14 s per MB read against
 * 0.044 s per MB a rule reads, three to one (docs/replay.md, "Partial aggregates per hour").
 */
const READ_WEIGHT = 3;
/** V8's young generation for a job, as bin/sentinel-content.js gives a replay (docs/replay.md#memory). */
const NURSERY = "--max-semi-space-size=64";
/** Node options a job takes over from this process: the memory limits the caller chose. */
const INHERITED_FLAGS = ["--max-old-space-size", "--max-semi-space-size", "--stack-size"];

/** One job's share of a replay: its rules and the tables they read, and which files it reports. */
export interface JobPlan {
  /** The job's number (0 first) and how many jobs there are. */
  job: number;
  jobs: number;
  /** The absolute paths of its rule files, in rule file order. */
  rules: string[];
  /** The tables its rules read. */
  needs: string[];
  /** The tables the rules of earlier jobs read: a file feeding one of them is reported by an earlier job. */
  claimed: string[];
  /** The tables any job's rules read: job 0 reads and reports each file feeding none of them. */
  all: string[];
  /**
   * The tables each input file's rows go to (by its position among the input files), as its first record showed
   * them to the replay: a job opens only the files it reads, so it never parses a whole .json file it skips.
   */
  inputTables: string[][];
}

/** A job that did not finish: the finding names it, its rules and how it ended. */
export class ReplayJobError extends Error {
  override name = "ReplayJobError";
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** An input file as grouping and planning see it: its size and the tables its rows go to. */
interface InputShare {
  bytes: number;
  tables: string[];
}

/** Each input file's size and tables, from its first record (a file not recognised counts for no table: reading it in full reports why). */
export async function inputShares(files: readonly string[], explicit: ReadonlyMap<string, readonly SourceForm[]>, forms: readonly SourceForm[]): Promise<InputShare[]> {
  const shares: InputShare[] = [];
  for (const file of files) {
    const form = await firstRecordForm(file, explicit.get(path.resolve(file)), forms);
    shares.push({ bytes: statSync(file).size, tables: form ? formTables(form) : [] });
  }
  return shares;
}

/** Rules around the same main table, the tables they read, the input files feeding those, and what they cost together. */
interface RuleUnit {
  main: string;
  files: Set<number>;
  rules: ReplayRule[];
  weight: number;
}

/** The input files (their positions) feeding any of the tables. */
function feeding(tables: readonly string[], inputs: readonly InputShare[]): Set<number> {
  return new Set(inputs.flatMap((input, i) => (input.tables.some((t) => tables.includes(t)) ? [i] : [])));
}

const bytesOf = (files: Iterable<number>, inputs: readonly InputShare[]) => [...files].reduce((n, i) => n + (inputs[i]?.bytes ?? 0), 0);

/**
 * The rules in units by their main table (the one with the most input bytes among those each reads; ties by name),
 * each unit weighed by the input bytes its rules read (at least 1 per rule), heaviest first.
 */
function ruleUnits(rules: readonly ReplayRule[], inputs: readonly InputShare[]): RuleUnit[] {
  const units = new Map<string, RuleUnit>();
  for (const rule of rules) {
    const sized = rule.tables.map((table) => ({ table, bytes: bytesOf(feeding([table], inputs), inputs) }));
    const main = sized.sort((a, b) => b.bytes - a.bytes || a.table.localeCompare(b.table))[0]?.table ?? "";
    let unit = units.get(main);
    if (!unit) units.set(main, (unit = { main, files: new Set(), rules: [], weight: 0 }));
    const files = feeding(rule.tables, inputs);
    for (const file of files) unit.files.add(file);
    unit.rules.push(rule);
    unit.weight += Math.max(1, bytesOf(files, inputs));
  }
  return [...units.values()].sort((a, b) => b.weight - a.weight || a.main.localeCompare(b.main));
}

/**
 * The rules in at most `jobs` groups, each in rule order. Rules whose biggest input is the same table stay together
 * (a unit, with every file its rules read); units go, heaviest first, to the job whose estimated cost grows least to
 * the smallest total: a unit costs its rules' weight (the input bytes each reads) plus READ_WEIGHT times the bytes of
 * the files it needs that the job does not read yet. Reading a file in two jobs costs its CPU and memory twice, so
 * rules over the same big input gather in one job unless that job is already the busiest. Jobs left without rules
 * are dropped.
 */
export function groupRules(rules: readonly ReplayRule[], inputs: readonly InputShare[], jobs: number): ReplayRule[][] {
  const groups = Array.from({ length: Math.max(1, jobs) }, () => ({ load: 0, files: new Set<number>(), rules: [] as ReplayRule[] }));
  for (const unit of ruleUnits(rules, inputs)) {
    const cost = (group: (typeof groups)[number]) => unit.weight + READ_WEIGHT * bytesOf([...unit.files].filter((f) => !group.files.has(f)), inputs);
    let best = groups[0] as (typeof groups)[number];
    for (const group of groups) if (group.load + cost(group) < best.load + cost(best)) best = group;
    best.load += cost(best);
    for (const file of unit.files) best.files.add(file);
    best.rules.push(...unit.rules);
  }
  const order = new Map(rules.map((r, i) => [r, i]));
  return groups.filter((g) => g.rules.length > 0).map((g) => g.rules.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0)));
}

/** Each group's plan: its rules, the tables they read, those earlier jobs read, and each input file's tables. */
export function planJobs(groups: readonly (readonly ReplayRule[])[], inputs: readonly InputShare[]): JobPlan[] {
  const needs = groups.map((g) => [...new Set(g.flatMap((r) => r.tables))].sort());
  const all = [...new Set(needs.flat())].sort();
  return groups.map((group, job) => ({
    job,
    jobs: groups.length,
    rules: group.map((r) => r.file.absolutePath),
    needs: needs[job] as string[],
    claimed: [...new Set(needs.slice(0, job).flat())].sort(),
    all,
    inputTables: inputs.map((input) => input.tables),
  }));
}

const overlaps = (tables: readonly string[], set: readonly string[]) => tables.some((t) => set.includes(t));

/** True when a job reads a file whose rows go to these tables: its rules read one of them, or (job 0) no job's rules read any. */
export function readsFile(plan: JobPlan, tables: readonly string[]): boolean {
  return overlaps(tables, plan.needs) || (plan.job === 0 && !overlaps(tables, plan.all));
}

/** True when a job reports a file with these tables that it read: no earlier job read it. Every file is reported by exactly one job. */
export function ownsFile(plan: JobPlan, tables: readonly string[]): boolean {
  return (overlaps(tables, plan.needs) && !overlaps(tables, plan.claimed)) || (plan.job === 0 && !overlaps(tables, plan.all));
}

/** A message of a job to this process. */
export type JobMessage = { kind: "read" } | { kind: "outcome"; outcome: GroupOutcome };

/** The Node options of a job's process: the caller's memory limits, the replay's young generation, and in a source checkout the TypeScript loader. */
function jobExecArgv(source: boolean): string[] {
  const inherited = process.execArgv.filter((arg) => INHERITED_FLAGS.some((flag) => arg.startsWith(flag)));
  if (!inherited.some((arg) => arg.startsWith("--max-semi-space-size"))) inherited.push(NURSERY);
  if (source) inherited.push("--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href);
  return inherited;
}

/** What a job's process is sent first: its request, and the folder its spool files go to (removed by the replay when the job has ended). */
export interface JobStart {
  request: Serializable;
  folder: string;
}

/** Starts a job's process (src/replay/job-worker.ts, or the compiled .js beside this module) and hands it its request and spool folder. */
function startJob(request: Serializable, folder: string): ChildProcess {
  const here = fileURLToPath(import.meta.url);
  const source = here.endsWith(".ts");
  const worker = path.join(path.dirname(here), `job-worker${source ? ".ts" : ".js"}`);
  // the job writes nothing to stdout (the result goes there): its output, if any, goes to stderr
  const child = fork(worker, [], { execArgv: jobExecArgv(source), stdio: ["ignore", 2, 2, "ipc"], serialization: "advanced" });
  child.send({ request, folder } satisfies JobStart);
  return child;
}

/** How a job's process ended, for the finding. */
function endedAs(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal) return `was stopped by ${signal}${signal === "SIGKILL" ? " (killed, perhaps by the system for want of memory)" : ""}`;
  if (code === 134) return "exited with code 134 (V8 aborted, typically JavaScript heap out of memory)";
  return code === 0 ? "exited before giving its outcome" : `exited with code ${code ?? "?"}`;
}

/** The finding of a job that failed, naming it and its rules. */
function jobFailure(plan: JobPlan, how: string): ReplayJobError {
  const names = plan.rules.map((r) => path.basename(r, path.extname(r)));
  const shown = names.length > 3 ? `${names.slice(0, 3).join(", ")} and ${names.length - 3} more` : names.join(", ");
  return new ReplayJobError(makeDiagnostic("SC5067", { file: "--jobs" }, `replay job ${plan.job + 1} of ${plan.jobs} (rules ${shown}) ${how}; nothing was written`));
}

/** The signals that stop a replay: on any of them every job is stopped first. */
const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** A job's spool folder, in the system's temporary folder, named after the job. */
function jobFolder(plan: JobPlan): string {
  return mkdtempSync(path.join(tmpdir(), `sentinel-replay-job${plan.job + 1}-`));
}

/** Removes a job's spool folder and whatever its process left in it (a job killed on Windows leaves its spool files). */
export function removeFolder(folder: string): void {
  try {
    rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // still held by a process the system has not yet let go of: nothing more can be done here
  }
}

/**
 * Runs each plan's job in a process of its own (`start` gives it its request and spool folder) and returns their
 * outcomes in job order. A job that ends without an outcome (a crash, a non-zero exit, a kill, running out of memory)
 * fails the whole replay (ReplayJobError) and stops the others. When a job meets an input problem, the others go on
 * until they have read their inputs too, so the problem of the earliest file is the one reported, as one process
 * would. A signal that stops this process stops every job first, and fails the replay naming the signal where this
 * process survives it, unless the outcome already stood (every job had given its outcome, or an input problem had
 * stopped the replay): then that outcome is returned. No job outlives it. Each job's spool folder is removed when its process has ended.
 */
export function runJobs(plans: readonly JobPlan[], request: (plan: JobPlan) => Serializable, start: (request: Serializable, folder: string) => ChildProcess = startJob): Promise<GroupOutcome[]> {
  return new Promise((resolve, reject) => {
    const children: ChildProcess[] = [];
    const folders: string[] = [];
    const outcomes: (GroupOutcome | undefined)[] = plans.map(() => undefined);
    const read = plans.map(() => false);
    const exited = plans.map(() => false);
    let settled = false;
    // a job that gave its outcome is left to exit by itself; any other is killed
    const stopAll = () => {
      for (const [i, child] of children.entries()) if (!exited[i] && !outcomes[i]) child.kill("SIGKILL");
    };
    // when this process ends first, the folders go with it (a job killed just now may still hold its files on Windows)
    const onExit = () => {
      stopAll();
      folders.forEach(removeFolder);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      const running = plans.find((_, i) => !outcomes[i]);
      if (running) settle(jobFailure(running, `was stopped by ${signal}, which stopped the replay`));
      onExit();
      cleanUp();
      // with no listener left the signal now does what it does by default (ends this process); other listeners heard it already
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    const cleanUp = () => {
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      process.off("exit", onExit);
    };
    const settle = (error?: ReplayJobError) => {
      if (settled) return;
      settled = true;
      stopAll();
      // the outcomes are final once every job's process has gone
      const finish = () => {
        cleanUp();
        if (error) reject(error);
        else resolve(outcomes.filter((o): o is GroupOutcome => o !== undefined));
      };
      const waiting = children.filter((_, i) => !exited[i]);
      if (waiting.length === 0) finish();
      else {
        let left = waiting.length;
        for (const child of waiting) child.once("exit", () => --left === 0 && finish());
      }
    };
    // with an input problem somewhere, the outcome stands once every job has read its inputs or met its own problem
    const check = () => {
      const problem = outcomes.some((o) => o?.problem);
      if (problem && plans.every((_, i) => read[i] || outcomes[i])) settle();
      else if (outcomes.every((o) => o !== undefined)) settle();
    };
    const ended = (job: number) => {
      exited[job] = true;
      const folder = folders[job];
      if (folder !== undefined) removeFolder(folder);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    process.on("exit", onExit);
    for (const plan of plans) {
      let child: ChildProcess;
      try {
        const folder = jobFolder(plan);
        folders[plan.job] = folder;
        child = start(request(plan), folder);
      } catch (error) {
        ended(plan.job);
        settle(jobFailure(plan, `could not run: ${error instanceof Error ? error.message : String(error)}`));
        break;
      }
      children.push(child);
      child.on("message", (message: JobMessage) => {
        if (message.kind === "read") read[plan.job] = true;
        else if (message.kind === "outcome") outcomes[plan.job] = message.outcome;
        check();
      });
      child.on("error", (error) => {
        // a process that never started (no pid) emits no exit
        if (child.pid === undefined) ended(plan.job);
        settle(jobFailure(plan, `could not run: ${error.message}`));
      });
      child.on("exit", (code, signal) => {
        ended(plan.job);
        if (!outcomes[plan.job] && !settled) settle(jobFailure(plan, endedAs(code, signal)));
      });
    }
  });
}
