// The messages of an analysis worker (a thread answering KQL analysis jobs: the analysis pool's own workers, or the
// test workers that serve `check`'s validation first) and the code answering them, shared by both kinds of worker.
import module from "node:module";
import { isRecord } from "../content/record.ts";
import { createAnalyzer, type AnalysisEnvironment, type AnalysisOutcome } from "./analyzer.ts";
import { buildGlobals } from "./globals.ts";
import { loadKusto } from "./kusto.ts";
import { unsupportedTransformFeatures, type UnsupportedFeature } from "./transform-features.ts";

/**
 * A message to a worker: the environment of the analyses that follow (with the tables their queries reach, which
 * share one global state: createAnalyzer), a batch of queries, each with the index the pool knows it by, or DCR
 * transform queries whose unsupported features it finds (request `request`).
 */
export type WorkerRequest = { environment: AnalysisEnvironment; shared?: string[] } | { jobs: { id: number; query: string }[] } | FeaturesRequest;

/** DCR transform queries whose unsupported features a worker finds (transform-features.ts), so the caller need not load Kusto.Language. */
export interface FeaturesRequest {
  request: number;
  features: string[];
}

/** The outcomes of one batch, marked as analysis answers (a test worker also sends `results` of its own). */
export interface WorkerResponse {
  analysis: true;
  results: { id: number; outcome: AnalysisOutcome }[];
}

/** The answer to a FeaturesRequest: each query's unsupported features, or the message of Kusto.Language's failure on it. */
export interface FeaturesResponse {
  analysis: true;
  request: number;
  features: ({ found: UnsupportedFeature[] } | { error: string })[];
}

/**
 * Turns on Node's compile cache in a thread the CLI owns, so it reuses V8's compiled code of Kusto.Language from an
 * earlier run (Node 22.1+; a no-op on Node 20). The library never turns it on: it is the embedding program's choice.
 */
export function enableThreadCompileCache(): void {
  (module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
}

/** True when a worker's message is an analysis answer (to a batch or a FeaturesRequest). */
export function isAnalysisResponse(message: unknown): message is WorkerResponse | FeaturesResponse {
  return isRecord(message) && message.analysis === true;
}

/** True when a worker's message answers an analysis batch. */
export function isBatchResponse(message: unknown): message is WorkerResponse {
  return isAnalysisResponse(message) && "results" in message;
}

/** True when a worker's message answers a FeaturesRequest. */
export function isFeaturesResponse(message: unknown): message is FeaturesResponse {
  return isAnalysisResponse(message) && "features" in message;
}

/** True when a worker's message is an analysis request (a test worker also takes requests of its own). */
export function isAnalysisRequest(message: unknown): message is WorkerRequest {
  return isRecord(message) && ("environment" in message || "jobs" in message || "features" in message);
}

/** Each query's unsupported features, or the message of the failure to find them. */
function featuresAnswer(request: FeaturesRequest): FeaturesResponse {
  const features = request.features.map((query) => {
    try {
      return { found: unsupportedTransformFeatures(query) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  });
  return { analysis: true, request: request.request, features };
}

/**
 * A worker's answerer of analysis requests: an environment replaces the previous one (no answer), a batch or a
 * FeaturesRequest is answered.
 */
export function analysisResponder(): (request: WorkerRequest) => WorkerResponse | FeaturesResponse | undefined {
  let analyze: ((query: string) => AnalysisOutcome) | undefined;
  return (request) => {
    if ("features" in request) return featuresAnswer(request);
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
