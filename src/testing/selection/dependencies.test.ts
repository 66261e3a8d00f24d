import { describe, expect, it } from "vitest";
import type { ContentKind } from "../../content/kinds.ts";
import { loadText, type LoadedFile } from "../../load/index.ts";
import { affectedContent, namesOfSchemaPath, scanQueryNames, usedNames } from "./dependencies.ts";
import { targetPathOf } from "../../content/test-target.ts";

function file(path: string, kind: ContentKind, text: string): LoadedFile {
  const loaded = loadText(text, path, kind).file;
  if (!loaded) throw new Error(`cannot load ${path}`);
  return loaded;
}

describe("scanQueryNames", () => {
  it("keeps identifiers and bracketed names, drops comments and strings, reads watchlist aliases", () => {
    const query = [
      "// uses OldTable in a comment",
      "let allowed = _GetWatchlist('KeyReaders') | project SearchKey;",
      "GenAI_AOAIRequests | where Note != 'SomeTable // not a comment' and Url has \"https://x\"",
      "| join (['My-Table_CL']) on Id",
      "| where Text == @'C:\\path'",
    ].join("\n");
    const { names, watchlists } = scanQueryNames(query);
    expect(watchlists).toEqual(new Set(["keyreaders"]));
    expect(names.has("GenAI_AOAIRequests")).toBe(true);
    expect(names.has("My-Table_CL")).toBe(true);
    expect(names.has("OldTable")).toBe(false);
    expect(names.has("SomeTable")).toBe(false);
    expect(names.has("x")).toBe(false);
  });

  it("reads workbook item queries and DCR transforms", () => {
    expect(usedNames("workbook", { content: { items: [{ content: { query: "AzureActivity | count" } }] } }).has("table:AzureActivity")).toBe(true);
    expect(usedNames("ingestion-mapping", { dataFlows: [{ transformKql: "source | extend X = 1" }] }).has("table:source")).toBe(true);
  });
});

describe("namesOfSchemaPath", () => {
  it.each([
    ["schemas/tables/AzureActivity.json", ["table:AzureActivity"]],
    ["schemas/tables/functions/_Im_Dns.json", ["function:_Im_Dns"]],
    ["schemas/tests.schema.json", []],
  ])("%s", (p, names) => {
    expect(namesOfSchemaPath(p)).toEqual(names);
  });
});

describe("affectedContent", () => {
  const files = [
    file("ingestion/x/m.yaml", "ingestion-mapping", "tables:\n  - name: Chat_CL\ndataFlows:\n  - transformKql: source\n"),
    file("parsers/p.yaml", "parser", "ParserName: ChatEvents\nParserQuery: Chat_CL | where A == 1\n"),
    file("parsers/q.yaml", "parser", "ParserName: ChatLogins\nParserQuery: ChatEvents | where B == 1\n"),
    file("watchlists/w.yaml", "watchlist", "watchlistAlias: KeyReaders\n"),
    file("analytics-rules/a/uses-q.yaml", "analytic-rule", "query: ChatLogins | count\n"),
    file("analytics-rules/a/uses-w.yaml", "analytic-rule", "query: AzureActivity | where Caller in (_GetWatchlist('keyreaders') | project SearchKey)\n"),
    file("analytics-rules/a/other.yaml", "analytic-rule", "query: AzureDiagnostics | count\n"),
    file("analytics-rules/a/other.tests.yaml", "tests", "cases:\n  - name: c\n    tables: { AzureDiagnostics: fixtures/diag.jsonl }\n    expect: { rows: 1 }\n"),
    file("workbooks/w.yaml", "workbook", "content:\n  items:\n    - { type: 3, name: s, content: { query: AzureDiagnostics | count } }\n"),
    file("workbooks/w.tests.yaml", "tests", "cases:\n  - name: c\n    tables: { AzureDiagnostics: ../analytics-rules/a/fixtures/diag.jsonl }\n    expect: { steps: { s: { rows: 1 } } }\n"),
  ];
  const byPath = new Map(files.map((f) => [f.path, f]));
  const affected = (paths: string[], deletedText?: Map<string, string>) =>
    [...affectedContent(files, { paths, ...(deletedText ? { deletedText } : {}) }, (t) => targetPathOf(t.path, (t.data as { target?: string }).target, { files: byPath }))].sort();

  it.each([
    [["parsers/q.yaml"], ["analytics-rules/a/uses-q.yaml", "parsers/q.yaml"]],
    [["ingestion/x/m.yaml"], ["analytics-rules/a/uses-q.yaml", "ingestion/x/m.yaml", "parsers/p.yaml", "parsers/q.yaml"]],
    [["watchlists/w.yaml"], ["analytics-rules/a/uses-w.yaml", "watchlists/w.yaml"]],
    [["schemas/tables/AzureActivity.json"], ["analytics-rules/a/uses-w.yaml"]],
    [["analytics-rules/a/other.tests.yaml"], ["analytics-rules/a/other.yaml"]],
    [["analytics-rules/a/other.snap.yaml"], ["analytics-rules/a/other.yaml"]],
    [["analytics-rules/a/fixtures/diag.jsonl"], ["analytics-rules/a/other.yaml", "workbooks/w.yaml"]],
    [["workbooks/w.tests.yaml"], ["workbooks/w.yaml"]],
    [["README.md"], []],
  ])("%j → %j", (paths, expected) => {
    expect(affected(paths)).toEqual(expected);
  });

  it("reruns the users of a deleted parser", () => {
    expect(affected(["parsers/gone.yaml"], new Map([["parsers/gone.yaml", "ParserName: ChatLogins\nParserQuery: T\n"]]))).toEqual(["analytics-rules/a/uses-q.yaml"]);
  });
});
