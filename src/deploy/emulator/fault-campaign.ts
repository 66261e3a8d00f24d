// A seeded fault campaign against deploy: plan + apply --prune runs killed after a random number of ARM calls,
// with 429, 5xx, lost responses (answered 409 or 412 on retry) and portal edits between plan and apply (412)
// injected, until a run finishes; then the workspace must match the repository, and nothing this repository does
// not own (a portal duplicate, a hand-made rule) may be gone. Used by the campaign test and by `npm run bench`.
import { buildAlertRule } from "../../build/alert-rule.ts";
import type { BuiltResource } from "../../build/types.ts";
import { collectionId, type WorkspaceTarget } from "../../build/workspace.ts";
import { seededRandom } from "../../ingest/seeded-random.ts";
import { applyPlan } from "../apply.ts";
import { createArmClient, type ArmClient } from "../arm-client.ts";
import { planDeployment } from "../plan.ts";
import { fakeCredential } from "../../ingest/fakes/credential.ts";
import { ArmEmulator } from "./arm-emulator.ts";

/** Options of a deploy campaign. */
export interface DeployCampaignOptions {
  seed: number;
  kills: number;
  rules: number;
}

/** What a deploy campaign measured. */
export interface DeployCampaignResult {
  runs: number;
  kills: number;
  requests: number;
  faults: { throttled: number; serverErrors: number; lostResponses: number; portalEdits: number };
  /** Retried PUTs answered 409 or 412 because the first attempt, whose answer was lost, had landed. */
  conflictsAfterLostResponse: number;
  /** Items not a no-op in a plan read after the last run (0 when the workspace matches the repository). */
  changesLeft: number;
  /** Resources this repository does not own that were gone at the end (must be 0). */
  unownedDeleted: number;
  /** Repository-owned orphans still in the workspace at the end (must be 0: prune removed them). */
  orphansLeft: number;
}

const TARGET: WorkspaceTarget = { subscriptionId: "11111111-1111-1111-1111-111111111111", resourceGroup: "rg", workspaceName: "law", location: "westeurope" };
const REPOSITORY = "campaign";

/** Runs the campaign against a fresh loopback emulator and returns its figures. */
export async function runDeployCampaign(options: DeployCampaignOptions): Promise<DeployCampaignResult> {
  const random = seededRandom(options.seed);
  const emulator = new ArmEmulator({ pageSize: 20 });
  const endpoint = await emulator.start();
  const client = createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true, sleep: async () => undefined, pollIntervalMs: 0 });
  const result: DeployCampaignResult = {
    runs: 0,
    kills: 0,
    requests: 0,
    faults: { throttled: 0, serverErrors: 0, lostResponses: 0, portalEdits: 0 },
    conflictsAfterLostResponse: 0,
    changesLeft: 0,
    unownedDeleted: 0,
    orphansLeft: 0,
  };
  try {
    const resources = Array.from({ length: options.rules }, (_, i) => rule(i, 0));
    const rulesId = collectionId("alert-rule", TARGET);
    const unowned = seedUnowned(emulator, rulesId, resources[0]!);
    const orphans = seedOrphans(emulator, rulesId, 3);
    for (;;) {
      changeOneRule(random, resources);
      const kill = result.kills < options.kills ? 1 + Math.floor(random() * 16) : undefined;
      const killer = kill === undefined ? undefined : killingClient(client, kill);
      const arm = killer?.client ?? client;
      injectFaults(random, emulator, result);
      result.runs++;
      const plan = await planDeployment({ client: arm, target: TARGET, resources, repository: REPOSITORY, prune: true, maxDeletes: 1_000, maxDeleteFraction: 1 }).catch(killedOr);
      if (plan && random() < 0.2) portalEdit(random, emulator, plan.items, result);
      const results = plan ? await applyPlan(plan, { client: arm, concurrency: 4 }) : [];
      if (killer?.killed()) {
        result.kills++;
        continue;
      }
      if (kill === undefined && results.every((r) => r.status !== "failed" && r.status !== "skipped")) break;
    }
    result.conflictsAfterLostResponse = countConflictsAfterLoss(emulator);
    const after = await planDeployment({ client, target: TARGET, resources, repository: REPOSITORY, prune: true });
    result.changesLeft = after.items.filter((i) => i.action !== "noop").length;
    result.unownedDeleted = unowned.filter((id) => emulator.resource(id) === undefined).length;
    result.orphansLeft = orphans.filter((id) => emulator.resource(id) !== undefined).length;
    result.requests = client.requestCount;
    return result;
  } finally {
    await emulator.stop();
  }
}

