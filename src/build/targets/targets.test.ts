import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { buildAlertRule } from "../alert-rule.ts";
import { buildIngestion } from "../ingestion.ts";
import { buildHuntingQuery, buildParser } from "../saved-search.ts";
import type { BuiltResource } from "../types.ts";
import { buildWatchlist } from "../watchlist.ts";
import { buildWorkbook } from "../workbook.ts";
import { armString, armTemplate } from "./arm.ts";
import { bicepString } from "./bicep.ts";
import { defenderFit } from "./defender.ts";
import { buildTarget, BUILD_TARGETS, SYMBOLIC_WORKSPACE, type SourceItem, type TargetInput } from "./index.ts";
import { solutionOptions, targetSummary } from "./target-command.ts";
import { terraformString } from "./terraform.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const context = { target: SYMBOLIC_WORKSPACE, repository: "repo" };
const at = () => ({ file: "x.yaml" });

const RULE = {
  id: "6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10", name: "Key listed from 'new' network", description: "Fires on ${x} and [brackets]\n", severity: "High",
  query: "DeviceEvents\n| where ActionType == \"X\" and Timestamp > ago(1h)\n| project Timestamp, ReportId, DeviceId, AccountUpn\n", queryFrequency: "1h", queryPeriod: "1h",
  triggerOperator: "gt", triggerThreshold: 0, tactics: ["CredentialAccess"], relevantTechniques: ["T1552.001"], version: "1.0.0", kind: "Scheduled",
  entityMappings: [{ entityType: "Host", fieldMappings: [{ identifier: "HostName", columnName: "DeviceId" }] }],
  "x-genai": { useCase: "AOAI-001" },
};
const BASELINE = { ...RULE, id: "0a3f4b5c-2d1e-4f6a-8b7c-9d0e1f2a3b4c", name: "Baseline", queryFrequency: "1h", queryPeriod: "14d", triggerThreshold: 3, query: "AzureDiagnostics\n| summarize count() by CallerIPAddress\n" };
const HUNT = { id: "2b8e9c1d-4f5a-4b6c-8d7e-1f2a3b4c5d6e", name: "Hunt", description: "h", query: "AzureActivity | take 1\n", tactics: ["Discovery"] };
const PARSER = { id: "1f7a5c2e-8d43-4b9a-b6e1-3c5d7e9f0a24", ParserName: "GenAI_Events", Parser: { Title: "Events" }, ParserQuery: "AzureDiagnostics | take 1\n", ParserParams: [{ Name: "since", Type: "datetime", Default: "datetime(null)" }] };
const WATCHLIST = { id: "w1", watchlistAlias: "KeyReaders", displayName: "Key readers", itemsSearchKey: "Upn", columns: ["Upn"], items: [{ Upn: "a@b.c" }] };
const WORKBOOK = { id: "b7d3f1a9-4c62-4e85-9a0b-6f2e8d4c1a57", displayName: "Overview", content: { version: "Notebook/1.0", items: [] } };
const INGESTION = { id: "ing-1", name: "audit", tables: [{ name: "Audit_CL", columns: [{ name: "TimeGenerated", type: "datetime" }] }], streams: [{ name: "Custom-In", columns: [{ name: "t", type: "datetime" }] }], dataFlows: [{ streams: ["Custom-In"], outputStream: "Custom-Audit_CL", transformKql: "source\n" }] };

const SOURCES: SourceItem[] = [
  { file: "analytics-rules/a/key-listed.yaml", kind: "analytic-rule", data: RULE, text: "# rule\nid: 6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10\nname: Key listed\nx-genai:\n  useCase: AOAI-001\n" },
  { file: "analytics-rules/a/baseline.yaml", kind: "analytic-rule", data: BASELINE, text: "id: 0a3f4b5c-2d1e-4f6a-8b7c-9d0e1f2a3b4c\n" },
  { file: "hunting-queries/a/hunt.yaml", kind: "hunting-query", data: HUNT, text: "id: 2b8e9c1d\n" },
  { file: "parsers/events.yaml", kind: "parser", data: PARSER, text: "" },
  { file: "watchlists/key-readers.yaml", kind: "watchlist", data: WATCHLIST, text: "" },
  { file: "workbooks/overview.yaml", kind: "workbook", data: WORKBOOK, text: "" },
  { file: "ingestion/audit.yaml", kind: "ingestion-mapping", data: INGESTION, text: "" },
];

