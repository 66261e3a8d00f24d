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
  conflicts: [],
  leftAlone: [],
  guard: { deletes: 0, owned: 3, maxDeletes: 5, maxFraction: 0.25, tripped: false },
  findings: [],
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
  it.each([
    ["HTML", "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;", "<img"],
    ["a link", "[click](https://evil.example)", "\\[click\\]\\(https://evil.example\\)", "[click]("],
    ["a carriage return and a new line", "one\r| two\n# three", "one \\| two \\# three", "\r"],
    ["emphasis and code", "*bold* _it_ `code`", "\\*bold\\* \\_it\\_ \\`code\\`", "`code`"],
  ])("markdown: a rule name with %s cannot inject markup", (_label, title, escaped, raw) => {
    const markdown = formatPlan({ ...plan, items: [item({ action: "create", title, file: "a`b.yaml" })] }, "markdown", "dev");
    expect(markdown).toContain(`| create | alert-rule | ${escaped} | `);
    expect(markdown).not.toContain(raw);
    expect(markdown).toContain("`` a`b.yaml ``");
  });
  it("text: a carriage return or terminal escape in a name is shown, not obeyed", () => {
    const text = formatPlan({ ...plan, items: [item({ action: "create", title: "ok\rEVIL\u001b[2J" })] }, "text", "dev");
    expect(text).toContain("ok\ufffdEVIL\ufffd[2J");
  });
  it("names conflicts, resources prune leaves alone and a tripped delete guard", () => {
    const conflict = item({ action: "update", title: "Taken", name: "g1", ownership: "unmarked" });
    const copy = item({ action: "delete", title: "Copy", name: "g2", ownership: "copied" });
    const guarded: Plan = { ...plan, conflicts: [conflict], leftAlone: [copy], guard: { deletes: 11, owned: 20, maxDeletes: 5, maxFraction: 0.25, tripped: true } };
    const text = formatPlan(guarded, "text", "dev");
    expect(text).toContain("! conflict alert-rule Taken (g1): a resource of that name exists in the workspace and is not made by this repository (no marker); apply refuses it unless --adopt");
    expect(text).toContain("! left alone alert-rule Copy (g2): a copy of a resource of this repository (its marker names another resource); prune never deletes it");
    expect(text).toContain("! delete guard: 11 deletes of 20 repository-owned resources exceeds 5 deletes or 25%");
    expect(formatPlan(guarded, "markdown", "dev")).toContain("> \\! conflict alert-rule Taken \\(g1\\)");
    expect(JSON.parse(formatPlan(guarded, "json", "dev"))).toMatchObject({ conflicts: [{ name: "g1" }], leftAlone: [{ name: "g2" }], deleteGuard: { tripped: true } });
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

describe("plan findings", () => {
  it("are listed in text and JSON, an SC7040 saying that apply refuses", async () => {
    const { makeDiagnostic } = await import("../diagnostics/index.ts");
    const finding = makeDiagnostic("SC7040", { file: "ingestion/a.yaml" }, 'DCR "A" would be created in westeurope, but workspace law is in eastus');
    const withFinding: Plan = { ...plan, findings: [finding] };
    expect(formatPlan(withFinding, "text", "dev")).toContain('! error SC7040 (ingestion/a.yaml): DCR "A" would be created in westeurope, but workspace law is in eastus; apply refuses the plan');
    expect(JSON.parse(formatPlan(withFinding, "json", "dev")).findings).toEqual([{ code: "SC7040", severity: "error", file: "ingestion/a.yaml", message: finding.message }]);
  });
});
