import { HttpStatusError, type AttemptFailure } from "./retry.ts";
import { redactAndTruncate } from "../diagnostics/redact.ts";
import type { Secret } from "./secret.ts";

/** The service answered in a shape the collector does not understand (not retried). */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True when `url` points at this machine (the only place plain http:// is allowed: test fakes). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/** Refuses to send a credential over plain http:// to anything but loopback. */
export function assertSecureUrl(url: URL): void {
  if (url.protocol === "https:") return;
  if (url.protocol === "http:" && isLoopbackUrl(url)) return;
  throw new ProtocolError(`refusing to send credentials to ${url.protocol}//${url.host}: https is required`);
}

/** Maps fetch errors and HTTP status errors to retry decisions; undefined for anything else. */
export function classifyFetchError(error: unknown): AttemptFailure | undefined {
  if (error instanceof HttpStatusError) return { status: error.status, retryAfter: error.retryAfter };
  if (error instanceof ProtocolError) return undefined;
  // undici reports resets, refused connections and bodies cut short as TypeError ("fetch failed", "terminated").
  if (error instanceof TypeError) return { status: undefined, retryAfter: undefined };
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return { status: undefined, retryAfter: undefined };
  }
  return undefined;
}

/** Reads a short, single-line excerpt of an error body (server messages are shown to the user), redacted before it is cut. */
export async function errorExcerpt(response: Response, key?: Secret): Promise<string> {
  const raw = await response.text().catch(() => "");
  const text = key ? key.scrub(raw) : raw;
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === "object" && typeof parsed.error?.message === "string") message = parsed.error.message;
    else if (typeof parsed.error === "string") message = parsed.error;
    else if (typeof parsed.message === "string") message = parsed.message;
  } catch {
    // not JSON: keep the raw text
  }
  return redactAndTruncate(message.replace(/\s+/g, " ").trim(), 300);
}

/** Throws the HttpStatusError of a failed response: its status, a body excerpt with `key` scrubbed out (before the cut), and Retry-After. */
export async function throwStatusError(response: Response, key: Secret): Promise<never> {
  const excerpt = await errorExcerpt(response, key);
  const retryAfter = response.headers.get("retry-after") ?? undefined;
  throw new HttpStatusError(response.status, `HTTP ${response.status}${excerpt ? ` ${excerpt}` : ""}`, retryAfter);
}

/**
 * An abort signal armed only while waiting on the network: `guard` starts the clock for one wait (the
 * response headers, one body chunk) and stops it when the wait ends, so a consumer that pauses between
 * reads (uploading a batch) never trips it, while a server that stops sending does.
 */
export class IdleTimeout {
  readonly #controller = new AbortController();

  constructor(readonly ms: number) {}

  /** The signal to pass to fetch: aborting it fails the pending request or the body being read. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Awaits `wait`, aborting the request with a TimeoutError if it takes longer than `ms`. */
  async guard<T>(wait: Promise<T>): Promise<T> {
    const timer = setTimeout(() => this.#controller.abort(new DOMException(`no answer for ${this.ms} ms`, "TimeoutError")), this.ms);
    try {
      return await wait;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Reads a response body chunk by chunk, each read guarded by `idle`; cancels the body when the reader stops early. */
export async function* readBody(response: Response, idle: IdleTimeout): AsyncGenerator<Uint8Array> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await idle.guard(reader.read());
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
