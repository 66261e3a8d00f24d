import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { itemsFromTemplate } from "./arm-template.ts";
import { parseFunctionParameters, shortDuration } from "./from-rest.ts";
import { parseJson, runImportArm, runImportSigma } from "./import-command.ts";
import { roundTripPair } from "./round-trip.ts";
import { importSigma, kqlString } from "./sigma.ts";
import { importWorkspace } from "./workspace.ts";
import { runImportWorkspaceCommand } from "./workspace-command.ts";
import { firstSource, importFiles } from "./write-items.ts";
import type { Diagnostic } from "../diagnostics/index.ts";
import { startEmulator } from "../deploy/test-support.ts";
import { FAKE_TOKEN } from "../ingest/fakes/credential.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const PAIRS = path.resolve(here, "../../test/fixtures/arm-pairs");
const pairs = readdirSync(PAIRS).filter((d) => /^\d+$/.test(d)).sort();

function render(files: Map<string, string>): string {
  return [...files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([f, t]) => `=== ${f}\n${t}`).join("");
}

describe("round trip: YAML → build --target arm → import arm", () => {
  it.each(pairs)("pair %s gives back the same YAML data", (pair) => {
    const result = roundTripPair(path.join(PAIRS, pair));
    expect(result.buildError).toBeUndefined();
    expect(result.differences).toEqual([]);
  });
  it("from the REST body alone (no template metadata) the fields Sentinel's API has no place for are lost", () => {
    const fields = roundTripPair(path.join(PAIRS, "001"), false).differences.map((d) => d.field).sort();
    expect(fields).toEqual(["description", "requiredDataConnectors", "status", "tags"]);
  });
});

describe("import arm (golden files)", () => {
  it("Microsoft's packaged alert rule (pair 020) as YAML with a test skeleton", async () => {
    const arm = JSON.parse(readFileSync(path.join(PAIRS, "020/arm.json"), "utf8"));
    const { items, diagnostics } = itemsFromTemplate({ $schema: "x", contentVersion: "1.0.0.0", resources: [arm] }, "mainTemplate.json");
    expect(diagnostics.map((d) => d.code)).toEqual(["SC7027"]);
    await expect(render(importFiles(items))).toMatchFileSnapshot("./__golden__/arm-pair-020.txt");
  });
  it("a Content Hub package: rule templates, hunting queries and parsers inside contentTemplates, variables resolved", async () => {
    const template = {
      $schema: "x",
      contentVersion: "1.0.0.0",
      variables: { _ruleId: "not used", columns: "CallerIpAddress" },
      resources: [
        {
          type: "Microsoft.OperationalInsights/workspaces/providers/contentTemplates",
          name: "[concat(parameters('workspace'),'/Microsoft.SecurityInsights/', variables('_ruleId'))]",
          properties: {
            mainTemplate: {
              resources: [
                { type: "Microsoft.SecurityInsights/AlertRuleTemplates", name: "1b2c3d4e-0000-4000-8000-00000000000a", kind: "NRT", properties: { displayName: "NRT rule", description: "d", severity: "Low", query: "AzureActivity\n", tactics: ["Impact"], techniques: ["T1496"], subTechniques: ["T1496.001"], requiredDataConnectors: [{ connectorId: "AzureActivity", dataTypes: ["AzureActivity"] }], status: "Available", customDetails: { Ip: "[variables('columns')]" }, suppressionDuration: "PT5H", suppressionEnabled: true, templateVersion: "1.0.1" } },
                { type: "Microsoft.OperationalInsights/workspaces/savedSearches", name: "[concat(parameters('workspace'),'/h1')]", properties: { category: "Hunting Queries", displayName: "Hunt it", query: "SigninLogs | take 1", tags: [{ name: "description", value: "finds" }, { name: "tactics", value: "Discovery,Collection" }, { name: "techniques", value: "T1087" }] } },
                { type: "Microsoft.OperationalInsights/workspaces/savedSearches", name: "p-1", properties: { displayName: "Parser", category: "Microsoft Sentinel Parser", functionAlias: "MyParser", functionParameters: "since:datetime=datetime(null), names:dynamic=dynamic(['a','b'])", query: "T" } },
                { type: "Microsoft.SecurityInsights/alertRules", name: "fusion", kind: "Fusion", properties: {} },
              ],
            },
          },
        },
      ],
    };
    const { items, diagnostics } = itemsFromTemplate(template, "mainTemplate.json");
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["SC7022", "resources[0].properties.mainTemplate.resources[3]: Fusion rules are not imported (only Scheduled and NRT)"]]);
    await expect(render(importFiles(items))).toMatchFileSnapshot("./__golden__/content-hub-package.txt");
  });
  it.each([
    [{}, "SC7020", "not an ARM template: no `resources` array"],
    [{ resources: [{ type: "Microsoft.Storage/storageAccounts", name: "s" }] }, "SC7021", "no analytic rule, hunting query, parser or watchlist resource in the template"],
  ])("%j → %s", (template, code, message) => {
    expect(itemsFromTemplate(template, "t.json").diagnostics).toMatchObject([{ code, message, file: "t.json" }]);
  });
  it("a rule named only by an expression gets an id derived from its display name (SC7027)", () => {
    const { items, diagnostics } = itemsFromTemplate({ resources: [{ type: "Microsoft.SecurityInsights/alertRules", name: "[parameters('id')]", kind: "Scheduled", properties: { displayName: "X", query: "T" } }] }, "t.json");
    expect(items[0]?.data["id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(diagnostics[0]?.message).toMatch(/derived from the display name "X"/);
  });
});

