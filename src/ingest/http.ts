import { HttpStatusError, type AttemptFailure } from "./retry.ts";

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

/** Reads a short, single-line excerpt of an error body (server messages are shown to the user). */
export async function errorExcerpt(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof parsed.error === "object" && typeof parsed.error?.message === "string") message = parsed.error.message;
    else if (typeof parsed.error === "string") message = parsed.error;
    else if (typeof parsed.message === "string") message = parsed.message;
  } catch {
    // not JSON: keep the raw text
  }
  const oneLine = message.replace(/\s+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine;
}
