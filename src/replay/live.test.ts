// `replay --live` against loopback fakes of the two services. Each fake follows its REST contract (Log Analytics:
// POST /v1/workspaces/{id}/query with { query, timespan } answering { tables: [{ name, columns, rows }] }; Azure
// Data Explorer: POST /v2/rest/query with { db, csl, properties } answering an array of v2 frames) and answers by
// running the query it received on the offline engine over the rows an offline replay of the same fixture saw,
// restricted to the request's TimeGenerated range. The Log Analytics fake runs with the wall clock, so only a
// correctly pinned query can give the offline replay's alerts; the ADX fake runs with the request's query_now.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bearerTokenAuthenticationPolicyName } from "@azure/core-rest-pipeline";
import { LogsQueryClient } from "@azure/monitor-query-logs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../cli/test-helpers.ts";
import type { EngineData, QueryEngine } from "../testing/run/engine-port.ts";
import { createOfflineEngine } from "../testing/run/offline-engine.ts";
import { FAKE_TOKEN, fakeCredential } from "../ingest/fakes/credential.ts";
import { loopbackAuth } from "../testing/test-helpers.ts";
import type { TypedTable } from "../testing/spec/typed-rows.ts";
import { renderReplayHtml } from "./html-report.ts";
import { formatReplayText, runReplay } from "./index.ts";
import { clusterBackend, clusterPipeline, workspaceBackend, type LiveBackend } from "./live-backends.ts";
import { runLiveReplay, type LiveReplayOptions } from "./live.ts";
import type { ReplayResult } from "./result.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHATGPT_RULE = "analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml";
const DOMAIN_CREATED = path.join(REPO, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl");
const FROM = new Date("2026-11-20T22:30:00Z");
const TO = new Date("2026-11-21T00:00:00Z");

interface Received {
  url: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

/** What the fake answers: a status and body, or a run of the query over the captured rows (see the top of the file). */
type Answer = { status: number; body: unknown; headers?: Record<string, string> } | "run" | "hang";

const received: Received[] = [];
let answers: ((body: Record<string, unknown>) => Answer)[] = [];
let fallback: (body: Record<string, unknown>) => Answer = () => "run";
let captured: Pick<EngineData, "tables" | "watchlists"> = { tables: new Map(), watchlists: new Map() };
const offline = createOfflineEngine();

function rangeOf(body: Record<string, unknown>): { start: number; end: number; now: number } {
  const options = ((body["properties"] as Record<string, unknown> | undefined)?.["Options"] ?? {}) as Record<string, string>;
  if (typeof body["timespan"] === "string") {
    const [start, end] = (body["timespan"] as string).split("/");
    return { start: Date.parse(start ?? ""), end: Date.parse(end ?? ""), now: Date.now() };
  }
  return { start: Date.parse(options["query_datetimescope_from"] ?? ""), end: Date.parse(options["query_datetimescope_to"] ?? ""), now: Date.parse(options["query_now"] ?? "") };
}

/** The captured tables with only the rows whose TimeGenerated lies in [start, end], as the service's time range filters them. */
function inRange(start: number, end: number): Map<string, TypedTable> {
  const out = new Map<string, TypedTable>();
  for (const [name, table] of captured.tables) {
    const at = table.columns.findIndex((c) => c.name === "TimeGenerated");
    const rows = table.rows.filter((row) => at < 0 || (typeof row[at] === "bigint" && (row[at] as bigint) >= BigInt(start) * 10_000n && (row[at] as bigint) <= BigInt(end) * 10_000n));
    out.set(name, { ...table, rows });
  }
  return out;
}

/**
 * Runs the received query on the offline engine without the repository's parsers (the query must carry them).
 * The offline engine answers `_GetWatchlist` itself, so it is given the replay's watchlists.
 */
function runReceived(body: Record<string, unknown>): { status: number; body: unknown } {
  const query = String(body["query"] ?? body["csl"] ?? "");
  const { start, end, now } = rangeOf(body);
  const data: EngineData = { tables: inRange(start, end), functions: [], watchlists: captured.watchlists };
  const outcome = offline(query, data, now);
  if (!outcome.ok) return { status: 400, body: { error: { code: "BadArgumentError", message: outcome.problems.map((p) => p.message).join("; ") } } };
  const { columns, rows } = outcome.table;
  if ("csl" in body) {
    return {
      status: 200,
      body: [
        { FrameType: "DataSetHeader", IsProgressive: false, Version: "v2.0" },
        { FrameType: "DataTable", TableId: 0, TableKind: "QueryProperties", TableName: "@ExtendedProperties", Columns: [{ ColumnName: "TableId", ColumnType: "int" }], Rows: [] },
        { FrameType: "DataTable", TableId: 1, TableKind: "PrimaryResult", TableName: "PrimaryResult", Columns: columns.map((c) => ({ ColumnName: c.name, ColumnType: c.type })), Rows: rows },
        { FrameType: "DataSetCompletion", HasErrors: false, Cancelled: false },
      ],
    };
  }
  // Log Analytics returns dynamic values as JSON text
  const laRows = rows.map((row) => row.map((cell, i) => (columns[i]?.type === "dynamic" && cell !== null ? JSON.stringify(cell) : cell)));
  return { status: 200, body: { tables: [{ name: "PrimaryResult", columns: columns.map((c) => ({ name: c.name, type: c.type })), rows: laRows }] } };
}

const server = http.createServer((req, res) => {
  let text = "";
  req.on("data", (chunk) => (text += chunk)).on("end", () => {
    const body = JSON.parse(text || "{}") as Record<string, unknown>;
    received.push({ url: req.url ?? "", auth: req.headers.authorization, body });
    const answer = (answers.shift() ?? fallback)(body);
    if (answer === "hang") return;
    const { status, body: reply, headers } = answer === "run" ? { ...runReceived(body), headers: {} } : answer;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(reply));
  });
});
let port = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  const engine = createOfflineEngine();
  // the rows the offline replay's rule runs saw; the last run sees every row of this fixture
  const capture: QueryEngine = (query, data, now) => {
    if (data.tables.has("ChatGPTComplianceEvents_CL")) captured = data;
    return engine(query, data, now);
  };
  const offlineRun = await runReplay({ root: REPO, inputs: [DOMAIN_CREATED], from: FROM, to: TO, rules: [CHATGPT_RULE], engine: capture });
  expect(offlineRun.result.alerts).toHaveLength(1);
  offlineResult = offlineRun.result;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received.length = 0;
  answers = [];
  fallback = () => "run";
});
let offlineResult: ReplayResult;

