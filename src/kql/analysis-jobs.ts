// The messages of an analysis worker (a thread answering KQL analysis jobs: the analysis pool's own workers, or the
// test workers that serve `check`'s validation first) and the code answering them, shared by both kinds of worker.
import { isRecord } from "../content/record.ts";
import { createAnalyzer, type AnalysisEnvironment, type AnalysisOutcome } from "./analyzer.ts";
import { buildGlobals } from "./globals.ts";
import { loadKusto } from "./kusto.ts";

/**
 * A message to a worker: the environment of the analyses that follow (with the tables their queries reach, which
 * share one global state: createAnalyzer), or a batch of queries, each with the index the pool knows it by.
 */
export type WorkerRequest = { environment: AnalysisEnvironment; shared?: string[] } | { jobs: { id: number; query: string }[] };

/** The outcomes of one batch, marked as analysis answers (a test worker also sends `results` of its own). */
export interface WorkerResponse {
  analysis: true;
  results: { id: number; outcome: AnalysisOutcome }[];
}

/** True when a worker's message is the answer to an analysis batch. */
export function isAnalysisResponse(message: unknown): message is WorkerResponse {
  return isRecord(message) && message.analysis === true;
}

/** True when a worker's message is an analysis request (a test worker also takes requests of its own). */
export function isAnalysisRequest(message: unknown): message is WorkerRequest {
  return isRecord(message) && ("environment" in message || "jobs" in message);
}

/** A worker's answerer of analysis requests: an environment replaces the previous one (no answer), a batch is answered. */
export function analysisResponder(): (request: WorkerRequest) => WorkerResponse | undefined {
  let analyze: ((query: string) => AnalysisOutcome) | undefined;
  return (request) => {
    if ("environment" in request) {
      analyze = createAnalyzer(request.environment, request.shared);
      return undefined;
    }
    const run = analyze ?? ((): AnalysisOutcome => ({ ok: false, error: "no analysis environment was sent" }));
    return { analysis: true, results: request.jobs.map((job) => ({ id: job.id, outcome: run(job.query) })) };
  };
}

/**
 * Does a worker's one-time Kusto.Language work while it waits for its first jobs: loads it, builds the default globals
 * and the bundled functions' symbols, and analyses a trivial query, which builds Kusto.Language's query grammar (about
 * a second of CPU per thread, otherwise paid by the first analysis).
 */
export function warmUpKusto(): void {
  loadKusto().KustoCode.ParseAndAnalyze("print x = 1", buildGlobals({ tables: [] }).state);
}
