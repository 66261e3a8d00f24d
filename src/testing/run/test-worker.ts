// Worker thread body: plans the content tree once (loading Kusto and the schemas once per thread), then runs
// the cases the pool sends, by key, and answers with their verdicts (plain data).
import { parentPort, workerData } from "node:worker_threads";
import type { EngineLimits } from "../../engine/index.ts";
import { createOfflineEngine } from "./offline-engine.ts";
import { planContentTests } from "./plan.ts";
import type { CaseResult } from "../verdict/verdict.ts";

/** What the pool sends: keys of cases to run (`caseKey`). */
export interface TestWorkerRequest {
  keys: string[];
}

/** What a worker answers: each requested case's verdict, by key. */
export interface TestWorkerResponse {
  results: { key: string; result: CaseResult }[];
}

/** The key of a case: its tests file and name. */
export function caseKey(testsFile: string, name: string): string {
  return `${testsFile}\u0000${name}`;
}

const port = parentPort;
if (port) {
  const { root, limits } = workerData as { root: string; limits?: Partial<EngineLimits> };
  const plan = await planContentTests(root, { engine: createOfflineEngine(limits) });
  const cases = new Map(plan.cases.map((c) => [caseKey(c.testsFile, c.name), c]));
  port.on("message", (request: TestWorkerRequest) => {
    const results = request.keys.flatMap((key) => {
      const planned = cases.get(key);
      return planned ? [{ key, result: planned.run() }] : [];
    });
    port.postMessage({ results } satisfies TestWorkerResponse);
  });
  port.postMessage({ ready: true });
}
