// `npm run bench -- deploy`: plan and apply of 500 analytic rules against the loopback ARM emulator with 50 ms
// injected latency per request, then a second plan (all no-ops). Prints wall time and requests per second.
import { performance } from "node:perf_hooks";
import { buildAlertRule } from "../../src/build/alert-rule.ts";
import type { BuiltResource } from "../../src/build/types.ts";
import type { WorkspaceTarget } from "../../src/build/workspace.ts";
import { applyPlan } from "../../src/deploy/apply.ts";
import { createArmClient } from "../../src/deploy/arm-client.ts";
import { ArmEmulator } from "../../src/deploy/emulator/arm-emulator.ts";
import { planDeployment } from "../../src/deploy/plan.ts";
import { fakeCredential } from "../../src/ingest/fakes/credential.ts";

const RULES = 500;
const LATENCY_MS = 50;
const CONCURRENCY = Number(process.env["DEPLOY_CONCURRENCY"] ?? 16);
const target: WorkspaceTarget = { subscriptionId: "11111111-1111-1111-1111-111111111111", resourceGroup: "rg", workspaceName: "law", location: "westeurope" };

function rules(): BuiltResource[] {
  const out: BuiltResource[] = [];
  for (let i = 0; i < RULES; i++) {
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
    const data = { id, name: `Rule ${i}`, description: "Benchmark rule.", severity: "Medium", query: `SigninLogs | where ResultType == ${i}`, queryFrequency: "1h", queryPeriod: "1h", triggerOperator: "gt", triggerThreshold: 0, tactics: ["InitialAccess"], relevantTechniques: ["T1078.004"], entityMappings: [{ entityType: "Account", fieldMappings: [{ identifier: "FullName", columnName: "UserPrincipalName" }] }], version: "1.0.0", kind: "Scheduled" };
    out.push(...buildAlertRule(data, `rule-${i}.yaml`, () => ({ file: `rule-${i}.yaml` }), { target, repository: "bench" }).resources);
  }
  return out;
}

async function main(): Promise<void> {
  const emulator = new ArmEmulator({ latencyMs: LATENCY_MS, pageSize: 100 });
  const endpoint = await emulator.start();
  const client = createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true });
  const resources = rules();
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const before = client.requestCount;
    const start = performance.now();
    const value = await run();
    const seconds = (performance.now() - start) / 1000;
    const requests = client.requestCount - before;
    console.log(`${label.padEnd(28)} ${seconds.toFixed(2)} s  ${requests} requests  ${(requests / seconds).toFixed(1)} req/s`);
    return value;
  };
  console.log(`${RULES} rules, ${LATENCY_MS} ms latency per request, concurrency ${CONCURRENCY}`);
  const plan = await timed("plan (empty workspace)", () => planDeployment({ client, target, resources, repository: "bench", prune: false }));
  const results = await timed("apply (500 creates)", () => applyPlan(plan, { client, concurrency: CONCURRENCY }));
  const failed = results.filter((r) => r.status !== "created").length;
  const again = await timed("plan (after apply)", () => planDeployment({ client, target, resources, repository: "bench", prune: false }));
  const changes = again.items.filter((i) => i.action !== "noop").length;
  console.log(`failed ${failed}, changes after apply ${changes} (expected 0 and 0)`);
  await emulator.stop();
  if (failed > 0 || changes > 0) process.exitCode = 1;
}

await main();
