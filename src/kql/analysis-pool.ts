import { Worker } from "node:worker_threads";
import type { AnalysisEnvironment, AnalysisOutcome } from "./analyzer.ts";
import type { WorkerRequest, WorkerResponse } from "./analysis-worker.ts";

/** Queries handed to a worker at a time: small enough to balance the load, large enough to keep messages few. */
const BATCH = 8;
// compiled JavaScript starts the compiled worker; the TypeScript sources start it through the tsx shim
const WORKER_ENTRY = new URL(import.meta.url.endsWith(".ts") ? "./analysis-worker.mjs" : "./analysis-worker.js", import.meta.url);

/** Analyses queries on `count` worker threads (each builds the globals once) and returns outcomes in input order. */
export async function analyzeOnWorkers(queries: readonly string[], environment: AnalysisEnvironment, count: number): Promise<AnalysisOutcome[]> {
  const outcomes: (AnalysisOutcome | undefined)[] = new Array(queries.length);
  let next = 0;
  const takeBatch = (): WorkerRequest | undefined => {
    if (next >= queries.length) return undefined;
    const jobs = queries.slice(next, next + BATCH).map((query, k) => ({ id: next + k, query }));
    next += jobs.length;
    return { jobs };
  };
  const runWorker = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_ENTRY, { workerData: environment });
      let pending: WorkerRequest | undefined;
      const finish = (error?: Error): void => {
        worker.removeAllListeners();
        void worker.terminate();
        if (error) reject(error);
        else resolve();
      };
      const send = (): void => {
        pending = takeBatch();
        if (pending) worker.postMessage(pending);
        else finish();
      };
      worker.on("message", (message: WorkerResponse | { ready: true }) => {
        if ("results" in message) for (const r of message.results) outcomes[r.id] = r.outcome;
        send();
      });
      worker.on("error", (error) => finish(error));
      worker.on("exit", (code) => {
        if (pending) finish(new Error(`analysis worker exited with code ${code}`));
      });
    });
  await Promise.all(Array.from({ length: Math.max(1, count) }, runWorker));
  return outcomes.map((o) => o ?? { ok: false, error: "not analysed" });
}
