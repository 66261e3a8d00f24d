import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { activeLayout, presetLayout, setActiveLayout } from "../content/layout.ts";
import { ExitError } from "../diagnostics/errors.ts";
import { loadRepository } from "../repository/index.ts";
import { createOfflineEngine } from "../testing/run/offline-engine.ts";
import { runContentTests } from "../testing/run/run-tests.ts";
import { buildWorkspace } from "../testing/spec/workspace.ts";
import { validateContent } from "../validate/validate.ts";
import { initFiles } from "./init.ts";
import { newRuleFiles } from "./new-rule.ts";
import { createFiles } from "./write-files.ts";
import { removedAfterAll } from "../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const NOW = Date.parse("2026-11-20T12:00:30Z");

afterEach(() => setActiveLayout(presetLayout("sentinel-content")));

async function scaffold(preset: "sentinel-content" | "azure-sentinel"): Promise<{ root: string; written: string[] }> {
  const root = mkdtempSync(path.join(tmpdir(), "scaffold-"));
  temporaryFolders.push(root);
  createFiles(root, initFiles(preset));
  const columns = buildWorkspace(await loadRepository(root)).tables.get("SigninLogs")?.columns ?? [];
  const written = createFiles(root, newRuleFiles({ table: "SigninLogs", columns, name: "failed-signin-burst", now: NOW }, activeLayout()));
  return { root, written };
}

describe("init and new rule", () => {
  it.each([
    ["sentinel-content", "analytics-rules/SigninLogs"],
    ["azure-sentinel", "Detections/SigninLogs"],
  ] as const)("a %s repository with a new rule validates and its cases pass", async (preset, folder) => {
    const { root, written } = await scaffold(preset);
    expect(written).toEqual([`${folder}/failed-signin-burst.yaml`, `${folder}/failed-signin-burst.tests.yaml`, `${folder}/fixtures/failed-signin-burst.jsonl`]);
    expect(readFileSync(path.join(root, "sentinel-content.config.yaml"), "utf8")).toContain(`preset: ${preset}`);
    // the KQL stage on this thread (`workers: 1`): a worker thread would load Kusto.Language again for one query
    const validated = await validateContent({ root, cache: false, workers: 1 });
    expect(validated.diagnostics).toEqual([]);
    expect(validated.files.map((f) => f.kind).sort()).toEqual(["analytic-rule", "tests"]);
    const report = await runContentTests({ root, engine: createOfflineEngine() });
    expect(report.diagnostics).toEqual([]);
    expect(report.results.map((r) => `${r.status} ${r.name}`)).toEqual(["passed fires on a matching row", "passed stays silent without rows"]);
  });

  it("gives every rule a fresh GUID and the fixture row every column of the table at the cases' time", async () => {
    const columns = [
      { name: "TimeGenerated", type: "datetime" },
      { name: "UserPrincipalName", type: "string" },
    ];
    const make = () => newRuleFiles({ table: "SigninLogs", columns, name: "a-rule", now: NOW }, presetLayout("sentinel-content"));
    const [first, second] = [make(), make()];
    const id = (files: typeof first) => /^id: (.*)$/m.exec(files[0]?.text ?? "")?.[1];
    expect(id(first)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(id(first)).not.toBe(id(second));
    expect(JSON.parse(first[2]?.text ?? "")).toEqual({ TimeGenerated: "2026-11-20T12:00:00Z", UserPrincipalName: "" });
    expect(first[1]?.text).toContain("now: 2026-11-20T12:05:00Z");
  });

  it.each([
    [{ name: "Bad Name" }, 'the rule name "Bad Name" must be lowercase words joined by hyphens (at most 100 characters), e.g. key-listed'],
    [{ columns: [{ name: "Time", type: "datetime" }] }, "table SigninLogs has no TimeGenerated column to scope the rule by"],
  ])("refuses %j", (change, message) => {
    const request = { table: "SigninLogs", columns: [{ name: "TimeGenerated", type: "datetime" }], name: "ok", now: NOW, ...change };
    expect(() => newRuleFiles(request, presetLayout("sentinel-content"))).toThrow(new ExitError(2, message));
  });

  it("asks for --folder when the layout has no fixed rule folder", () => {
    const layout = { ...presetLayout("sentinel-content"), rules: [{ glob: "**/*.rule.yaml", kind: "analytic-rule" as const }] };
    expect(() => newRuleFiles({ table: "T", columns: [{ name: "TimeGenerated", type: "datetime" }], name: "x", now: NOW }, layout)).toThrow(/give one with --folder/);
  });

  it("writes nothing when any target exists", () => {
    const root = mkdtempSync(path.join(tmpdir(), "scaffold-"));
    temporaryFolders.push(root);
    writeFileSync(path.join(root, ".gitignore"), "mine\n");
    expect(() => createFiles(root, initFiles("sentinel-content"))).toThrow(new ExitError(2, "not overwriting existing files: .gitignore"));
    expect(existsSync(path.join(root, "sentinel-content.config.yaml"))).toBe(false);
    expect(readFileSync(path.join(root, ".gitignore"), "utf8")).toBe("mine\n");
  });
});
