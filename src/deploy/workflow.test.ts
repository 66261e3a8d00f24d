import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { sentinelScope } from "../build/workspace.ts";
import type { ArmClient } from "./arm-client.ts";
import { runDeployCommand, runDriftCommand } from "./deploy-command.ts";
import { runBuildCommand } from "../build/build-command.ts";
import { applyPlan } from "./apply.ts";
import { planDeployment } from "./plan.ts";
import { prepareDeployment } from "../build/prepare.ts";
import type { ArmEmulator } from "./emulator/arm-emulator.ts";
import { copyRepository, startEmulator, TEST_ENVIRONMENTS, TEST_TARGET } from "./test-support.ts";
import { FAKE_TOKEN } from "../ingest/fakes/credential.ts";

const RULE_FILE = "analytics-rules/azure-openai/aoai-key-used-from-new-network.yaml";
const RULE_ID = "985d86d1-f33f-42d2-9d1f-390221f04b9b";
const FILES = [RULE_FILE, "watchlists/corporate-egress-ranges.yaml", "parsers/genai-aoai-requests.yaml", "ingestion/openai/openai-audit-logs.yaml", "hunting-queries/azure-openai/aoai-api-key-networks.yaml", "workbooks/genai-security-overview.yaml"];
const TARGET = TEST_TARGET;
const ENVIRONMENTS = TEST_ENVIRONMENTS;
const RULE_RESOURCE = `${sentinelScope(TARGET)}/alertRules/${RULE_ID}`;

let root = "";
let running: { emulator: ArmEmulator; client: ArmClient } | undefined;
let output = "";
const write = (text: string) => void (output += text);

beforeEach(async () => {
  root = await copyRepository(FILES, ENVIRONMENTS, "deploy-test-");
  running = await startEmulator();
  output = "";
});
afterEach(async () => {
  await running?.emulator.stop();
  await rm(root, { recursive: true, force: true });
});

const deploy = (extra: Record<string, unknown>) => runDeployCommand({ env: "dev", root, format: "json", ...extra }, write, running!.client);
const lastJson = () => JSON.parse(output.slice(output.lastIndexOf("\n{") + 1)) as Record<string, unknown>;