function resources(): BuiltResource[] {
  const out = [
    ...buildIngestion(INGESTION, "ingestion/audit.yaml", at, context).resources,
    ...buildParser(PARSER, "parsers/events.yaml", at, context).resources,
    ...buildWatchlist(WATCHLIST, "watchlists/key-readers.yaml", at, context).resources,
    ...buildAlertRule(RULE, "analytics-rules/a/key-listed.yaml", at, context).resources,
    ...buildAlertRule(BASELINE, "analytics-rules/a/baseline.yaml", at, context).resources,
    ...buildHuntingQuery(HUNT, "hunting-queries/a/hunt.yaml", at, context).resources,
    ...buildWorkbook(WORKBOOK, "workbooks/overview.yaml", at, context).resources,
  ];
  return out;
}

const INPUT: TargetInput = { resources: resources(), items: SOURCES, repository: "repo" };
const COLUMNS: Record<string, string[]> = { [RULE.query]: ["Timestamp", "ReportId", "DeviceId", "AccountUpn"], [BASELINE.query]: ["CallerIPAddress", "count_"] };
const DEPENDENCIES = { columnsOf: (q: string) => COLUMNS[q], solution: solutionOptions({ firstPublishDate: "2026-01-01" }) };

function render(target: (typeof BUILD_TARGETS)[number]): string {
  const output = buildTarget(target, INPUT, DEPENDENCIES);
  const files = [...output.files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([file, text]) => `=== ${file}\n${text}`);
  return `${files.join("")}=== summary\n${targetSummary(target, output, `out/${target}`)}`;
}

function ajv(): Ajv2020 {
  return new Ajv2020({ strict: false, allErrors: true });
}

describe("build targets (golden files)", () => {
  it.each(BUILD_TARGETS)("%s", async (target) => {
    await expect(render(target)).toMatchFileSnapshot(`./__golden__/${target}.txt`);
  });
});

