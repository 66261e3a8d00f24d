// Worker thread body: builds the Kusto globals once, then analyses the queries the pool sends, in order.
import { parentPort, workerData } from "node:worker_threads";
import { createAnalyzer, type AnalysisEnvironment, type AnalysisOutcome } from "./analyzer.ts";

/** A batch of queries sent to a worker, each with the index the pool knows it by. */
export interface WorkerRequest {
  jobs: { id: number; query: string }[];
}

/** The outcomes of one batch. */
export interface WorkerResponse {
  results: { id: number; outcome: AnalysisOutcome }[];
}

const port = parentPort;
if (port) {
  const analyze = createAnalyzer(workerData as AnalysisEnvironment);
  port.on("message", (request: WorkerRequest) => {
    const response: WorkerResponse = { results: request.jobs.map((job) => ({ id: job.id, outcome: analyze(job.query) })) };
    port.postMessage(response);
  });
  port.postMessage({ ready: true });
}
