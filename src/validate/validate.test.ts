import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadText } from "../load/index.ts";
import { buildRepository } from "../repository/index.ts";
import { validateContent, type ValidateResult } from "./validate.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const RULE = `id: 6f7c1f2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f
name: Schema error beside later findings
description: d
severity: Hight
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - defenseevasion
relevantTechniques: [T1562]
query: |
  AzureActivity
  | where TimeGenerated > ago(1h
`;

/** Each file with the codes a run must report for it: later stages still run despite the schema errors. */
const FILES: [name: string, text: string, codes: string[], absent: string[]][] = [
  ["schema-check-kql.yaml", RULE, ["SC2004", "SC2121", "SC3001"], ["SC9001"]],
  ["query-not-text.yaml", RULE.replace(/query: \|[\s\S]*$/, "query: 42\n"), ["SC2003", "SC2004", "SC2121"], ["SC9001", "SC3001"]],
  ["fields-mistyped.yaml", "name: 7\ntactics: defenseevasion\nentityMappings: x\nrelevantTechniques: {a: 1}\nquery: AzureActivity | take\n", ["SC2003", "SC3001"], ["SC9001"]],
  ["a-list.yaml", "- query: AzureActivity | take\n", ["SC2003"], ["SC9001", "SC3001"]],
];

describe("one run reports every stage's findings for a file", () => {
  let result: ValidateResult;
  beforeAll(async () => {
    const root = mkdtempSync(path.join(tmpdir(), "validate-stages-"));
    temporaryFolders.push(root);
    mkdirSync(path.join(root, "rules"));
    for (const [name, text] of FILES) writeFileSync(path.join(root, "rules", name), text);
    result = await validateContent({ root, paths: [path.join(root, "rules")], kind: "analytic-rule", cache: false, workers: 0 });
  }, 120_000);

  it.each(FILES)("%s", (name, _text, codes, absent) => {
    const found = new Set(result.diagnostics.filter((d) => d.file === `rules/${name}`).map((d) => d.code));
    for (const code of codes) expect(found, `${code} in ${[...found].join(", ")}`).toContain(code);
    for (const code of absent) expect(found, `${code} in ${[...found].join(", ")}`).not.toContain(code);
  });
});

describe("every stage on files whose fields hold values of the wrong shape", () => {
  const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const SEEDS = [
    "analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml",
    "hunting-queries/azure-activity/ai-control-plane-changes.yaml",
    "parsers/genai-aoai-requests.yaml",
    "ingestion/openai/openai-audit-logs.yaml",
    "workbooks/genai-security-overview.yaml",
    "watchlists/corporate-egress-ranges.yaml",
  ];
  const WRONG: unknown[] = [null, 42, "text", [1, "a", null], { a: { b: [] } }];

  it("reports findings, never a failed check or analysis (SC9001, SC3099)", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "validate-shapes-"));
    temporaryFolders.push(root);
    let written = 0;
    for (const seed of SEEDS) {
      const data = parse(readFileSync(path.join(REPO, seed), "utf8")) as Record<string, unknown>;
      mkdirSync(path.join(root, path.dirname(seed)), { recursive: true });
      for (const key of Object.keys(data)) {
        WRONG.forEach((value, index) => {
          writeFileSync(path.join(root, seed.replace(/\.yaml$/, `-${key}-${index}.yaml`)), JSON.stringify({ ...data, [key]: value }));
          written++;
        });
      }
    }
    const result = await validateContent({ root, cache: false, workers: 0 });
    expect(result.checkedFiles).toBe(written);
    expect(result.kqlRan).toBe(true);
    expect(result.diagnostics.filter((d) => d.code === "SC9001" || d.code === "SC3099")).toEqual([]);
    expect(result.diagnostics.some((d) => d.code.startsWith("SC20"))).toBe(true);
    expect(result.diagnostics.some((d) => d.code.startsWith("SC3"))).toBe(true);
  }, 300_000);
});

describe("a partial run under a custom layout", () => {
  const CONFIG = 'preset: sentinel-content\ncontent:\n  - { glob: "detections/**", kind: analytic-rule }\n  - { glob: "functions/**", kind: parser }\nextensions: []\n';
  const PARSER = `id: 5b0e2c1a-7f3d-4e8a-9c6b-1d2e3f4a5b6c
Parser:
  Title: Control plane writes
  Version: '1.0.0'
  LastUpdated: 2026-12-01
Product:
  Name: Azure
Description: Successful control-plane writes.
ParserName: ControlPlaneWrites
Category: Azure
ParserQuery: |
  AzureActivity
  | where ActivityStatusValue == "Success"
  | project TimeGenerated, Caller, OperationNameValue
`;
  const USING_PARSER = `id: 0d3e2a1b-4c5f-4a6b-8c7d-9e0f1a2b3c4d
name: Writes through the parser
description: d
severity: Low
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics:
  - Persistence
relevantTechniques: [T1098]
query: |
  ControlPlaneWrites
  | where TimeGenerated > ago(1h)
  | project TimeGenerated, Caller
entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: Caller
version: 1.0.0
kind: Scheduled
`;

  function customRepo(): string {
    const root = mkdtempSync(path.join(tmpdir(), "validate-layout-"));
    temporaryFolders.push(root);
    writeFileSync(path.join(root, "sentinel-content.config.yaml"), CONFIG);
    mkdirSync(path.join(root, "detections"));
    mkdirSync(path.join(root, "functions"));
    mkdirSync(path.join(root, "empty"));
    writeFileSync(path.join(root, "functions", "control-plane-writes.yaml"), PARSER);
    writeFileSync(path.join(root, "detections", "writes.yaml"), USING_PARSER);
    return root;
  }

  it("reads the parsers from the layout's parser folders, so a rule calling one is clean", async () => {
    const root = customRepo();
    const result = await validateContent({ root, paths: ["detections/writes.yaml"], cache: false, workers: 0 });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  }, 120_000);

  it("names the layout's globs when a folder holds no content", async () => {
    const root = customRepo();
    const result = await validateContent({ root, paths: ["empty"], cache: false, workers: 0, kql: false });
    const finding = result.diagnostics.find((d) => d.code === "SC1011");
    expect(finding?.message).toContain("detections/**, functions/**, analytics-rules/**");
    expect(finding?.message).not.toContain("content folders: analytics-rules/");
  });
});

describe("a run over an already-loaded repository", () => {
  it("validates the repository it is given, without reading the tree again, and hands it back", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "validate-repository-"));
    temporaryFolders.push(root);
    const loaded = loadText("id: 6f7c1f2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f\nwatchlistAlias: A\ndisplayName: a\nitemsSearchKey: k\n", "watchlists/a.yaml", "watchlist");
    const repository = buildRepository(root, { files: loaded.file ? [loaded.file] : [], diagnostics: [], checked: 1 }, { whole: false });
    const result = await validateContent({ root, repository, kql: false });
    // the tree under root is empty: a load would have reported SC1011 and found no file
    expect(result.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(["watchlists/a.yaml SC2002"]);
    expect(result.repository).toBe(repository);
    expect(result.checkedFiles).toBe(1);
  });
});
