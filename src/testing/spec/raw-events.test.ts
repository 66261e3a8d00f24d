import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createOfflineEngine } from "../run/offline-engine.ts";
import { planContentTests } from "../run/plan.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "raw-events-"));
  temporaryFolders.push(root);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    writeFileSync(path.join(root, p), text);
  }
  return root;
}

const MAPPING = [
  "id: 5b7a1f0e-2d7e-4a52-9d7c-0c3f1f8e6a11",
  "name: logins",
  "tables:",
  "  - name: Logins_CL",
  "    columns:",
  "      - { name: TimeGenerated, type: datetime }",
  "      - { name: User, type: string }",
  "streams:",
  "  - name: Custom-LoginsRaw",
  "    columns:",
  "      - { name: ts, type: string }",
  "      - { name: user, type: string }",
  "      - { name: result, type: string }",
  "dataFlows:",
  "  - streams: [Custom-LoginsRaw]",
  "    outputStream: Custom-Logins_CL",
  "    transformKql: |",
  "      source | where result == 'failed' | extend TimeGenerated = todatetime(ts), User = user | project TimeGenerated, User",
].join("\n");

const RULE = [
  "id: 6c8b2a1f-3e8f-4b63-8e8d-1d4a2a9f7b22",
  "name: Failed login",
  "description: A failed login",
  "severity: Low",
  "queryFrequency: 1h",
  "queryPeriod: 2h",
  "triggerOperator: gt",
  "triggerThreshold: 0",
  "tactics: [CredentialAccess]",
  "relevantTechniques: [T1110]",
  "query: |",
  "  Logins_CL | extend IngestedAt = ingestion_time() | where IngestedAt > ago(1h) and IngestedAt <= now()",
].join("\n");

const event = (ts: string, user: string, result: string) => `        - { ts: "${ts}", user: ${user}, result: ${result}, extra: dropped }`;

describe("raw vendor events in rule cases", () => {
  it("pass through the ingestion mapping, and the case's ingestion delay moves the firing run", async () => {
    const root = repo({
      "ingestion/logins/logins.yaml": MAPPING,
      "analytics-rules/a/r.yaml": RULE,
      "analytics-rules/a/r.tests.yaml": [
        "cases:",
        "  - name: a failed login fires",
        "    now: 2026-11-20T12:00:00Z",
        "    raw:",
        "      Custom-LoginsRaw:",
        event("2026-11-20T11:30:00Z", "eve", "failed"),
        event("2026-11-20T11:31:00Z", "bob", "success"),
        "    expect: { alert: true, rows: 1, values: [{ User: eve }] }",
        "  - name: a success does not fire",
        "    now: 2026-11-20T12:00:00Z",
        "    raw:",
        "      Custom-LoginsRaw:",
        event("2026-11-20T11:31:00Z", "bob", "success"),
        "    expect: { alert: false }",
        "  - name: ingested 40 minutes late it is the next run's",
        "    ingestionDelay: 40m",
        "    timeline: { start: 2026-11-20T11:00:00Z, end: 2026-11-20T14:00:00Z }",
        "    raw:",
        "      Custom-LoginsRaw:",
        event("2026-11-20T11:30:00Z", "eve", "failed"),
        "    expect: { alerts: 1, firingRuns: [2026-11-20T13:00:00Z] }",
        "  - name: on time it is the first run's",
        "    timeline: { start: 2026-11-20T11:00:00Z, end: 2026-11-20T14:00:00Z }",
        "    raw:",
        "      Custom-LoginsRaw:",
        event("2026-11-20T11:30:00Z", "eve", "failed"),
        "    expect: { alerts: 1, firingRuns: [2026-11-20T12:00:00Z] }",
        "  - name: a stream no mapping reads",
        "    now: 2026-11-20T12:00:00Z",
        "    raw:",
        "      Custom-Nothing: []",
        "    expect: { alert: false }",
      ].join("\n"),
    });
    const plan = await planContentTests(root, { engine: createOfflineEngine(), updateSnapshots: false });
    const results = plan.cases.map((c) => c.run());
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ["a failed login fires", "passed"],
      ["a success does not fire", "passed"],
      ["ingested 40 minutes late it is the next run's", "passed"],
      ["on time it is the first run's", "passed"],
      ["a stream no mapping reads", "error"],
    ]);
    expect(results[4]?.failures.map((f) => [f.diagnostic.code, f.diagnostic.message])).toEqual([["SC5053", "no ingestion mapping reads a stream Custom-Nothing (streams: Custom-LoginsRaw)"]]);
  });
});
