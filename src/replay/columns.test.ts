import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { LoadedFile } from "../load/index.ts";
import { buildWorkspace } from "../testing/spec/workspace.ts";
import { loadContent } from "./selected-rules.ts";
import { keptColumns, keptIndexes, readsUnnamedColumns } from "./columns.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("readsUnnamedColumns", () => {
  it.each([
    ["AzureActivity | where OperationName == 'x' | project Caller", false],
    ["AzureActivity | extend Y = DurationMs * 2", false],
    ["T | summarize arg_min(IngestedAt, *) by EventId | project EventId", false],
    ["T | summarize take_any(*) by EventId", false],
    ["T | extend Props = column_ifexists('properties_s', '')", false],
    ["T | parse Msg with * 'user=' User ' ' *", false],
    ["T | parse-where Msg with * 'user=' User", false],
    ["T | distinct *", true],
    ["T | where * has 'secret'", true],
    ["T | project-away Props*", true],
    ["T | extend Bag = pack_all()", true],
    ["T | extend V = column_ifexists(strcat('a', 'b'), '')", true],
    ["search 'x'", true],
    ["T | getschema", true],
    ["T | evaluate bag_unpack(Props)", true],
    ["union * | count", true],
    ["T | where (", true],
  ])("%s → %s", (query, expected) => {
    expect(readsUnnamedColumns(query)).toBe(expected);
  });
});

describe("keptColumns over the repository's rules", async () => {
  const repository = await loadContent(root);
  const files = repository.entries;
  const workspace = buildWorkspace(repository);
  const rule = (name: string): LoadedFile => files.find((f) => f.path.endsWith(`/${name}.yaml`) && f.kind === "analytic-rule") as LoadedFile;
  const prepared = (name: string, tables: string[]) => {
    const file = rule(name);
    return { file, query: String((file.data as { query: unknown }).query), tables };
  };

  it("keeps what a rule and its parser name, and its mapped columns, and drops the rest", () => {
    const kept = keptColumns([prepared("aoai-throttling-storm", ["AzureDiagnostics"])], workspace, root);
    const names = kept.get("AzureDiagnostics");
    expect(names).not.toBe("all");
    const set = names as ReadonlySet<string>;
    // GenAI_AOAIRequests reads these; properties_s only through column_ifexists('properties_s', …)
    for (const column of ["TimeGenerated", "_TimeReceived", "ResourceProvider", "CallerIPAddress", "OperationName", "ResultSignature", "properties_s"]) expect(set.has(column)).toBe(true);
    // AzureDiagnostics has hundreds of columns no rule names
    for (const column of ["SourceSystem", "MG", "ManagementGroupName", "TenantId"]) expect(set.has(column)).toBe(false);
    expect(kept.has("AzureActivity")).toBe(false);
  });

  it("keeps a column read only through a join's numbered copy of it (IPAddress1)", () => {
    const base = prepared("entra-sign-in-to-unsanctioned-openai-app", ["AADNonInteractiveUserSignInLogs", "SigninLogs"]);
    const query = "SigninLogs | join kind=inner (AADNonInteractiveUserSignInLogs) on UserPrincipalName | project TimeGenerated, UserPrincipalName, IPAddress1";
    const kept = keptColumns([{ ...base, query }], workspace, root);
    const names = kept.get("AADNonInteractiveUserSignInLogs");
    expect(names).not.toBe("all");
    expect((names as ReadonlySet<string>).has("IPAddress")).toBe(true);
  });

  it("keeps every column when Kusto cannot close the result (a fuzzy union with a table the workspace lacks)", () => {
    const kept = keptColumns([prepared("openai-rate-limit-raised-or-removed", ["OpenAIAuditLogs_CL"])], workspace, root);
    expect(kept.get("OpenAIAuditLogs_CL")).toBe("all");
  });

  it("gives the indexes of the kept columns, every identifier-less name kept, and none for a table no rule reads", () => {
    const kept = new Map([["T", new Set(["A", "TimeGenerated"])]]);
    const columns = [{ name: "TimeGenerated" }, { name: "B" }, { name: "A" }, { name: "odd name" }];
    expect(keptIndexes(kept, "T", columns)).toEqual([0, 2, 3]);
    expect(keptIndexes(new Map([["T", "all"]]), "T", columns)).toEqual([0, 1, 2, 3]);
    expect(keptIndexes(kept, "U", columns)).toBeUndefined();
  });
});
