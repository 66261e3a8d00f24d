import type { TokenCredential } from "@azure/core-auth";
import { isRestError } from "@azure/core-rest-pipeline";
import { LogsIngestionClient, isAggregateLogsUploadError, type LogsIngestionClientOptions } from "@azure/monitor-ingestion";
import { redactAndTruncate } from "../diagnostics/redact.ts";
import { withRetry, type AttemptFailure, type RetryPolicy } from "./retry.ts";

/** Sends one batch (≤ 1 MB of JSON) and resolves once the service accepted it; throws otherwise. */
export interface Uploader {
  upload(rows: Record<string, unknown>[]): Promise<void>;
}

/** Builds the SDK client with its own retries off: the collector retries itself, honouring Retry-After. */
export function createIngestionClient(
  endpoint: string,
  credential: TokenCredential,
  options: LogsIngestionClientOptions = {},
): LogsIngestionClient {
  return new LogsIngestionClient(endpoint, credential, { ...options, retryOptions: { maxRetries: 0 } });
}

/** Maps an SDK upload error to a retry decision: its HTTP status and Retry-After, or a network failure. */
export function classifyUploadError(error: unknown): AttemptFailure | undefined {
  const cause = isAggregateLogsUploadError(error) ? error.errors[0]?.cause : error;
  if (!isRestError(cause)) return undefined;
  if (cause.statusCode === undefined) return { status: undefined, retryAfter: undefined };
  return { status: cause.statusCode, retryAfter: cause.response?.headers.get("retry-after") ?? undefined };
}

/** The HTTP status of an SDK upload error, when the service answered at all. */
export function uploadErrorStatus(error: unknown): number | undefined {
  return classifyUploadError(error)?.status;
}

/** A one-line description of an SDK upload error (status and the service's message). */
export function describeUploadError(error: unknown): string {
  const cause = isAggregateLogsUploadError(error) ? error.errors[0]?.cause : error;
  const status = isRestError(cause) && cause.statusCode !== undefined ? `HTTP ${cause.statusCode} ` : "";
  const message = cause instanceof Error ? cause.message : String(cause);
  return redactAndTruncate(`${status}${message.replace(/\s+/g, " ").trim()}`, 400);
}

/** Uploads through the Logs Ingestion API: one request per batch, retried on 429/5xx/network failures. */
export function createLogsIngestionUploader(input: {
  client: LogsIngestionClient;
  dcrImmutableId: string;
  stream: string;
  retry: RetryPolicy;
  onRetry?: (attempt: number, delayMs: number, failure: AttemptFailure) => void;
}): Uploader {
  return {
    async upload(rows) {
      await withRetry(
        input.retry,
        () => input.client.upload(input.dcrImmutableId, input.stream, rows, { maxConcurrency: 1 }),
        classifyUploadError,
        input.onRetry,
      );
    },
  };
}
