// Exactness of `replay --jobs N`: every rule of the repository over generated raw logs (a day of history, then two
// hours replayed with a random ingestion delay), a ChatGPT fixture of table rows, the raw samples of the ChatGPT and
// OpenAI mappings and an empty file, replayed in one process and spread over three jobs, gives the same result
// (inputs, rules, alerts with their rows and incidents, incidents, figures but timings and memory) and the same
// findings. Three jobs, not two: every job is a process that loads the repository and Kusto.Language (seconds of CPU),
// and three split the rules further (a file read by one job and skipped by two, incidents from three groups) through
// the same merge that two use.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { runReplay, type ReplayResult } from "../src/replay/index.ts";
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
    const spread = await runReplay({ ...options, jobs: 3 });
    expect(spread.result.stats.jobs).toBe(3);
    expect(spread.diagnostics).toEqual(one.diagnostics);
    expect(withoutTimings(spread.result)).toEqual(withoutTimings(one.result));
  }, 600_000);
});
