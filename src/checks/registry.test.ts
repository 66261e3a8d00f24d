import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ContentKind } from "../content/kinds.ts";
import { loadFile, loadText, type LoadedFile } from "../load/index.ts";
import { CHECKS, runChecks } from "./registry.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

function load(text: string, kind: ContentKind, path = "analytics-rules/x/rule.yaml"): LoadedFile {
  const { file, diagnostics } = loadText(text, path, kind);
  if (!file) throw new Error(JSON.stringify(diagnostics));
  return file;
}

/** Findings of one code over the given files, as "code file:line:col". */
function findings(code: string, files: LoadedFile[]): string[] {
  const check = CHECKS.find((make) => make().code === code);
  if (!check) throw new Error(`no check ${code}`);
  return runChecks(files, [check]).map((d) => `${d.code} ${d.file === files[0]?.path ? "" : `${d.file} `}${d.line}:${d.col}`);
}

const RULE = `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0001
name: Example rule
description: Finds things.
severity: Medium
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [Persistence, PrivilegeEscalation]
relevantTechniques: [T1098, T1098.001]
query: |
  AzureActivity
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Caller
customDetails:
  Caller: Caller
alertDetailsOverride:
  alertDisplayNameFormat: "{{Caller}} did {{OperationName}}"
version: 1.0.0
kind: Scheduled
x-genai:
  atlas: [AML.T0051.000]
`;

const entities = (n: number, identifiers = 1) =>
  `entityMappings:\n${Array.from({ length: n }, () => `  - entityType: Account\n    fieldMappings:\n${Array.from({ length: identifiers }, (_, i) => `      - identifier: ${["FullName", "Name", "NTDomain", "Sid"][i]}\n        columnName: C${i}\n`).join("")}`).join("")}`;
const details = (n: number) => `customDetails:\n${Array.from({ length: n }, (_, i) => `  D${i}: C${i}\n`).join("")}`;
const replaceBlock = (text: string, key: string, block: string) => text.replace(new RegExp(`${key}:\\n(  .*\\n)+`), block);

const GROUPING = (entities: string) =>
  `incidentConfiguration:\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    reopenClosedIncident: false\n    lookbackDuration: 5h\n    matchingMethod: Selected\n    groupByEntities: ${entities}\n`;
const DYNAMIC = (property: string) => `  alertDynamicProperties:\n    - alertProperty: ${property}\n      value: Caller\n`;
/** RULE with more lines at the end of its alertDetailsOverride block. */
const OVERRIDE = (lines: string) => RULE.replace("{{OperationName}}\"\n", `{{OperationName}}"\n${lines}`);

const TESTS = `cases:
  - name: a
    now: 2026-11-20T12:00:00Z
    expect: { alert: true }
  - name: b
    expect: { rows: 0 }
`;

const WATCHLIST = "id: x\nwatchlistAlias: A\ndisplayName: A\nprovider: Custom\nitemsSearchKey: Cidr\ncolumns: [Cidr, Description]\nitems:\n  - { Cidr: 10.0.0.0/8, Description: corp }\n";
const WORKBOOK = "id: x\ndisplayName: W\ncontent:\n  version: Notebook/1.0\n  items:\n    - type: 3\n      name: a\n      content: { query: T }\n    - type: 12\n      content:\n        items:\n          - { type: 3, name: b, content: { query: T } }\n";

