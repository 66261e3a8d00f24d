import type { ComplianceLogsApi, LogFilePage } from "./compliance-client.ts";
import { ProtocolError, assertSecureUrl, throwStatusError } from "./http.ts";
import { prepareOpenAIAuditEvent } from "./openai-prepare.ts";
import type { Secret } from "./secret.ts";

/** The production URL of the OpenAI organization audit-log API. */
export const OPENAI_AUDIT_LOGS_URL = "https://api.openai.com/v1/organization/audit_logs";

/** The single pseudo event type of the OpenAI source (the API lists every type in one feed). */
export const OPENAI_EVENT_TYPE = "AUDIT_LOGS";

/** Statuses with which an organization without tenant-level audit logs answers a `tenant_only=true` listing. */
const TENANT_SCOPE_NOT_OFFERED: ReadonlySet<number> = new Set([400, 403, 404]);

const MINUTE_MS = 60_000;

/** One page of `GET /v1/organization/audit_logs`. */
interface AuditLogPage {
  data: Record<string, unknown>[];
  lastId: string | null;
  hasMore: boolean;
}

function parsePage(body: unknown): AuditLogPage {
  if (typeof body !== "object" || body === null) throw new ProtocolError("audit-log list is not a JSON object");
  const page = body as { data?: unknown; last_id?: unknown; has_more?: unknown };
  if (!Array.isArray(page.data)) throw new ProtocolError("audit-log list has no `data` array");
  if (typeof page.has_more !== "boolean") throw new ProtocolError("audit-log list has no boolean `has_more`");
  const data = page.data.map((e, i) => {
    if (typeof e !== "object" || e === null || typeof (e as { id?: unknown }).id !== "string" || typeof (e as { effective_at?: unknown }).effective_at !== "number") {
      throw new ProtocolError(`audit-log entry ${i} has no string \`id\` and numeric \`effective_at\``);
    }
    return e as Record<string, unknown>;
  });
  if (page.has_more && typeof page.last_id !== "string") throw new ProtocolError("audit-log list says has_more without a `last_id`");
  return { data, lastId: typeof page.last_id === "string" ? page.last_id : null, hasMore: page.has_more };
}

/** A body already in memory, as the one-chunk stream the collector reads. */
async function* oneChunk(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/**
 * Presents the OpenAI audit-log API to the collector as a Compliance-style listing: one listing covers the
 * window from the cursor to `settle` before now (whole minutes), fetched with `effective_at[gte]`/`[lt]` and
 * `after = last_id` paging, once for the organization's events and once with `tenant_only=true` for the
 * tenant-scoped ones (tenant.*), which the API lists only then (merged by event id); its "files" are the minutes that hold events, each a JSONL text of the events
 * of that minute sorted by id and prepared for Microsoft's stream (EventDetails, friendlyName). Past minutes
 * never change, so file ids and line numbers stay stable across runs, as the checkpoints require.
 */
export function createOpenAIAuditLogsApi(options: {
  key: Secret;
  friendlyName: string;
  url?: string;
  fetch?: typeof fetch;
  now?: () => Date;
  settleMs?: number;
  timeoutMs?: number;
}): ComplianceLogsApi {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const settleMs = options.settleMs ?? 5 * MINUTE_MS;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const files = new Map<string, string>();

  async function fetchPage(gte: number, lt: number, limit: number, after: string | null, tenantOnly: boolean): Promise<AuditLogPage | undefined> {
    const url = new URL(options.url ?? OPENAI_AUDIT_LOGS_URL);
    if (tenantOnly) url.searchParams.set("tenant_only", "true");
    url.searchParams.set("effective_at[gte]", String(gte));
    url.searchParams.set("effective_at[lt]", String(lt));
    url.searchParams.set("limit", String(Math.min(limit, 100)));
    if (after !== null) url.searchParams.set("after", after);
    assertSecureUrl(url);
    const response = await doFetch(url, {
      headers: { authorization: `Bearer ${options.key.reveal()}`, accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    // an organization without tenant-level audit logging answers tenant_only with a client error: no tenant events
    if (tenantOnly && TENANT_SCOPE_NOT_OFFERED.has(response.status)) return undefined;
    if (!response.ok) return throwStatusError(response, options.key);
    return parsePage(await response.json().catch(() => undefined));
  }

  return {
    async listLogFiles({ after, limit }): Promise<LogFilePage> {
      const startMs = Math.floor(Date.parse(after) / MINUTE_MS) * MINUTE_MS;
      const endMs = Math.floor((now().getTime() - settleMs) / MINUTE_MS) * MINUTE_MS;
      if (endMs <= startMs) return { data: [], hasMore: false, lastEndTime: null };
      const byMinute = new Map<number, Record<string, unknown>[]>();
      const seen = new Set<string>();
      for (const tenantOnly of [false, true]) {
        let cursor: string | null = null;
        for (;;) {
          const page = await fetchPage(startMs / 1000, endMs / 1000, limit, cursor, tenantOnly);
          if (page === undefined) break;
          for (const event of page.data) {
            if (seen.has(event.id as string)) continue;
            seen.add(event.id as string);
            const minute = Math.floor(((event.effective_at as number) * 1000) / MINUTE_MS) * MINUTE_MS;
            const events = byMinute.get(minute);
            if (events) events.push(event);
            else byMinute.set(minute, [event]);
          }
          if (!page.hasMore) break;
          cursor = page.lastId;
        }
      }
      files.clear();
      const minutes = [...byMinute.keys()].sort((a, b) => a - b);
      for (const minute of minutes) {
        const events = byMinute.get(minute)!.sort((a, b) => String(a.id).localeCompare(String(b.id)));
        const lines = events.map((e) => JSON.stringify(prepareOpenAIAuditEvent(e, options.friendlyName)));
        files.set(new Date(minute).toISOString(), `${lines.join("\n")}\n`);
      }
      return { data: [...files.keys()].map((id) => ({ id })), hasMore: false, lastEndTime: new Date(endMs).toISOString() };
    },
    async downloadLogFile(fileId) {
      const text = files.get(fileId);
      if (text === undefined) throw new ProtocolError(`no audit-log minute ${fileId} in the current window`);
      return oneChunk(Buffer.from(text, "utf8"));
    },
  };
}