describe("import bad inputs", () => {
  let dir: string;
  const lines: string[] = [];
  const write = (t: string) => lines.push(t);
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    lines.length = 0;
  });
  it("invalid JSON names file, line and column and writes nothing", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "import-"));
    const file = path.join(dir, "bad.json");
    writeFileSync(file, '{\n  "resources": [\n    oops\n  ]\n}\n');
    expect(await runImportArm([file], { out: dir }, write)).toBe(1);
    expect(lines.join("")).toMatch(/bad\.json:3:5 error SC7020 not valid JSON/);
    expect(existsSync(path.join(dir, "analytics-rules"))).toBe(false);
  });
  it("an unreadable file is SC7020", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "import-"));
    expect(await runImportArm([path.join(dir, "missing.json")], { out: dir }, write)).toBe(1);
    expect(lines.join("")).toMatch(/SC7020 cannot read/);
  });
  it("refuses to overwrite (SC7023) unless --force, and writes nothing then", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "import-"));
    const file = path.join(dir, "t.json");
    writeFileSync(file, JSON.stringify({ resources: [{ type: "Microsoft.SecurityInsights/alertRules", name: "6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10", kind: "Scheduled", properties: { displayName: "Same", query: "T" } }] }));
    expect(await runImportArm([file], { out: dir }, write)).toBe(0);
    const rule = path.join(dir, "analytics-rules/imported/same.yaml");
    writeFileSync(rule, "edited\n");
    expect(await runImportArm([file], { out: dir }, write)).toBe(1);
    expect(readFileSync(rule, "utf8")).toBe("edited\n");
    expect(lines.join("")).toMatch(/SC7023 analytics-rules\/imported\/same\.yaml exists/);
    expect(await runImportArm([file], { out: dir, force: true }, write)).toBe(0);
    expect(readFileSync(rule, "utf8")).toMatch(/name: Same/);
  });
  it("parseJson ignores a byte-order mark", () => {
    const diagnostics: Diagnostic[] = [];
    expect(parseJson('\ufeff{"a":1}', "f", diagnostics)).toEqual({ a: 1 });
    expect(diagnostics).toEqual([]);
  });
});

describe("REST → YAML helpers", () => {
  it.each([
    ["P1D", "1d"],
    ["PT24H", "24h"],
    ["PT5M", "5m"],
    ["PT1H30M", "PT1H30M"],
  ])("duration %s → %s", (iso, short) => expect(shortDuration(iso)).toBe(short));
  it("function parameters split outside quotes and brackets", () => {
    expect(parseFunctionParameters("a:string='x, y', b:dynamic=dynamic([1,2]), c:int")).toEqual([
      { Name: "a", Type: "string", Default: "'x, y'" },
      { Name: "b", Type: "dynamic", Default: "dynamic([1,2])" },
      { Name: "c", Type: "int" },
    ]);
  });
  it.each([
    ["// c\nlet x = 1;\nSigninLogs\n| where true", "SigninLogs"],
    ["let f = (a:int) {\n  a\n};\nAzureActivity | take 1", "AzureActivity"],
    ["", undefined],
  ])("first source of %j", (query, table) => expect(firstSource(query)).toBe(table));
});

