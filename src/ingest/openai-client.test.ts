import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { engineTransformRunner } from "./engine-transform.ts";
import { startFakeOpenAIAuditApi } from "./fakes/openai-audit-api.ts";
import { OPENAI_MAPPING_FILE, PACKAGE_ROOT } from "./mapping.ts";
import { OPENAI_EVENT_TYPES, runCollect, type CollectArgs, type CollectDeps } from "./run-collect.ts";
import { fakeCredential } from "./fakes/credential.ts";
import { useCollectorFakes } from "./test-support.ts";

const KEY = "sk-admin-OPENAI-TEST-0123456789";
const DCR = "dcr-00000000000000000000000000000004";
const STREAM = "Custom-OpenAIAuditLogs_CL";
const NOW = new Date("2026-11-25T03:00:00Z");

let out: string;
let err: string;

const samples = readFileSync(path.join(PACKAGE_ROOT, "ingestion/openai/samples/audit-logs.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);

/** `n` audit events, one every 20 s from `startSec`, cycling through the spec samples' shapes. */
function events(n: number, startSec: number): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({ ...samples[i % samples.length]!, id: `audit_log-${String(i).padStart(4, "0")}`, effective_at: startSec + i * 20 }));
}

const fakes = useCollectorFakes({ startSource: () => startFakeOpenAIAuditApi({ key: KEY }), dcrImmutableId: DCR, stream: STREAM, idKey: "id", tempPrefix: "sc-openai-" });

beforeEach(() => {
  out = "";
  err = "";
});

function args(overrides: Partial<CollectArgs> = {}): CollectArgs {
  return {
    principalId: "contoso-openai-org",
    dcrEndpoint: fakes.ingestion.endpoint,
    dcrImmutableId: DCR,
    stream: STREAM,
    eventTypes: [...OPENAI_EVENT_TYPES],
    since: "2026-11-24T00:00:00Z",
    state: path.join(fakes.dir, "state.json"),
    mapping: OPENAI_MAPPING_FILE,
    pageSize: 7,
    apiBaseUrl: fakes.source.url,
    verifyWaitSeconds: 0,
    quiet: true,
    ...overrides,
  };
}

function deps(overrides: Partial<CollectDeps> = {}): CollectDeps {
  return {
    env: { OPENAI_ADMIN_KEY: KEY },
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    credential: () => fakeCredential,
    transform: engineTransformRunner,
    ingestionClientOptions: { tlsOptions: { ca: fakes.cert.cert } },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined },
    now: () => NOW,
    ...overrides,
  };
}

const uploadedIds = (): string[] => (fakes.ingestion.accepted.get(STREAM) ?? []).map((r) => String(r.id)).sort();

