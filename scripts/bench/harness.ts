// Benchmark of the rule test harness: wall time of the full content test run and per case, on the repo's own
// content and on 50 generated rule + test pairs (target: 50 rules' tests in under 5 s), on this thread and on two
// worker threads. Run by `npm run bench`.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createOfflineEngine } from "../../src/testing/run/offline-engine.ts";
import { runContentTests } from "../../src/testing/run/run-tests.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Writes `count` AzureActivity rules, each with a firing, a silent and a timeline case. */
function generateRepo(count: number): string {
  const root = mkdtempSync(path.join(tmpdir(), "bench-harness-"));
  const dir = path.join(root, "analytics-rules", "generated");
  mkdirSync(dir, { recursive: true });
  const row = (time: string, caller: string, op: string) => `        - { TimeGenerated: ${time}, Caller: ${caller}, CallerIpAddress: 203.0.113.7, OperationNameValue: ${op}, ActivityStatusValue: Success }`;
  for (let i = 0; i < count; i++) {
    const op = `MICROSOFT.COGNITIVESERVICES/ACCOUNTS/OP${i}/ACTION`;
    writeFileSync(
      path.join(dir, `rule-${i}.yaml`),
      [
        `id: 00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
        `name: Generated rule ${i}`,
        "description: Benchmark rule.",
        "severity: Medium",
        "queryFrequency: 1h",
        "queryPeriod: 1h",
        "triggerOperator: gt",
        "triggerThreshold: 0",
        "tactics: [CredentialAccess]",
        "query: |",
        "  AzureActivity",
        `  | where OperationNameValue =~ "${op}" and ActivityStatusValue in~ ("Success", "Succeeded")`,
        "  | summarize Calls = count(), FirstSeen = min(TimeGenerated) by Caller, CallerIpAddress",
        "entityMappings:",
        "  - entityType: Account",
        "    fieldMappings: [{ identifier: FullName, columnName: Caller }]",
        "alertDetailsOverride: { alertDisplayNameFormat: 'Op by {{Caller}}' }",
        "kind: Scheduled",
      ].join("\n"),
    );
    writeFileSync(
      path.join(dir, `rule-${i}.tests.yaml`),
      [
        "cases:",
        "  - name: fires",
        "    now: 2026-11-20T12:00:00Z",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-20T11:30:00Z", "alice@contoso.com", op),
        row("2026-11-20T11:40:00Z", "alice@contoso.com", op),
        "    expect: { alert: true, values: [{ Caller: alice@contoso.com, Calls: 2 }] }",
        "  - name: other operations stay silent",
        "    now: 2026-11-20T12:00:00Z",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-20T11:30:00Z", "alice@contoso.com", "MICROSOFT.COGNITIVESERVICES/ACCOUNTS/WRITE"),
        "    expect: { alert: false }",
        "  - name: one alert per run that sees the event",
        "    timeline: { start: 2026-11-20T00:00:00Z, end: 2026-11-20T06:00:00Z }",
        "    tables:",
        "      AzureActivity:",
        row("2026-11-20T02:30:00Z", "alice@contoso.com", op),
        "    expect: { alerts: 1, firingRuns: [2026-11-20T03:00:00Z] }",
      ].join("\n"),
    );
  }
  return root;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(label: string, root: string, jobs = 1): Promise<void> {
  const engine = createOfflineEngine();
  const started = performance.now();
  const report = await runContentTests({ root, engine, jobs });
  const wall = performance.now() - started;
  const times = report.results.map((r) => r.durationMs).sort((a, b) => a - b);
  const rules = new Set(report.results.filter((r) => r.kind === "analytic-rule").map((r) => r.target)).size;
  console.log(`${label}: ${report.results.length} cases (${rules} rules) in ${(wall / 1000).toFixed(2)} s wall; ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.errors} errors`);
  if (times.length > 0) {
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(`  per case: mean ${mean.toFixed(1)} ms, p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms, max ${(times.at(-1) ?? 0).toFixed(1)} ms`);
    const slowest = [...report.results].sort((a, b) => b.durationMs - a.durationMs).slice(0, 3);
    for (const r of slowest) console.log(`  slow: ${r.durationMs.toFixed(0)} ms ${r.testsFile} › ${r.name}`);
  }
}

/** Runs `use` on a generated repo of `count` rules, then removes it. */
async function withGeneratedRepo(count: number, use: (root: string) => Promise<void>): Promise<void> {
  const root = generateRepo(count);
  try {
    await use(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// Warm-up outside the measurement: Kusto.Language and the bundled schemas load once per process (≈1-2 s).
await withGeneratedRepo(1, async (root) => {
  await runContentTests({ root, engine: createOfflineEngine(), coverage: false });
});
await withGeneratedRepo(50, async (generated) => {
  await measure("50 generated rules (fires, silent, 6-run timeline)", generated);
  await measure("50 generated rules, --jobs 2 (worker threads)", generated, 2);
});
await measure("repository content", repoRoot);
