// Exactness of `replay --jobs N`: every rule of the repository over generated raw logs (a day of history, then two
// hours replayed with a random ingestion delay), a ChatGPT fixture of table rows, the raw samples of the ChatGPT and
// OpenAI mappings and an empty file, replayed in one process and spread over three groups, gives the same result
// (inputs, rules, alerts with their rows and incidents, incidents, figures but timings and memory) and the same
// findings. The groups replay in this process, one after the other, each from its job's request and plan exactly as a
// job's process replays it, the request and the outcome each passing through the serialisation a job's messages take.
// In this process the groups share what the module keeps between replays (the repository loaded per root, in
// src/replay/selected-rules.ts) with the one-process replay, where a job's process loads its own: a job's process adds
// that load and its start (Node, Kusto.Language: seconds of CPU each), which one small replay through real job
// processes (with an ingestion delay and a raw sample through its mapping) covers. Three groups, not two: they split
// the rules further (a file read by one job and skipped by two, incidents from three groups) through the same merge
// that two use.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deserialize, serialize } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { runJob, runReplay, type JobRequest, type JobRunner, type ReplayResult } from "../src/replay/index.ts";
import { generateRawLogs } from "./generate-raw-logs.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const work = mkdtempSync(path.join(tmpdir(), "replay-jobs-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The result without what differs from run to run: elapsed time, memory, CPU time and the number of jobs. */
function withoutTimings(result: ReplayResult): unknown {
  const { elapsedMs: _elapsed, peakRssBytes: _peak, cpuMs: _cpu, jobs: _jobs, ...figures } = result.stats;
  return { ...result, stats: figures };
}

/** Extra inputs beside the generated logs: table rows, raw events of both mappings (a list page among them), an empty file. */
function extraInputs(): string {
  const dir = path.join(work, "extra");
  mkdirSync(dir);
  copyFileSync(path.join(root, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl"), path.join(dir, "a-domain-created.jsonl"));
  copyFileSync(path.join(root, "ingestion/chatgpt/samples/audit-log.jsonl"), path.join(dir, "b-chatgpt-raw.jsonl"));
  const events = readFileSync(path.join(root, "ingestion/openai/samples/audit-logs.jsonl"), "utf8").trim().split("\n");
  writeFileSync(path.join(dir, "c-openai-page.json"), `{"object":"list","data":[\n${events.join(",\n")}\n],"has_more":false}`);
  writeFileSync(path.join(dir, "d-empty.jsonl"), "");
  return dir;
}

/** Runs the jobs in this process, one after the other, each request and outcome serialised as a job's messages are; records the plans. */
function inProcess(plans: unknown[]): JobRunner {
  return async (jobPlans, request) => {
    const outcomes = [];
    for (const plan of jobPlans) {
      plans.push(plan);
      const sent = deserialize(serialize(request(plan))) as JobRequest;
      outcomes.push(deserialize(serialize(await runJob(sent, {}))) as Awaited<ReturnType<typeof runJob>>);
    }
    return outcomes;
  };
}

/**
 * The OpenAI mapping's raw sample with its events moved 9 h 48 min on, into the small replay's range (its created key
 * at 22:28, two minutes before a run: the run at 22:30 sees it undelayed, the next an hour later a delayed row), each
 * with the payload under its type copied into EventDetails as a pusher does (ingestion/openai/openai-audit-logs.yaml),
 * and its created key given the scope `all` (which openai-api-key-elevated-scope-or-new-ip counts as elevated).
 */
function openaiSample(): string {
  const file = path.join(work, "openai-audit-logs.jsonl");
  const events = readFileSync(path.join(root, "ingestion/openai/samples/audit-logs.jsonl"), "utf8").trim().split("\n");
  const moved = events.map((line) => {
    const event = JSON.parse(line) as Record<string, unknown> & { type: string; effective_at: number };
    const details = event.type === "api_key.created" ? { id: "key_xxxx", data: { scopes: ["all"] } } : event[event.type];
    return JSON.stringify({ ...event, effective_at: event.effective_at + 35_280, [event.type]: details, EventDetails: details });
  });
  writeFileSync(file, moved.join("\n"));
  return file;
}

describe("replay --jobs", () => {
  it("gives the result of one process with three jobs", async () => {
    await generateRawLogs({ out: work, seed: 5, scale: 0.002, days: 2, start: "2026-11-19T00:00:00Z" });
    const inputs = [...["azure-activity", "azure-diagnostics", "chatgpt-compliance", "openai-audit-logs"].map((f) => path.join(work, f)), extraInputs()];
    const options = { root, inputs, from: new Date("2026-11-20T13:00:00Z"), to: new Date("2026-11-20T15:00:00Z"), ingestionDelay: "lognormal:median=2m,p99=10m", seed: 3 };
    const one = await runReplay({ ...options, jobs: 1 });
    expect(one.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(one.result.alerts.length).toBeGreaterThan(0);
    expect(one.result.incidents.length).toBeGreaterThan(0);
    expect(one.result.inputs.map((i) => path.basename(i.file))).toContain("d-empty.jsonl");
    expect(one.result.stats.jobs).toBe(1);
    const plans: unknown[] = [];
    const spread = await runReplay({ ...options, jobs: 3 }, inProcess(plans));
    expect(plans).toHaveLength(3);
    expect(spread.result.stats.jobs).toBe(3);
    expect(spread.diagnostics).toEqual(one.diagnostics);
    expect(withoutTimings(spread.result)).toEqual(withoutTimings(one.result));
  }, 600_000);

  // the one replay through the jobs' own processes: two small fixtures and a raw sample through its mapping, three
  // rules, a random ingestion delay drawn per file, each job in a process of its own
  it("gives the result of one process through the jobs' processes", async () => {
    const fixtures = ["analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl", "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl"];
    const rules = ["analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml", "analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml", "analytics-rules/openai-platform/openai-api-key-elevated-scope-or-new-ip.yaml"];
    const inputs = [...fixtures.map((f) => path.join(root, f)), openaiSample()];
    const options = { root, inputs, rules: rules.map((r) => path.join(root, r)), from: new Date("2026-11-20T22:30:00Z"), to: new Date("2026-11-21T00:00:00Z"), ingestionDelay: "lognormal:median=2m,p99=10m", seed: 3 };
    const one = await runReplay({ ...options, jobs: 1 });
    const alertsOf = (rule: string) => one.result.alerts.filter((a) => a.ruleFile.includes(rule));
    expect(alertsOf("chatgpt-sso-scim-or-domain-config-changed")).toHaveLength(1);
    // the delay drawn for the created key's row (seed 3) takes it past the run at 22:30: a job replaying it without
    // the delay, or with another file's, would alert an hour early
    expect(alertsOf("openai-api-key-elevated-scope-or-new-ip").map((a) => a.runTime)).toEqual(["2026-11-20T23:30:00.000Z"]);
    const spread = await runReplay({ ...options, jobs: 2 });
    expect(spread.result.stats.jobs).toBe(2);
    expect(spread.diagnostics).toEqual(one.diagnostics);
    expect(withoutTimings(spread.result)).toEqual(withoutTimings(one.result));
  }, 300_000);
});
