// Worker thread body: plans the content tree once (loading Kusto and the schemas once per thread), then runs
// the cases the pool sends, by key, and answers with their verdicts (plain data). Until then it also answers KQL
// analysis requests (kql/analysis-jobs.ts), so that `check`'s validation uses the threads its tests run on.
import { parentPort, workerData } from "node:worker_threads";
import type { EngineLimits } from "../../engine/index.ts";
import { analysisResponder, enableThreadCompileCache, isAnalysisRequest, warmUpKusto } from "../../kql/analysis-jobs.ts";
import { keepAnalyses, keepOnly } from "../../kql/kept-analyses.ts";
import { createOfflineEngine } from "./offline-engine.ts";
import { caseQueries, planContentTests, type PlannedCase } from "./plan.ts";
import type { CaseResult } from "../verdict/verdict.ts";

/** What the pool sends: keys of cases to run (`caseKey`). */
export interface TestWorkerRequest {
  keys: string[];
}

/** What a worker answers: each requested case's verdict, by key. */
export interface TestWorkerResponse {
  results: { key: string; result: CaseResult }[];
}

/** The message a worker sends once it has planned the tree and waits for cases. */
export interface TestWorkerReady {
  ready: true;
}

/** The key of a case: its tests file and name. */
export function caseKey(testsFile: string, name: string): string {
  return `${testsFile}\u0000${name}`;
}

/** The verdicts of the requested cases this worker planned. */
function runCases(cases: ReadonlyMap<string, PlannedCase>, request: TestWorkerRequest): TestWorkerResponse {
  const results = request.keys.flatMap((key) => {
    const planned = cases.get(key);
    return planned ? [{ key, result: planned.run() }] : [];
  });
  return { results };
}

const port = parentPort;
if (port) {
  enableThreadCompileCache();
  const { root, limits } = workerData as { root: string; limits?: Partial<EngineLimits> };
  let answerAnalysis: ReturnType<typeof analysisResponder> | undefined;
  let casesBegun = false;
  const planned = planContentTests(root, { engine: createOfflineEngine(limits) }).then((plan) => new Map(plan.cases.map((c) => [caseKey(c.testsFile, c.name), c])));
  port.on("message", (request: unknown) => {
    if (isAnalysisRequest(request)) {
      // the cases' engine takes these analyses where its global state binds a query alike (kept-analyses.ts)
      keepAnalyses(true);
      const response = (answerAnalysis ??= analysisResponder())(request);
      if (response) port.postMessage(response);
      return;
    }
    // the cases need no analyser: its global states and their Kusto caches go with it, but for those the kept analyses
    // of the cases' queries hold until the engine takes them
    answerAnalysis = undefined;
    keepAnalyses(false);
    // cases are sent only after the ready message, so the plan is there
    void planned.then((cases) => {
      if (!casesBegun) keepOnly(caseQueries(cases.values()));
      casesBegun = true;
      port.postMessage(runCases(cases, request as TestWorkerRequest));
    });
  });
  await planned;
  port.postMessage({ ready: true } satisfies TestWorkerReady);
  // the first analysis or case would do this work (validation's analysis jobs, when there were any, have already done
  // it): done now, it fills the wait for the first cases when validation was answered from its cache
  warmUpKusto();
}
