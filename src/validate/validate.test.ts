import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { validateContent, type ValidateResult } from "./validate.ts";

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
