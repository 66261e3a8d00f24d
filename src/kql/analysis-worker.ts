// Worker thread body: loads Kusto.Language and its default globals as soon as it starts (while the pool's caller is
// still busy), then analyses the batches the pool sends against the environment it sent before them, in order.
import { parentPort } from "node:worker_threads";
import { createAnalyzer, type AnalysisEnvironment, type AnalysisOutcome } from "./analyzer.ts";
import { buildGlobals } from "./globals.ts";

/**
 * A message to a worker: the environment of the analyses that follow (with the tables their queries reach, which
 * share one global state: createAnalyzer), or a batch of queries, each with the index the pool knows it by.
 */
export type WorkerRequest = { environment: AnalysisEnvironment; shared?: string[] } | { jobs: { id: number; query: string }[] };

/** The outcomes of one batch. */
export interface WorkerResponse {
  results: { id: number; outcome: AnalysisOutcome }[];
}

const port = parentPort;
if (port) {
  // the first analysis would build these; building them now overlaps the cost with the caller's own work
  buildGlobals({ tables: [] });
  let analyze: ((query: string) => AnalysisOutcome) | undefined;
  port.on("message", (request: WorkerRequest) => {
    if ("environment" in request) {
      analyze = createAnalyzer(request.environment, request.shared);
      return;
    }
    const run = analyze ?? ((): AnalysisOutcome => ({ ok: false, error: "no analysis environment was sent" }));
    const response: WorkerResponse = { results: request.jobs.map((job) => ({ id: job.id, outcome: run(job.query) })) };
    port.postMessage(response);
  });
}
