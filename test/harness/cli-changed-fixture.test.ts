// `sentinel-content test --changed` on a git copy of the harness repository, and `fixture new`.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, fixtureRepo } from "./cli-support.ts";
import { removedAfterAll } from "../../src/files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

function gitRepo(): string {
  const root = mkdtempSync(path.join(tmpdir(), "harness-changed-"));
  temporaryFolders.push(root);
  cpSync(fixtureRepo, root, { recursive: true });
  // a parser that does not load, which no content of the repository calls: a --changed run never reports it
  writeFileSync(path.join(root, "parsers/unrelated-broken.yaml"), UNRELATED_BROKEN_PARSER);
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, stdio: "ignore" });
  git("init", "-q", "-b", "main");
  git("config", "user.email", "t@example.com");
  git("config", "user.name", "t");
  git("add", ".");
  git("commit", "-qm", "base");
  git("checkout", "-qb", "topic");
  return root;
}

const UNRELATED_BROKEN_PARSER = "ParserName: Unrelated\nParser: [\n";

// `--jobs 1`: the selection is what is tested; the worker threads (each loading Kusto.Language) have tests of their own.
const caseNames = (out: string) => (JSON.parse(out) as { cases: { testsFile: string }[] }).cases.map((c) => c.testsFile);
const findingFiles = (out: string) => (JSON.parse(out) as { diagnostics: { file?: string }[] }).diagnostics.map((d) => d.file);

describe("sentinel-content test --changed", () => {
  let root: string;
  beforeAll(() => {
    root = gitRepo();
  });

  it("runs nothing when nothing changed", async () => {
    const { code, out } = await cli(["test", "-C", root, "--changed", "--base", "main", "--jobs", "1", "--format", "json"]);
    expect(code).toBe(0);
    expect(caseNames(out)).toEqual([]);
    expect(findingFiles(out)).toEqual([]);
  });

  it("reports a changed file that does not load, and no unchanged content it does not reach", async () => {
    const rule = path.join(root, "analytics-rules/azure-activity/key-listed-by-new-caller.yaml");
    const original = readFileSync(rule, "utf8");
    writeFileSync(rule, `${original}\nquery: [\n`);
    try {
      const { code, out } = await cli(["test", "-C", root, "--changed", "--base", "main", "--jobs", "1", "--format", "json"]);
      expect(code).toBe(1);
      expect(new Set(findingFiles(out))).toEqual(new Set(["analytics-rules/azure-activity/key-listed-by-new-caller.yaml"]));
      // with paths, only the changes under them
      const elsewhere = await cli(["test", "-C", root, "--changed", "--base", "main", "--jobs", "1", "--format", "json", path.join(root, "hunting-queries")]);
      expect(findingFiles(elsewhere.out)).toEqual([]);
    } finally {
      writeFileSync(rule, original);
    }
  });

  it("reruns a changed parser's tests and every rule, hunting query and workbook using it", async () => {
    const parser = path.join(root, "parsers/harness-key-operations.yaml");
    writeFileSync(parser, readFileSync(parser, "utf8").replace("| where ActivityStatusValue", "| where isnotempty(Caller)\n  | where ActivityStatusValue"));
    const { out } = await cli(["test", "-C", root, "--changed", "--base", "main", "--jobs", "1", "--format", "json"]);
    expect([...new Set(caseNames(out))].sort()).toEqual([
      "analytics-rules/azure-activity/key-listed-by-new-caller.tests.yaml",
      "hunting-queries/azure-activity/key-operations-by-caller.tests.yaml",
      "parsers/harness-key-operations.tests.yaml",
      "workbooks/key-activity.tests.yaml",
    ]);
  });

  it("reruns the target of a changed fixture file", async () => {
    execFileSync("git", ["checkout", "-q", "--", "parsers"], { cwd: root });
    const fixture = path.join(root, "analytics-rules/azure-openai/fixtures/bursts.jsonl");
    writeFileSync(fixture, `${readFileSync(fixture, "utf8")}\n`);
    const { out } = await cli(["test", "-C", root, "--changed", "--base", "main", "--jobs", "1", "--format", "json"]);
    expect([...new Set(caseNames(out))]).toEqual(["analytics-rules/azure-openai/content-filter-burst.tests.yaml"]);
  });

  it("is a usage error with an unknown base", async () => {
    expect((await cli(["test", "-C", root, "--changed", "--base", "no-such-ref"])).code).toBe(2);
  });
});

describe("sentinel-content fixture new", () => {
  it("writes schema-correct skeleton rows that the harness accepts", async () => {
    const output = path.join(mkdtempSync(path.join(tmpdir(), "fixture-new-")), "rows.jsonl");
    temporaryFolders.push(path.dirname(output));
    const { code } = await cli(["fixture", "new", "OpenAIAuditLogs_CL", "--count", "2", "--start", "2026-11-20T12:00:00Z", "--output", output]);
    expect(code).toBe(0);
    const rows = readFileSync(output, "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ TimeGenerated: "2026-11-20T12:01:00Z", EventType: "", ActorSession: {} });
  });

  it.each([
    [["fixture", "new", "NoSuchTable"], 1],
    [["fixture", "new", "AzureActivity", "--count", "0"], 2],
    [["fixture", "new", "AzureActivity", "--start", "soon"], 2],
  ])("%j exits %d", async (args, expected) => {
    expect((await cli(args)).code).toBe(expected);
  });
});