function workspace(options: { timeoutSeconds?: number; maxRetries?: number } = {}): LiveBackend {
  const client = new LogsQueryClient(fakeCredential, { endpoint: `http://127.0.0.1:${port}/v1`, allowInsecureConnection: true, retryOptions: { maxRetries: options.maxRetries ?? 0, retryDelayInMs: 1 } });
  client.pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  client.pipeline.addPolicy(loopbackAuth(FAKE_TOKEN), { phase: "Sign" });
  return workspaceBackend({ workspaceId: "ws-1", credential: fakeCredential, client, ...options });
}

function cluster(options: { timeoutSeconds?: number; maxRetries?: number } = {}): LiveBackend {
  const clusterUrl = `http://127.0.0.1:${port}`;
  const pipeline = clusterPipeline(fakeCredential, clusterUrl, options.maxRetries ?? 0);
  pipeline.removePolicy({ name: bearerTokenAuthenticationPolicyName });
  pipeline.addPolicy(loopbackAuth(FAKE_TOKEN), { phase: "Sign" });
  return clusterBackend({ clusterUrl, database: "Sentinel", credential: fakeCredential, pipeline, ...options });
}

function live(backend: LiveBackend, options: Partial<LiveReplayOptions> = {}) {
  return runLiveReplay({ root: REPO, from: FROM, to: TO, rules: [CHATGPT_RULE], backend, ...options });
}

describe.each([
  ["a Log Analytics workspace", workspace, "/v1/workspaces/ws-1/query"],
  ["an Azure Data Explorer cluster", cluster, "/v2/rest/query"],
])("replay --live on %s", (_name, backend, url) => {
  it("raises the offline replay's alerts and incidents from the service's answers", async () => {
    const { result, diagnostics } = await live(backend());
    expect(diagnostics).toEqual([]);
    expect(result.alerts).toEqual(offlineResult.alerts);
    expect(result.incidents).toEqual(offlineResult.incidents);
    expect(result.rules).toEqual(offlineResult.rules);
    expect(result.live).toMatchObject({ queries: 2, failedQueries: 0 });
    expect(received.map((r) => [r.url, r.auth])).toEqual([
      [url, "Bearer fake-token"],
      [url, "Bearer fake-token"],
    ]);
  });

  it("sends the rule with its parsers and watchlists inlined, one query per scheduled run", async () => {
    await live(backend());
    const text = String(received[0]?.body["query"] ?? received[0]?.body["csl"]);
    expect(text).toContain("let ChatGPTEvents = (");
    expect(text).toContain("let _GetWatchlist = (watchlistAlias:string)");
    expect(text).toMatch(/events\s*\n\s*\| where IngestedAt > /);
  });
});

