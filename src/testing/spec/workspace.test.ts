import { describe, expect, it } from "vitest";
import type { ContentKind } from "../../content/kinds.ts";
import { loadText, type LoadedFile } from "../../load/index.ts";
import { buildRepository } from "../../repository/index.ts";
import { buildWorkspace, leftOutNote } from "./workspace.ts";

const MAPPING = `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0101
name: demo
streams:
  - name: Custom-DemoRaw
    columns: [{ name: when, type: datetime }, { name: who, type: string }]
tables:
  - name: Demo_CL
    columns: [{ name: TimeGenerated, type: datetime }, { name: Who, type: string }]
dataFlows:
  - streams: [Custom-DemoRaw]
    outputStream: Custom-Demo_CL
    transformKql: source | project TimeGenerated = when, Who = who
`;
const PARSER = `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0102
Parser: { Title: Demo, Version: '1.0.0' }
Description: Demo parser.
ParserName: DemoEvents
ParserParams:
  - { Name: since, Type: datetime, Default: datetime(null) }
ParserQuery: Demo_CL | where TimeGenerated > since
`;
const WATCHLIST = `id: 6b1e3f5a-0c3d-4c52-9d5c-2a8f1d7f0103
watchlistAlias: DemoList
displayName: Demo list
provider: Custom
itemsSearchKey: Who
items:
  - { Who: alice, Team: red }
`;

function file(path: string, kind: ContentKind, text: string): LoadedFile {
  const loaded = loadText(text, path, kind);
  if (!loaded.file) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.file;
}

function workspaceOf(...files: LoadedFile[]) {
  return buildWorkspace(buildRepository("/repo", { files, diagnostics: [], checked: files.length }, { whole: true }));
}

describe("buildWorkspace", () => {
  it("takes custom tables, parsers and watchlists from the repository's typed values", () => {
    const workspace = workspaceOf(file("ingestion/demo/demo.yaml", "ingestion-mapping", MAPPING), file("parsers/demo.yaml", "parser", PARSER), file("watchlists/demo.yaml", "watchlist", WATCHLIST));
    const demo = workspace.tables.get("Demo_CL");
    expect(demo?.columns.slice(0, 2)).toEqual([{ name: "TimeGenerated", type: "datetime" }, { name: "Who", type: "string" }]);
    // the standard columns of every Log Analytics table follow the declared ones
    expect(demo?.columns.map((c) => c.name)).toContain("_ResourceId");
    expect(workspace.customTableFiles.get("Demo_CL")).toBe("ingestion/demo/demo.yaml");
    expect(workspace.tables.has("AzureActivity")).toBe(true);
    expect(workspace.functions.get("DemoEvents")).toEqual({ name: "DemoEvents", parameters: [{ name: "since", type: "datetime", default: "datetime(null)" }], body: "Demo_CL | where TimeGenerated > since", file: "parsers/demo.yaml" });
    expect(workspace.watchlists.get("DemoList")).toEqual({ alias: "DemoList", columns: ["Who", "Team"], items: [{ Who: "alice", Team: "red" }], searchKey: "Who" });
    expect(workspace.leftOut).toEqual([]);
    expect(leftOutNote(workspace)).toBe("");
  });

  it("leaves out templates and content whose schema failed, and names the schema errors of the latter", () => {
    const workspace = workspaceOf(
      file("parsers/_template.yaml", "parser", PARSER.replace("DemoEvents", "TemplateEvents")),
      file("parsers/broken.yaml", "parser", PARSER.replace("Description: Demo parser.\n", "")),
      file("watchlists/demo.yaml", "watchlist", WATCHLIST),
    );
    expect([...workspace.functions.keys()]).toEqual([]);
    expect(workspace.watchlists.has("DemoList")).toBe(true);
    expect(workspace.leftOut.map((d) => `${d.code} ${d.file}:${d.line}`)).toEqual(["SC2002 parsers/broken.yaml:1"]);
    expect(leftOutNote(workspace)).toMatch(/\n {2}parsers\/broken\.yaml:1:1: error SC2002: missing required key 'Description'/);
  });
});