describe("ARM deployment templates validate against the deployment-template schema", () => {
  const validate = ajv().compile(JSON.parse(readFileSync(path.join(here, "schemas/deployment-template.subset.schema.json"), "utf8")));
  const templates = (target: (typeof BUILD_TARGETS)[number]) =>
    [...buildTarget(target, INPUT, DEPENDENCIES).files.entries()].filter(([f]) => f.endsWith(".json") && (/^(AnalyticsRules|HuntingQueries|Parsers|Workbooks|content-hub\/Watchlists)\//.test(f) || f === "azuredeploy.json"));
  it.each(["arm", "repositories", "content-hub"] as const)("%s", (target) => {
    const files = templates(target);
    expect(files.length).toBeGreaterThan(0);
    for (const [file, text] of files) expect({ file, valid: validate(JSON.parse(text)), errors: validate.errors ?? null }).toEqual({ file, valid: true, errors: null });
  });
  it("the schema rejects what Azure rejects (a template without contentVersion, a resource without type)", () => {
    expect(validate({ $schema: "x", resources: [] })).toBe(false);
    expect(validate({ $schema: "x", contentVersion: "1.0.0.0", resources: [{ name: "n" }] })).toBe(false);
  });
});

describe("defender detection rules validate against the Graph detectionRule shape", () => {
  const validate = ajv().compile(JSON.parse(readFileSync(path.join(here, "schemas/graph-detection-rule.schema.json"), "utf8")));
  it("every built rule", () => {
    const output = buildTarget("defender", INPUT, DEPENDENCIES);
    const rules = [...output.files.entries()].filter(([f]) => !f.endsWith("manifest.json"));
    expect(rules.map(([f]) => f)).toEqual(["defender/key-listed.json"]);
    for (const [, text] of rules) expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
  });
  it("the shape rejects a schedule Graph does not accept", () => {
    const rule = JSON.parse(buildTarget("defender", INPUT, DEPENDENCIES).files.get("defender/key-listed.json") as string);
    expect(validate({ ...rule, schedule: { period: "6H" } })).toBe(false);
  });
});

describe("what defender cannot express", () => {
  const fit = (patch: Record<string, unknown>, columns: string[] | undefined = COLUMNS[RULE.query]) => defenderFit({ ...RULE, ...patch }, () => columns).reasons;
  it.each([
    [{ queryFrequency: "5m" }, /queryFrequency 5m: custom detections run every 1, 3, 12 or 24 hours/],
    [{ queryPeriod: "14d" }, /queryPeriod 14d is longer than the 4-hour lookback/],
    [{ queryPeriod: "30m", query: "DeviceEvents | project Timestamp" }, /shorter than the 4-hour lookback .* no time filter/],
    [{ triggerThreshold: 5 }, /no trigger threshold/],
    [{ kind: "NRT", query: "AzureDiagnostics | project Timestamp" }, /NRT: continuous custom detections read exactly one of the tables/],
    [{ kind: "NRT", query: "DeviceEvents | join (DeviceInfo) on DeviceId" }, /cannot use join, union or externaldata/],
  ])("%j", (patch, reason) => {
    expect(fit(patch).join("; ")).toMatch(reason);
  });
  it("names the missing required and impacted-asset columns", () => {
    expect(fit({}, ["TimeGenerated", "Caller"])).toEqual([
      "the results lack Timestamp and ReportId, which custom detections require",
      expect.stringMatching(/^the results hold no impacted-asset column/),
    ]);
    expect(defenderFit(RULE, () => undefined).reasons).toEqual(["the query's result columns could not be determined, so the required columns cannot be checked"]);
  });
  it("a fitting rule has no reasons and one asset per entity type", () => {
    expect(defenderFit(RULE, () => ["Timestamp", "ReportId", "DeviceId", "DeviceName", "AccountUpn"])).toEqual({ reasons: [], period: "1H", assets: ["DeviceId", "AccountUpn"] });
  });
});

describe("deploy-time values", () => {
  const ws = SYMBOLIC_WORKSPACE.workspaceName;
  it.each([
    ["plain", "plain"],
    ["[literal]", "[[literal]"],
    [`${ws}`, "[parameters('workspace')]"],
    [`it's {x} ${ws}/y`, "[format('it''s {{x}} {0}/y', parameters('workspace'))]"],
  ])("ARM %j → %j", (value, expected) => expect(armString(value)).toBe(expected));
  it.each([
    ["a'b\\c\n${x}", "'a\\'b\\\\c\\n\\${x}'"],
    [`dcr-${ws}`, "'dcr-${workspace}'"],
  ])("Bicep %j → %j", (value, expected) => expect(bicepString(value)).toBe(expected));
  it.each([
    ["${x} %{y}", "$${x} %%{y}"],
    [`dcr-${ws}`, "dcr-${var.workspace_name}"],
  ])("Terraform %j → %j", (value, expected) => expect(terraformString(value)).toBe(expected));
  it("the single template orders by tier with dependsOn and bakes in no workspace", () => {
    const template = armTemplate(INPUT.resources) as { resources: { type: string; dependsOn?: string[] }[] };
    expect(JSON.stringify(template)).not.toMatch(/\ue000|00000000-0000|westeurope/);
    const rule = template.resources.find((r) => r.type === "Microsoft.SecurityInsights/alertRules");
    expect(rule?.dependsOn).toHaveLength(4);
  });
});