describe("the Log Analytics request", () => {
  it("pins now() and ago() to the run's time and sets the timespan to the run's period", async () => {
    await live(workspace());
    const [first, second] = received.map((r) => r.body);
    expect(first?.["timespan"]).toBe("2026-11-06T22:30:00.000Z/2026-11-20T22:30:00.000Z");
    expect(second?.["timespan"]).toBe("2026-11-06T23:30:00.000Z/2026-11-20T23:30:00.000Z");
    const query = String(second?.["query"]);
    expect(query).not.toMatch(/\bnow\(|\bago\(/);
    expect(query).toContain("| where IngestedAt > (datetime(2026-11-20T23:30:00Z) - (window)) and IngestedAt <= datetime(2026-11-20T23:30:00Z)");
  });
});

describe("the Azure Data Explorer request", () => {
  it("sets the run's clock with query_now and its range with the datetime scope, and leaves the query text alone", async () => {
    await live(cluster());
    const second = received[1]?.body;
    expect(second?.["db"]).toBe("Sentinel");
    expect(second?.["properties"]).toEqual({
      Options: {
        query_now: "2026-11-20T23:30:00.000Z",
        query_datetimescope_column: "TimeGenerated",
        query_datetimescope_from: "2026-11-06T23:30:00.000Z",
        query_datetimescope_to: "2026-11-20T23:30:00.000Z",
        servertimeout: "00:03:00",
        request_readonly: true,
      },
    });
    expect(String(second?.["csl"])).toContain("| where IngestedAt > ago(window) and IngestedAt <= now()");
  });

  it.each([
    [45, "00:00:45"],
    [3661.2, "01:01:02"],
  ])("sends a %s s timeout as servertimeout %s (whole seconds, hh:mm:ss)", async (timeoutSeconds, servertimeout) => {
    await live(cluster({ timeoutSeconds }));
    expect((received[0]?.body["properties"] as { Options: Record<string, unknown> }).Options["servertimeout"]).toBe(servertimeout);
  });
});

const badRequest = (): Answer => ({ status: 400, body: { error: { code: "BadArgumentError", message: "Failed to resolve table or column expression named 'ChatGPTComplianceEvents_CL'" } } });

describe("failures", () => {
  it("a rule whose first run fails is reported and not queried further; the other rules still run", async () => {
    const AZURE_RULE = "analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml";
    fallback = (body) => (String(body["query"]).includes("ChatGPTComplianceEvents_CL") ? badRequest() : { status: 200, body: { tables: [{ name: "PrimaryResult", columns: [{ name: "TimeGenerated", type: "datetime" }], rows: [] }] } });
    const { result, diagnostics } = await live(workspace(), { rules: [CHATGPT_RULE, AZURE_RULE], concurrency: 1 });
    const chatgpt = result.rules.find((r) => r.ruleFile === CHATGPT_RULE);
    const azure = result.rules.find((r) => r.ruleFile === AZURE_RULE);
    expect(chatgpt).toMatchObject({ runs: 1, alerts: 0 });
    expect(chatgpt?.failed).toMatch(/^1 run failed on the service, first at 2026-11-20T22:30:00.000Z: .*Failed to resolve table.*; its later runs were dropped$/);
    expect(azure).toMatchObject({ runs: 2, alerts: 0 });
    expect(azure?.failed).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.severity, d.file])).toEqual([["SC5071", "warning", CHATGPT_RULE]]);
    // one query at a time: the ChatGPT rule's second run was dropped before it was sent
    expect(received.filter((r) => String(r.body["query"]).includes("ChatGPTComplianceEvents_CL"))).toHaveLength(1);
    expect(result.live).toMatchObject({ queries: 3, failedQueries: 1 });
    const text = formatReplayText(result);
    expect(text).toContain("Live on workspace ws-1: 3 queries sent, 1 failed");
    expect(text).toContain(`Rules whose queries failed:\n  ${CHATGPT_RULE}: 1 run failed on the service`);
    const html = renderReplayHtml(result);
    expect(html).toContain("on workspace ws-1: 3 sent, 1 failed");
    expect(html).toContain("queries failed: 1 run failed on the service");
  });

  it("a replay where no query answered (wrong target, login or role) is an error, not a quiet zero", async () => {
    fallback = () => ({ status: 403, body: { error: { code: "InsufficientAccessError", message: "The provided credentials have insufficient access" } } });
    const { diagnostics } = await live(workspace(), {});
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([
      ["SC5071", "warning"],
      ["SC5073", "error"],
    ]);
    expect(diagnostics[1]?.message).toMatch(/^none of the \d+ queries sent to workspace ws-1 answered \(.*insufficient access/);
  });

  it("a failure at a later run counts, and the rule's other runs still alert", async () => {
    answers = [() => "run", badRequest];
    const { result, diagnostics } = await live(cluster(), { to: new Date("2026-11-21T00:30:00Z") });
    expect(result.rules[0]).toMatchObject({ runs: 3, failed: expect.stringMatching(/^1 run failed on the service, first at 2026-11-20T23:30:00.000Z: HTTP 400: .*Failed to resolve table/) });
    expect(result.rules[0]?.failed).not.toContain("dropped");
    expect(diagnostics.map((d) => d.code)).toEqual(["SC5071"]);
  });

  it.each([
    ["a Log Analytics workspace", workspace],
    ["an Azure Data Explorer cluster", cluster],
  ])("on %s, the SDK pipeline retries a throttled query (429 with Retry-After)", async (_name, backend) => {
    answers = [() => ({ status: 429, body: { error: { code: "TooManyRequests", message: "throttled" } }, headers: { "retry-after": "0" } })];
    const { result, diagnostics } = await live(backend({ maxRetries: 2 }));
    expect(diagnostics).toEqual([]);
    expect(result.alerts).toEqual(offlineResult.alerts);
    expect(received).toHaveLength(3);
  });

  it("a service that never answers times out instead of hanging", async () => {
    answers = [() => "hang"];
    const { result } = await live(cluster({ timeoutSeconds: 0.1, maxRetries: 0 }), { to: FROM });
    expect(result.rules[0]?.failed).toMatch(/timed out|abort/i);
  });

  it("an ADX answer whose completion frame reports errors is a failure, not an empty result", async () => {
    answers = [
      () => ({
        status: 200,
        body: [
          { FrameType: "DataSetHeader", IsProgressive: false, Version: "v2.0" },
          { FrameType: "DataTable", TableId: 1, TableKind: "PrimaryResult", TableName: "PrimaryResult", Columns: [{ ColumnName: "x", ColumnType: "long" }], Rows: [] },
          { FrameType: "DataSetCompletion", HasErrors: true, Cancelled: false, OneApiErrors: [{ error: { code: "LimitsExceeded", message: "Request is invalid", "@message": "Query execution has exceeded the allowed limits" } }] },
        ],
      }),
    ];
    const { result } = await live(cluster(), { to: FROM });
    expect(result.rules[0]?.failed).toContain("Query execution has exceeded the allowed limits");
  });
});

