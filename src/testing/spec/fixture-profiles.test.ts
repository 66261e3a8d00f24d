import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, vi } from "vitest";
import { main } from "../../cli/main.ts";
import { loadProfiles } from "../../profiles/profile.ts";
import { validateContent } from "../../validate/validate.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

const START = { ActivityStatusValue: "Start", ActivitySubstatusValue: "", CorrelationId: "c-1", EventDataId: "e-1", CategoryValue: "Administrative" };
const SUCCESS = { ActivityStatusValue: "Success", ActivitySubstatusValue: "Created", CorrelationId: "c-1", EventDataId: "e-2", CategoryValue: "Administrative" };
const BODY = { requestbody: '{"kind":"OpenAI","location":"westus"}' };

/** A repository with one real profile, one tests file and its fixture rows for the profile's table. */
function repoWith(rows: readonly Record<string, unknown>[], profile = "AzureActivity", table = "AzureActivity", key = "tables"): string {
  const root = mkdtempSync(path.join(tmpdir(), "fixture-profiles-"));
  temporaryFolders.push(root);
  mkdirSync(path.join(root, "profiles"));
  cpSync(path.join(REPO, "profiles", `${profile}.yaml`), path.join(root, "profiles", `${profile}.yaml`));
  mkdirSync(path.join(root, "analytics-rules", "fixtures"), { recursive: true });
  writeFileSync(path.join(root, "analytics-rules", "fixtures", "rows.jsonl"), rows.map((r) => JSON.stringify(r)).join("\n") + "\n");
  writeFileSync(
    path.join(root, "analytics-rules", "rule.tests.yaml"),
    ["cases:", "  - name: one", "    now: 2026-11-20T12:00:00Z", `    ${key}:`, `      ${table}: fixtures/rows.jsonl`, "    expect:", "      alert: false", ""].join("\n"),
  );
  return root;
}

async function findings(rows: readonly Record<string, unknown>[], code: string, where: [string, string, string] = ["AzureActivity", "AzureActivity", "tables"]) {
  const result = await validateContent({ root: repoWith(rows, ...where), kql: false });
  return result.diagnostics.filter((d) => d.code === code);
}

