import pLimit from "p-limit";
import { TIER_OF } from "../build/api-versions.ts";
import type { ArmClient } from "./arm-client.ts";
import { ArmError } from "./arm-error.ts";
import { diffBodies } from "./normalize.ts";
import type { Plan, PlanItem } from "./plan.ts";

/** How one plan item ended. */
export type ApplyStatus = "created" | "updated" | "deleted" | "unchanged" | "failed" | "skipped";

/** The result of one plan item. */
export interface ApplyResult {
  item: PlanItem;
  status: ApplyStatus;
  error?: string;
  ms: number;
}

/** Options of `applyPlan`. */
export interface ApplyOptions {
  client: ArmClient;
  /** Requests in flight at once within a tier (default 8). */
  concurrency?: number;
  /** Stop at the first failure; everything not started is reported as skipped. */
  failFast?: boolean;
  onResult?: (result: ApplyResult) => void;
}

/**
 * Executes a plan: creates and updates tier by tier (tables and DCRs, functions and watchlists, rules and hunting
 * queries, workbooks), bounded concurrency inside a tier, etag on updates; then deletes in reverse tier order.
 */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  const limit = pLimit(options.concurrency ?? 8);
  let stopped = false;
  const record = (result: ApplyResult) => {
    results.push(result);
    options.onResult?.(result);
    if (result.status === "failed" && options.failFast) stopped = true;
  };
  for (const item of plan.items.filter((i) => i.action === "noop")) record({ item, status: "unchanged", ms: 0 });
  for (const batch of batches(plan)) {
    await Promise.all(batch.map((item) => limit(async () => record(stopped ? { item, status: "skipped", ms: 0 } : await execute(item, options.client)))));
  }
  return results;
}

function batches(plan: Plan): PlanItem[][] {
  const writes = plan.items.filter((i) => i.action === "create" || i.action === "update");
  const deletes = plan.items.filter((i) => i.action === "delete");
  const tiers = [...new Set(writes.map((i) => TIER_OF[i.kind]))].sort((a, b) => a - b);
  const deleteTiers = [...new Set(deletes.map((i) => TIER_OF[i.kind]))].sort((a, b) => b - a);
  return [...tiers.map((t) => writes.filter((i) => TIER_OF[i.kind] === t)), ...deleteTiers.map((t) => deletes.filter((i) => TIER_OF[i.kind] === t))];
}

async function execute(item: PlanItem, client: ArmClient): Promise<ApplyResult> {
  const started = performance.now();
  try {
    if (item.action === "delete") {
      await client.delete(item.resourceId, item.apiVersion);
      return { item, status: "deleted", ms: performance.now() - started };
    }
    const body = item.action === "update" && item.etag && item.kind !== "table" && item.kind !== "dcr" && item.kind !== "workbook" ? { ...item.body, etag: item.etag } : item.body;
    try {
      await client.put(item.resourceId, item.apiVersion, body, item.action === "update" ? item.etag : undefined);
    } catch (error) {
      if (!(await landedBefore(error, item, client))) throw error;
    }
    return { item, status: item.action === "create" ? "created" : "updated", ms: performance.now() - started };
  } catch (error) {
    return { item, status: "failed", error: error instanceof Error ? error.message : String(error), ms: performance.now() - started };
  }
}

/**
 * After a lost response the client retries the PUT, and the retry meets the first attempt's result: a 409 (the
 * create already happened) or a 412 (the update already moved the etag). That is success when the live resource
 * is exactly what we sent (marker included, so it is ours); anything else stays a failure.
 */
async function landedBefore(error: unknown, item: PlanItem, client: ArmClient): Promise<boolean> {
  if (!(error instanceof ArmError) || (error.status !== 409 && error.status !== 412) || !item.body) return false;
  const live = await client.get(item.resourceId, item.apiVersion, item.kind === "workbook" ? { canFetchContent: "true" } : {});
  return live !== undefined && diffBodies(item.kind, item.body, live).length === 0;
}
