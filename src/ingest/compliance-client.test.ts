import { describe, expect, it } from "vitest";
import { createComplianceClient, principalPath } from "./compliance-client.ts";
import { ProtocolError, assertSecureUrl } from "./http.ts";
import { HttpStatusError } from "./retry.ts";
import { Secret } from "./secret.ts";

const KEY = new Secret("sk-unit-key");

/** A fetch that answers from a table of responses and records requests (no network). */
function fakeFetch(answers: Response[]): { fetch: typeof fetch; urls: string[]; auth: (string | null)[] } {
  const urls: string[] = [];
  const auth: (string | null)[] = [];
  return {
    urls,
    auth,
    fetch: (async (input: URL | string, init?: RequestInit) => {
      urls.push(String(input));
      auth.push(new Headers(init?.headers).get("authorization"));
      const next = answers.shift();
      if (!next) throw new TypeError("fetch failed");
      return next;
    }) as typeof fetch,
  };
}

/** Reads a downloaded body to text. */
async function text(body: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("Compliance Logs Platform client", () => {
  it.each([
    ["be545252-ad04-4cfa-9ca5-deca58416151", "workspaces/be545252-ad04-4cfa-9ca5-deca58416151"],
    ["org-AbC123", "organizations/org-AbC123"],
  ])("addresses %s under %s", (id, expected) => {
    expect(principalPath(id)).toBe(expected);
  });

  it.each([
    ["https://api.chatgpt.com/v1", true],
    ["http://127.0.0.1:8080/x", true],
    ["http://localhost/x", true],
    ["http://api.chatgpt.com/v1", false],
    ["ftp://127.0.0.1/x", false],
  ])("sends credentials to %s: %s", (url, ok) => {
    if (ok) expect(() => assertSecureUrl(new URL(url))).not.toThrow();
    else expect(() => assertSecureUrl(new URL(url))).toThrow(ProtocolError);
  });

  it("lists with event_type, limit and after, and reads has_more and last_end_time", async () => {
    const f = fakeFetch([json({ data: [{ id: "f1", extra: 1 }], has_more: true, last_end_time: "2026-11-20T01:00:00Z" })]);
    const client = createComplianceClient({ baseUrl: "https://api.chatgpt.com/v1/compliance/", principalId: "ws-1", key: KEY, fetch: f.fetch });
    const page = await client.listLogFiles({ eventType: "AUTH_LOG", after: "2026-11-20T00:00:00Z", limit: 50 });
    expect(page).toEqual({ data: [{ id: "f1", extra: 1 }], hasMore: true, lastEndTime: "2026-11-20T01:00:00Z" });
    expect(f.urls[0]).toBe("https://api.chatgpt.com/v1/compliance/workspaces/ws-1/logs?event_type=AUTH_LOG&limit=50&after=2026-11-20T00%3A00%3A00Z");
    expect(f.auth[0]).toBe("Bearer sk-unit-key");
  });

  it.each([
    [{ data: "x", has_more: false }, /no `data` array/],
    [{ data: [], has_more: "no" }, /boolean `has_more`/],
    [{ data: [{ name: "f" }], has_more: false }, /entry 0 has no string `id`/],
    [{ data: [], has_more: false, last_end_time: "later" }, /ISO-8601/],
    ["not an object", /not a JSON object/],
  ])("rejects a listing shaped like %j", async (body, message) => {
    const client = createComplianceClient({ baseUrl: "https://x.example/v1/compliance", principalId: "ws", key: KEY, fetch: fakeFetch([json(body)]).fetch });
    await expect(client.listLogFiles({ eventType: "AUDIT_LOG", after: "2026-11-20T00:00:00Z", limit: 1 })).rejects.toThrow(message);
  });

  it("follows the 307 to the signed URL without the Authorization header", async () => {
    const f = fakeFetch([new Response(null, { status: 307, headers: { location: "https://files.example/signed?sig=1" } }), new Response('{"event_id":"e"}\n')]);
    const client = createComplianceClient({ baseUrl: "https://x.example/v1/compliance", principalId: "ws", key: KEY, fetch: f.fetch });
    expect(await text(await client.downloadLogFile("file 1"))).toBe('{"event_id":"e"}\n');
    expect(f.urls).toEqual(["https://x.example/v1/compliance/workspaces/ws/logs/file%201", "https://files.example/signed?sig=1"]);
    expect(f.auth).toEqual(["Bearer sk-unit-key", null]);
  });

  it("streams a body served directly (200, no redirect) chunk by chunk", async () => {
    const parts = ['{"event_id":"a"}\n{"ev', 'ent_id":"b"}\n'];
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
        controller.close();
      },
    });
    const client = createComplianceClient({ baseUrl: "https://x.example/v1/compliance", principalId: "ws", key: KEY, fetch: fakeFetch([new Response(body)]).fetch });
    const chunks: string[] = [];
    for await (const chunk of await client.downloadLogFile("f")) chunks.push(Buffer.from(chunk).toString("utf8"));
    expect(chunks).toEqual(parts);
  });

  it("fails a download whose signed URL answers an error status, before any body is read", async () => {
    const f = fakeFetch([new Response(null, { status: 307, headers: { location: "https://files.example/s" } }), new Response("expired", { status: 403 })]);
    const client = createComplianceClient({ baseUrl: "https://x.example/v1/compliance", principalId: "ws", key: KEY, fetch: f.fetch });
    await expect(client.downloadLogFile("f")).rejects.toMatchObject({ status: 403, message: "HTTP 403 expired" });
  });

  it.each([
    [new Response(null, { status: 307 }), /without a Location/],
    [new Response(null, { status: 307, headers: { location: "http://files.example/x" } }), /non-https/],
  ])("refuses a bad redirect (%#)", async (answer, message) => {
    const client = createComplianceClient({ baseUrl: "https://x.example/v1/compliance", principalId: "ws", key: KEY, fetch: fakeFetch([answer]).fetch });
    await expect(client.downloadLogFile("f")).rejects.toThrow(message);
  });

  it("turns error statuses into HttpStatusError with Retry-After and a scrubbed excerpt", async () => {
    const answer = new Response(JSON.stringify({ error: { message: "slow down, Bearer sk-unit-key" } }), { status: 429, headers: { "retry-after": "7" } });
    const client = createComplianceClient({ baseUrl: "https://x.example/v1/compliance", principalId: "ws", key: KEY, fetch: fakeFetch([answer]).fetch });
    const error = await client.listLogFiles({ eventType: "AUDIT_LOG", after: "2026-11-20T00:00:00Z", limit: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({ status: 429, retryAfter: "7", message: "HTTP 429 slow down, Bearer [redacted]" });
  });

  it("never prints the key through String, JSON or inspect", async () => {
    const { inspect } = await import("node:util");
    expect(`${KEY}`).toBe("[redacted]");
    expect(JSON.stringify({ KEY })).toBe('{"KEY":"[redacted]"}');
    expect(inspect(KEY)).toBe("[redacted]");
    expect(KEY.scrub("a sk-unit-key b sk-unit-key")).toBe("a [redacted] b [redacted]");
  });
});
