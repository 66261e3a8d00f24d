import { IdleTimeout, ProtocolError, assertSecureUrl, readBody, throwStatusError } from "./http.ts";
import type { Secret } from "./secret.ts";

/** The production base URL of the ChatGPT Enterprise Compliance API. */
export const COMPLIANCE_BASE_URL = "https://api.chatgpt.com/v1/compliance";

/** One entry of the log-file listing (only `id` is documented; other fields are kept as sent). */
export interface LogFileEntry {
  id: string;
  [key: string]: unknown;
}

/** One page of `GET …/logs`. */
export interface LogFilePage {
  data: LogFileEntry[];
  hasMore: boolean;
  /** The cursor for the next page; null on empty pages. */
  lastEndTime: string | null;
}

/** Client of the Compliance Logs Platform: list log files and download one (JSON Lines). */
export interface ComplianceLogsApi {
  listLogFiles(query: { eventType: string; after: string; limit: number }): Promise<LogFilePage>;
  /** Resolves once the server answered, with the file's body as a stream of byte chunks (read it once). */
  downloadLogFile(fileId: string): Promise<AsyncIterable<Uint8Array>>;
}

/** How the HTTP client is built (fetch injected so tests can count calls; timeouts per request). */
export interface ComplianceClientOptions {
  baseUrl?: string;
  /** The ChatGPT workspace id, or an API Platform organization id (`org-…`). */
  principalId: string;
  key: Secret;
  fetch?: typeof fetch;
  /** Longest wait for an answer, or for the next chunk of a download body (the whole download may take longer). */
  timeoutMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Builds the principal's path segment: organizations for `org-…` ids, workspaces otherwise. */
export function principalPath(principalId: string): string {
  const collection = principalId.startsWith("org-") ? "organizations" : "workspaces";
  return `${collection}/${encodeURIComponent(principalId)}`;
}

function parsePage(body: unknown): LogFilePage {
  if (typeof body !== "object" || body === null) throw new ProtocolError("log-file listing is not a JSON object");
  const page = body as { data?: unknown; has_more?: unknown; last_end_time?: unknown };
  if (!Array.isArray(page.data)) throw new ProtocolError("log-file listing has no `data` array");
  if (typeof page.has_more !== "boolean") throw new ProtocolError("log-file listing has no boolean `has_more`");
  const last = page.last_end_time ?? null;
  if (last !== null && (typeof last !== "string" || Number.isNaN(Date.parse(last)))) {
    throw new ProtocolError("log-file listing has a `last_end_time` that is not an ISO-8601 time");
  }
  const data = page.data.map((entry, i) => {
    if (typeof entry !== "object" || entry === null || typeof (entry as { id?: unknown }).id !== "string") {
      throw new ProtocolError(`log-file listing entry ${i} has no string \`id\``);
    }
    return entry as LogFileEntry;
  });
  return { data, hasMore: page.has_more, lastEndTime: last };
}

/** Creates the Compliance Logs Platform client (https only, except loopback fakes). */
export function createComplianceClient(options: ComplianceClientOptions): ComplianceLogsApi {
  const base = (options.baseUrl ?? COMPLIANCE_BASE_URL).replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const root = `${base}/${principalPath(options.principalId)}/logs`;

  const fail = (response: Response): Promise<never> => throwStatusError(response, options.key);

  async function authorizedGet(url: URL, signal: AbortSignal): Promise<Response> {
    assertSecureUrl(url);
    return doFetch(url, {
      method: "GET",
      redirect: "manual",
      headers: { authorization: `Bearer ${options.key.reveal()}`, accept: "application/json" },
      signal,
    });
  }

  return {
    async listLogFiles({ eventType, after, limit }) {
      const url = new URL(root);
      url.searchParams.set("event_type", eventType);
      url.searchParams.set("limit", String(limit));
      url.searchParams.set("after", after);
      const response = await authorizedGet(url, AbortSignal.timeout(timeoutMs));
      if (!response.ok) return fail(response);
      return parsePage(await response.json().catch(() => undefined));
    },
    async downloadLogFile(fileId) {
      // One idle clock per download: it runs only while waiting on the server, never while the caller uploads.
      const idle = new IdleTimeout(timeoutMs);
      const response = await idle.guard(authorizedGet(new URL(`${root}/${encodeURIComponent(fileId)}`), idle.signal));
      if (response.status === 200) return readBody(response, idle);
      if (!REDIRECTS.has(response.status)) return idle.guard(fail(response));
      const location = response.headers.get("location");
      await response.body?.cancel();
      if (!location) throw new ProtocolError(`download of log file ${fileId} redirected without a Location`);
      // The signed download URL needs no key: never forward the Authorization header to it.
      const target = new URL(location, `${root}/`);
      if (target.protocol !== "https:" && !(target.protocol === "http:" && target.hostname === "127.0.0.1")) {
        throw new ProtocolError(`download of log file ${fileId} redirected to a non-https URL`);
      }
      const file = await idle.guard(doFetch(target, { method: "GET", signal: idle.signal }));
      if (!file.ok) return idle.guard(fail(file));
      return readBody(file, idle);
    },
  };
}
