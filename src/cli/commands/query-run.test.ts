import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { parse } from "yaml";
import { ExitError } from "../../diagnostics/errors.ts";
import { loadRepoContext, runQueryCommand } from "./query-run.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

function capture(): { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((err += String(chunk)), true));
  return { out: () => out, err: () => err };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "query-cmd-"));
  temporaryFolders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

afterEach(() => vi.restoreAllMocks());

describe("sentinel-content query", () => {
  it("prints JSON with ISO datetimes and Kusto timespans", () => {
    const dir = tempDir({ "q.kql": "Events | extend age = datetime(2024-01-02) - TimeGenerated | project Account, TimeGenerated, age" });
    writeFileSync(path.join(dir, "Events.jsonl"), '{"TimeGenerated":"2024-01-01T00:00:00Z","Account":"alice"}\n');
    const io = capture();
    const code = runQueryCommand(path.join(dir, "q.kql"), { data: dir, now: "2024-01-02T00:00:00Z", format: "json" }, readFileSync);
    expect(code).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      columns: [
        { name: "Account", type: "string" },
        { name: "TimeGenerated", type: "datetime" },
        { name: "age", type: "timespan" },
      ],
      rows: [["alice", "2024-01-01T00:00:00Z", "1.00:00:00"]],
    });
  });

  it("prints a text table by default", () => {
    const dir = tempDir({ "q.kql": "print a = 1, b = 'x'" });
    const io = capture();
    expect(runQueryCommand(path.join(dir, "q.kql"), { format: "table" }, readFileSync)).toBe(0);
    expect(io.out()).toContain("a  b");
    expect(io.out()).toContain("(1 row)");
  });

  it("reports query errors on stderr with line and column and exits 1", () => {
    const dir = tempDir({ "q.kql": "print a = 1\n| fork (take 1)" });
    const io = capture();
    expect(runQueryCommand(path.join(dir, "q.kql"), { format: "json" }, readFileSync)).toBe(1);
    expect(io.err()).toMatch(/q\.kql:2:3: error SC4001: .*fork/);
  });

  it("runs a batch, one JSON line per case, errors included", () => {
    const dir = tempDir({
      "cases.jsonl": [
        JSON.stringify({ id: "a", query: "print now()", now: "2024-05-01T00:00:00Z" }),
        JSON.stringify({ id: "b", query: "print x = " }),
      ].join("\n"),
    });
    const io = capture();
    expect(runQueryCommand(undefined, { format: "json", batch: path.join(dir, "cases.jsonl") }, readFileSync)).toBe(0);
    const lines = io.out().trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toEqual({ id: "a", columns: [{ name: "print_0", type: "datetime" }], rows: [["2024-05-01T00:00:00Z"]] });
    expect(lines[1]!.id).toBe("b");
    expect(String(lines[1]!.error)).toContain("SC4003");
  });

  it("refuses an unknown format", () => {
    expect(() => runQueryCommand(undefined, { format: "xml" }, readFileSync)).toThrow(ExitError);
  });

  it.each([
    ["AzureActivity.jsonl", '{"OperationNameValue":"x"}\n{"OperationNameValue":"x", "TimeGenerated":"never"}\n', 'AzureActivity.jsonl:2:28: error SC4009: AzureActivity.TimeGenerated is datetime: "never" is not a datetime such as 2026-11-20T12:00:00Z (ISO 8601, UTC when no zone is given)'],
    ["AzureActivity.csv", 'OperationNameValue,TimeGenerated\nx,2026-11-20T00:00:00Z\ny,never\n', 'AzureActivity.csv:3:3: error SC4009: AzureActivity.TimeGenerated is datetime: "never" is not a datetime such as 2026-11-20T12:00:00Z (ISO 8601, UTC when no zone is given)'],
    ["AzureActivity.json", '[\n  {"Caller": "a", "CallerIpAddress": "1.2.3.4"},\n  {"caller": "b"}\n]', "AzureActivity.json:3:4: error SC4009: AzureActivity has no column caller (did you mean Caller? column names are case-sensitive)"],
  ])("names the file, line and column of a bad cell in %s and exits 1", (name, text, message) => {
    const dir = tempDir({ [name]: text, "q.kql": "AzureActivity | count" });
    let thrown: unknown;
    try {
      runQueryCommand(path.join(dir, "q.kql"), { data: dir, format: "json" }, readFileSync);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExitError);
    expect((thrown as ExitError).exitCode).toBe(1);
    expect((thrown as ExitError).message.startsWith(path.join(dir, message))).toBe(true);
  });

  it("calls the parsers and watchlists of a content repo given with --repo", async () => {
    const repo = mkdtempSync(path.join(tmpdir(), "query-repo-"));
    temporaryFolders.push(repo);
    mkdirSync(path.join(repo, "parsers"));
    mkdirSync(path.join(repo, "watchlists"));
    writeFileSync(
      path.join(repo, "parsers", "admins.yaml"),
      "id: 6f1d3c55-2d0e-4a43-9a0d-3f4f0b1c2d3e\nParser:\n  Title: Admins\n  Version: '1.0.0'\n  LastUpdated: 2026-11-25\nProduct:\n  Name: Test\nDescription: Admin names.\nParserName: AdminNames\nParserQuery: |\n  _GetWatchlist('Admins') | project Upn = tolower(Upn)\n",
    );
    writeFileSync(
      path.join(repo, "watchlists", "admins.yaml"),
      "id: 0c2a8e1b-5d4f-4c3a-9b2e-1f0a9d8c7b6a\nwatchlistAlias: Admins\ndisplayName: Admins\ndescription: Admins.\nprovider: Custom\nitemsSearchKey: Upn\ncolumns: [Upn]\nitems:\n  - { Upn: Alice@Contoso.com }\n",
    );
    const dir = tempDir({ "q.kql": "AdminNames" });
    const io = capture();
    const code = runQueryCommand(path.join(dir, "q.kql"), { format: "json", repo: await loadRepoContext(repo) }, readFileSync);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(JSON.parse(io.out()).rows).toEqual([["alice@contoso.com"]]);
  });

  it("types the data folder's source file by the --stream's declared columns, so a transform reads keys the events lack", async () => {
    const root = path.resolve(import.meta.dirname, "../../..");
    const transform = (parse(readFileSync(path.join(root, "ingestion/chatgpt/chatgpt-compliance.yaml"), "utf8")) as { dataFlows: { transformKql: string }[] }).dataFlows[0]?.transformKql ?? "";
    // an AUTH_LOG event has no action, action_result, app_id, … keys: the file alone would not give those columns
    const event = '{"event_id":"e1","type":"AUTH_LOG","timestamp":"2026-11-21T14:02:11Z","actor":{"type":"ACCOUNT_USER","user_email":"dave@example.org"},"action_data":{"action":"login_success"},"unknown_key":1}';
    const dir = tempDir({ "source.jsonl": `${event}\n`, "q.kql": transform });
    const repo = await loadRepoContext(root);
    const inferred = capture();
    expect(runQueryCommand(path.join(dir, "q.kql"), { data: dir, format: "json", repo }, readFileSync)).toBe(1);
    expect(inferred.err()).toMatch(/action/);
    vi.restoreAllMocks();
    const io = capture();
    const code = runQueryCommand(path.join(dir, "q.kql"), { data: dir, format: "json", repo, stream: "Custom-ChatGPTComplianceRaw" }, readFileSync);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const result = JSON.parse(io.out()) as { columns: { name: string }[]; rows: unknown[][] };
    const action = result.columns.findIndex((c) => c.name === "Action");
    expect(result.rows.map((r) => r[action])).toEqual(["login_success"]);
    expect(() => runQueryCommand(path.join(dir, "q.kql"), { data: dir, format: "json", repo, stream: "Custom-Nope" }, readFileSync)).toThrow(/no ingestion mapping of the repository declares it/);
  }, 60_000);

  it("refuses a --repo folder that does not exist", async () => {
    await expect(loadRepoContext(path.join(tmpdir(), "no-such-repo-folder"))).rejects.toThrow(ExitError);
  });
});