// [code, kind, passing text, failing text, expected finding position, path of the file]
const CASES: [string, ContentKind, string, string, string, string?][] = [
  ["SC2101", "analytic-rule", RULE, RULE.replace(/^id: .*$/m, "id: not-a-guid"), "1:5"],
  ["SC2104", "analytic-rule", RULE, RULE.replace("version: 1.0.0", "version: '1.0'"), "23:10"],
  ["SC2110", "analytic-rule", RULE, RULE.replace("queryFrequency: 1h", "queryFrequency: PT1H"), "6:17"],
  ["SC2111", "analytic-rule", RULE.replace("queryFrequency: 1h", "queryFrequency: 14d").replace("queryPeriod: 1h", "queryPeriod: 14d"), RULE.replace("queryFrequency: 1h", "queryFrequency: 2m"), "6:17"],
  ["SC2112", "analytic-rule", RULE.replace("queryPeriod: 1h", "queryPeriod: 5m").replace("queryFrequency: 1h", "queryFrequency: 5m"), RULE.replace("queryPeriod: 1h", "queryPeriod: 15d"), "7:14"],
  ["SC2113", "analytic-rule", RULE.replace("queryPeriod: 1h", "queryPeriod: 60m"), RULE.replace("queryPeriod: 1h", "queryPeriod: 30m"), "7:14"],
  ["SC2114", "analytic-rule", RULE.replace(/queryFrequency.*\nqueryPeriod.*\ntriggerOperator.*\ntriggerThreshold.*\n/, "").replace("kind: Scheduled", "kind: NRT"), RULE.replace(/queryPeriod.*\ntriggerOperator.*\ntriggerThreshold.*\n/, "").replace("kind: Scheduled", "kind: NRT"), "6:1"],
  ["SC2115", "analytic-rule", RULE.replace("triggerThreshold: 0", "triggerThreshold: 10000"), RULE.replace("triggerThreshold: 0", "triggerThreshold: 10001"), "9:19"],
  ["SC2116", "analytic-rule", `${RULE}suppressionDuration: 24h\nsuppressionEnabled: true\n`, `${RULE}suppressionDuration: 2d\nsuppressionEnabled: true\n`, "27:22"],
  ["SC2117", "analytic-rule", `${RULE}suppressionDuration: 5h\nsuppressionEnabled: true\n`, `${RULE}suppressionEnabled: true\n`, "27:1"],
  ["SC2118", "analytic-rule", `${RULE}incidentConfiguration:\n  createIncident: true\n  groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 7d, matchingMethod: AllEntities }\n`, `${RULE}incidentConfiguration:\n  createIncident: true\n  groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 8d, matchingMethod: AllEntities }\n`, "29:90"],
  ["SC2120", "analytic-rule", RULE, RULE.replace("tactics: [Persistence, PrivilegeEscalation]", "tactics: [Persistence, Privilege escalation]"), "10:24"],
  ["SC2121", "analytic-rule", RULE, RULE.replace("PrivilegeEscalation]", "privilegeEscalation]"), "10:24"],
  ["SC2122", "analytic-rule", RULE, RULE.replace("T1098.001]", "T1098-001]"), "11:29"],
  ["SC2123", "analytic-rule", RULE, RULE.replace("T1098.001]", "T1086]"), "11:29"],
  ["SC2124", "analytic-rule", RULE, RULE.replace("T1098.001]", "T1496]"), "11:29"],
  ["SC2125", "analytic-rule", RULE, RULE.replace("AML.T0051.000", "AML.T0999"), "26:11"],
  ["SC2130", "analytic-rule", RULE, RULE.replace("entityType: Account", "entityType: File hash"), "15:17"],
  ["SC2131", "analytic-rule", RULE, RULE.replace("identifier: FullName", "identifier: Address"), "17:21"],
  ["SC2132", "analytic-rule", replaceBlock(RULE, "entityMappings", entities(10)), replaceBlock(RULE, "entityMappings", entities(11)), "55:5"],
  ["SC2133", "analytic-rule", replaceBlock(RULE, "entityMappings", entities(1, 3)), replaceBlock(RULE, "entityMappings", entities(1, 4)), "23:9"],
  ["SC2134", "analytic-rule", replaceBlock(RULE, "customDetails", details(20)), replaceBlock(RULE, "customDetails", details(21)), "40:3"],
  ["SC2135", "analytic-rule", RULE, RULE.replace('"{{Caller}} did {{OperationName}}"', '"{{A}} {{B}} {{C}} {{D}}"'), "22:27"],
  ["SC2136", "analytic-rule", RULE, RULE.replace("identifier: FullName", "identifier: NTDomain"), "15:17"],
  ["SC2137", "analytic-rule", replaceBlock(RULE, "entityMappings", entities(1, 2)), replaceBlock(RULE, "entityMappings", entities(1, 2)).replace("identifier: Name", "identifier: FullName"), "19:21"],
  ["SC2140", "tests", TESTS, TESTS.replace("name: b", "name: a"), "5:11", "analytics-rules/x/rule.tests.yaml"],
  ["SC2141", "tests", TESTS, TESTS.replace("    expect: { rows: 0 }", "    now: 2026-11-20T12:00:00Z\n    timeline: { start: 2026-11-19T00:00:00Z, end: 2026-11-20T00:00:00Z }\n    expect: { alerts: 0 }"), "7:5", "analytics-rules/x/rule.tests.yaml"],
  ["SC2150", "watchlist", WATCHLIST, WATCHLIST.replace("itemsSearchKey: Cidr", "itemsSearchKey: Range"), "5:17", "watchlists/w.yaml"],
  ["SC2150", "watchlist", WATCHLIST.replace("columns: [Cidr, Description]\n", ""), WATCHLIST.replace("columns: [Cidr, Description]\n", "").replace("itemsSearchKey: Cidr", "itemsSearchKey: Range"), "5:17", "watchlists/w.yaml"],
  ["SC2151", "watchlist", WATCHLIST, WATCHLIST.replace("Description: corp", "Note: corp"), "8:25", "watchlists/w.yaml"],
  ["SC2152", "workbook", WORKBOOK, WORKBOOK.replace("name: b", "name: a"), "12:30", "workbooks/w.yaml"],
  ["SC2187", "ingestion-mapping", "tables:\n  - name: T_CL\n    plan: Basic\n", "tables:\n  - name: T_CL\n    plan: Auxiliary\n", "3:11", "ingestion/x.yaml"],
  ["SC2180", "analytic-rule", RULE.replace("queryPeriod: 1h", "queryPeriod: 2d"), RULE.replace("queryPeriod: 1h", "queryPeriod: 2d").replace("queryFrequency: 1h", "queryFrequency: 59m"), "6:17"],
  ["SC2181", "analytic-rule", RULE.replace("  AzureActivity\n", `  ${"x".repeat(9_999)}\n`), RULE.replace("  AzureActivity\n", `  ${"x".repeat(10_000)}\n`), "12:8"],
  ["SC2182", "analytic-rule", RULE.replace("did {{OperationName}}", "x".repeat(200)), RULE.replace("did {{OperationName}}", "x".repeat(250)), "22:27"],
  ["SC2183", "analytic-rule", RULE + GROUPING("[Account]"), RULE + GROUPING("[]"), "33:21"],
  ["SC2184", "analytic-rule", RULE, RULE.replace("entityType: Account", "entityType: IoTDevice"), "15:17"],
  ["SC2184", "analytic-rule", OVERRIDE(DYNAMIC("Techniques")), OVERRIDE(DYNAMIC("SubTechniques")), "24:22"],
  ["SC2185", "analytic-rule", RULE.replace("  AzureActivity\n", "  search 'x'\n"), RULE.replace("  AzureActivity\n", "  AzureActivity | union *\n"), "13:19"],
  ["SC2186", "analytic-rule", RULE, RULE.replace("{{Caller}} did", "{{Caller} did"), "22:27"],
  ["SC2186", "analytic-rule", OVERRIDE("  alertSeverityColumnName: Sev\n"), OVERRIDE("  alertSeverityColumnName: \"{{Sev}}\"\n"), "23:28"],
];