describe("deploy workflow (loopback emulator)", () => {
  it("a DCR outside the workspace's region is a plan finding (SC7040) and apply refuses to start", async () => {
    await running!.emulator.stop();
    running = await startEmulator({ workspaceLocation: "East US" });
    expect(await deploy({ plan: true })).toBe(0);
    const findings = lastJson()["findings"] as { code: string; severity: string; file: string; message: string }[];
    expect(findings).toEqual([{ code: "SC7040", severity: "error", file: "ingestion/openai/openai-audit-logs.yaml", message: expect.stringMatching(/in westeurope, but workspace law-sec is in East US$/) }]);
    output = "";
    expect(await deploy({ apply: true })).toBe(1);
    expect(output).toContain("SC7040");
    expect(running!.emulator.seen.filter((s) => s.method !== "GET")).toEqual([]);
  });

  it("apply twice: the second plan is all no-ops and sends no writes", async () => {
    expect(await deploy({ apply: true })).toBe(0);
    const writes = running!.emulator.seen.filter((s) => s.method !== "GET").length;
    output = "";
    expect(await deploy({ plan: true })).toBe(0);
    expect(lastJson()["counts"]).toEqual({ create: 0, update: 0, delete: 0, noop: 7 });
    expect(await deploy({ apply: true })).toBe(0);
    expect(running!.emulator.seen.filter((s) => s.method !== "GET").length).toBe(writes);
  });

  it("prune deletes only resources marked by this repository, never unmarked or foreign ones", async () => {
    const { emulator } = running!;
    const scope = sentinelScope(TARGET);
    const rule = (description: string) => ({ kind: "Scheduled", properties: { displayName: "x", description, query: "T" } });
    emulator.seed(`${scope}/alertRules/portal-made`, rule("made in the portal"));
    emulator.seed(`${scope}/alertRules/other-repo`, rule("x\n\n[managed-by: sentinel-content:other-repo]"));
    emulator.seed(`${scope}/alertRules/our-orphan`, rule("gone\n\n[managed-by: sentinel-content:test-repo@our-orphan]"));
    expect(await deploy({ plan: true })).toBe(0);
    expect((lastJson()["orphans"] as { name: string }[]).map((o) => o.name)).toEqual(["our-orphan"]);
    output = "";
    expect(await deploy({ apply: true, prune: true })).toBe(0);
    expect(emulator.resource(`${scope}/alertRules/our-orphan`)).toBeUndefined();
    expect(emulator.resource(`${scope}/alertRules/portal-made`)).toBeDefined();
    expect(emulator.resource(`${scope}/alertRules/other-repo`)).toBeDefined();
  });

  it("reports a partial failure per item and still applies the rest", async () => {
    running!.emulator.faults.push({ method: "PUT", path: "/savedSearches/", status: 400, code: "BadRequest", times: 2 });
    expect(await deploy({ apply: true })).toBe(1);
    const results = lastJson()["results"] as { kind: string; status: string; error?: string }[];
    expect(results.filter((r) => r.status === "failed").map((r) => r.kind).sort()).toEqual(["hunting-query", "parser"]);
    expect(results.find((r) => r.status === "failed")?.error).toMatch(/HTTP 400 BadRequest: Injected 400/);
    expect(results.filter((r) => r.status === "created").map((r) => r.kind).sort()).toEqual(["alert-rule", "dcr", "table", "watchlist", "workbook"]);
  });

  it("--fail-fast skips everything after the first failure", async () => {
    running!.emulator.faults.push({ method: "PUT", path: "/tables/", status: 400, times: 1 });
    expect(await deploy({ apply: true, failFast: true, concurrency: "1" })).toBe(1);
    const results = lastJson()["results"] as { kind: string; status: string }[];
    expect(results.filter((r) => r.status === "failed").map((r) => r.kind)).toEqual(["table"]);
    expect(results.filter((r) => r.status === "created")).toEqual([]);
    expect(results.filter((r) => r.status === "skipped").length).toBe(6);
  });

  it("drift reports a portal edit with who and when; --absorb writes it into the YAML keeping comments; then no drift", async () => {
    await deploy({ apply: true });
    running!.emulator.edit(RULE_RESOURCE, (r) => {
      const p = r["properties"] as Record<string, unknown>;
      p["severity"] = "High";
      p["queryFrequency"] = "PT2H";
    });
    output = "";
    expect(await runDriftCommand({ env: "dev", root, format: "text" }, write, running!.client)).toBe(1);
    expect(output).toContain("last changed by analyst@contoso.com at 2026-11-24T10:00:00Z");
    expect(output).toMatch(/queryFrequency: "PT1H" \(repository\) → "PT2H" \(workspace\)/);
    expect(output).toMatch(/severity: "Medium" \(repository\) → "High" \(workspace\)/);
    expect(await runDriftCommand({ env: "dev", root, absorb: true }, write, running!.client)).toBe(1);
    const text = await readFile(path.join(root, RULE_FILE), "utf8");
    expect(text).toContain("severity: High\n");
    expect(text).toContain("queryFrequency: 2h\n");
    expect(text).toContain("# yaml-language-server: $schema=../../schemas/analytic-rule.schema.json");
    expect(text).toContain("description: |\n  What happened:");
    output = "";
    expect(await runDriftCommand({ env: "dev", root }, write, running!.client)).toBe(0);
    expect(output).toContain("No drift in dev");
    running!.emulator.faults.length = 0;
    await running!.client.delete(RULE_RESOURCE, "2025-09-01");
    output = "";
    expect(await runDriftCommand({ env: "dev", root }, write, running!.client)).toBe(0);
    expect(output).toContain("Not in the workspace (deleted there, or never applied): alert-rule Azure OpenAI key used from new network.");
  });

  it("plan shows the field-level diff of a repository change in markdown", async () => {
    await deploy({ apply: true });
    const file = path.join(root, RULE_FILE);
    await writeFile(file, (await readFile(file, "utf8")).replace("triggerThreshold: 0", "triggerThreshold: 3"));
    output = "";
    await deploy({ plan: true, format: "markdown" });
    expect(output).toContain("**0** to create, **1** to update, **0** to delete, 6 unchanged.");
    expect(output).toContain("- triggerThreshold: 0\n+ triggerThreshold: 3");
  });

  it.each([
    ["a missing target", "  - target: no-such-rule\n    set: { severity: High }\n", "SC7001", 9],
    ["a missing field", `  - target: ${RULE_ID}\n    set: { severityy: High }\n`, "SC7002", 10],
  ])("an override naming %s is an error with file:line", async (_name, override, code, line) => {
    await writeFile(path.join(root, "environments.yaml"), `${ENVIRONMENTS}    overrides:\n${override.replace(/^/gm, "    ").replace(/\n {4}$/, "\n")}`);
    expect(await deploy({ plan: true })).toBe(1);
    expect(output).toContain(code);
    expect(output).toMatch(new RegExp(`environments\\.yaml:${line}:\\d+`));
    expect(running!.emulator.seen).toEqual([]);
  });

  it("applies overrides and watchlist renames per environment", async () => {
    await writeFile(path.join(root, "environments.yaml"), `${ENVIRONMENTS}    watchlistAliases: { CorporateEgressRanges: DevEgress }\n    overrides:\n      - target: ${RULE_FILE}\n        set: { enabled: false, triggerThreshold: 4, incidentConfiguration.createIncident: false }\n`);
    expect(await deploy({ apply: true })).toBe(0);
    const rule = running!.emulator.resource(RULE_RESOURCE)!["properties"] as Record<string, unknown>;
    expect(rule).toMatchObject({ enabled: false, triggerThreshold: 4, incidentConfiguration: { createIncident: false } });
    expect(String(rule["query"])).toContain("_GetWatchlist('DevEgress')");
    expect(running!.emulator.resource(`${sentinelScope(TARGET)}/watchlists/DevEgress`)).toBeDefined();
  });

  it("rejects an environments file that breaks its schema, at file:line:col, before any request", async () => {
    await writeFile(path.join(root, "environments.yaml"), ENVIRONMENTS.replace(`    location: ${TARGET.location}\n`, "    location: westeurope\n    workspace: typo\n"));
    expect(await deploy({ plan: true })).toBe(1);
    expect(output).toMatch(/environments\.yaml:8:5 error SC2001 unexpected key .workspace./);
    expect(running!.emulator.seen).toEqual([]);
  });

  it("build --env writes one body per resource, a manifest and an ARM template ordered by dependsOn", async () => {
    const out = path.join(root, "out");
    expect(await runBuildCommand({ root, env: "dev", out, armTemplate: true }, write)).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(out, "manifest.json"), "utf8")) as { kind: string; body: string; resourceId: string }[];
    expect(manifest.map((m) => m.kind)).toEqual(["table", "dcr", "parser", "watchlist", "alert-rule", "hunting-query", "workbook"]);
    const body = JSON.parse(await readFile(path.join(out, manifest[4]!.body), "utf8")) as { properties: Record<string, unknown> };
    expect(body.properties["displayName"]).toBe("Azure OpenAI key used from new network");
    const template = JSON.parse(await readFile(path.join(out, "azuredeploy.json"), "utf8")) as { resources: Record<string, unknown>[] };
    const rule = template.resources.find((r) => r["type"] === "Microsoft.SecurityInsights/alertRules")!;
    expect(rule).toMatchObject({ scope: "Microsoft.OperationalInsights/workspaces/law-sec", name: RULE_ID, apiVersion: "2025-09-01" });
    expect(rule["dependsOn"]).toEqual(manifest.slice(0, 4).map((m) => m.resourceId));
    expect(template.resources.find((r) => r["type"] === "Microsoft.OperationalInsights/workspaces/tables")).toMatchObject({ name: "law-sec/OpenAIAuditLogs_CL" });
  });

  it("a workspace that cannot be read ends the run with ARM's message, not a crash", async () => {
    running!.emulator.faults.push({ method: "GET", path: "/alertRules", status: 403, code: "AuthorizationFailed", times: 1 });
    await expect(deploy({ plan: true })).rejects.toMatchObject({ exitCode: 1, message: expect.stringMatching(/cannot read the workspace of environment "dev": GET .*alertRules failed: HTTP 403 AuthorizationFailed/) });
  });

  it("drift in a field set by an environment override is reported but never absorbed into the content", async () => {
    await writeFile(path.join(root, "environments.yaml"), `${ENVIRONMENTS}    overrides:\n      - target: ${RULE_ID}\n        set: { severity: Low }\n`);
    await deploy({ apply: true });
    running!.emulator.edit(RULE_RESOURCE, (r) => void ((r["properties"] as Record<string, unknown>)["severity"] = "High"));
    const before = await readFile(path.join(root, RULE_FILE), "utf8");
    output = "";
    expect(await runDriftCommand({ env: "dev", root, absorb: true }, write, running!.client)).toBe(1);
    expect(output).toContain("not absorbable: set by an environment override");
    expect(output).toContain("Nothing absorbable.");
    expect(await readFile(path.join(root, RULE_FILE), "utf8")).toBe(before);
  });

  it("updates send the live etag; a portal edit between plan and apply fails with 412 instead of being overwritten", async () => {
    await deploy({ apply: true });
    const file = path.join(root, RULE_FILE);
    await writeFile(file, (await readFile(file, "utf8")).replace("triggerThreshold: 0", "triggerThreshold: 2"));
    const { environment, resources } = await prepareDeployment(root, "dev");
    const plan = await planDeployment({ client: running!.client, target: environment!.target, resources, repository: "test-repo", prune: false });
    const update = plan.items.find((i) => i.action === "update")!;
    expect(update.etag).toBe(running!.emulator.resource(RULE_RESOURCE)!["etag"]);
    running!.emulator.edit(RULE_RESOURCE, (r) => void ((r["properties"] as Record<string, unknown>)["severity"] = "High"));
    const results = await applyPlan(plan, { client: running!.client });
    expect(results.find((r) => r.status === "failed")?.error).toMatch(/HTTP 412 PreconditionFailed/);
    expect((running!.emulator.resource(RULE_RESOURCE)!["properties"] as Record<string, unknown>)["severity"]).toBe("High");
    expect(running!.emulator.seen.filter((s) => s.method === "PUT").at(-1)?.ifMatch).toBe(update.etag);
  });

  it("--arm-endpoint points deploy and drift at the loopback emulator, signed with the loopback fakes' credential", async () => {
    const endpoint = running!.emulator.endpoint;
    expect(await runDeployCommand({ env: "dev", root, format: "json", plan: true, armEndpoint: endpoint }, write)).toBe(0);
    await runDriftCommand({ env: "dev", root, format: "json", armEndpoint: endpoint }, write);
    const seen = running!.emulator.seen;
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((s) => s.authorization))).toEqual(new Set([`Bearer ${FAKE_TOKEN}`]));
  });

  it("a broken environments.yaml is reported once, at its line and column, and nothing is deployed", async () => {
    await writeFile(path.join(root, "environments.yaml"), "repository: test-repo\nenvironments: [\n");
    const { resources, diagnostics } = await prepareDeployment(root, "dev");
    expect(resources).toEqual([]);
    const findings = diagnostics.filter((d) => d.file === "environments.yaml");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: "SC1001", severity: "error" });
  });

  it.each([
    [{ plan: true, apply: true }, /exactly one of --plan or --apply/],
    [{ plan: true, format: "yaml" }, /--format must be text, markdown or json/],
    [{ apply: true, concurrency: "0" }, /--concurrency must be a positive whole number/],
  ])("usage error %j exits 2 before reading anything", async (options, message) => {
    await expect(deploy(options)).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(message) });
    expect(running!.emulator.seen).toEqual([]);
  });
});
