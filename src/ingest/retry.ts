/** Why an attempt failed, as the retry loop needs to know it. */
export interface AttemptFailure {
  /** HTTP status, or undefined for a network failure (reset, refused, dropped mid-body). */
  status: number | undefined;
  /** The server's Retry-After header value, when any. */
  retryAfter: string | undefined;
}

/** An error that carries an HTTP status and the Retry-After header of the response that caused it. */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  constructor(
    readonly status: number,
    message: string,
    readonly retryAfter: string | undefined = undefined,
  ) {
    super(message);
  }
}

/** How often and how long to retry. */
export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  /** First backoff delay; doubled per attempt. */
  baseDelayMs: number;
  /** Upper bound of one delay (also caps Retry-After). */
  maxDelayMs: number;
  /** Waits `ms` milliseconds (injected so tests need not sleep). */
  sleep: (ms: number) => Promise<void>;
}

/** The production retry policy: 6 attempts, 1 s doubling up to 60 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** True for failures worth retrying: network errors, 408, 429 and 5xx (except 501 and 505). */
export function isRetryable(failure: AttemptFailure): boolean {
  const { status } = failure;
  if (status === undefined) return true;
  if (status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds from `now`, or undefined. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The delay before attempt `attempt + 1`: Retry-After when given, else exponential backoff; capped. */
export function retryDelay(policy: RetryPolicy, attempt: number, failure: AttemptFailure): number {
  const fromHeader = parseRetryAfter(failure.retryAfter);
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(fromHeader ?? backoff, policy.maxDelayMs);
}

/** Thrown when every attempt failed with a retryable failure; `last` is the final error. */
export class RetriesExhaustedError extends Error {
  override name = "RetriesExhaustedError";
  constructor(
    readonly attempts: number,
    readonly last: unknown,
  ) {
    super(`gave up after ${attempts} attempts`);
  }
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable (rethrown as is), or the policy's attempts
 * are used up (RetriesExhaustedError). `classify` maps an error to a failure, or undefined for errors
 * that are not transport failures (rethrown at once).
 */
export async function withRetry<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  classify: (error: unknown) => AttemptFailure | undefined,
  onRetry?: (attempt: number, delayMs: number, failure: AttemptFailure) => void,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = classify(error);
      if (failure === undefined || !isRetryable(failure)) throw error;
      if (n >= policy.maxAttempts) throw new RetriesExhaustedError(n, error);
      const delay = retryDelay(policy, n, failure);
      onRetry?.(n, delay, failure);
      await policy.sleep(delay);
    }
  }
}
