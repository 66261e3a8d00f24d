import { afterEach, describe, expect, it } from "vitest";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildContent, deployableItems } from "../build/build-content.ts";
import { TIER_OF } from "../build/api-versions.ts";
import type { WorkspaceTarget } from "../build/workspace.ts";
import { loadContentTree } from "../load/index.ts";
import { applyPlan } from "./apply.ts";
import type { ArmEmulator } from "./emulator/arm-emulator.ts";
import { WORKSPACE_API_VERSION } from "../build/api-versions.ts";
import { normalizeRegion, planDeployment, summarizePlan } from "./plan.ts";
import { startEmulator } from "./test-support.ts";
import type { ArmClient } from "./arm-client.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TARGET: WorkspaceTarget = { subscriptionId: "11111111-1111-1111-1111-111111111111", resourceGroup: "rg-sec", workspaceName: "law-sec", location: "westeurope" };
const REPO = "genai-sentinel-content";

let running: { emulator: ArmEmulator; client: ArmClient } | undefined;
afterEach(async () => {
  await running?.emulator.stop();
  running = undefined;
});

let repoBuild: Promise<ReturnType<typeof buildContent>> | undefined;

/** The repository's built resources: loaded and built once for this file, a fresh copy for each test. */
async function repoResources() {
  repoBuild ??= loadContentTree(ROOT).then(({ files }) => buildContent(deployableItems(files), { target: TARGET, repository: REPO }));
  const built = await repoBuild;
  expect(built.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return structuredClone(built.resources);
}

describe("plan and apply against the loopback emulator", () => {
  it("creates everything in tier order, then a second apply is all no-ops", async () => {
    running = await startEmulator({ pageSize: 7 });
    const { emulator, client } = running;
    const resources = await repoResources();
    const first = await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: false });
    expect(summarizePlan(first)).toMatchObject({ create: resources.length, update: 0, noop: 0 });
    const results = await applyPlan(first, { client, concurrency: 4 });
    expect(results.filter((r) => r.status !== "created")).toEqual([]);
    const puts = emulator.seen.filter((s) => s.method === "PUT" && s.status < 300);
    const tiers = puts.map((p) => TIER_OF[resources.find((r) => r.resourceId === p.path)!.kind]);
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
    const second = await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: true });
    expect(second.items.filter((i) => i.action !== "noop").map((i) => [i.key, i.changes])).toEqual([]);
  });

  it("reads NRT rules and non-sentinel workbooks one by one, so they are no-ops after apply", async () => {
    running = await startEmulator();
    const { client } = running;
    const { buildAlertRule } = await import("../build/alert-rule.ts");
    const { buildWorkbook } = await import("../build/workbook.ts");
    const at = () => ({ file: "x.yaml" });
    const context = { target: TARGET, repository: REPO };
    const resources = [
      ...buildAlertRule({ id: "6d7e3c52-1f7a-4b2b-9d0e-5b0c6e7a1f10", name: "N", description: "d", severity: "Low", query: "T", kind: "NRT", relevantTechniques: ["T1078.004"] }, "n.yaml", at, context).resources,
      ...buildWorkbook({ id: "w1", displayName: "W", category: "workbook", content: { version: "Notebook/1.0", items: [] } }, "w.yaml", at, context).resources,
    ];
    await applyPlan(await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: false }), { client });
    const again = await planDeployment({ client, target: TARGET, resources, repository: REPO, prune: false });
    expect(again.items.map((i) => i.action)).toEqual(["noop", "noop"]);
  });
});

describe("DCR location against the workspace's region at plan time", () => {
  const dcrs = async () => (await repoResources()).filter((r) => r.kind === "dcr");

  it.each([
    ["the same region", "westeurope", []],
    ["the same region spelt as the portal shows it", "West Europe", []],
    ["another region", "eastus", ["SC7040"]],
  ])("%s: %s", async (_name, workspaceLocation, codes) => {
    running = await startEmulator({ workspaceLocation });
    const resources = await dcrs();
    expect(resources.length).toBeGreaterThan(0);
    const plan = await planDeployment({ client: running.client, target: TARGET, resources, repository: REPO, prune: false });
    expect(plan.findings.map((f) => f.code)).toEqual(codes.flatMap((c) => resources.map(() => c)));
    const workspaceReads = running.emulator.seen.filter((s) => s.method === "GET" && s.path.toLowerCase().endsWith("/workspaces/law-sec"));
    expect(workspaceReads.map((s) => s.apiVersion)).toEqual([WORKSPACE_API_VERSION]);
  });

  it("a workspace whose region cannot be read gives SC7041 and no SC7040", async () => {
    running = await startEmulator();
    const inner = running.client;
    const client: ArmClient = Object.assign(Object.create(inner) as ArmClient, {
      get: async (id: string, version: string, query?: Record<string, string>) => (id.toLowerCase().endsWith("/workspaces/law-sec") ? undefined : inner.get(id, version, query)),
    });
    const plan = await planDeployment({ client, target: TARGET, resources: await dcrs(), repository: REPO, prune: false });
    expect(plan.findings.map((f) => [f.code, f.severity])).toEqual([["SC7041", "warning"]]);
    expect(plan.findings[0]?.message).toContain("the workspace was not found");
  });

  it("a plan without DCRs does not read the workspace", async () => {
    running = await startEmulator({ workspaceLocation: "eastus" });
    const resources = (await repoResources()).filter((r) => r.kind === "alert-rule").slice(0, 1);
    const plan = await planDeployment({ client: running.client, target: TARGET, resources, repository: REPO, prune: false });
    expect(plan.findings).toEqual([]);
    expect(running.emulator.seen.some((s) => s.path.toLowerCase().endsWith("/workspaces/law-sec"))).toBe(false);
  });

  it.each([
    ["West Europe", "westeurope"],
    ["west-europe", "westeurope"],
    ["EASTUS2", "eastus2"],
  ])("normalizeRegion(%s) is %s", (input, expected) => {
    expect(normalizeRegion(input)).toBe(expected);
  });
});