describe("fixtures against source profiles", () => {
  it("every profile of the repository loads cleanly and cites only its own references", () => {
    const { profiles, diagnostics } = loadProfiles(REPO);
    expect(diagnostics).toEqual([]);
    expect(profiles.map((p) => p.source)).toContain("AzureActivity");
  });

  it("validate rejects a request body on a Success row, at its file, line and column, with the reason and source", async () => {
    const [finding, ...rest] = await findings([{ ...START, Properties_d: BODY }, { ...SUCCESS, Properties_d: BODY }], "SC2160");
    expect(rest).toEqual([]);
    expect(finding?.file).toBe("analytics-rules/fixtures/rows.jsonl");
    expect(finding?.line).toBe(2);
    expect(finding?.col).toBeGreaterThan(1);
    expect(finding?.message).toContain("requestbody-on-start-only");
    expect(finding?.message).toContain("only on the Start row");
    expect(finding?.message).toContain("azure_activity.csv");
    expect(finding?.severity).toBe("error");
  });

  it("test reports the same finding and exits 1", async () => {
    const root = repoWith([{ ...START, Properties_d: BODY }, { ...SUCCESS, Properties_d: BODY }]);
    let printed = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => ((printed += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => ((printed += String(chunk)), true));
    const code = await main(["node", "sentinel-content", "test", "--root", root, "--format", "json"]);
    vi.restoreAllMocks();
    expect(code === 1 || process.exitCode === 1).toBe(true);
    process.exitCode = 0;
    expect(printed).toContain("SC2160");
    expect(printed).toContain("requestbody-on-start-only");
  });

  it("accepts the body on the Start row and a bodyless Success row", async () => {
    expect(await findings([{ ...START, Properties_d: BODY }, { ...SUCCESS, Properties_d: {} }], "SC2160")).toEqual([]);
  });

  it("reads the legacy Properties string too", async () => {
    const rows = [{ ...SUCCESS, Properties: JSON.stringify(BODY) }];
    expect((await findings(rows, "SC2160")).map((d) => d.message)).toEqual([expect.stringContaining("requestbody-on-start-only-legacy")]);
  });

  it("reports a value outside the vocabulary (SC2161) and a repeated event id (SC2160)", async () => {
    expect(await findings([{ ...START, ActivityStatusValue: "Done" }], "SC2161")).toHaveLength(1);
    expect((await findings([START, { ...START }], "SC2160")).map((d) => d.message)).toEqual([expect.stringContaining("event-id-unique")]);
  });

  it("a row opts out only with a written reason, and only of a finding it has", async () => {
    const excused = { ...SUCCESS, Properties_d: BODY, $profileException: { invariants: ["requestbody-on-start-only"], reason: "a malformed row on purpose" } };
    expect(await findings([excused], "SC2160")).toEqual([]);
    expect(await findings([excused], "SC2162")).toEqual([]);
    const noReason = { ...excused, $profileException: { invariants: ["requestbody-on-start-only"] } };
    expect(await findings([noReason], "SC2162")).toHaveLength(1);
    expect(await findings([noReason], "SC2160")).toHaveLength(1);
    const unused = { ...SUCCESS, $profileException: { invariants: ["requestbody-on-start-only"], reason: "a malformed row on purpose" } };
    expect((await findings([unused], "SC2162")).map((d) => d.message)).toEqual([expect.stringContaining("excuses nothing")]);
  });

  const AOAI = { ResourceProvider: "MICROSOFT.COGNITIVESERVICES", Category: "RequestResponse", CallerIPAddress: "81.2.69.***", ResultSignature: "200" };
  const RAW = { event_id: "e-1", type: "AUDIT_LOG", timestamp: "2026-11-20T11:40:00.000000Z", action_result: "SUCCESS", actor: { type: "ACCOUNT_USER", user_id: "u", user_email: "a@example.com" } };
  it.each([
    ["an unmasked IPv4 caller on an Azure OpenAI row", "AzureDiagnostics", "AzureDiagnostics", "tables", { ...AOAI, CallerIPAddress: "81.2.69.144" }, "caller-ip-masked"],
    ["a category Cognitive Services never sends", "AzureDiagnostics", "AzureDiagnostics", "tables", { ...AOAI, Category: "GatewayLogs" }, "cognitive-category"],
    ["a raw ChatGPT audit event without action_result", "ChatGPTComplianceLogs", "Custom-ChatGPTComplianceRaw", "input", { ...RAW, action_result: "" }, "audit-result"],
    ["a raw ChatGPT user actor without an e-mail", "ChatGPTComplianceLogs", "Custom-ChatGPTComplianceRaw", "input", { ...RAW, actor: { type: "ACCOUNT_USER", user_id: "u" } }, "user-actor-has-email"],
    ["an OpenAI event type that is not dotted", "OpenAIAuditLogs_CL", "OpenAIAuditLogs_CL", "tables", { Id: "audit_log-1", EventType: "ApiKeyCreated", ActorType: "session" }, "table-event-type-dotted"],
  ])("rejects %s", async (_, profile, table, key, row, invariant) => {
    const where: [string, string, string] = [profile, table, key];
    expect((await findings([row], "SC2160", where)).map((d) => d.message)).toEqual([expect.stringContaining(`(${invariant})`)]);
  });

  it.each([
    ["a masked Azure OpenAI row and another provider's row", "AzureDiagnostics", "AzureDiagnostics", "tables", [AOAI, { ResourceProvider: "MICROSOFT.KEYVAULT", Category: "AuditEvent", CallerIPAddress: "10.0.0.1" }]],
    ["a raw ChatGPT audit event", "ChatGPTComplianceLogs", "Custom-ChatGPTComplianceRaw", "input", [RAW]],
  ])("accepts %s", async (_, profile, table, key, rows) => {
    const where: [string, string, string] = [profile, table, key];
    expect(await findings(rows, "SC2160", where)).toEqual([]);
  });

  it("an invalid profile is reported at its line and left out", async () => {
    const root = repoWith([{ ...SUCCESS, Properties_d: BODY }]);
    writeFileSync(path.join(root, "profiles", "Broken.yaml"), "source: Other\ntitle: t\nappliesTo: { tables: [AzureActivity] }\nreferences: { a: { title: t, where: w } }\ncolumns: {}\ninvariants:\n  - { id: x, require: { field: A, present: true }, reason: r, sources: [nope], verified: true }\n");
    const { diagnostics } = loadProfiles(root);
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["SC2163", 1],
      ["SC2163", 7],
    ]);
  });
});
