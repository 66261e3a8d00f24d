import http from "node:http";
import type { AddressInfo } from "node:net";
import { bearerTokenAuthenticationPolicyName } from "@azure/core-rest-pipeline";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineData, QueryEngine } from "./engine-port.ts";
import { compareLive, createLiveComparer } from "./live.ts";
import { FAKE_TOKEN, fakeCredential } from "../../ingest/fakes/credential.ts";
import { loopbackAuth, tableOf } from "../test-helpers.ts";
import type { CaseResult } from "../verdict/verdict.ts";

const received: { url: string; auth: string | undefined; query: string }[] = [];
let reply: unknown = {};
let status = 200;
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (chunk) => (body += chunk)).on("end", () => {
    received.push({ url: req.url ?? "", auth: req.headers.authorization, query: (JSON.parse(body || "{}") as { query?: string }).query ?? "" });
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(reply));
  });
});
let client: LogsQueryClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  client = new LogsQueryClient(fakeCredential, { endpoint: `http://127.0.0.1:${port}/v1`, allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy(loopbackAuth(FAKE_TOKEN), { phase: "Sign" });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const offlineRows = tableOf([{ Caller: "alice@contoso.com", Calls: 2 }]);
const offline: QueryEngine = () => ({ ok: true, table: { columns: [{ name: "Caller", type: "string" }, { name: "Calls", type: "long" }], rows: offlineRows.rows } });
const data: EngineData = {
  tables: new Map([["AzureActivity", { name: "AzureActivity", columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Caller", type: "string" }], rows: [[BigInt(Date.UTC(2026, 10, 20, 11)) * 10_000n, "alice@contoso.com"]] }]]),
  functions: [],
  watchlists: new Map(),
};

function caseResult(): CaseResult {
  return { testsFile: "a.tests.yaml", target: "a.yaml", kind: "analytic-rule", name: "c", line: 3, status: "passed", failures: [], durationMs: 1 };
}

async function runLive(): Promise<CaseResult> {
  const comparer = createLiveComparer({ workspaceId: "ws-1", credential: fakeCredential, engine: offline, client });
  comparer.engine("AzureActivity | summarize Calls = count() by Caller", data, Date.UTC(2026, 10, 20, 12));
  const result = caseResult();
  await comparer.afterCase(result);
  return result;
}

const primary = (rows: unknown[][]) => ({ tables: [{ name: "PrimaryResult", columns: [{ name: "Caller", type: "string" }, { name: "Calls", type: "long" }], rows }] });

describe("--live against a loopback Log Analytics fake", () => {
  it("sends the case as one query with the fixture rows inlined, and agrees on equal rows", async () => {
    reply = primary([["alice@contoso.com", 2]]);
    status = 200;
    const result = await runLive();
    expect(result.live).toEqual({ agreed: true });
    const last = received.at(-1);
    expect(last?.url).toBe("/v1/workspaces/ws-1/query");
    expect(last?.auth).toBe("Bearer fake-token");
    expect(last?.query).toContain("let __harness_shift = now() - datetime(2026-11-20T12:00:00Z);");
    expect(last?.query).toContain('let AzureActivity = datatable(TimeGenerated:datetime, Caller:string)[\n  datetime(2026-11-20T11:00:00Z), "alice@contoso.com"] | extend TimeGenerated = TimeGenerated + __harness_shift;');
    expect(last?.query.trimEnd().endsWith("AzureActivity | summarize Calls = count() by Caller")).toBe(true);
  });

  it("reports a disagreement with a table diff", async () => {
    reply = primary([["alice@contoso.com", 3]]);
    const result = await runLive();
    expect(result.live?.agreed).toBe(false);
    expect(result.failures[0]?.diagnostic).toMatchObject({ code: "SC5012", severity: "warning", file: "a.tests.yaml", line: 3 });
    expect(result.failures[0]?.diff).toContain("- alice@contoso.com  2");
  });

  it("reports a failing live query", async () => {
    reply = { error: { code: "BadArgumentError", message: "Syntax error" } };
    status = 400;
    const result = await runLive();
    expect(result.live?.agreed).toBe(false);
    expect(result.failures[0]?.diagnostic.code).toBe("SC5013");
  });

  it("reports a partly failed live query with the service's message", async () => {
    reply = { ...primary([["alice@contoso.com", 2]]), error: { code: "PartialError", message: "the query exceeded the row limit" } };
    status = 200;
    const result = await runLive();
    expect(result.live).toEqual({ agreed: false, message: "live query failed: the query partly failed: the query exceeded the row limit" });
    expect(result.failures[0]?.diagnostic.code).toBe("SC5013");
  });
});

describe("compareLive", () => {
  it.each([
    [[["a", 1]], [["a", 1]], true],
    [[["a", 1]], [["a", 1], ["a", 1]], false],
  ])("%j vs %j", (off, live, agreed) => {
    const table = (rows: unknown[][]) => ({ columns: [{ name: "A", type: "string" }, { name: "N", type: "long" }], rows: rows as never });
    expect(compareLive(table(off), table(live)) === undefined).toBe(agreed);
  });
  it("rounds datetimes to the second and parses dynamic text", () => {
    const off = { columns: [{ name: "T", type: "datetime" }, { name: "D", type: "dynamic" }], rows: [["2026-11-20T12:00:00Z", { a: 1 }]] as never };
    const live = { columns: [{ name: "T", type: "datetime" }, { name: "D", type: "dynamic" }], rows: [["2026-11-20T12:00:00.400Z", '{"a":1}']] as never };
    expect(compareLive(off, live)).toBeUndefined();
  });
  it("names missing columns", () => {
    expect(compareLive({ columns: [{ name: "X", type: "string" }], rows: [] }, { columns: [], rows: [] })?.message).toMatch(/lacks columns X/);
  });
});
