import { Worker } from "node:worker_threads";
import { reachableTables, type AnalysisEnvironment, type AnalysisOutcome } from "./analyzer.ts";
import { isBatchResponse, isFeaturesResponse, type FeaturesRequest, type WorkerRequest, type WorkerResponse } from "./analysis-jobs.ts";
import { queryReach } from "./query-words.ts";
import type { UnsupportedFeature } from "./transform-features.ts";

/** Most queries handed to a worker at a time; batches shrink towards one as the queue empties, so the threads finish together. */
const MAX_BATCH = 8;
// compiled JavaScript starts the compiled worker; the TypeScript sources start it through the tsx shim
const WORKER_ENTRY = new URL(import.meta.url.endsWith(".ts") ? "./analysis-worker.mjs" : "./analysis-worker.js", import.meta.url);

/** Worker threads that load Kusto.Language as soon as they start, so a caller can start them before its own work. */
export interface AnalysisPool {
  /**
   * Analyses the queries on up to `threads` workers (starting more if the pool has fewer) and returns the outcomes in
   * input order; `onOutcome` sees each outcome as it arrives. Rejects when a worker fails, once the other workers have
   * finished their current batch (no outcome arrives after that).
   */
  analyze(
    queries: readonly string[],
    environment: AnalysisEnvironment,
    threads: number,
    onOutcome?: (index: number, outcome: AnalysisOutcome) => void,
  ): Promise<AnalysisOutcome[]>;
  /**
   * The unsupported features of DCR transform queries (transform-features.ts), found on one worker, where
   * Kusto.Language is loaded already; undefined for a query Kusto.Language failed on there. Rejects when the worker fails.
   * Optional: a pool without it leaves them to the caller.
   */
  transformFeatures?(queries: readonly string[]): Promise<(UnsupportedFeature[] | undefined)[]>;
  /** How many worker threads the pool has started. */
  readonly size: number;
  /** Stops every worker. */
  close(): Promise<void>;
}

/**
 * The queue of one analysis run: longest query first (the cost grows with the length), in batches that shrink as
 * the queue empties. Queries that can reach every table (`search`, `table(name)`, …) need the globals of all bundled
 * tables, so they all go to the first thread that asks: only that one builds them.
 */
export class AnalysisQueue<T = unknown> {
  private readonly narrow: number[];
  private readonly wide: number[];
  private wideOwner: T | undefined;

  constructor(
    private readonly queries: readonly string[],
    environment: AnalysisEnvironment,
    private readonly threads: number,
  ) {
    const byCost = queries.map((_, i) => i).sort((a, b) => (queries[b] as string).length - (queries[a] as string).length || a - b);
    const wide = new Set(byCost.filter((i) => queryReach(queries[i] as string, environment.functions).reachesAnyTable));
    this.wide = byCost.filter((i) => wide.has(i));
    this.narrow = byCost.filter((i) => !wide.has(i));
  }

  /** The next batch for `thread`, or undefined when nothing is left for it. */
  take(thread: T): { id: number; query: string }[] | undefined {
    if (this.wide.length > 0 && (this.wideOwner ?? thread) === thread) {
      this.wideOwner = thread;
      return this.batchOf(this.wide);
    }
    return this.batchOf(this.narrow);
  }

  /** Drops every job not handed out yet. */
  clear(): void {
    this.narrow.length = 0;
    this.wide.length = 0;
  }

  private batchOf(ids: number[]): { id: number; query: string }[] | undefined {
    if (ids.length === 0) return undefined;
    const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil((this.narrow.length + this.wide.length) / (4 * this.threads))));
    return ids.splice(0, size).map((id) => ({ id, query: this.queries[id] as string }));
  }
}

/** How many waits each owned worker is kept referenced for (an analysis run and a features request may overlap). */
const holds = new WeakMap<Worker, number>();

/** Keeps an owned worker referenced (the process alive) while something waits for it. */
function hold(worker: Worker): void {
  const count = holds.get(worker) ?? 0;
  holds.set(worker, count + 1);
  if (count === 0) worker.ref();
}

/** Ends one wait of hold(); the worker is unreferenced again when none is left. */
function release(worker: Worker): void {
  const count = (holds.get(worker) ?? 1) - 1;
  holds.set(worker, count);
  if (count === 0) worker.unref();
}

/**
 * Runs the queue's jobs on one worker until the queue is empty. A worker the pool owns is kept referenced only while
 * it works (an idle pool never keeps the process alive); a borrowed one is left as it was. Messages that are not
 * analysis results (a test worker's own) are ignored.
 */
function runOn(worker: Worker, owned: boolean, queue: AnalysisQueue<Worker>, environment: AnalysisEnvironment, shared: string[], onResults: (response: WorkerResponse) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = false;
    const finish = (error?: Error): void => {
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (owned) release(worker);
      if (error) reject(error);
      else resolve();
    };
    const send = (): void => {
      const jobs = queue.take(worker);
      pending = jobs !== undefined;
      if (jobs) worker.postMessage({ jobs } satisfies WorkerRequest);
      else finish();
    };
    const onMessage = (message: unknown): void => {
      if (!isBatchResponse(message)) return;
      onResults(message);
      send();
    };
    const onError = (error: Error): void => finish(error);
    const onExit = (code: number): void => {
      if (pending) finish(new Error(`analysis worker exited with code ${code}`));
    };
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    if (owned) hold(worker);
    worker.postMessage({ environment, shared } satisfies WorkerRequest);
    send();
  });
}

