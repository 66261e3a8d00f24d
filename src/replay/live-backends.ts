// Where a live replay run's query executes: a Log Analytics workspace (the Logs query API through
// @azure/monitor-query-logs) or an Azure Data Explorer cluster (its REST query API through
// @azure/core-rest-pipeline). Both retry through the SDK pipeline's retry policy, and every call has a timeout.
import type { TokenCredential } from "@azure/core-auth";
import {
  bearerTokenAuthenticationPolicy,
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  type HttpClient,
  type Pipeline,
} from "@azure/core-rest-pipeline";
import { LogsQueryClient, type LogsQueryClientOptions } from "@azure/monitor-query-logs";
import { cellTable, failedOutcome, queryWorkspaceTable, type LiveOutcome } from "../testing/run/live.ts";
import { formatTicksAsDatetime, formatTicksAsTimespan, toCell, type Cell } from "../testing/spec/values.ts";
import { DEFAULT_LIVE_RETRIES, DEFAULT_LIVE_TIMEOUT_SECONDS } from "./live-defaults.ts";
import { clockPinner } from "./live-query.ts";

/** One run's query for the service: the self-contained query text, the run's clock and the TimeGenerated range it looks at (epoch ms). */
export interface LiveRun {
  query: string;
  now: number;
  rangeStart: number;
  rangeEnd: number;
}

/** What the service answered: the primary result table, or why there is none. */
export type { LiveOutcome } from "../testing/run/live.ts";

/** A service that runs one replay run's query; never throws (failures come back as outcomes). */
export interface LiveBackend {
  /** What the queries run on, for the report (`workspace <id>`, `cluster <url> database <db>`). */
  target: string;
  run(run: LiveRun): Promise<LiveOutcome>;
}

/** Retries and timeouts of live queries. */
export interface LiveCallOptions {
  /** Most seconds the service spends on one query (Log Analytics allows at most 600); the client gives up on an attempt a tenth and a second later. */
  timeoutSeconds: number;
  /** Retries of one query by the SDK pipeline's retry policy (throttling with Retry-After, and transient failures). */
  maxRetries: number;
}

/** The call options with their defaults filled in: the Logs query API's own default server timeout (180 s), three retries. */
function callOptions(options: Partial<LiveCallOptions>): LiveCallOptions {
  return { timeoutSeconds: options.timeoutSeconds ?? DEFAULT_LIVE_TIMEOUT_SECONDS, maxRetries: options.maxRetries ?? DEFAULT_LIVE_RETRIES };
}

/** Longest back-off the retry policy waits between attempts (the SDK's default cap is 64 s). */
const MAX_BACKOFF_MS = 64_000;

/** The client-side bound of one attempt: the server's timeout plus a tenth and a second for the network. */
function attemptTimeoutMs(options: LiveCallOptions): number {
  return Math.ceil(options.timeoutSeconds * 1100) + 1000;
}

/** The client-side bound of one call, retries and back-off included: no call outlives it. */
function callBudgetMs(options: LiveCallOptions): number {
  return (options.maxRetries + 1) * attemptTimeoutMs(options) + options.maxRetries * MAX_BACKOFF_MS;
}

/** A cell of the service's result by its column type: datetimes as ISO text as Kusto prints them (as offline), dynamic JSON text parsed. */
function serviceCell(value: unknown, type: string): Cell {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return formatTicksAsDatetime(BigInt(value.getTime()) * 10_000n);
  if (type === "dynamic" && typeof value === "string") {
    try {
      return toCell(JSON.parse(value));
    } catch {
      return value;
    }
  }
  return toCell(value);
}

/** Options of a Log Analytics backend. */
export interface WorkspaceBackendOptions extends Partial<LiveCallOptions> {
  workspaceId: string;
  credential: TokenCredential;
  /** A ready client (tests add loopback policies); default a LogsQueryClient with the retry options. */
  client?: LogsQueryClient;
  clientOptions?: LogsQueryClientOptions;
}

/**
 * Runs each run's query on a Log Analytics workspace (`POST /v1/workspaces/{id}/query`). The Logs query API has
 * no request property that sets now(), so the query's now()/ago() calls are pinned to the run's time in the text;
 * its `timespan` is the run's TimeGenerated range.
 */
export function workspaceBackend(options: WorkspaceBackendOptions): LiveBackend {
  const call = callOptions(options);
  const client = options.client ?? new LogsQueryClient(options.credential, { ...options.clientOptions, retryOptions: { maxRetries: call.maxRetries } });
  // one pinner per rule query (a replay's queries are its rules'), so each query is parsed once, not per run
  const pinners = new Map<string, (now: number) => string>();
  const pinned = (query: string, now: number) => {
    let pin = pinners.get(query);
    if (!pin) pinners.set(query, (pin = clockPinner(query)));
    return pin(now);
  };
  return {
    target: `workspace ${options.workspaceId}`,
    async run(run) {
      try {
        // pinning and the timeout signal may throw too: a backend never does
        return await queryWorkspaceTable(client, options.workspaceId, pinned(run.query, run.now), {
          timespan: { startTime: new Date(run.rangeStart), endTime: new Date(run.rangeEnd) },
          options: { serverTimeoutInSeconds: Math.ceil(call.timeoutSeconds), abortSignal: AbortSignal.timeout(callBudgetMs(call)), requestOptions: { timeout: attemptTimeoutMs(call) } },
          cell: serviceCell,
        });
      } catch (error) {
        return failedOutcome(error);
      }
    },
  };
}


