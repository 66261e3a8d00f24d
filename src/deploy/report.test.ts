import { describe, expect, it } from "vitest";
import type { Plan, PlanItem } from "./plan.ts";
import { formatApply, formatPlan } from "./report.ts";

const item = (patch: Partial<PlanItem>): PlanItem => ({ action: "noop", kind: "alert-rule", key: "alert-rule/r", name: "r", title: "Rule | one", resourceId: "/x/r", apiVersion: "2025-09-01", changes: [], ...patch });
const plan: Plan = {
  prune: false,
  items: [
    item({ action: "create", key: "alert-rule/a", title: "New rule", file: "a.yaml" }),
    item({ action: "update", file: "r.yaml", lastModifiedBy: "bob", changes: [{ path: "properties.query", desired: JSON.stringify("T\n| where A\n| count\n"), live: JSON.stringify("T\n| where B\n| count\n") }, { path: "properties.severity", desired: '"High"', live: '"Low"' }] }),
    item({ key: "alert-rule/c", title: "Same" }),
  ],
  orphans: [item({ action: "delete", key: "alert-rule/o", title: "Old rule", name: "o" })],
};

describe("plan and apply reports", () => {
  it("text: one line per item, changed lines of multi-line fields, orphans and counts", () => {
    const text = formatPlan(plan, "text", "dev");
    expect(text).toContain("~ update alert-rule    Rule | one  (r.yaml) — last changed by bob");
    expect(text).toContain("  @@ line 2\n      -   | where B\n      +   | where A\n");
    expect(text).toContain('- severity: "Low"\n      + severity: "High"');
    expect(text).toContain("! orphan alert-rule");
    expect(text).toContain("Plan for dev: 1 to create, 1 to update, 0 to delete, 1 unchanged, 1 orphaned.");
  });
  it("markdown: escapes table cells and lists orphans for --prune", () => {
    const markdown = formatPlan(plan, "markdown", "dev");
    expect(markdown).toContain("| update | alert-rule | Rule \\| one | `r.yaml` | `query`, `severity` |");
    expect(markdown).toContain("`--prune` would delete them:");
  });
  it("json: counts and items without bodies", () => {
    const json = JSON.parse(formatPlan({ ...plan, items: plan.items.map((i) => ({ ...i, body: { secret: 1 } })) }, "json", "dev")) as { counts: unknown; items: Record<string, unknown>[] };
    expect(json.counts).toEqual({ create: 1, update: 1, delete: 0, noop: 1 });
    expect(json.items[0]).not.toHaveProperty("body");
  });
  it("apply: failures carry the ARM message, the summary counts every status", () => {
    const text = formatApply([{ item: plan.items[0]!, status: "failed", error: "PUT /x failed: HTTP 400 BadRequest: bad", ms: 3 }, { item: plan.items[2]!, status: "unchanged", ms: 0 }], "text");
    expect(text).toContain("failed   alert-rule    New rule 3 ms\n         PUT /x failed: HTTP 400 BadRequest: bad");
    expect(text).toContain("Apply: 0 created, 0 updated, 0 deleted, 1 unchanged, 1 failed, 0 skipped.");
  });
});