describe("content checks", () => {
  it.each(CASES)("%s passes a good %s and flags a bad one", (code, kind, good, bad, position, path) => {
    expect(findings(code, [load(good, kind, path)])).toEqual([]);
    expect(findings(code, [load(bad, kind, path)])).toEqual([`${code} ${position}`]);
  });

  it("SC2142 accepts rule expectations only when the target is an analytic rule", () => {
    expect(findings("SC2142", [load(TESTS, "tests", "analytics-rules/x/rule.tests.yaml")])).toEqual([]);
    expect(findings("SC2142", [load(TESTS, "tests", "hunting-queries/x/query.tests.yaml")])).toEqual(["SC2142 4:15"]);
    const explicit = `target: ../../hunting-queries/q.yaml\n${TESTS}`;
    expect(findings("SC2142", [load(explicit, "tests", "analytics-rules/x/rule.tests.yaml")])).toEqual(["SC2142 5:15"]);
  });

  it("SC2123 leaves ATT&CK for ICS ids (T08xx) alone: that matrix is not bundled", () => {
    expect(findings("SC2123", [load(RULE.replace("T1098.001]", "T0886]"), "analytic-rule")])).toEqual([]);
  });

  it("every check has a case in this table or in the cross-file tests", () => {
    const tested = new Set([...CASES.map((c) => c[0]), "SC2102", "SC2103", "SC2105", "SC2142", "SC2143", "SC2144", "SC1014"]);
    expect(CHECKS.map((make) => make().code).filter((code) => !tested.has(code))).toEqual([]);
  });
});

describe("cross-file checks", () => {
  const other = RULE.replace(/^id: .*$/m, "id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0002").replace("name: Example rule", "name: Other rule");
  const a = () => load(RULE, "analytic-rule", "analytics-rules/a.yaml");

  it.each([
    ["SC2102 different items share an id", "SC2102", RULE.replace("name: Example rule", "name: Other rule"), ["SC2102 1:5", "SC2102 analytics-rules/b.yaml 1:5"]],
    ["SC2102 ids compare case-insensitively", "SC2102", RULE.replace("6b1e3f5a", "6B1E3F5A").replace("name: Example rule", "name: Other rule"), ["SC2102 1:5", "SC2102 analytics-rules/b.yaml 1:5"]],
    ["SC2105 a copy of the same item", "SC2105", RULE, ["SC2105 1:5", "SC2105 analytics-rules/b.yaml 1:5"]],
    ["SC2103 different items share a name", "SC2103", other.replace("name: Other rule", "name: example RULE"), ["SC2103 2:7", "SC2103 analytics-rules/b.yaml 2:7"]],
    ["SC2103 leaves copies to SC2105", "SC2103", RULE, []],
    ["no finding for distinct items (SC2102)", "SC2102", other, []],
    ["no finding for distinct items (SC2105)", "SC2105", other, []],
  ])("%s", (_name, code, second, expected) => {
    expect(findings(code, [a(), load(second, "analytic-rule", "analytics-rules/b.yaml")])).toEqual(expected);
  });

  it("names may repeat across kinds", () => {
    const hunting = load("id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0003\nname: Example rule\n", "hunting-query", "hunting-queries/h.yaml");
    expect(findings("SC2103", [a(), hunting])).toEqual([]);
  });
});

