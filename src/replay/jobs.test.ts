import { fork, spawn, type ChildProcess, type Serializable } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runJob } from "./index.ts";
import { groupRules, ownsFile, planJobs, readsFile, ReplayJobError, runJobs, type JobPlan } from "./jobs.ts";
import type { GroupOutcome } from "./merge.ts";
import type { ReplayInput } from "./result.ts";
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
  const plans = planJobs([[rule("aoai", ["AzureDiagnostics"])], [rule("cgpt", ["ChatGPTComplianceEvents_CL", "ChatGPTConversationMessages_CL"]), rule("both", ["AzureDiagnostics", "ChatGPTComplianceEvents_CL"])]]);
  const input = (table: string): ReplayInput => ({ file: "f", source: "s", table, recognisedBy: "content", events: 1, rows: 1 });

  it("plans each job's tables and those of earlier jobs", () => {
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
    expect(plans.map((p) => ownsFile(p, input(tables.join(", "))))).toEqual(plans.map((p) => p.job === owner));
  });
});

describe("a job", () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const chatgpt = path.join(repo, "analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml");
  const activity = path.join(repo, "analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml");
  const inputs = [path.join(repo, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl"), path.join(repo, "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl")];

  it("reads and spools only the tables its rules read, and reports only the files no earlier job reads", async () => {
    const selected = await loadSelectedRules(repo, [activity, chatgpt]);
    if (!("rules" in selected)) throw new Error("rules not loaded");
    const [activityRule, chatgptRule] = selected.rules as [ReplayRule, ReplayRule];
    const plans = planJobs([[activityRule], [chatgptRule]]);
    const options = { root: repo, inputs, from: new Date("2026-11-20T22:30:00Z"), to: new Date("2026-11-21T00:00:00Z") };
    const outcomes = await Promise.all(plans.map((plan) => runJob({ options: { ...options, rules: plan.rules }, plan }, {})));
    expect(outcomes.map((o) => o.spooled)).toEqual([["AzureActivity"], chatgptRule.tables.filter((t) => t.startsWith("ChatGPT"))]);
    expect(outcomes.map((o) => o.inputs.map((i) => [i.position, path.basename(i.input.file)]))).toEqual([[[1, "arm-001-admin-usual-network.jsonl"]], [[0, "cgpt-004-domain-created.jsonl"]]]);
    expect(outcomes.map((o) => o.summaries.map((r) => path.basename(r.ruleFile)))).toEqual([["arm-ai-account-key-regenerated.yaml"], ["chatgpt-sso-scim-or-domain-config-changed.yaml"]]);
    expect(outcomes[1]?.alerts).toHaveLength(1);
  });
});

/** A stand-in for a job's process: does what its request says (exit, hang, read its inputs, give an outcome). */
const STUB = `
process.once("message", (request) => {
  const { act, job } = request;
  if (act === "exit") process.exit(3);
  if (act === "hang" || act === "read") {
    if (act === "read") process.send({ kind: "read" });
    setInterval(() => {}, 1000);
    return;
  }
  process.send({ kind: "outcome", outcome: { job, inputs: [], summaries: [], alerts: [], incidents: [], runs: job + 1, failures: [], unfed: [], spooled: [], cpuMs: 1, peakRssBytes: 1, ...(act === "problem" ? { problem: { code: "SC5042", severity: "error", file: "b.jsonl", line: 2, col: 1, message: "bad" } } : {}) } }, () => process.disconnect());
});
`;

describe("runJobs", () => {
  const stub = path.join(work, "stub.mjs");
  writeFileSync(stub, STUB);
  const plansOf = (count: number): JobPlan[] => planJobs(Array.from({ length: count }, (_, i) => [rule(`rule-${i}`, [`T${i}`])]));

  /** Runs stub jobs acting as told; returns the outcome or the failure and every stub's process. */
  async function run(acts: string[]): Promise<{ outcomes?: GroupOutcome[]; error?: ReplayJobError; children: ChildProcess[] }> {
    const children: ChildProcess[] = [];
    const start = (request: Serializable) => {
      const child = fork(stub, [], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
      child.send(request);
      children.push(child);
      return child;
    };
    try {
      return { outcomes: await runJobs(plansOf(acts.length), (plan) => ({ act: acts[plan.job] ?? "", job: plan.job }), start), children };
    } catch (error) {
      return { error: error as ReplayJobError, children };
    }
  }

  it("returns every job's outcome in job order, once every job's process has ended", async () => {
    const { outcomes, children } = await run(["outcome", "outcome", "outcome"]);
    expect(outcomes?.map((o) => o.runs)).toEqual([1, 2, 3]);
    expect(children.map((c) => c.exitCode)).toEqual([0, 0, 0]);
  });

  it("fails the replay when a job exits without its outcome, naming it and its rules, and stops the others", async () => {
    const { error, children } = await run(["hang", "exit"]);
    expect(error).toBeInstanceOf(ReplayJobError);
    expect(error?.diagnostic).toMatchObject({ code: "SC5067", severity: "error" });
    expect(error?.message).toBe("replay job 2 of 2 (rules rule-1) exited with code 3; nothing was written");
    expect(children[0]?.signalCode).toBe("SIGKILL");
  });

  it("names a job killed from outside", async () => {
    const children: ChildProcess[] = [];
    const start = (request: Serializable) => {
      const child = fork(stub, [], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
      child.send(request);
      children.push(child);
      if (children.length === 2) setTimeout(() => child.kill("SIGKILL"), 200);
      return child;
    };
    await expect(runJobs(plansOf(2), () => ({ act: "hang", job: 0 }), start)).rejects.toThrow(/^replay job 2 of 2 \(rules rule-1\) was stopped by SIGKILL \(killed, perhaps by the system for want of memory\); nothing was written$/);
    expect(children[0]?.signalCode).toBe("SIGKILL");
  });

  /** Starts hanging stub jobs, the second through `second` (a start that fails). */
  async function failedStart(second: () => ChildProcess): Promise<{ error: unknown; first: ChildProcess | undefined }> {
    let first: ChildProcess | undefined;
    const start = (request: Serializable): ChildProcess => {
      if (first) return second();
      first = fork(stub, [], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
      first.send(request);
      return first;
    };
    const error = await runJobs(plansOf(2), () => ({ act: "hang", job: 0 }), start).catch((e: unknown) => e);
    return { error, first };
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
    const { error, first } = await failedStart(second);
    expect(error).toBeInstanceOf(ReplayJobError);
    expect((error as Error).message).toMatch(/^replay job 2 of 2 \(rules rule-1\) could not run: .+; nothing was written$/);
    expect(first?.signalCode).toBe("SIGKILL");
  });

  it("with an input problem, waits for every job to have read its inputs, then stops those still running", async () => {
    const { outcomes, children } = await run(["read", "problem", "outcome"]);
    expect(outcomes?.map((o) => [o.job, o.problem?.code])).toEqual([
      [1, "SC5042"],
      [2, undefined],
    ]);
    expect(children[0]?.signalCode).toBe("SIGKILL");
  });

  it("leaves no signal or exit handler behind", async () => {
    const before = ["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((e) => process.listenerCount(e));
    await run(["outcome", "exit"]);
    expect(["SIGINT", "SIGTERM", "SIGHUP", "exit"].map((e) => process.listenerCount(e))).toEqual(before);
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
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 250))) {
    const found = probe();
    if (found !== undefined) return found;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(process.platform === "linux")("replay --jobs through the command line", () => {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const inputs = ["analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl", "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl"];

  /** Starts a week's replay of every rule over two jobs in a process group of its own, and waits for its jobs. */
  async function startReplay(output: string) {
    const args = [path.join(repo, "bin/sentinel-content.js"), "replay", ...inputs, "--from", "2026-11-14", "--to", "2026-11-21", "--jobs", "2", "--output", output];
    const cli = spawn(process.execPath, args, { cwd: repo, detached: true, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    cli.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => cli.on("exit", (code, signal) => resolve({ code, signal })));
    const jobs = await until("two jobs", () => {
      const found = descendants(cli.pid as number).filter((p) => p.command.includes("job-worker"));
      return found.length === 2 ? found : undefined;
    }, 120_000);
    const processes = descendants(cli.pid as number).map((p) => p.pid);
    return { cli, jobs, processes, ended, stderr: () => stderr };
  }

  const allGone = (pids: number[]) => until("every process to end", () => (pids.some(alive) ? undefined : true), 60_000);

  it("fails with the job's name and writes nothing when a job is killed", async () => {
    const output = path.join(work, "killed.json");
    const run = await startReplay(output);
    process.kill(run.jobs[0]?.pid as number, "SIGKILL");
    expect(await run.ended).toEqual({ code: 2, signal: null });
    expect(run.stderr()).toMatch(/--jobs:1: error SC5067: replay job [12] of 2 \(rules .+\) was stopped by SIGKILL/);
    expect(existsSync(output)).toBe(false);
    await allGone(run.processes);
  }, 180_000);

  it.each([
    ["Ctrl-C (SIGINT to the process group)", (run: Awaited<ReturnType<typeof startReplay>>) => process.kill(-(run.cli.pid as number), "SIGINT")],
    ["SIGTERM to the replaying process alone", (run: Awaited<ReturnType<typeof startReplay>>) => process.kill(run.processes[0] as number, "SIGTERM")],
    ["SIGTERM to the command's own process (which restarted the replay)", (run: Awaited<ReturnType<typeof startReplay>>) => process.kill(run.cli.pid as number, "SIGTERM")],
    ["SIGKILL to the replaying process alone", (run: Awaited<ReturnType<typeof startReplay>>) => process.kill(run.processes[0] as number, "SIGKILL")],
  ])("leaves no job behind after %s", async (_what, stop) => {
    const output = path.join(work, "stopped.json");
    const run = await startReplay(output);
    stop(run);
    expect((await run.ended).signal).not.toBeNull();
    await allGone(run.processes);
    expect(existsSync(output)).toBe(false);
  }, 180_000);
});