/** Options of an Azure Data Explorer backend. */
export interface ClusterBackendOptions extends Partial<LiveCallOptions> {
  /** The cluster's URI, e.g. https://mycluster.westeurope.kusto.windows.net. */
  clusterUrl: string;
  database: string;
  credential: TokenCredential;
  /** A ready pipeline (tests swap the bearer policy for a loopback one); default clusterPipeline(). */
  pipeline?: Pipeline;
  httpClient?: HttpClient;
}

/** The pipeline of cluster queries: the SDK's default policies (retry included) and a bearer token for the cluster's scope. */
export function clusterPipeline(credential: TokenCredential, clusterUrl: string, maxRetries: number): Pipeline {
  const pipeline = createPipelineFromOptions({ retryOptions: { maxRetries }, userAgentOptions: { userAgentPrefix: "sentinel-content-replay" } });
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential, scopes: `${new URL(clusterUrl).origin}/.default` }));
  return pipeline;
}

/**
 * Runs each run's query on an Azure Data Explorer database (`POST {cluster}/v2/rest/query`). The clock is the
 * `query_now` request property (it overrides now(), and ago() counts back from it); the run's TimeGenerated range
 * is the `query_datetimescope_*` properties.
 */
export function clusterBackend(options: ClusterBackendOptions): LiveBackend {
  const call = callOptions(options);
  const origin = new URL(options.clusterUrl).origin;
  const pipeline = options.pipeline ?? clusterPipeline(options.credential, origin, call.maxRetries);
  const httpClient = options.httpClient ?? createDefaultHttpClient();
  return {
    target: `cluster ${origin} database ${options.database}`,
    async run(run) {
      const body = {
        db: options.database,
        csl: run.query,
        properties: {
          Options: {
            query_now: new Date(run.now).toISOString(),
            query_datetimescope_column: "TimeGenerated",
            query_datetimescope_from: new Date(run.rangeStart).toISOString(),
            query_datetimescope_to: new Date(run.rangeEnd).toISOString(),
            servertimeout: formatTicksAsTimespan(BigInt(Math.ceil(call.timeoutSeconds)) * 10_000_000n),
            request_readonly: true,
          },
        },
      };
      const request = createPipelineRequest({
        url: `${origin}/v2/rest/query`,
        method: "POST",
        body: JSON.stringify(body),
        headers: createHttpHeaders({ accept: "application/json", "content-type": "application/json; charset=utf-8", "x-ms-app": "sentinel-content replay" }),
        timeout: attemptTimeoutMs(call),
        abortSignal: AbortSignal.timeout(callBudgetMs(call)),
      });
      try {
        const response = await pipeline.sendRequest(httpClient, request);
        return readV2Response(response.status, response.bodyAsText ?? "");
      } catch (error) {
        return failedOutcome(error);
      }
    },
  };
}

type Frame = Record<string, unknown>;

/** The message of a OneApiErrors error object (`{ error: { code, message, "@message" } }`), or the text itself. */
function oneApiMessage(value: unknown, fallback: string): string {
  const error = (value as { error?: Frame } | null)?.error ?? (value as Frame | null);
  const message = error?.["@message"] ?? error?.["message"];
  return typeof message === "string" && message ? message : fallback;
}

/**
 * Reads a query v2 response: a JSON array of frames from DataSetHeader to DataSetCompletion, the result in the
 * first DataTable frame of kind PrimaryResult. A failed request is a OneApiErrors object; a request that failed
 * after the status line was sent ends with DataSetCompletion.HasErrors.
 */
export function readV2Response(status: number, text: string): LiveOutcome {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, message: `HTTP ${status}: the response is not JSON` };
  }
  if (status !== 200) return { ok: false, message: `HTTP ${status}: ${oneApiMessage(parsed, "the request failed")}` };
  if (!Array.isArray(parsed)) return { ok: false, message: "the response is not a v2 frame array" };
  const frames = parsed as Frame[];
  const completion = frames.find((f) => f["FrameType"] === "DataSetCompletion" || "HasErrors" in f);
  if (completion?.["HasErrors"] === true || completion?.["Cancelled"] === true) {
    const errors = completion["OneApiErrors"];
    return { ok: false, message: Array.isArray(errors) && errors.length > 0 ? oneApiMessage(errors[0], "the query failed") : completion["Cancelled"] === true ? "the query was cancelled" : "the query failed" };
  }
  const primary = frames.find((f) => f["TableKind"] === "PrimaryResult" && Array.isArray(f["Rows"]) && Array.isArray(f["Columns"]));
  if (!primary) return { ok: false, message: "the response has no PrimaryResult table" };
  const columns = (primary["Columns"] as Frame[]).map((c) => ({ name: String(c["ColumnName"] ?? ""), type: String(c["ColumnType"] ?? "string") }));
  return { ok: true, table: cellTable(columns, primary["Rows"] as unknown[][], serviceCell) };
}