const SIGMA = `title: Suspicious encoded PowerShell
id: 5b7a1f3e-2c4d-4e6f-8a9b-0c1d2e3f4a5b
status: test
description: Encoded command lines.
references:
  - https://example.org/encoded
tags:
  - attack.execution
  - attack.defense-evasion
  - attack.t1059.001
logsource:
  product: windows
  category: process_creation
detection:
  selection_img:
    - Image|endswith: '\\powershell.exe'
    - OriginalFileName: PowerShell.EXE
  selection_cli:
    CommandLine|contains|all:
      - ' -enc'
      - 'JAB'
  filter_admin:
    User: 'SYSTEM'
    ParentImage: 'C:\\Windows\\*\\svc?.exe'
  condition: all of selection_* and not filter_admin
level: high
`;

describe("import sigma", () => {
  const noColumns = () => undefined;
  it("converts a process-creation rule (golden)", async () => {
    const { items, diagnostics } = importSigma(SIGMA, "s.yml", undefined, noColumns);
    expect(diagnostics).toEqual([]);
    await expect(render(importFiles(items))).toMatchFileSnapshot("./__golden__/sigma-process-creation.txt");
  });
  it("takes a backend's Kusto query as given and suggests entities from its result columns", () => {
    const query = "DeviceProcessEvents | where FileName =~ 'powershell.exe' | project TimeGenerated, DeviceName, AccountName, RemoteIP";
    const { items } = importSigma(SIGMA, "s.yml", query, () => ["TimeGenerated", "DeviceName", "AccountName", "RemoteIP"]);
    expect(items[0]?.data).toMatchObject({
      query: `${query}\n`,
      tactics: ["Execution", "DefenseEvasion"],
      relevantTechniques: ["T1059.001"],
      severity: "High",
      entityMappings: [
        { entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "DeviceName" }] },
        { entityType: "Account", fieldMappings: [{ identifier: "Name", columnName: "AccountName" }] },
        { entityType: "IP", fieldMappings: [{ identifier: "Address", columnName: "RemoteIP" }] },
      ],
    });
  });
  it.each([
    [SIGMA.replace("category: process_creation", "category: dns_query"), "SC7025", /no table is known for this log source/],
    [SIGMA.replace("Image|endswith", "Image|base64offset"), "SC7024", /modifier "base64offset" is not converted/],
    [SIGMA.replace("User: 'SYSTEM'", "Unknown: x"), "SC7024", /field "Unknown" has no column in DeviceProcessEvents/],
    [SIGMA.replace("condition: all of selection_* and not filter_admin", "condition: selection_img | count() > 5"), "SC7024", /aggregation conditions/],
    [SIGMA.replace("condition: all of selection_* and not filter_admin", "condition: (selection_img"), "SC7024", /unbalanced parentheses|ends too early/],
    [SIGMA.replace("condition: all of selection_* and not filter_admin", "condition: nope"), "SC7024", /names "nope", which is not a selection/],
    ["title: x\ndetection: [\n", "SC7020", /not a Sigma YAML rule/],
    ["title: x\n", "SC7020", /needs a title and a detection block/],
  ])("refuses %#: %s", (text, code, message) => {
    const { items, diagnostics } = importSigma(text, "s.yml", undefined, noColumns);
    expect(items).toEqual([]);
    expect(diagnostics[0]?.code).toBe(code);
    expect(diagnostics[0]?.message).toMatch(message);
  });
  it("a YAML error names the line and column", () => {
    expect(importSigma("title: x\ndetection:\n  a: [1,\n", "s.yml", undefined, noColumns).diagnostics[0]).toMatchObject({ code: "SC7020", file: "s.yml", line: 4 });
  });
  it("KQL literals are verbatim strings with quotes doubled", () => {
    expect(kqlString("C:\\it's")).toBe("@'C:\\it''s'");
  });
  it("--query goes with exactly one file", async () => {
    await expect(runImportSigma(["a.yml", "b.yml"], { query: "q.kql" }, () => {})).rejects.toThrow(/exactly one Sigma file/);
  });
});