describe("suppression", () => {
  it("a run inside the rule's suppression is not sent", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "replay-live-"));
    temporaryFolders.push(root);
    mkdirSync(path.join(root, "analytics-rules"));
    writeFileSync(
      path.join(root, "analytics-rules", "suppressed.yaml"),
      [
        "id: 0b0d7c43-5a43-4a8e-9a5e-3f6f2f0c1a11",
        "name: Any activity",
        "kind: Scheduled",
        "severity: Low",
        "queryFrequency: 1h",
        "queryPeriod: 1h",
        "triggerOperator: gt",
        "triggerThreshold: 0",
        "query: AzureActivity | project TimeGenerated, Caller",
        "suppressionEnabled: true",
        "suppressionDuration: 2h",
        "",
      ].join("\n"),
    );
    const sent: number[] = [];
    const firing: LiveBackend = {
      target: "firing",
      async run(run) {
        sent.push(run.now);
        return { ok: true, table: { columns: [{ name: "TimeGenerated", type: "datetime" }, { name: "Caller", type: "string" }], rows: [[new Date(run.now - 60_000).toISOString(), "alice@contoso.com"]] } };
      },
    };
    const { result } = await runLiveReplay({ root, from: new Date("2026-11-20T00:00:00Z"), to: new Date("2026-11-20T05:00:00Z"), backend: firing, concurrency: 1 });
    // fires at 00:00, suppressed until 02:00 (01:00 dropped), and so on: 03:00 and 05:00 are dropped too
    expect(sent.map((t) => new Date(t).toISOString())).toEqual(["2026-11-20T00:00:00.000Z", "2026-11-20T02:00:00.000Z", "2026-11-20T04:00:00.000Z"]);
    expect(result.alerts.map((a) => a.runTime)).toEqual(["2026-11-20T00:00:00.000Z", "2026-11-20T02:00:00.000Z", "2026-11-20T04:00:00.000Z"]);
    expect(result.rules[0]).toMatchObject({ runs: 6, alerts: 3 });
  });
});

