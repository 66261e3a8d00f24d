import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const load = (file: string): unknown => parse(readFileSync(path.join(root, file), "utf8"));
/** The value at a path of keys in parsed YAML, or undefined. */
const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>((node, key) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), value);
/** A parsed YAML list (empty when absent). */
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const WORKFLOWS = [".github/workflows/pull-request.yml", ".github/workflows/deploy.yml", "action.yml"];
/** Current major versions (docs/ci.md "Action versions" cites each release). */
const CURRENT: Record<string, string> = { "actions/checkout": "v6", "actions/setup-node": "v6", "actions/upload-artifact": "v6", "github/codeql-action/upload-sarif": "v4", "dorny/test-reporter": "v2" };

function uses(file: string): string[] {
  const doc = load(file);
  const jobs = Object.values((at(doc, "jobs") ?? {}) as Record<string, unknown>);
  const steps = at(doc, "runs") ? list(at(doc, "runs", "steps")) : jobs.flatMap((job) => list(at(job, "steps")));
  return steps.map((s) => at(s, "uses")).filter((u): u is string => typeof u === "string");
}

describe("CI files", () => {
  it.each(WORKFLOWS)("%s uses the current major version of every action", (file) => {
    const used = uses(file);
    expect(used.length).toBeGreaterThan(0);
    for (const ref of used) {
      const [name, version] = ref.split("@") as [string, string];
      expect({ ref, version }).toEqual({ ref, version: CURRENT[name] });
    }
  });

  it("uploads SARIF only where code scanning exists, and never lets the upload fail a clean validate", () => {
    const steps = list(at(load(".github/workflows/pull-request.yml"), "jobs", "validate", "steps"));
    const upload = steps.find((s) => String(at(s, "uses")).startsWith("github/codeql-action/upload-sarif"));
    expect(at(upload, "if")).toBe("always() && (github.event.repository.private == false || vars.CODE_SCANNING == 'true')");
    const gate = steps.find((s) => String(at(s, "run")).includes("validate --format github"));
    expect(gate).toBeDefined();
  });

  it("shows JUnit results in the PR from same-repository pull requests (fork tokens cannot write checks)", () => {
    const job = at(load(".github/workflows/pull-request.yml"), "jobs", "test");
    expect(at(job, "permissions", "checks")).toBe("write");
    const reporter = list(at(job, "steps")).find((s) => String(at(s, "uses")).startsWith("dorny/test-reporter"));
    expect(at(reporter, "with")).toMatchObject({ path: "junit.xml", reporter: "java-junit" });
    expect(at(reporter, "if")).toContain("github.event.pull_request.head.repo.full_name == github.repository");
  });

  it("the composite action runs the toolkit from its own checkout with annotations", () => {
    const action = load("action.yml");
    expect(at(action, "runs", "using")).toBe("composite");
    const runs = list(at(action, "runs", "steps")).map((s) => String(at(s, "run") ?? ""));
    expect(runs.some((r) => r.includes('"$GITHUB_ACTION_PATH/bin/sentinel-content.js" "${args[@]}"'))).toBe(true);
    expect(runs.some((r) => r.includes("test --format github"))).toBe(true);
  });

  it("the Azure DevOps template validates with logging commands and publishes JUnit even when tests fail", () => {
    const template = load("ci/azure-pipelines/sentinel-content-gate.yml");
    const text = JSON.stringify(template);
    expect(text).toContain("validate --format azure-devops");
    const publish = JSON.stringify(at(template, "steps")).includes("PublishTestResults@2");
    expect(publish).toBe(true);
    expect(text).toContain('"condition":"succeededOrFailed()"');
  });
});