describe("import workspace (ARM emulator)", () => {
  const target = { subscriptionId: "00000000-0000-0000-0000-000000000001", resourceGroup: "rg", workspaceName: "law", location: "westeurope" };
  const ws = `/subscriptions/${target.subscriptionId}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law`;
  it("imports every rule, hunting query, parser and watchlist (with its items), not only repository-owned ones (golden)", async () => {
    const { emulator, client } = await startEmulator();
    try {
      emulator.seed(`${ws}/providers/Microsoft.SecurityInsights/alertRules/0a1b2c3d-0000-4000-8000-000000000001`, { kind: "Scheduled", properties: { displayName: "Portal rule", description: "made in the portal", severity: "Medium", enabled: true, query: "SigninLogs\n| where ResultType != 0\n", queryFrequency: "PT1H", queryPeriod: "P1D", triggerOperator: "GreaterThan", triggerThreshold: 5, suppressionDuration: "PT5H", suppressionEnabled: false, tactics: ["CredentialAccess"], techniques: ["T1110"] } });
      emulator.seed(`${ws}/providers/Microsoft.SecurityInsights/alertRules/builtin-fusion`, { kind: "Fusion", properties: { enabled: true } });
      emulator.seed(`${ws}/savedSearches/hunt-1`, { properties: { category: "Hunting Queries", displayName: "Hunt", query: "AzureActivity | take 10", tags: [{ name: "description", value: "look" }] } });
      emulator.seed(`${ws}/savedSearches/fn-1`, { properties: { category: "Functions", displayName: "Fn", functionAlias: "MyFn", query: "Heartbeat" } });
      emulator.seed(`${ws}/savedSearches/plain-search`, { properties: { category: "Log Management", displayName: "Saved", query: "Usage" } });
      emulator.seed(`${ws}/providers/Microsoft.SecurityInsights/watchlists/VIPs`, { properties: { watchlistAlias: "VIPs", displayName: "VIP users", provider: "Custom", source: "Local file", itemsSearchKey: "Upn" } });
      emulator.seed(`${ws}/providers/Microsoft.SecurityInsights/watchlists/VIPs/watchlistItems/i1`, { properties: { itemsKeyValue: { Upn: "ceo@contoso.com", Tier: "0" } } });
      const { items, diagnostics } = await importWorkspace(client, target, "workspace law");
      expect(diagnostics.map((d) => d.message)).toEqual(["builtin-fusion: Fusion rules are not imported (only Scheduled and NRT)"]);
      await expect(render(importFiles(items))).toMatchFileSnapshot("./__golden__/workspace.txt");
    } finally {
      await emulator.stop();
    }
  });
  it("the command reads the workspace through --arm-endpoint and writes the YAML and test skeletons", async () => {
    const { emulator } = await startEmulator();
    const endpoint = emulator.endpoint;
    const out = mkdtempSync(path.join(os.tmpdir(), "import-ws-"));
    try {
      emulator.seed(`${ws}/providers/Microsoft.SecurityInsights/alertRules/0a1b2c3d-0000-4000-8000-000000000002`, { kind: "NRT", properties: { displayName: "NRT portal rule", description: "d", severity: "High", query: "AuditLogs\n", tactics: [] } });
      const lines: string[] = [];
      const code = await runImportWorkspaceCommand({ subscription: target.subscriptionId, resourceGroup: "rg", workspace: "law", armEndpoint: endpoint, out }, (t) => lines.push(t));
      expect(code).toBe(0);
      expect(lines.join("")).toMatch(/Imported 1 rule, 0 hunting queries, 0 parsers, 0 watchlists/);
      expect(readFileSync(path.join(out, "analytics-rules/imported/nrt-portal-rule.tests.yaml"), "utf8")).toMatch(/AuditLogs: \[\]/);
      // signed with the loopback fakes' credential
      expect(new Set(emulator.seen.map((s) => s.authorization))).toEqual(new Set([`Bearer ${FAKE_TOKEN}`]));
    } finally {
      await emulator.stop();
      rmSync(out, { recursive: true, force: true });
    }
  });
  it("refuses a non-loopback --arm-endpoint and a missing workspace", async () => {
    await expect(runImportWorkspaceCommand({ armEndpoint: "https://example.org", subscription: "s", resourceGroup: "r", workspace: "w" }, () => {})).rejects.toThrow(/loopback emulator only/);
    await expect(runImportWorkspaceCommand({}, () => {})).rejects.toThrow(/give --env <name>, or --subscription/);
  });
  it("an ARM failure is SC7026 with the error, nothing imported", async () => {
    const { emulator, client } = await startEmulator();
    try {
      emulator.faults.push({ path: "/alertRules", status: 403, times: 1, code: "AuthorizationFailed" });
      const { items, diagnostics } = await importWorkspace(client, target, "workspace law");
      expect(items).toEqual([]);
      expect(diagnostics[0]?.code).toBe("SC7026");
    } finally {
      await emulator.stop();
    }
  });
});
