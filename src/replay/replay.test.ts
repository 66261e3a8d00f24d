import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCli } from "../cli/test-helpers.ts";
import type { QueryEngine } from "../testing/run/engine-port.ts";
import { createOfflineEngine } from "../testing/run/offline-engine.ts";
import { loadRepository } from "../repository/index.ts";
import { runReplay, type ReplayOptions } from "./index.ts";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHATGPT_RULE = "analytics-rules/chatgpt-enterprise/chatgpt-sso-scim-or-domain-config-changed.yaml";
const DOMAIN_CREATED = path.join(REPO, "analytics-rules/chatgpt-enterprise/fixtures/cgpt-004-domain-created.jsonl");

// the scratch folders of this file, removed after its tests
const scratchFolders: string[] = [];
afterAll(() => {
  for (const dir of scratchFolders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "replay-"));
  scratchFolders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

async function replay(options: Partial<ReplayOptions> & Pick<ReplayOptions, "inputs">) {
  return runReplay({ root: REPO, from: new Date("2026-11-20T22:30:00Z"), to: new Date("2026-11-21T00:00:00Z"), rules: [CHATGPT_RULE], ...options });
}

describe("runReplay", () => {
  it("an ingestion delay moves the alert to the later run", async () => {
    const onTime = await replay({ inputs: [DOMAIN_CREATED] });
    // the change happened at 23:10; the hourly rule selects rows by ingestion time, so a row landing at 23:40 is the next run's
    const late = await replay({ inputs: [DOMAIN_CREATED], ingestionDelay: "30m", to: new Date("2026-11-21T01:00:00Z") });
    expect(onTime.result.alerts.map((a) => a.runTime)).toEqual(["2026-11-20T23:30:00.000Z"]);
    expect(late.result.alerts.map((a) => a.runTime)).toEqual(["2026-11-21T00:30:00.000Z"]);
  });

  it("reports the alert with its rule, window, entities, rows and incident", async () => {
    const { result } = await replay({ inputs: [DOMAIN_CREATED], rowLimit: 1 });
    const alert = result.alerts[0];
    expect(alert).toMatchObject({
      ruleFile: CHATGPT_RULE,
      runTime: "2026-11-20T23:30:00.000Z",
      windowEnd: "2026-11-20T23:30:00.000Z",
      severity: "High",
      incident: 0,
      rowCount: 1,
    });
    expect(alert?.entities).toContainEqual({ type: "DNS", identifiers: { DomainName: "contoso-support.co" } });
    expect(alert?.rows[0]).toMatchObject({ Action: "DOMAIN_CREATE", ActorEmail: "alice.martin@example.com" });
    expect(result.incidents).toEqual([{ ruleId: result.rules[0]?.ruleId, title: alert?.title, severity: "High", firstAlert: alert?.runTime, lastAlert: alert?.runTime, alerts: 1 }]);
    expect(result.rules).toMatchObject([{ ruleFile: CHATGPT_RULE, kind: "Scheduled", runs: 2, alerts: 1, incidents: 1 }]);
    expect(result.inputs).toMatchObject([{ source: "ChatGPTComplianceEvents_CL", table: "ChatGPTComplianceEvents_CL", recognisedBy: "content", events: 4, rows: 4 }]);
  });

  it("runs raw ChatGPT compliance events and OpenAI audit-log list pages through the ingestion mappings", async () => {
    const chatgpt = readFileSync(path.join(REPO, "ingestion/chatgpt/samples/audit-log.jsonl"), "utf8");
    const events = readFileSync(path.join(REPO, "ingestion/openai/samples/audit-logs.jsonl"), "utf8").trim().split("\n");
    const dir = scratch({ "chatgpt.jsonl": chatgpt, "openai-page.json": `{"object":"list","data":[\n${events.join(",\n")}\n],"has_more":false}` });
    // the hours around the samples' ChatGPT events (11:40 to 12:10), in which the rules first see them and fire
    const { result, diagnostics } = await runReplay({ root: REPO, inputs: [dir], from: new Date("2026-11-20T11:00:00Z"), to: new Date("2026-11-20T14:00:00Z"), rules: ["analytics-rules/chatgpt-enterprise"] });
    expect(diagnostics).toEqual([]);
    expect(result.inputs.map((i) => [path.basename(i.file), i.source, i.table, i.events, i.rows])).toEqual([
      ["chatgpt.jsonl", "ChatGPTComplianceLogs", "ChatGPTComplianceEvents_CL, ChatGPTConversationMessages_CL", 4, 4],
      ["openai-page.json", "OpenAIAuditLogs_CL", "OpenAIAuditLogs_CL", events.length, events.length],
    ]);
    expect(result.alerts.map((a) => a.title).sort()).toEqual([
      "ChatGPT compliance logs read: API key from an address it has not used in 13 days",
      "ChatGPT role manager granted to user-Bb22AsDfGhJkLp",
      "ChatGPT workspace control loosened: risky workspace feature enabled: gpt_sharing",
    ]);
  });

  it("reads a Log Analytics CSV export (`TimeGenerated [UTC]`) and a watchlist export with extra columns", async () => {
    const header = "TimeGenerated [UTC],EventId,LogType,Action,ActionResult,ActionPrivilege,ActorType,ActorEmail,ClientIp,ClientCountry,ActionData";
    const row = (time: string, email: string) => `${time},e-${time},AUDIT_LOG,WORKSPACE_UPDATE_SSO_CONFIGURATION,SUCCESS,ADMIN,ACCOUNT_USER,${email},81.2.69.144,GB,"{""sign_in_endpoint"":""https://login.idp-verify.example/saml""}"`;
    const dir = scratch({
      "events.csv": [header, row("2026-11-20T23:05:00Z", "it.admin@contoso.com")].join("\r\n"),
      "ChatGPTAdmins.csv": "Email,Description,Owner,Added\r\nit.admin@contoso.com,workspace owner,IT,2026-01-01\r\n",
    });
    const { result, diagnostics } = await replay({ inputs: [path.join(dir, "events.csv")], watchlists: [path.join(dir, "ChatGPTAdmins.csv")] });
    expect(diagnostics).toEqual([]);
    expect(result.inputs[0]).toMatchObject({ source: "ChatGPTComplianceEvents_CL", recognisedBy: "content", rows: 1 });
    expect(result.alerts.map((a) => a.runTime)).toEqual(["2026-11-20T23:30:00.000Z"]);
  });

  it("replays over a repository the caller already loaded, reading no other content", async () => {
    const repository = await loadRepository(REPO, [CHATGPT_RULE, "parsers", "ingestion", "watchlists"]);
    const { result } = await replay({ inputs: [DOMAIN_CREATED], repository });
    expect(result.rules.map((r) => r.ruleFile)).toEqual([CHATGPT_RULE]);
    expect(result.alerts).toHaveLength(1);
    const other = await replay({ inputs: [DOMAIN_CREATED], repository, rules: ["analytics-rules/azure-openai"] });
    expect(other.diagnostics.map((d) => d.code)).toEqual(["SC5050"]);
  });

  it("gives each run only the tables its rule reads", async () => {
    const offline = createOfflineEngine();
    const given = new Map<string, Set<string>>();
    const engine: QueryEngine = (query, data, now) => {
      const names = given.get(query) ?? new Set<string>();
      for (const name of data.tables.keys()) names.add(name);
      given.set(query, names);
      return offline(query, data, now);
    };
    const activity = path.join(REPO, "analytics-rules/azure-activity/fixtures/arm-001-admin-usual-network.jsonl");
    const keysRule = "analytics-rules/azure-activity/arm-ai-keys-listed-by-unusual-caller.yaml";
    await replay({ inputs: [DOMAIN_CREATED, activity], rules: [CHATGPT_RULE, keysRule], engine });
    expect(given.size).toBe(2);
    const keys = [...given.values()].filter((tables) => tables.has("AzureActivity"));
    expect(keys).toHaveLength(1);
    expect([...(keys[0] ?? [])].some((t) => t.startsWith("ChatGPT"))).toBe(false);
  });

  it("lists a rule it cannot run as skipped, with the reason", async () => {
    const { result } = await replay({ inputs: [DOMAIN_CREATED], rules: ["analytics-rules/azure-activity/arm-ai-account-key-regenerated.yaml"] });
    expect(result.rules).toMatchObject([{ runs: 0, skipped: "no input holds rows of the tables it reads (AzureActivity)" }]);
  });

  it.each([
    ["an unrecognisable file", { "x.jsonl": '{"foo":1}\n' }, {}, "SC5040", "x.jsonl", 1, /fits no source profile[\s\S]*ChatGPTComplianceLogs \(stream Custom-ChatGPTComplianceRaw\)/],
    ["a malformed line", { "x.jsonl": `${readFileSync(DOMAIN_CREATED, "utf8").split("\n")[0] ?? ""}\n{"TimeGenerated": \n` }, {}, "SC5042", "x.jsonl", 2, /line 2 is not JSON/],
    ["a CSV record with too many fields", { "x.csv": "TimeGenerated,EventId\n2026-11-20T23:00:00Z,a\n2026-11-20T23:00:00Z,b,c\n" }, { map: "ChatGPTComplianceEvents_CL" }, "SC5042", "x.csv", 3, /not valid CSV/],
    ["a value of the wrong type", { "x.jsonl": '{"TimeGenerated":"yesterday","EventId":"a","LogType":"AUDIT_LOG"}\n' }, { map: "ChatGPTComplianceEvents_CL" }, "SC5047", "x.jsonl", 1, /TimeGenerated is datetime/],
    ["a map to an unknown source", { "x.jsonl": "{}\n" }, { map: "NoSuchSource" }, "SC5046", "x.jsonl", 1, /no source profile, table or ingestion stream is named NoSuchSource/],
  ] as [string, Record<string, string>, { map?: string }, string, string, number, RegExp][])("refuses %s at its file and line", async (_what, files, extra, code, file, line, message) => {
    const dir = scratch(files);
    const input = path.join(dir, file);
    const { result, diagnostics } = await replay({ inputs: [input], ...(extra.map ? { map: { [input]: extra.map } } : {}) });
    expect(diagnostics.map((d) => [d.code, path.basename(d.file), d.line])).toEqual([[code, file, line]]);
    expect(diagnostics[0]?.message).toMatch(message);
    expect(result.alerts).toEqual([]);
  });

  it.each([
    ["a range ending before it starts", { from: new Date("2026-11-21T00:00:00Z"), to: new Date("2026-11-20T00:00:00Z") }, "SC5044", /before --from/],
    ["a bad delay spec", { ingestionDelay: "lognormal:median=2m" }, "SC5045", /missing p99/],
    ["an unknown rule", { rules: ["no-such-rule"] }, "SC5050", /no analytic rule/],
    ["a missing input", { inputs: ["/no/such/file.jsonl"] }, "SC5043", /does not exist/],
  ])("refuses %s", async (_what, options, code, message) => {
    const { diagnostics } = await replay({ inputs: [DOMAIN_CREATED], ...options });
    expect(diagnostics.map((d) => d.code)).toEqual([code]);
    expect(diagnostics[0]?.message).toMatch(message);
  });
});

describe("runReplay reports", () => {
  const offline = createOfflineEngine();
  const isRule = (query: string) => query.includes("IngestedAt");

  it("a record fitting two sources (SC5041), naming both", async () => {
    const dir = scratch({ "x.jsonl": '{"TimeGenerated":"2026-11-20T23:00:00Z","EventId":"a","ActorType":"ACCOUNT_USER","ActorEmail":"eve@example.com"}\n' });
    const { diagnostics } = await replay({ inputs: [path.join(dir, "x.jsonl")] });
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["SC5041", 1]]);
    expect(diagnostics[0]?.message).toMatch(/fits ChatGPTComplianceEvents_CL and ChatGPTConversationMessages_CL/);
  });

  it("a transform the engine cannot run (SC5048), with the lines of the batch", async () => {
    const failing: QueryEngine = (query, data, now) => (query.includes("CONVERSATION_MESSAGE") ? { ok: false, problems: [{ message: "boom" }] } : offline(query, data, now));
    const dir = scratch({ "raw.jsonl": readFileSync(path.join(REPO, "ingestion/chatgpt/samples/audit-log.jsonl"), "utf8") });
    const { diagnostics } = await replay({ inputs: [path.join(dir, "raw.jsonl")], engine: failing });
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([["SC5048", 1]]);
    expect(diagnostics[0]?.message).toMatch(/^lines 1–4: the transform of ingestion\/chatgpt\/chatgpt-compliance\.yaml into ChatGPTComplianceEvents_CL failed: boom/);
  });

  it("a rule the engine refuses at its first run as skipped (SC5049), and a failure at a later run (SC5052)", async () => {
    const refusing: QueryEngine = (query, data, now) => (isRule(query) ? { ok: false, problems: [{ message: "unsupported operator", code: "SC4001" }] } : offline(query, data, now));
    const refused = await replay({ inputs: [DOMAIN_CREATED], engine: refusing });
    expect(refused.result.rules[0]?.skipped).toBe("the offline engine refuses its query (SC4001: unsupported operator)");
    expect(refused.diagnostics.map((d) => [d.code, d.file])).toEqual([["SC5049", CHATGPT_RULE]]);
    const later = Date.parse("2026-11-20T23:00:00Z");
    const flaky: QueryEngine = (query, data, now) => (isRule(query) && now > later ? { ok: false, problems: [{ message: "out of memory" }] } : offline(query, data, now));
    const failed = await replay({ inputs: [DOMAIN_CREATED], engine: flaky });
    expect(failed.result.rules[0]).toMatchObject({ runs: 2, alerts: 0 });
    expect(failed.diagnostics.map((d) => [d.code, d.message])).toEqual([["SC5052", "the query failed in 1 run, first at 2026-11-20T23:30:00.000Z: out of memory"]]);
  });

  it("a watchlist that is not a CSV export (SC5051)", async () => {
    const dir = scratch({ "ChatGPTAdmins.jsonl": "{}\n" });
    const { diagnostics } = await replay({ inputs: [DOMAIN_CREATED], watchlists: [path.join(dir, "ChatGPTAdmins.jsonl")] });
    expect(diagnostics.map((d) => d.code)).toEqual(["SC5051"]);
  });
});

