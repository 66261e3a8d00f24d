import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { createOfflineEngine } from "./offline-engine.ts";
import { planContentTests } from "./plan.ts";
import type { PlannedCase } from "./plan.ts";
import { caseBatches, runCasesOnWorkers, startTestWorkers, takeBatchFor } from "./test-pool.ts";
import { caseKey } from "./test-worker.ts";

/** The next message `worker` sends after being sent `message`. */
const answerTo = (worker: Worker, message: unknown): Promise<unknown> =>
  new Promise((resolve) => {
    worker.once("message", resolve);
    worker.postMessage(message);
  });

const fixtureRepo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../test/harness/repo");

describe("runCasesOnWorkers", () => {
  it("returns the same verdicts as this thread, in plan order, on a worker that analysed queries first", async () => {
    const select = (tests: string) => ["analytics-rules/azure-openai", "parsers", "workbooks"].some((folder) => tests.startsWith(folder));
    const plan = await planContentTests(fixtureRepo, { engine: createOfflineEngine(), select });
    // one worker (each loads Kusto.Language and plans the tree): it takes the largest tests file first, so the verdicts
    // arrive out of plan order; `sentinel-content test` on two workers is tested in test/harness/harness.test.ts
    const started = startTestWorkers(fixtureRepo, 1);
    // the worker first answers KQL analysis jobs (as for check's validation): on the one thread it has, which its
    // analysis pool's close() leaves running for the cases
    const analysed = await started.analysis.analyze(["print x = 1", "Nope_CL | take 1"], { tables: [], functions: [], watchlists: [], trackTables: [] }, 2);
    await started.analysis.close();
    expect(started.analysis.size).toBe(1);
    expect(analysed[0]).toEqual({ ok: true, analysis: { diagnostics: [], resultColumns: [{ name: "x", type: "long" }] } });
    expect(analysed[1]).toMatchObject({ ok: true, analysis: { diagnostics: [{ severity: "error" }] } });
    // once cases are asked for, the worker drops the analyser: a batch without a new environment is not analysed
    const worker = (await started.ready[0]) as Worker;
    // the pool knows which queries the worker analysed: their cases go to it first
    expect(started.analysedOn(worker)).toEqual(new Set(["print x = 1", "Nope_CL | take 1"]));
    expect(await answerTo(worker, { keys: [] })).toEqual({ results: [] });
    expect(await answerTo(worker, { jobs: [{ id: 0, query: "print x = 1" }] })).toEqual({
      analysis: true,
      results: [{ id: 0, outcome: { ok: false, error: "no analysis environment was sent" } }],
    });
    const arrived: string[] = [];
    const results = await runCasesOnWorkers(fixtureRepo, plan.cases, 1, {}, (r) => arrived.push(r.testsFile), started);
    expect(arrived).not.toEqual(plan.cases.map((c) => c.testsFile));
    expect(results.map((r) => [r.testsFile, r.name, r.status])).toEqual(plan.cases.map((c) => [c.testsFile, c.name, "passed"]));
  });
});

describe("caseBatches", () => {
  const planned = (testsFile: string, name: string): PlannedCase => ({ testsFile, target: testsFile.replace(".tests", ""), name, line: 1, run: () => ({}) as never });

  it("puts the cases of one tests file in one batch (one worker analyses its query), largest batch first", () => {
    const cases = [planned("a.tests.yaml", "1"), planned("b.tests.yaml", "1"), planned("b.tests.yaml", "2"), planned("a.tests.yaml", "2"), planned("b.tests.yaml", "3"), planned("c.tests.yaml", "1")];
    expect(caseBatches(cases)).toEqual([
      [caseKey("b.tests.yaml", "1"), caseKey("b.tests.yaml", "2"), caseKey("b.tests.yaml", "3")],
      [caseKey("a.tests.yaml", "1"), caseKey("a.tests.yaml", "2")],
      [caseKey("c.tests.yaml", "1")],
    ]);
  });
});

describe("takeBatchFor", () => {
  const queries = new Map([
    ["a1", "A | take 1"],
    ["b1", "B | take 1"],
    ["w1", undefined],
  ]);
  const cases: { name: string; analysed: string[]; taken: string[] | undefined; left: string[][] }[] = [
    { name: "the first batch running a query the worker analysed", analysed: ["B | take 1"], taken: ["b1"], left: [["w1"], ["a1"]] },
    { name: "the first batch when the worker analysed none of their queries", analysed: ["C | take 1"], taken: ["w1"], left: [["b1"], ["a1"]] },
    { name: "the first batch when the worker analysed nothing", analysed: [], taken: ["w1"], left: [["b1"], ["a1"]] },
  ];
  it.each(cases)("takes $name", ({ analysed, taken, left }) => {
    const batches = [["w1"], ["b1"], ["a1"]];
    expect(takeBatchFor(batches, queries, new Set(analysed))).toEqual(taken);
    expect(batches).toEqual(left);
  });

  it("takes a larger batch first even when a smaller one runs a query the worker analysed", () => {
    const batches = [["w1", "w2"], ["b1"]];
    expect(takeBatchFor(batches, new Map([...queries, ["w2", undefined]]), new Set(["B | take 1"]))).toEqual(["w1", "w2"]);
    expect(batches).toEqual([["b1"]]);
  });

  it("returns undefined when no batch is left", () => {
    expect(takeBatchFor([], queries, new Set(["A | take 1"]))).toBeUndefined();
  });
});