describe("collect openai", () => {
  it("pages with after = last_id inside a settled window and posts rows prepared for Microsoft's stream", async () => {
    const start = Date.parse("2026-11-24T12:00:00Z") / 1000;
    fakes.source.events.push(...events(40, start));
    expect(await runCollect("openai", args(), deps())).toBe(0);
    expect(uploadedIds()).toEqual(fakes.source.events.map((e) => String(e.id)).sort());
    const pages = fakes.source.requests.filter((u) => u.searchParams.has("after"));
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(fakes.source.requests[0]?.searchParams.get("effective_at[gte]")).toBe(String(Date.parse("2026-11-24T00:00:00Z") / 1000));
    expect(fakes.source.requests[0]?.searchParams.get("effective_at[lt]")).toBe(String(Date.parse("2026-11-25T02:55:00Z") / 1000));
    const first = fakes.ingestion.accepted.get(STREAM)!.find((r) => r.id === "audit_log-0000")!;
    expect(first).toEqual({ id: "audit_log-0000", type: "api_key.created", effective_at: start, project: null, actor: samples[0]!.actor, EventDetails: { id: "key_xxxx", data: { scopes: ["resource.operation"] } }, friendlyName: "contoso-openai-org" });
    const state = JSON.parse(readFileSync(path.join(fakes.dir, "state.json"), "utf8")) as { cursors: Record<string, { after: string }> };
    expect(state.cursors.AUDIT_LOGS?.after).toBe("2026-11-25T02:55:00.000Z");
  });

  it("leaves events of the last minutes for the next run and never sends one twice", async () => {
    const recent = Date.parse("2026-11-25T02:57:00Z") / 1000;
    fakes.source.events.push(...events(3, Date.parse("2026-11-24T12:00:00Z") / 1000), { ...samples[3]!, id: "audit_log-late", effective_at: recent });
    await runCollect("openai", args(), deps());
    expect(uploadedIds()).not.toContain("audit_log-late");
    await runCollect("openai", args(), deps({ now: () => new Date("2026-11-25T03:10:00Z") }));
    expect(uploadedIds()).toEqual(["audit_log-0000", "audit_log-0001", "audit_log-0002", "audit_log-late"]);
  });

  it("--dry-run writes OpenAIAuditLogs_CL rows computed by the engine", async () => {
    fakes.source.events.push(...events(4, Date.parse("2026-11-24T12:00:00Z") / 1000));
    const file = path.join(fakes.dir, "rows.jsonl");
    expect(await runCollect("openai", args({ dryRun: file }), deps({ credential: () => { throw new Error("no credential in a dry run"); } }))).toBe(0);
    const rows = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { table: string; row: Record<string, unknown> });
    expect(rows.map((r) => r.table)).toEqual(Array(4).fill("OpenAIAuditLogs_CL"));
    expect(rows.map((r) => r.row.EventType)).toEqual(["api_key.created", "api_key.updated", "project.archived", "login.failed"]);
    expect(rows[2]?.row).toMatchObject({ Id: "audit_log-0002", ActorType: "api_key", EventDetails: { id: "proj_abc" }, ConnectorName: "contoso-openai-org" });
    expect(Date.parse(String(rows[0]?.row.TimeGenerated))).toBe(Date.parse("2026-11-24T12:00:00Z"));
  });

  it("also lists tenant-scoped events (tenant_only=true), each once", async () => {
    const start = Date.parse("2026-11-24T12:00:00Z") / 1000;
    const tenant = { ...samples[0]!, id: "audit_log-tenant-1", type: "tenant.role_assignment.created", effective_at: start + 5 };
    fakes.source.events.push(...events(3, start), tenant);
    expect(await runCollect("openai", args(), deps())).toBe(0);
    expect(uploadedIds()).toEqual(["audit_log-0000", "audit_log-0001", "audit_log-0002", "audit_log-tenant-1"]);
    expect(fakes.source.requests.some((u) => u.searchParams.get("tenant_only") === "true")).toBe(true);
  });

  it("an organization that does not offer tenant-level events (400 on tenant_only) still collects its own", async () => {
    fakes.source.events.push(...events(2, Date.parse("2026-11-24T12:00:00Z") / 1000));
    const refuseTenant: typeof fetch = async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.searchParams.get("tenant_only") === "true") return new Response(JSON.stringify({ error: { message: "tenant_only is not available" } }), { status: 400 });
      return fetch(input, init);
    };
    expect(await runCollect("openai", args(), deps({ fetch: refuseTenant }))).toBe(0);
    expect(uploadedIds()).toEqual(["audit_log-0000", "audit_log-0001"]);
  });

  it("a wrong Admin key stops with SC8002 and the key never appears", async () => {
    fakes.source.events.push(...events(2, Date.parse("2026-11-24T12:00:00Z") / 1000));
    expect(await runCollect("openai", args(), deps({ env: { OPENAI_ADMIN_KEY: "sk-admin-wrong" } }))).toBe(1);
    expect(err).toMatch(/SC8002: listing AUDIT_LOGS log files after 2026-11-24T00:00:00Z: HTTP 401 Incorrect API key provided/);
    expect(await runCollect("openai", args(), deps({ env: {} }))).toBe(2);
    expect(err).toMatch(/SC8001: OPENAI_ADMIN_KEY is not set/);
    expect(`${out}${err}`).not.toContain("sk-admin-wrong");
  });
});
