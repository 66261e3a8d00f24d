import http from "node:http";
import type { AddressInfo } from "node:net";

/** What a test can script and inspect on the fake OpenAI audit-log API. */
export interface FakeOpenAIAuditApi {
  /** URL of GET /v1/organization/audit_logs. */
  url: string;
  events: Record<string, unknown>[];
  requests: URL[];
  /** Answers (and consumes) the next requests with these statuses and error messages. */
  faults: { status: number; message: string }[];
  close(): Promise<void>;
}

/**
 * Starts a fake of `GET /v1/organization/audit_logs` on 127.0.0.1: Admin-key bearer auth,
 * `effective_at[gte]`/`[lt]` filters, `limit` (1-100), `after = last_id` paging, newest first.
 */
export async function startFakeOpenAIAuditApi(input: { key: string; events?: Record<string, unknown>[] }): Promise<FakeOpenAIAuditApi> {
  const fake: Omit<FakeOpenAIAuditApi, "url" | "close"> = { events: input.events ?? [], requests: [], faults: [] };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    fake.requests.push(url);
    const send = (status: number, body: unknown): void => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/v1/organization/audit_logs") return send(404, { error: { message: "not found" } });
    const fault = fake.faults.shift();
    if (fault) return send(fault.status, { error: { message: fault.message } });
    if (req.headers.authorization !== `Bearer ${input.key}`) return send(401, { error: { message: "Incorrect API key provided" } });
    const gte = Number(url.searchParams.get("effective_at[gte]") ?? "-Infinity");
    const lt = Number(url.searchParams.get("effective_at[lt]") ?? "Infinity");
    const limit = Number(url.searchParams.get("limit") ?? "20");
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return send(400, { error: { message: "limit must be 1-100" } });
    // tenant-scoped event types (tenant.*) are listed only with tenant_only=true, and then only they
    const tenantOnly = url.searchParams.get("tenant_only") === "true";
    const matching = fake.events
      .filter((e) => String(e.type).startsWith("tenant.") === tenantOnly)
      .filter((e) => (e.effective_at as number) >= gte && (e.effective_at as number) < lt)
      .sort((a, b) => (b.effective_at as number) - (a.effective_at as number) || String(b.id).localeCompare(String(a.id)));
    const after = url.searchParams.get("after");
    const start = after === null ? 0 : matching.findIndex((e) => e.id === after) + 1;
    const page = matching.slice(start, start + limit);
    send(200, { object: "list", data: page, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null, has_more: start + limit < matching.length });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/v1/organization/audit_logs`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