describe("sentinel-content replay", () => {
  afterEach(() => {
    process.exitCode = undefined;
  });
  const range = ["--from", "2026-11-20T22:30:00Z", "--to", "2026-11-21T00:00:00Z", "--rules", CHATGPT_RULE, "-C", REPO];

  it("prints a table of alerts and exits 1 with --fail-on-alert", async () => {
    const { code, stdout } = await runCli("replay", DOMAIN_CREATED, ...range, "--fail-on-alert");
    expect(code).toBe(1);
    expect(stdout).toMatch(/rule\s+run time\s+severity\s+entities\s+title/);
    expect(stdout).toMatch(/ChatGPT SSO, SCIM or domain config changed\s+2026-11-20T23:30:00Z\s+High\s+Account:alice\.martin@example\.com/);
    expect(stdout).toMatch(/runs\/s; [\d.]+ s CPU, peak \d+ MB\)\n$/);
  });

  it("writes the JSON result to --output and exits 0", async () => {
    const output = path.join(scratch({}), "replay.json");
    const { code } = await runCli("replay", DOMAIN_CREATED, ...range, "--format", "json", "--output", output);
    expect(code).toBe(0);
    const written = JSON.parse(readFileSync(output, "utf8")) as { alerts: { runTime: string }[]; stats: { runs: number } };
    expect(written.alerts.map((a) => a.runTime)).toEqual(["2026-11-20T23:30:00.000Z"]);
    expect(written.stats.runs).toBe(2);
  });

  it("writes the HTML report to --html beside the table", async () => {
    const html = path.join(scratch({}), "replay.html");
    const { code, stdout } = await runCli("replay", DOMAIN_CREATED, ...range, "--html", html);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ChatGPT SSO, SCIM or domain config changed/);
    const page = readFileSync(html, "utf8");
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain("ChatGPT identity configuration changed (DOMAIN_CREATE) by alice.martin@example.com");
  });

  it.each([
    ["an unrecognisable file", ["x.jsonl"], [], /x\.jsonl:1: error SC5040/],
    ["a bad range", ["in.jsonl"], ["--to", "2026-11-20T00:00:00Z"], /SC5044/],
    ["a bad datetime", ["in.jsonl"], ["--from", "yesterday"], /SC5044: --from "yesterday"/],
    ["a bad delay", ["in.jsonl"], ["--ingestion-delay", "uniform:5m..1m"], /SC5045/],
    ["a bad map", ["in.jsonl"], ["--map", "in.jsonl"], /SC5046/],
    ["a bad job count", ["in.jsonl"], ["--jobs", "0"], /--jobs must be a whole number ≥ 1, not "0"/],
    ["--jobs with --live", [], ["--live", "--workspace-id", "00000000-0000-0000-0000-000000000000", "--jobs", "2"], /--jobs spreads an offline replay over processes/],
  ])("exits 2 on %s and writes no output file", async (_what, names, extra, message) => {
    const dir = scratch({ "x.jsonl": '{"foo":1}\n', "in.jsonl": readFileSync(DOMAIN_CREATED, "utf8") });
    const output = path.join(dir, "out.json");
    const html = path.join(dir, "out.html");
    const { code, stderr } = await runCli("replay", ...names.map((n) => path.join(dir, n)), ...range, ...extra, "--output", output, "--html", html);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(html)).toBe(false);
  });

  it("shows examples in --help", async () => {
    const { stdout } = await runCli("replay", "--help");
    expect(stdout).toMatch(/Examples:[\s\S]*--ingestion-delay lognormal:median=2m,p99=10m/);
    expect(stdout).toMatch(/--format <format>\s+output format: text, json/);
  });
});