describe("tests-file references", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "checks-"));
  temporaryFolders.push(dir);
  mkdirSync(path.join(dir, "analytics-rules", "x", "fixtures"), { recursive: true });
  writeFileSync(path.join(dir, "analytics-rules", "x", "rule.yaml"), "id: 1\n");
  writeFileSync(path.join(dir, "analytics-rules", "x", "fixtures", "t.jsonl"), "{}\n");
  const loadTests = (text: string, name: string) => {
    const relative = `analytics-rules/x/${name}`;
    writeFileSync(path.join(dir, relative), text);
    const { file } = loadFile(path.join(dir, relative), dir);
    if (!file) throw new Error("not loaded");
    return file;
  };
  const CASE = "cases:\n  - name: a\n    tables: { T: fixtures/t.jsonl, U: fixtures/missing.csv, V: [] }\n    expect: { rows: 0 }\n";

  it.each([
    ["SC2143", "sibling target exists", CASE, "rule.tests.yaml", []],
    ["SC2143", "no sibling target", CASE, "other.tests.yaml", ["SC2143 1:1"]],
    ["SC2143", "explicit target exists", `target: rule.yaml\n${CASE}`, "third.tests.yaml", []],
    ["SC2143", "explicit target missing", `target: gone.yaml\n${CASE}`, "rule.tests.yaml", ["SC2143 1:9"]],
    ["SC2144", "missing fixture file", CASE, "rule.tests.yaml", ["SC2144 3:39"]],
    ["SC2144", "fixtures present", CASE.replace("fixtures/missing.csv", "fixtures/t.jsonl"), "rule.tests.yaml", []],
    ["SC1014", "fixture paths inside the repository", CASE, "rule.tests.yaml", []],
    ["SC1014", "a fixture path climbing out of the repository", CASE.replace("fixtures/missing.csv", "../../../../../../etc/passwd"), "rule.tests.yaml", ["SC1014 3:39"]],
    ["SC1014", "an absolute fixture path", CASE.replace("fixtures/missing.csv", "/etc/passwd"), "rule.tests.yaml", ["SC1014 3:39"]],
    ["SC1014", "a target outside the repository", `target: ../../../x.yaml\n${CASE}`, "rule.tests.yaml", ["SC1014 1:9"]],
  ])("%s %s", (code, _name, text, name, expected) => {
    expect(findings(code, [loadTests(text, name)])).toEqual(expected);
  });
});

describe("checks on documents that break their schema (every stage runs on them)", () => {
  const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const SEEDS: [ContentKind, string][] = [
    ["analytic-rule", "analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml"],
    ["hunting-query", "hunting-queries/azure-activity/ai-control-plane-changes.yaml"],
    ["parser", "parsers/genai-aoai-requests.yaml"],
    ["ingestion-mapping", "ingestion/openai/openai-audit-logs.yaml"],
    ["tests", "parsers/chatgpt-events.tests.yaml"],
    ["workbook", "workbooks/genai-security-overview.yaml"],
    ["watchlist", "watchlists/corporate-egress-ranges.yaml"],
  ];
  /** Values of every wrong shape a field can hold. */
  const WRONG: unknown[] = [null, 42, "text", [1, "a", null], { a: { b: [] } }, true];

  /** The document with one field replaced: a top-level key, or a key of the first item of a top-level list of mappings. */
  function mutations(data: Record<string, unknown>): Record<string, unknown>[] {
    return Object.entries(data).flatMap(([key, value]) => {
      const top = WRONG.map((wrong) => ({ ...data, [key]: wrong }));
      const first = Array.isArray(value) && value[0] !== null && typeof value[0] === "object" ? (value[0] as Record<string, unknown>) : undefined;
      const nested = Object.keys(first ?? {}).flatMap((inner) => WRONG.map((wrong) => ({ ...data, [key]: [{ ...first, [inner]: wrong }, ...(value as unknown[]).slice(1)] })));
      return [...top, ...nested];
    });
  }

  it.each(SEEDS)("no check fails on a %s whose fields each hold a value of the wrong shape", (kind, file) => {
    const { file: seed } = loadFile(path.join(REPO, file), REPO, { kind });
    const variants = mutations(seed?.data as Record<string, unknown>).map((data) => load(JSON.stringify(data), kind, file));
    expect(variants.length).toBeGreaterThan(10);
    const crashes = runChecks(variants).filter((d) => d.code === "SC9001");
    expect(crashes).toEqual([]);
  });
});