let nextFeaturesRequest = 0;

/** Asks `worker` for the unsupported features of `queries` and waits for its answer (kept referenced meanwhile when `owned`). */
function featuresOn(worker: Worker, owned: boolean, queries: readonly string[]): Promise<(UnsupportedFeature[] | undefined)[]> {
  const request: FeaturesRequest = { request: nextFeaturesRequest++, features: [...queries] };
  return new Promise((resolve, reject) => {
    const finish = (): void => {
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (owned) release(worker);
    };
    const onMessage = (message: unknown): void => {
      if (!isFeaturesResponse(message) || message.request !== request.request) return;
      finish();
      resolve(message.features.map((answer) => ("found" in answer ? answer.found : undefined)));
    };
    const onError = (error: Error): void => {
      finish();
      reject(error);
    };
    const onExit = (code: number): void => onError(new Error(`analysis worker exited with code ${code}`));
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    if (owned) hold(worker);
    worker.postMessage(request satisfies WorkerRequest);
  });
}

/**
 * A pool over `workers`, growing with `start` (when given) to the threads a run asks for. `exited` holds the workers
 * known to have stopped; `close` stops the pool.
 */
function poolOver(
  workers: Worker[],
  exited: ReadonlySet<Worker>,
  start: (() => Worker) | undefined,
  close: () => Promise<void>,
  onAnswer?: (worker: Worker, query: string) => void,
): AnalysisPool {
  return {
    get size() {
      return workers.length;
    },
    close,
    async transformFeatures(queries) {
      if (queries.length === 0) return [];
      if (start && workers.length === 0) workers.push(start());
      const worker = workers.find((w) => !exited.has(w));
      if (!worker) throw new Error("no analysis worker is running");
      return featuresOn(worker, start !== undefined, queries);
    },
    async analyze(queries, environment, threads, onOutcome) {
      const outcomes: (AnalysisOutcome | undefined)[] = new Array(queries.length);
      if (queries.length === 0) return [];
      while (start && workers.length < threads) workers.push(start());
      // a pool that cannot start workers runs on those still alive
      const candidates = start ? workers : workers.filter((worker) => !exited.has(worker));
      const used = candidates.slice(0, Math.max(1, threads));
      if (used.length === 0) throw new Error("no analysis worker is running");
      if (used.some((worker) => exited.has(worker))) throw new Error("analysis worker is no longer running");
      const queue = new AnalysisQueue<Worker>(queries, environment, used.length);
      const shared = reachableTables(queries, environment);
      const onResults = (response: WorkerResponse): void => {
        for (const r of response.results) {
          outcomes[r.id] = r.outcome;
          onOutcome?.(r.id, r.outcome);
        }
      };
      const answeredOn = (worker: Worker) => (response: WorkerResponse): void => {
        onResults(response);
        for (const r of response.results) onAnswer?.(worker, queries[r.id] as string);
      };
      const runs = used.map((worker) => runOn(worker, start !== undefined, queue, environment, shared, answeredOn(worker)));
      try {
        await Promise.all(runs);
      } catch (error) {
        // the other workers stop after their current batch: wait for it, so no late result reaches the caller
        queue.clear();
        await Promise.allSettled(runs);
        throw error;
      }
      return outcomes.map((o) => o ?? { ok: false, error: "not analysed" });
    },
  };
}

/** Starts `count` analysis workers now; more start on demand in analyze(). */
export function startAnalysisPool(count: number): AnalysisPool {
  const exited = new Set<Worker>();
  const startWorker = (): Worker => {
    const worker = new Worker(WORKER_ENTRY);
    // an idle pool never keeps the process alive; analyze() holds it while it waits for results
    worker.unref();
    // a failure while idle is seen by the next analyze() (the worker is then gone); it must not crash the process
    worker.on("error", () => undefined).once("exit", () => exited.add(worker));
    return worker;
  };
  const workers: Worker[] = Array.from({ length: Math.max(0, count) }, startWorker);
  return poolOver(workers, exited, startWorker, async () => void (await Promise.all(workers.splice(0).map((worker) => worker.terminate()))));
}

/**
 * A pool over workers another owner started that also answer analysis requests (the test workers): it uses at most
 * these, never starts more, and its close() leaves them running (their owner stops them). `onAnswer` hears which
 * worker analysed each query.
 */
export function borrowedAnalysisPool(workers: readonly Worker[], onAnswer?: (worker: Worker, query: string) => void): AnalysisPool {
  const exited = new Set<Worker>();
  for (const worker of workers) worker.once("exit", () => exited.add(worker));
  return poolOver([...workers], exited, undefined, async () => undefined, onAnswer);
}
