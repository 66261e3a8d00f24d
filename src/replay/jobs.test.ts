import { fork, spawn, type ChildProcess, type Serializable } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { makeDiagnostic } from "../diagnostics/index.ts";
import { runJob, runReplay } from "./index.ts";
import { loadProfiles } from "../profiles/profile.ts";
import { groupRules, inputShares, ownsFile, planJobs, readsFile, ReplayJobError, runJobs, type JobPlan } from "./jobs.ts";
import type { GroupOutcome } from "./merge.ts";
import { sourceForms } from "./recognise.ts";
import type { ReplayRule } from "./run-rules.ts";
import { loadSelectedRules } from "./selected-rules.ts";

const work = mkdtempSync(path.join(tmpdir(), "replay-jobs-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A rule as grouping sees it: its file and the tables it reads. */
function rule(name: string, tables: string[]): ReplayRule {
  return { file: { path: `analytics-rules/${name}.yaml`, absolutePath: `/repo/analytics-rules/${name}.yaml` }, tables } as unknown as ReplayRule;
}

const names = (groups: ReplayRule[][]) => groups.map((g) => g.map((r) => path.basename(r.file.path, ".yaml")));

const MB = 1024 * 1024;
/** The input files: one of AzureDiagnostics, one of ChatGPT's raw events (both its tables), one of AzureActivity. */
const INPUTS = [
  { bytes: 70 * MB, tables: ["AzureDiagnostics"] },
  { bytes: 30 * MB, tables: ["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"] },
  { bytes: 5 * MB, tables: ["AzureActivity"] },
];

describe("groupRules", () => {
  const rules = [
    rule("aoai-a", ["AzureDiagnostics"]),
    rule("aoai-b", ["AzureDiagnostics"]),
    rule("arm-a", ["AzureActivity"]),
    rule("cgpt-a", ["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"]),
    rule("cgpt-b", ["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"]),
    rule("cgpt-c", ["ChatGPTComplianceEvents_CL"]),
    rule("cross", ["AzureDiagnostics", "ChatGPTComplianceEvents_CL"]),
  ];

  it.each([
    [1, [["aoai-a", "aoai-b", "arm-a", "cgpt-a", "cgpt-b", "cgpt-c", "cross"]]],
    // the rules over AzureDiagnostics (the cross-source one's biggest input) together, the ChatGPT rules together, and
    // the small table's beside the lighter job
    [2, [["aoai-a", "aoai-b", "cross"], ["arm-a", "cgpt-a", "cgpt-b", "cgpt-c"]]],
    [3, [["aoai-a", "aoai-b", "cross"], ["cgpt-a", "cgpt-b", "cgpt-c"], ["arm-a"]]],
    // more jobs than main tables: one job per main table at most (the cross-source rule's is AzureDiagnostics)
    [9, [["aoai-a", "aoai-b", "cross"], ["cgpt-a", "cgpt-b", "cgpt-c"], ["arm-a"]]],
  ])("keeps rules over the same main table together, in rule order, with %i jobs", (jobs, expected) => {
    const groups = groupRules(rules, INPUTS, jobs);
    expect(names(groups).map((g) => [...g].sort()).sort()).toEqual(expected.map((g) => [...g].sort()).sort());
    for (const group of groups) expect(group).toEqual([...group].sort((a, b) => rules.indexOf(a) - rules.indexOf(b)));
  });

  it("gives every rule to exactly one job", () => {
    const groups = groupRules(rules, INPUTS, 2);
    expect(groups.flat().sort((a, b) => a.file.path.localeCompare(b.file.path))).toEqual(rules);
  });

  it("weighs rules whose tables have no input bytes too", () => {
    expect(groupRules([rule("x", ["A"]), rule("y", ["B"])], [], 2).map((g) => g.length)).toEqual([1, 1]);
  });
});

describe("which job reads and reports which file", () => {
  const plans = planJobs([[rule("aoai", ["AzureDiagnostics"])], [rule("cgpt", ["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"]), rule("both", ["AzureDiagnostics", "ChatGPTComplianceEvents_CL"])]], INPUTS);

  it("plans each job's tables, those of earlier jobs, and each input file's tables", () => {
    expect(plans.map((p) => p.inputTables)).toEqual([INPUTS.map((i) => i.tables), INPUTS.map((i) => i.tables)]);
    expect(plans.map((p) => [p.job, p.jobs, p.needs, p.claimed, p.all])).toEqual([
      [0, 2, ["AzureDiagnostics"], [], ["AzureDiagnostics", "ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"]],
      [1, 2, ["AzureDiagnostics", "ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"], ["AzureDiagnostics"], ["AzureDiagnostics", "ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"]],
    ]);
    expect(plans[1]?.rules).toEqual(["/repo/analytics-rules/cgpt.yaml", "/repo/analytics-rules/both.yaml"]);
  });

  it.each([
    // tables of the file → [job 0 reads, job 1 reads], the job reporting it
    [["AzureDiagnostics"], [true, true], 0],
    [["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"], [false, true], 1],
    [["ChatGPTConversationMessages_CL"], [false, true], 1],
    // a file no job's rules read, or an empty file: job 0 reads it (its events and problems count) and reports it
    [["AzureActivity"], [true, false], 0],
    [[], [true, false], 0],
  ])("a file of %j", (tables, reads, owner) => {
    expect(plans.map((p) => readsFile(p, tables))).toEqual(reads);
    expect(plans.map((p) => ownsFile(p, tables))).toEqual(plans.map((p) => p.job === owner));
  });
});

describe("a job", () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const chatgpt = path.join(repo, "analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml");
  const activity = path.join(repo, "analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml");
  const inputs = [path.join(repo, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl"), path.join(repo, "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl")];
  const options = { root: repo, from: new Date("2026-11-20T22:30:00Z"), to: new Date("2026-11-21T00:00:00Z") };

  /** The two rules' plans over the inputs (each file's tables recognised as a replay does), and each job's outcome in this process. */
  async function runBoth(files: string[]): Promise<{ chatgptRule: ReplayRule; outcomes: GroupOutcome[] }> {
    const selected = await loadSelectedRules(repo, [activity, chatgpt]);
    if (!("rules" in selected)) throw new Error("rules not loaded");
    const [activityRule, chatgptRule] = selected.rules as [ReplayRule, ReplayRule];
    const shares = await inputShares(files, new Map(), sourceForms(loadProfiles(repo).profiles, selected.workspace));
    const plans = planJobs([[activityRule], [chatgptRule]], shares);
    const outcomes = await Promise.all(plans.map((plan) => runJob({ options: { ...options, inputs: files, rules: plan.rules }, plan }, {})));
    return { chatgptRule, outcomes };
  }

  it("reads and spools only the tables its rules read, and reports only the files no earlier job reads", async () => {
    const { chatgptRule, outcomes } = await runBoth(inputs);
    expect(outcomes.map((o) => o.spooled)).toEqual([["AzureActivity"], chatgptRule.tables.filter((t) => t.startsWith("ChatGPT"))]);
    expect(outcomes.map((o) => o.inputs.map((i) => [i.position, path.basename(i.input.file)]))).toEqual([[[1, "arm-001-admin-usual-network.jsonl"]], [[0, "cgpt-004-domain-created.jsonl"]]]);
    expect(outcomes.map((o) => o.summaries.map((r) => path.basename(r.ruleFile)))).toEqual([["arm-ai-account-key-regenerated.yaml"], ["chatgpt-sso-scim-or-domain-config-changed.yaml"]]);
    expect(outcomes[1]?.alerts).toHaveLength(1);
  });

  // a .json input is parsed whole before its first record: a job that opened it would meet its problem too
  it("never opens a file feeding none of its tables, and ranks its own problem by the file's position", async () => {
    const bad = path.join(work, "bad.json");
    writeFileSync(bad, '[{"a": 1},\n{"b": }]');
    const { outcomes } = await runBoth([...inputs, bad]);
    expect(outcomes.map((o) => o.problem && [o.problem.position, o.problem.diagnostic.code])).toEqual([[2, "SC5042"], undefined]);
    expect(outcomes[1]?.alerts).toHaveLength(1);
  });

  // the replay lists the inputs once: a file added to an input folder while the jobs start is read by none of them
  it("reads the files the replay planned, even when an input folder gained a file since", async () => {
    const folder = mkdtempSync(path.join(work, "inputs-"));
    copyFileSync(inputs[0] as string, path.join(folder, "a-chatgpt.jsonl"));
    copyFileSync(inputs[1] as string, path.join(folder, "b-activity.jsonl"));
    const replay = { ...options, inputs: [folder], rules: [activity, chatgpt] };
    const one = await runReplay({ ...replay, jobs: 1 });
    const spread = await runReplay({ ...replay, jobs: 2 }, async (plans, request) => {
      // sorted first, it would shift every later file's position in a job listing the folder again
      copyFileSync(inputs[0] as string, path.join(folder, "0-added.jsonl"));
      return Promise.all(plans.map((plan) => runJob(request(plan), {})));
    });
    expect(spread.result.stats.jobs).toBe(2);
    expect(spread.diagnostics).toEqual(one.diagnostics);
    expect(spread.result.inputs.map((i) => path.basename(i.file))).toEqual(["a-chatgpt.jsonl", "b-activity.jsonl"]);
    expect(spread.result.alerts).toEqual(one.result.alerts);
    expect(one.result.alerts).toHaveLength(1);
  });

  it("reports input files other than those planned as an input problem, never skipping one", async () => {
    const selected = await loadSelectedRules(repo, [activity]);
    if (!("rules" in selected)) throw new Error("rules not loaded");
    const [plan] = planJobs([selected.rules], await inputShares(inputs, new Map(), sourceForms(loadProfiles(repo).profiles, selected.workspace)));
    const third = path.join(work, "third.jsonl");
    copyFileSync(inputs[1] as string, third);
    const outcome = await runJob({ options: { ...options, inputs: [...inputs, third], rules: [activity] }, plan: plan as JobPlan }, {});
    expect(outcome.problem?.position).toBe(-1);
    expect(outcome.problem?.diagnostic).toMatchObject({ code: "SC5043", file: "--jobs", message: "replay job 1 of 1 was planned over 2 input files but found 3; the inputs changed while the replay started" });
    expect(outcome.inputs).toEqual([]);
  });
});

/**
 * A stand-in for a job's process, speaking the job protocol: does what its request says (exit, hang, read its inputs,
 * give an outcome, give it and stay 2 s, leave a file in its spool folder and hang, as a job killed on Windows leaves its spool files).
 */
const STUB = `
import { writeFileSync } from "node:fs";
process.once("message", ({ request, folder }) => {
  const { act, job } = request;
  if (act === "exit") process.exit(3);
  if (act === "linger") setTimeout(() => process.exit(0), 2000);
  if (act === "spool") writeFileSync(folder + "/sentinel-replay-spooled.jsonl", "{}\\n");
  if (act === "hang" || act === "read" || act === "spool") {
    if (act === "read") process.send({ kind: "read" });
    setInterval(() => {}, 1000);
    return;
  }
  process.send({ kind: "outcome", outcome: { job, inputs: [], summaries: [], alerts: [], incidents: [], runs: job + 1, failures: [], unfed: [], spooled: [], cpuMs: 1, peakRssBytes: 1, ...(act === "problem" ? { problem: { position: 1, diagnostic: { code: "SC5042", severity: "error", file: "b.jsonl", line: 2, col: 1, message: "bad" } } } : {}) } }, () => process.disconnect());
});
`;
const stub = path.join(work, "stub.mjs");
writeFileSync(stub, STUB);

/** Starts a stand-in job and hands it its request and folder, as the replay starts a job. */
function startStub(request: Serializable, folder: string): ChildProcess {
  const child = fork(stub, [], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
  child.send({ request, folder });
  return child;
}

/** Does `then` once a stand-in job has left its spool file in its folder (checked for at most 60 s). */
function whenSpooled(folder: string, then: () => void): void {
  const end = Date.now() + 60_000;
  const timer = setInterval(() => {
    if (readdirSync(folder).length === 0 && Date.now() < end) return;
    clearInterval(timer);
    then();
  }, 50);
}

const plansOf = (count: number): JobPlan[] => planJobs(Array.from({ length: count }, (_, i) => [rule(`rule-${i}`, [`T${i}`])]), []);

describe("runJobs", () => {
  /** Runs stub jobs acting as told; returns the outcome or the failure, every stub's process and its spool folder. */
  async function run(acts: string[], onStart: (child: ChildProcess, job: number, folder: string) => void = () => undefined): Promise<{ outcomes?: GroupOutcome[]; error?: ReplayJobError; children: ChildProcess[]; folders: string[] }> {
    const children: ChildProcess[] = [];
    const folders: string[] = [];
    const start = (request: Serializable, folder: string) => {
      const child = startStub(request, folder);
      children.push(child);
      folders.push(folder);
      onStart(child, children.length - 1, folder);
      return child;
    };
    try {
      return { outcomes: await runJobs(plansOf(acts.length), (plan) => ({ act: acts[plan.job] ?? "", job: plan.job }), start), children, folders };
    } catch (error) {
      return { error: error as ReplayJobError, children, folders };
    }
  }

  it("returns every job's outcome in job order, once every job's process has ended, and removes each job's folder", async () => {
    const { outcomes, children, folders } = await run(["outcome", "outcome", "outcome"]);
    expect(outcomes?.map((o) => o.runs)).toEqual([1, 2, 3]);
    expect(children.map((c) => c.exitCode)).toEqual([0, 0, 0]);
    expect(folders.map((f) => path.basename(f).replace(/-[^-]+$/, ""))).toEqual(["sentinel-replay-job1", "sentinel-replay-job2", "sentinel-replay-job3"]);
    expect(folders.filter(existsSync)).toEqual([]);
  });

  it("fails the replay when a job exits without its outcome, naming it and its rules, and stops the others", async () => {
    const { error, children } = await run(["hang", "exit"]);
    expect(error).toBeInstanceOf(ReplayJobError);
    expect(error?.diagnostic).toMatchObject({ code: "SC5067", severity: "error" });
    expect(error?.message).toBe("replay job 2 of 2 (rules rule-1) exited with code 3; nothing was written");
    expect(children[0]?.signalCode).toBe("SIGKILL");
  });

  it("names a job killed from outside, and removes the spool files it left behind", async () => {
    const killSecond = (child: ChildProcess, job: number, folder: string) => job === 1 && whenSpooled(folder, () => child.kill("SIGKILL"));
    const { error, children, folders } = await run(["hang", "spool"], killSecond);
    expect(error?.message).toMatch(/^replay job 2 of 2 \(rules rule-1\) was stopped by SIGKILL \(killed, perhaps by the system for want of memory\); nothing was written$/);
    expect(children[0]?.signalCode).toBe("SIGKILL");
    expect(folders).toHaveLength(2);
    expect(folders.filter(existsSync)).toEqual([]);
  });

  /** Starts hanging stub jobs, the second through `second` (a start that fails); gives each job's folder too. */
  async function failedStart(second: () => ChildProcess): Promise<{ error: unknown; first: ChildProcess | undefined; folders: string[] }> {
    let first: ChildProcess | undefined;
    const folders: string[] = [];
    const start = (request: Serializable, folder: string): ChildProcess => {
      folders.push(folder);
      if (first) return second();
      first = startStub(request, folder);
      return first;
    };
    const error = await runJobs(plansOf(2), () => ({ act: "hang", job: 0 }), start).catch((e: unknown) => e);
    return { error, first, folders };
  }

  it.each([
    ["cannot start (no such program)", () => fork(stub, [], { execPath: "/nonexistent/node", stdio: ["ignore", "ignore", "ignore", "ipc"] })],
    [
      "throws when started",
      (): ChildProcess => {
        throw new Error("spawn EAGAIN");
      },
    ],
  ])("fails the replay and stops the others when a job %s", async (_what, second) => {
    const { error, first, folders } = await failedStart(second);
    expect(error).toBeInstanceOf(ReplayJobError);
    expect((error as Error).message).toMatch(/^replay job 2 of 2 \(rules rule-1\) could not run: .+; nothing was written$/);
    expect(first?.signalCode).toBe("SIGKILL");
    // the folder made for the job that could not run goes too, as the stopped job's does
    expect(folders).toHaveLength(2);
    expect(folders.filter(existsSync)).toEqual([]);
  });

  it("with an input problem, waits for every job to have read its inputs, then stops those still running", async () => {
    const { outcomes, children } = await run(["read", "problem", "outcome"]);
    expect(outcomes?.map((o) => [o.job, o.problem?.diagnostic.code])).toEqual([
      [1, "SC5042"],
      [2, undefined],
    ]);
    expect(children[0]?.signalCode).toBe("SIGKILL");
  });

  // an embedding program that handles SIGHUP itself survives it: the replay fails, naming the signal, not a kill
  it("stops every job on a signal this process survives, and says the signal stopped them", async () => {
    let heard = 0;
    const survive = () => void heard++;
    process.on("SIGHUP", survive);
    try {
      const sendSignal = (_child: ChildProcess, job: number, folder: string) => job === 1 && whenSpooled(folder, () => process.kill(process.pid, "SIGHUP"));
      const { error, children, folders } = await run(["hang", "spool"], sendSignal);
      expect(error?.message).toBe("replay job 1 of 2 (rules rule-0) was stopped by SIGHUP, which stopped the replay; nothing was written");
      expect(children.map((c) => c.signalCode)).toEqual(["SIGKILL", "SIGKILL"]);
      expect(folders.filter(existsSync)).toEqual([]);
      // the embedding program's own listener hears the signal once: the replay raises it again only when no one listens
      await new Promise((r) => setTimeout(r, 200));
      expect(heard).toBe(1);
    } finally {
      process.off("SIGHUP", survive);
    }
  });

  // the replay's work is done: the signal stopped no job, and the embedding program gets the outcomes
  it("returns the outcomes on a signal this process survives once every job gave its outcome", async () => {
    let heard = 0;
    const survive = () => void heard++;
    process.on("SIGHUP", survive);
    try {
      const signalOnOutcome = (child: ChildProcess) => child.on("message", (message: { kind: string }) => message.kind === "outcome" && process.kill(process.pid, "SIGHUP"));
      const { outcomes, error, children, folders } = await run(["linger"], signalOnOutcome);
      expect(error).toBeUndefined();
      expect(outcomes?.map((o) => o.runs)).toEqual([1]);
      expect(children.map((c) => c.exitCode)).toEqual([0]);
      expect(folders.filter(existsSync)).toEqual([]);
      expect(heard).toBe(1);
    } finally {
      process.off("SIGHUP", survive);
    }
  });

  it("fails the replay, naming the job, when its folder cannot be made", async () => {
    const before = process.env.TMPDIR;
    process.env.TMPDIR = path.join(work, "no-such-folder");
    try {
      const { error, children } = await run(["hang", "hang"]);
      expect(error?.message).toMatch(/^replay job 1 of 2 \(rules rule-0\) could not run: ENOENT.+; nothing was written$/);
      expect(children).toEqual([]);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
    }
  });

  it("leaves no signal or exit handler behind", async () => {
    const before = ["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((e) => process.listenerCount(e));
    await run(["outcome", "exit"]);
    expect(["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((e) => process.listenerCount(e))).toEqual(before);
  });
});

describe("runReplay with jobs", () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

  it("gives the failure of a job as its finding, with an empty result", async () => {
    const failure = new ReplayJobError(makeDiagnostic("SC5067", { file: "--jobs" }, "replay job 2 of 2 (rules x) was stopped by SIGKILL; nothing was written"));
    const inputs = ["analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl", "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl"].map((f) => path.join(repo, f));
    const { result, diagnostics } = await runReplay({ root: repo, inputs, from: new Date("2026-11-20T22:30:00Z"), to: new Date("2026-11-21T00:00:00Z"), jobs: 2 }, () => Promise.reject(failure));
    expect(diagnostics).toEqual([failure.diagnostic]);
    expect([result.inputs, result.rules, result.alerts, result.stats.runs]).toEqual([[], [], [], 0]);
  });
});

/** The processes below `pid` (children first), from /proc: pid and command line. */
function descendants(pid: number): { pid: number; command: string }[] {
  const all = readdirSync("/proc").filter((d) => /^\d+$/.test(d)).flatMap((d) => {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return state === "Z" ? [] : [{ pid: Number(d), ppid: Number(ppid), command: readFileSync(`/proc/${d}/cmdline`, "utf8").replace(/\0/g, " ") }];
    } catch {
      return [];
    }
  });
  const below = (parent: number): { pid: number; command: string }[] => all.filter((p) => p.ppid === parent).flatMap((p) => [p, ...below(p.pid)]);
  return below(pid);
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.startsWith("Z");

async function until<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
    const found = probe();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out waiting for ${what}`);
}

const allGone = (pids: number[], ms = 60_000) => until("every process to end", () => (pids.some(alive) ? undefined : true), ms);

/** A process started in a process group of its own, and its end. */
function started(args: string[]) {
  const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "pipe", "ignore"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, pid: child.pid as number, ended, stdout: () => stdout };
}

describe.runIf(process.platform === "linux")("a replay with jobs, stopped", () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  // a replaying process as the command's: runJobs over two hanging stand-in jobs
  const replaying = path.join(work, "replaying.mts");
  writeFileSync(
    replaying,
    `// the jobs' folders go to the temporary folder named first (set here, after the TypeScript loader has its cache)
process.env.TMPDIR = process.argv[2];
const { planJobs, runJobs } = await import( ${JSON.stringify(pathToFileURL(path.join(repo, "src/replay/jobs.ts")).href)});
const { fork } = await import("node:child_process");
const rule = (name: string) => ({ file: { absolutePath: "/repo/" + name + ".yaml" }, tables: [name] });
const start = (request: unknown, folder: string) => {
  const child = fork(${JSON.stringify(stub)}, [], { execArgv: [], stdio: ["ignore", "ignore", "ignore", "ipc"] });
  child.send({ request, folder });
  return child;
};
await runJobs(planJobs([[rule("a")], [rule("b")]] as never, []), () => ({ act: "spool", job: 0 }), start);
`,
  );

  it.each([
    ["Ctrl-C (SIGINT to the process group)", (pid: number) => process.kill(-pid, "SIGINT")],
    ["SIGTERM to the replaying process alone", (pid: number) => process.kill(pid, "SIGTERM")],
  ])("leaves no job and no spool folder behind after %s", async (_what, stop) => {
    const folder = mkdtempSync(path.join(work, "tmp-"));
    const run = started(["--import", tsx, replaying, folder]);
    const jobs = await until("two jobs with their spool files", () => {
      // (the TypeScript loader may run a compiler process beside them)
      const found = descendants(run.pid).filter((p) => p.command.includes(stub));
      return found.length === 2 && readdirSync(folder).flatMap((d) => readdirSync(path.join(folder, d))).length === 2 ? found : undefined;
    }, 60_000);
    stop(run.pid);
    expect((await run.ended).signal).not.toBeNull();
    await allGone(jobs.map((j) => j.pid));
    expect(readdirSync(folder)).toEqual([]);
  }, 90_000);

  // without the command passing the signal on, it would end at once and leave the restarted replay running
  it("passes SIGTERM to the command's own process on to the replay it restarted", async () => {
    const input = path.join(repo, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl");
    const run = started([path.join(repo, "bin/sentinel-content.js"), "replay", input, "--from", "2026-11-14", "--to", "2026-11-21", "--jobs", "2", "--output", path.join(work, "never.json")]);
    const [restarted] = await until("the restarted replay", () => {
      const found = descendants(run.pid);
      return found.length > 0 ? found : undefined;
    }, 60_000);
    process.kill(run.pid, "SIGTERM");
    expect(await run.ended).toEqual({ code: null, signal: "SIGTERM" });
    expect(alive(restarted?.pid as number)).toBe(false);
    expect(existsSync(path.join(work, "never.json"))).toBe(false);
  }, 90_000);

  // a real job's process (started as the replay starts one): once the replay's process is gone, the job stops itself
  // at its next batch or within 16 runs, and removes its folder
  it("leaves no job behind after SIGKILL to the replaying process", async () => {
    const alone = path.join(work, "replaying-real.mts");
    const rules = ["arm-ai-account-key-regenerated", "arm-ai-account-network-or-local-auth-loosened", "arm-ai-diagnostic-setting-deleted-or-changed"].map((r) => path.join(repo, `analytics-rules/azure-activity/${r}.yaml`));
    const input = path.join(repo, "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl");
    // three hourly rules over 27 months (19,680 runs each, the most a replay runs, tens of seconds): the job is still
    // running its rules when its replay is killed, and would run on long after the 5 s it is given to notice
    const request = `{ options: { root: ${JSON.stringify(repo)}, inputs: [${JSON.stringify(input)}], rules: plan.rules, from: new Date("2025-01-01T00:00:00Z"), to: new Date("2027-04-01T00:00:00Z"), jobs: 1 }, plan }`;
    writeFileSync(
      alone,
      `process.env.TMPDIR = process.argv[2];
const { planJobs, runJobs } = await import(${JSON.stringify(pathToFileURL(path.join(repo, "src/replay/jobs.ts")).href)});
const { fork } = await import("node:child_process");
const rules = ${JSON.stringify(rules)}.map((file: string) => ({ file: { absolutePath: file }, tables: ["AzureActivity"] }));
const plans = planJobs([rules], [{ bytes: 1, tables: ["AzureActivity"] }]);
// the job's process as the replay starts it, saying on stdout when the job has read its inputs
const start = (request: unknown, folder: string) => {
  const child = fork(${JSON.stringify(path.join(repo, "src/replay/job-worker.ts"))}, [], { execArgv: ["--import", ${JSON.stringify(tsx)}], stdio: ["ignore", "ignore", "ignore", "ipc"], serialization: "advanced" });
  child.on("message", (message: { kind: string }) => message.kind === "read" && process.stdout.write("read\\n"));
  child.send({ request, folder });
  return child;
};
await runJobs(plans, (plan) => (${request}), start);
`,
    );
    const folder = mkdtempSync(path.join(work, "tmp-"));
    const run = started(["--import", tsx, alone, folder]);
    await until("the job to read its inputs", () => (run.stdout().includes("read") ? true : undefined), 120_000);
    const [job] = descendants(run.pid).filter((p) => p.command.includes("job-worker"));
    expect(alive(job?.pid as number)).toBe(true);
    process.kill(run.pid, "SIGKILL");
    expect((await run.ended).signal).toBe("SIGKILL");
    await allGone([job?.pid as number], 5_000);
    // the job removed its own folder as it stopped: its replay, killed, could not (the job's TypeScript loader keeps its cache beside it)
    expect(readdirSync(folder).filter((d) => d.startsWith("sentinel-replay-job"))).toEqual([]);
  }, 180_000);
});
