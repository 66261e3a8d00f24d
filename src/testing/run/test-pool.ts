import { Worker } from "node:worker_threads";
import type { EngineLimits } from "../../engine/index.ts";
import type { PlannedCase } from "./plan.ts";
import { caseKey, type TestWorkerReady, type TestWorkerRequest, type TestWorkerResponse } from "./test-worker.ts";
import { borrowedAnalysisPool, type AnalysisPool } from "../../kql/analysis-pool.ts";
import { isAnalysisResponse, type WorkerResponse } from "../../kql/analysis-jobs.ts";
import type { CaseResult } from "../verdict/verdict.ts";

// compiled JavaScript starts the compiled worker; the TypeScript sources start it through the tsx shim
const WORKER_ENTRY = new URL(import.meta.url.endsWith(".ts") ? "./test-worker.mjs" : "./test-worker.js", import.meta.url);

/**
 * The cases' keys in batches, one per tests file, largest first: the cases of one file run the same query, which a
 * worker then analyses once (a batch split across workers would analyse it in each), and large batches go out
 * first so the last ones to finish are small.
 */
export function caseBatches(cases: readonly PlannedCase[]): string[][] {
  const byFile = new Map<string, string[]>();
  for (const c of cases) {
    const batch = byFile.get(c.testsFile) ?? [];
    batch.push(caseKey(c.testsFile, c.name));
    byFile.set(c.testsFile, batch);
  }
  return [...byFile.values()].sort((a, b) => b.length - a.length);
}

/**
 * Removes and returns the next batch for a worker that analysed the `analysed` queries for validation: among the
 * largest batches left (the same size as the first), the first whose cases run one of them, as its engine takes that
 * analysis instead of making its own (kql/kept-analyses.ts); else the first batch, so batches still go out largest
 * first. `queryOfKey` gives each case key's query.
 */
export function takeBatchFor(batches: string[][], queryOfKey: ReadonlyMap<string, string | undefined>, analysed: ReadonlySet<string>): string[] | undefined {
  const largest = batches[0]?.length;
  const own = batches.findIndex((batch) => {
    if (batch.length !== largest) return false;
    const query = queryOfKey.get(batch[0] as string);
    return query !== undefined && analysed.has(query);
  });
  return batches.splice(Math.max(own, 0), 1)[0];
}

/**
 * Young-generation size of a test worker (V8's default nursery is a few tens of MB). Queries over large fixtures
 * allocate rows fast; a larger nursery lets most of them die young instead of being copied and promoted: the CPU
 * time of the Azure OpenAI rules' tests fell from 40 s to 33 s with it (on a loaded 2-core machine).
 */
const YOUNG_GENERATION_MB = 384;

/** Test worker threads started ahead of their cases, so they load Kusto.Language and plan the content meanwhile. */
export interface TestWorkers {
  /** Each worker once it has planned the tree and waits for cases; undefined when it failed first. */
  readonly ready: readonly Promise<Worker | undefined>[];
  /**
   * The same threads as a KQL analysis pool, for a validation run before the cases (it loads Kusto.Language once per
   * thread for both); its close() leaves them running.
   */
  readonly analysis: AnalysisPool;
  /** The queries `worker` analysed through `analysis`: it keeps their analyses for the engine (kql/kept-analyses.ts). */
  analysedOn(worker: Worker): ReadonlySet<string>;
  /** Stops every worker (the ones handed to runCasesOnWorkers stop when their cases are done). */
  close(): Promise<void>;
}

/** Starts `count` test workers planning the tree under `root` now; hand them to runCasesOnWorkers, or close them. */
export function startTestWorkers(root: string, count: number, limits: Partial<EngineLimits> = {}): TestWorkers {
  const workers: Worker[] = [];
  const ready = Array.from({ length: Math.max(1, count) }, () => {
    const worker = new Worker(WORKER_ENTRY, { workerData: { root, limits }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    workers.push(worker);
    return new Promise<Worker | undefined>((resolve) => {
      // the ready message says it has planned the tree (analysis results may come first); a failure before it leaves its cases to the caller
      const onReady = (message: Partial<TestWorkerReady>): void => {
        if (message.ready !== true) return;
        worker.off("message", onReady);
        resolve(worker);
      };
      worker.on("message", onReady);
      worker.once("error", () => resolve(undefined));
      worker.once("exit", () => resolve(undefined));
    });
  });
  const analysed = new Map<Worker, Set<string>>();
  const onAnswer = (worker: Worker, query: string): void => {
    const queries = analysed.get(worker) ?? new Set<string>();
    analysed.set(worker, queries.add(query));
  };
  return {
    ready,
    analysis: borrowedAnalysisPool(workers, onAnswer),
    analysedOn: (worker) => analysed.get(worker) ?? new Set(),
    close: async () => void (await Promise.all(workers.map((w) => w.terminate()))),
  };
}

/**
 * Runs planned cases on `count` worker threads (each plans the tree under `root` itself; `started` ones, if given,
 * are used instead of starting new ones) and returns the verdicts in the cases' order. A case no worker answered
 * (unknown to it, or its worker failed) runs here. `onResult` hears of each verdict as it arrives.
 */
export async function runCasesOnWorkers(
  root: string,
  cases: readonly PlannedCase[],
  count: number,
  limits: Partial<EngineLimits> = {},
  onResult?: (result: CaseResult) => void,
  started: TestWorkers = startTestWorkers(root, count, limits),
): Promise<CaseResult[]> {
  const results = new Map<string, CaseResult>();
  const keys = cases.map((c) => caseKey(c.testsFile, c.name));
  const batches = caseBatches(cases);
  const queryOfKey = new Map(cases.map((c, i) => [keys[i] as string, c.query]));
  const takeBatch = (worker: Worker): TestWorkerRequest | undefined => {
    const batch = takeBatchFor(batches, queryOfKey, started.analysedOn(worker));
    return batch ? { keys: batch } : undefined;
  };
  const runWorker = async (ready: Promise<Worker | undefined>): Promise<void> => {
    const worker = await ready;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const sendNext = (): void => {
        const batch = takeBatch(worker);
        if (batch) worker.postMessage(batch);
        else void worker.terminate().then(() => resolve());
      };
      worker.on("message", (message: TestWorkerResponse | WorkerResponse) => {
        if (isAnalysisResponse(message)) return; // a late answer to `check`'s validation
        for (const { key, result } of message.results) {
          results.set(key, result);
          onResult?.(result);
        }
        sendNext();
      });
      // a failed worker leaves its cases without verdicts: they run on this thread below
      worker.on("error", () => resolve());
      worker.on("exit", () => resolve());
      sendNext();
    });
  };
  await Promise.all(started.ready.map(runWorker));
  return cases.map((c, i) => results.get(keys[i] as string) ?? runHere(c, onResult));
}

function runHere(planned: PlannedCase, onResult: ((result: CaseResult) => void) | undefined): CaseResult {
  const result = planned.run();
  onResult?.(result);
  return result;
}