/** Rule `i` of the repository, as the deploy benchmark builds them, with a trigger threshold that commits change. */
function rule(i: number, threshold: number): BuiltResource {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const data = { id, name: `Rule ${i}`, description: "Campaign rule.", severity: "Medium", query: `SigninLogs | where ResultType == ${i}`, queryFrequency: "1h", queryPeriod: "1h", triggerOperator: "gt", triggerThreshold: threshold, tactics: ["InitialAccess"], version: "1.0.0", kind: "Scheduled" };
  return buildAlertRule(data, `rule-${i}.yaml`, () => ({ file: `rule-${i}.yaml` }), { target: TARGET, repository: REPOSITORY }).resources[0]!;
}

/** A commit between runs: half the time one rule's threshold changes, so every run has something to write. */
function changeOneRule(random: () => number, resources: BuiltResource[]): void {
  if (random() < 0.5) return;
  const i = Math.floor(random() * resources.length);
  const current = (resources[i]!.body["properties"] as Record<string, unknown>)["triggerThreshold"] as number;
  resources[i] = rule(i, current + 1);
}

/** A portal duplicate of the first rule (its marker copied) and a hand-made rule: prune must leave both alone. */
function seedUnowned(emulator: ArmEmulator, rulesId: string, first: BuiltResource): string[] {
  const copy = `${rulesId}/ffffffff-0000-4000-8000-00000000c0de`;
  const manual = `${rulesId}/ffffffff-0000-4000-8000-0000000a11ce`;
  emulator.seed(copy, structuredClone(first.body));
  emulator.seed(manual, { kind: "Scheduled", properties: { displayName: "Hand-made", description: "made in the portal", query: "T" } });
  return [copy, manual];
}

/** Rules this repository deployed earlier and no longer has: prune must delete them. */
function seedOrphans(emulator: ArmEmulator, rulesId: string, count: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `eeeeeeee-0000-4000-8000-${String(i).padStart(12, "0")}`;
    ids.push(`${rulesId}/${name}`);
    emulator.seed(ids.at(-1)!, { kind: "Scheduled", properties: { displayName: `Old ${i}`, description: `gone\n\n[managed-by: sentinel-content:${REPOSITORY}@${name}]`, query: "T" } });
  }
  return ids;
}

function injectFaults(random: () => number, emulator: ArmEmulator, result: DeployCampaignResult): void {
  if (random() < 0.5) {
    const throttled = random() < 0.5;
    emulator.faults.push({ path: "/alertRules", status: throttled ? 429 : 503, retryAfter: throttled ? "3600" : undefined, times: 1 + Math.floor(random() * 2) });
    result.faults[throttled ? "throttled" : "serverErrors"]++;
  }
  if (random() < 0.6) {
    emulator.faults.push({ method: "PUT", path: "/alertRules/", status: 0, dropResponse: true, times: 1 });
    result.faults.lostResponses++;
  }
}

/** A portal edit between plan and apply: the planned etag no longer matches, so that update fails with 412. */
function portalEdit(random: () => number, emulator: ArmEmulator, items: readonly { action: string; resourceId: string }[], result: DeployCampaignResult): void {
  const updates = items.filter((i) => i.action === "update" || i.action === "noop");
  const target = updates[Math.floor(random() * updates.length)];
  if (!target || !emulator.resource(target.resourceId)) return;
  emulator.edit(target.resourceId, (r) => void ((r["properties"] as Record<string, unknown>)["severity"] = "High"));
  result.faults.portalEdits++;
}

/** Retried PUTs answered 409/412 right after a PUT whose answer was lost (the emulator recorded both). */
function countConflictsAfterLoss(emulator: ArmEmulator): number {
  let count = 0;
  const lost = new Set<string>();
  for (const seen of emulator.seen) {
    if (seen.method !== "PUT") continue;
    if (lost.has(seen.path) && (seen.status === 409 || seen.status === 412)) count++;
    lost.delete(seen.path);
    if (seen.dropped) lost.add(seen.path);
  }
  return count;
}

/** A client that "dies" at its `at`-th call: that call and every later one throw, nothing more is sent. */
function killingClient(inner: ArmClient, at: number): { client: ArmClient; killed: () => boolean } {
  let calls = 0;
  const gate = <T>(call: () => Promise<T>): Promise<T> => (++calls >= at ? Promise.reject(new Error("killed")) : call());
  const client: ArmClient = {
    get: (id, version, query) => gate(() => inner.get(id, version, query)),
    list: (id, version, query) => gate(() => inner.list(id, version, query)),
    put: (id, version, body, etag) => gate(() => inner.put(id, version, body, etag)),
    delete: (id, version) => gate(() => inner.delete(id, version)),
    get requestCount() {
      return inner.requestCount;
    },
  };
  return { client, killed: () => calls >= at };
}

function killedOr(error: unknown): undefined {
  if (error instanceof Error && /killed/.test(error.message)) return undefined;
  throw error;
}