describe("bounds", () => {
  it("refuses a replay needing more queries than --max-queries, before sending any", async () => {
    const { result, diagnostics } = await live(workspace(), { maxQueries: 1 });
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([["SC5070", "error"]]);
    expect(diagnostics[0]?.message).toContain("would send 2 queries to workspace ws-1 (1 rules), more than --max-queries 1");
    expect(result.alerts).toEqual([]);
    expect(received).toEqual([]);
  });

  it("keeps at most `concurrency` queries in flight", async () => {
    let inFlight = 0;
    let most = 0;
    const counting: LiveBackend = {
      target: "counting",
      async run() {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return { ok: true, table: { columns: [{ name: "x", type: "long" }], rows: [] } };
      },
    };
    const { result } = await live(counting, { rules: ["analytics-rules/chatgpt-enterprise"], concurrency: 2, to: new Date("2026-11-21T03:00:00Z") });
    expect(result.live?.queries).toBeGreaterThan(4);
    expect(most).toBe(2);
  });
});

describe("sentinel-content replay --live (usage)", () => {
  const range = ["--from", "2026-11-20T22:30:00Z", "--to", "2026-11-21T00:00:00Z", "-C", REPO];
  it.each([
    ["no inputs without --live", [], "missing required argument 'inputs'"],
    ["input files with --live", ["x.jsonl", "--live", "--workspace-id", "ws"], "error SC5072: --live queries the logs already in the workspace or cluster and takes no input files (got x.jsonl)"],
    ["--live without a target", ["--live"], "error SC5072: --live needs --workspace-id <id>"],
    ["two targets", ["--live", "--workspace-id", "ws", "--cluster", "https://soc.westeurope.kusto.windows.net", "--database", "d"], "error SC5072: give one target"],
    ["a cluster over plain http", ["--live", "--cluster", "http://soc.westeurope.kusto.windows.net", "--database", "d"], "must be the cluster's https URI alone"],
    ["a cluster without a database", ["--live", "--cluster", "https://soc.westeurope.kusto.windows.net"], "--cluster needs --database"],
    ["a target without --live", ["x.jsonl", "--workspace-id", "ws"], "error SC5072: --workspace-id, --cluster and --database need --live"],
    ["an ingestion delay with --live", ["--live", "--workspace-id", "ws", "--ingestion-delay", "2m"], "--ingestion-delay and --seed draw ingestion times of input rows"],
    ["a concurrency out of bounds", ["--live", "--workspace-id", "ws", "--concurrency", "0"], "--concurrency must be a whole number from 1 to 16"],
    ["a timeout beyond the Logs API's 600 s", ["--live", "--workspace-id", "ws", "--timeout", "601"], "--timeout must be a whole number from 1 to 600"],
  ])("refuses %s with exit 2", async (_name, args, message) => {
    const saved = process.env["SENTINEL_WORKSPACE_ID"];
    delete process.env["SENTINEL_WORKSPACE_ID"];
    try {
      const { code, stderr } = await runCli("replay", ...args, ...range);
      expect(code).toBe(2);
      expect(stderr).toContain(message);
    } finally {
      if (saved !== undefined) process.env["SENTINEL_WORKSPACE_ID"] = saved;
    }
  });

  it("refuses a range needing more queries than --max-queries before sending any (SC5070)", async () => {
    const { code, stdout, stderr } = await runCli("replay", "--live", "--workspace-id", "ws", "--rules", CHATGPT_RULE, "--max-queries", "1", ...range);
    expect(code).toBe(2);
    expect(stderr).toContain("error SC5070: the replay would send 2 queries to workspace ws (1 rules), more than --max-queries 1");
    expect(stdout).toBe("");
  });
});
