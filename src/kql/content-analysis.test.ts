import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { asList, asRecord } from "../checks/fields.ts";
import type { ContentKind } from "../content/kinds.ts";
import type { Diagnostic } from "../diagnostics/index.ts";
import { loadText, type LoadedFile } from "../load/index.ts";
import type { AnalysisPool } from "./analysis-pool.ts";
import { createAnalyzer } from "./analyzer.ts";
import { analyzeContentQueries } from "./content-analysis.ts";
import { openAnalysisCache, transformFeaturesKey } from "./analysis-cache.ts";
import type { UnsupportedFeature } from "./transform-features.ts";

function file(path: string, kind: ContentKind, text: string): LoadedFile {
  const loaded = loadText(text, path, kind).file;
  if (!loaded) throw new Error(`fixture ${path} does not parse`);
  return loaded;
}

const ingestion = file(
  "ingestion/chatgpt/compliance.yaml",
  "ingestion-mapping",
  `id: 6f1e2a56-0b8e-4a0c-9d57-2d1b1e0f6a01
name: compliance
tables:
  - name: ChatEvents_CL
    columns:
      - { name: TimeGenerated, type: datetime }
      - { name: EventId, type: string }
      - { name: Actor, type: string }
      - { name: Never, type: string }
streams:
  - name: Custom-ChatRaw
    columns:
      - { name: event_id, type: string }
      - { name: actor, type: string }
      - { name: ts, type: datetime }
dataFlows:
  - streams: [Custom-ChatRaw]
    outputStream: Custom-ChatEvents_CL
    transformKql: |
      source
      | project TimeGenerated = ts, EventId = event_id, Actor = actor
`,
);
const parser = file(
  "parsers/chat.yaml",
  "parser",
  `id: 0b6f7f49-36a5-4b9b-86d4-3c5b7b7d0a02
ParserName: GenAI_Chat
ParserParams:
  - { Name: starttime, Type: datetime, Default: datetime(null) }
ParserQuery: |
  ChatEvents_CL
  | where isnull(starttime) or TimeGenerated >= starttime
  | project TimeGenerated, User = Actor
`,
);
const watchlist = file(
  "watchlists/admins.yaml",
  "watchlist",
  `id: 4d1d4f0e-2c1f-4c55-9a55-6a4b0d9d3a03
watchlistAlias: ChatAdmins
itemsSearchKey: Upn
columns: [Upn, Team]
`,
);
const environment = [ingestion, parser, watchlist];

function rule(body: string): LoadedFile {
  return file("analytics-rules/chat/rule.yaml", "analytic-rule", `id: 9b0f8f43-5f0b-4d7e-8a0c-0f4e4b6a7b04\nname: r\n${body}`);
}

async function analyse(...files: LoadedFile[]): Promise<Diagnostic[]> {
  return analyzeContentQueries([...environment, ...files], { root: "/nonexistent", cache: false, workers: 1 });
}

const pick = (ds: Diagnostic[], file = "analytics-rules/chat/rule.yaml") =>
  ds.filter((d) => d.file === file).map((d) => ({ code: d.code, line: d.line, col: d.col, severity: d.severity }));

const goodQuery = `query: |
  GenAI_Chat(ago(1d))
  | join kind=leftouter (_GetWatchlist('ChatAdmins') | project User = Upn, Team) on User
  | summarize Count = count() by User, Team
`;

describe("analyzeContentQueries: KQL diagnostics", () => {
  it("accepts a rule using a parser, a watchlist and a custom table", async () => {
    const ds = await analyse(
      rule(`${goodQuery}entityMappings:
  - entityType: Account
    fieldMappings:
      - { identifier: FullName, columnName: User }
customDetails:
  Team: Team
alertDetailsOverride:
  alertDisplayNameFormat: "Chat burst by {{User}}"
`),
    );
    expect(ds).toEqual([]);
  });

  it.each([
    ["unknown column", "query: |\n  ChatEvents_CL\n  | where Nope == 1\n", { code: "SC3002", line: 5, col: 11 }],
    ["syntax error", "query: |\n  ChatEvents_CL\n  | summarize count( by Actor\n", { code: "SC3001", line: 5 }],
    ["unknown table", "query: |\n  NoSuchTable_CL | take 1\n", { code: "SC3004", line: 4, col: 3 }],
    ["bad watchlist column", "query: |\n  _GetWatchlist('ChatAdmins') | project Missing\n", { code: "SC3002", line: 4, col: 41 }],
    ["parser column that it does not output", "query: |\n  GenAI_Chat() | project Actor\n", { code: "SC3002", line: 4, col: 26 }],
    ["look-ahead RE2 rejects", "query: |\n  ChatEvents_CL\n  | where Actor matches regex @'admin(?!s)'\n", { code: "SC3030", line: 5, col: 31 }],
    ["back-reference in extract", "query: |\n  ChatEvents_CL\n  | extend A = extract('(a)\\\\1', 1, Actor)\n", { code: "SC3030", line: 5, col: 24 }],
    ["look-behind in a parse pattern", "query: |\n  ChatEvents_CL\n  | parse kind=regex Actor with '(?<=x)' A\n", { code: "SC3030", line: 5, col: 33 }],
  ])("reports %s at its line:col in the YAML", async (_name, body, expected) => {
    const found = pick(await analyse(rule(body)));
    expect(found[0]).toMatchObject({ severity: "error", ...expected });
  });

  it("names the pattern and RE2's reason", async () => {
    const [d] = pick(await analyse(rule("query: |\n  ChatEvents_CL\n  | where Actor matches regex 'a(?=b)'\n")), "analytics-rules/chat/rule.yaml");
    const [full] = (await analyse(rule("query: |\n  ChatEvents_CL\n  | where Actor matches regex 'a(?=b)'\n"))).filter((x) => x.code === "SC3030");
    expect(d?.code).toBe("SC3030");
    expect(full?.message).toBe("the regular expression 'a(?=b)' is not valid RE2, Kusto's regex dialect (invalid or unsupported Perl syntax: `(?=`); RE2 has no look-ahead or look-behind");
  });

  it("analyses a parser body on its own with its parameters declared", async () => {
    const ds = await analyse();
    expect(ds.filter((d) => d.file === "parsers/chat.yaml")).toEqual([]);
  });
});

describe("analyzeContentQueries: output-column contract", () => {
  const mapping = (column: string) => `entityMappings:
  - entityType: Account
    fieldMappings:
      - identifier: FullName
        columnName: ${column}
`;
  it.each([
    ["entity mapping column missing", mapping("Caller"), "SC3010", 11, 21],
    ["entity mapping column case-only", mapping("user"), "SC3013", 11, 21],
    ["custom detail missing", "customDetails:\n  Where: Region\n", "SC3011", 8, 10],
    ["display name placeholder missing", 'alertDetailsOverride:\n  alertDisplayNameFormat: "Burst by {{Who}}"\n', "SC3012", 8, 39],
    ["severity column missing", "alertDetailsOverride:\n  alertSeverityColumnName: Sev\n", "SC3012", 8, 28],
    ["dynamic property missing", "alertDetailsOverride:\n  alertDynamicProperties:\n    - { alertProperty: ProductName, value: Product }\n", "SC3012", 9, 44],
  ])("%s", async (_name, extra, code, line, col) => {
    const found = pick(await analyse(rule(`${goodQuery}${extra}`)));
    expect(found).toEqual([{ code, line, col, severity: "error" }]);
  });

  it("gives a did-you-mean hint on a case-only mismatch", async () => {
    const [d] = (await analyse(rule(`${goodQuery}${mapping("user")}`))).filter((x) => x.code === "SC3013");
    expect(d?.hint).toBe("did you mean 'User'?");
  });

  it.each([
    ["groupByCustomDetails", "customDetails:\n  Team: Team\nincidentConfiguration:\n  groupingConfiguration:\n    groupByCustomDetails: [Teams]\n"],
    ["groupByEntities", "incidentConfiguration:\n  groupingConfiguration:\n    groupByEntities: [Host]\n"],
  ])("reports an undefined %s entry", async (_name, extra) => {
    expect(pick(await analyse(rule(`${goodQuery}${extra}`))).map((d) => d.code)).toEqual(["SC3014"]);
  });

  it("does not check mappings of a query that already has errors", async () => {
    const found = pick(await analyse(rule(`query: |\n  ChatEvents_CL | where Nope == 1\n${mapping("Caller")}`)));
    expect(found.map((d) => d.code)).toEqual(["SC3002"]);
  });
});

describe("analyzeContentQueries: ingestion transforms", () => {
  const other = (yaml: string) => file("ingestion/x/other.yaml", "ingestion-mapping", yaml);
  const mappingWith = (transform: string) =>
    other(
      `id: 1e1c9a52-86c9-4a43-a3b2-1f5b8b2b2a05
name: other
tables:
  - name: Other_CL
    columns:
      - { name: TimeGenerated, type: datetime }
      - { name: Count, type: long }
streams:
  - name: Custom-OtherRaw
    columns:
      - { name: n, type: string }
dataFlows:
  - streams: [Custom-OtherRaw]
    outputStream: Custom-Other_CL
    transformKql: |
${transform
  .split("\n")
  .map((l) => `      ${l}`)
  .join("\n")}
`,
    );
  const codes = async (f: LoadedFile) => (await analyze1(f)).filter((d) => d.file === "ingestion/x/other.yaml").map((d) => d.code);
  const analyze1 = (f: LoadedFile) => analyzeContentQueries([f], { root: "/nonexistent", cache: false, workers: 1 });

  it.each([
    ["a valid transform", "source | project TimeGenerated = now(), Count = tolong(n)", []],
    ["an output column the table lacks", "source | project TimeGenerated = now(), Count = tolong(n), Extra = n", ["SC3020"]],
    ["an output column of the wrong type", "source | project TimeGenerated = now(), Count = n", ["SC3021"]],
    ["an unknown input column", "source | project TimeGenerated = now(), Count = tolong(m)", ["SC3002"]],
    ["no TimeGenerated in the output", "source | project Count = tolong(n)", ["SC3038"]],
    ["TimeGenerated of another type", "source | project TimeGenerated = n, Count = tolong(n)", ["SC3038", "SC3021"]],
  ])("checks %s", async (_name, transform, expected) => {
    expect(await codes(mappingWith(transform))).toEqual(expected);
  });

  it("declares input columns named like KQL keywords", async () => {
    const f = other(
      `id: 1e1c9a52-86c9-4a43-a3b2-1f5b8b2b2a07
name: other
tables:
  - name: Other_CL
    columns: [{ name: TimeGenerated, type: datetime }, { name: Kind, type: string }]
streams:
  - name: Custom-In
    columns: [{ name: type, type: string }, { name: id, type: string }]
dataFlows:
  - streams: [Custom-In]
    outputStream: Custom-Other_CL
    transformKql: "source | project TimeGenerated = now(), Kind = ['type']"
`,
    );
    expect(await codes(f)).toEqual([]);
  });

  it("reports an undeclared input stream and an unknown target table", async () => {
    const f = other(
      `id: 1e1c9a52-86c9-4a43-a3b2-1f5b8b2b2a06
name: other
dataFlows:
  - streams: [Custom-Missing]
    outputStream: Custom-Missing_CL
    transformKql: source
  - streams: [Custom-In]
    outputStream: Custom-Nowhere_CL
    transformKql: source
streams:
  - name: Custom-In
    columns: [{ name: a, type: string }]
`,
    );
    expect(await codes(f)).toEqual(["SC3006", "SC3022"]);
  });

  it("keeps a transform's unsupported features in the analysis cache, and reads them from it", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "transform-features-cache-"));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const f = mappingWith("source | summarize Count = count() by TimeGenerated = now()");
    const kql = String((asRecord(asList(asRecord(f.data).dataFlows)[0]).transformKql));
    const featureCodes = async (cache: boolean) => (await analyzeContentQueries([f], { root, cache, workers: 1 })).filter((d) => d.code === "SC3035").map((d) => d.code);
    expect(await featureCodes(true)).toEqual(["SC3035"]);
    const cache = openAnalysisCache<UnsupportedFeature[]>(root);
    expect(cache.get(transformFeaturesKey(kql))).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "operator", name: "summarize" })]));
    // an entry the lookup did not write (here: nothing unsupported) is what it reports: it does not parse again
    cache.set(transformFeaturesKey(kql), []);
    expect(await featureCodes(true)).toEqual([]);
    expect(await featureCodes(false)).toEqual(["SC3035"]);
  });

  it("warns when a query reads a custom column that no transform writes", async () => {
    const found = pick(await analyse(rule("query: |\n  ChatEvents_CL\n  | where Never == 'x'\n")));
    expect(found).toEqual([{ code: "SC3023", line: 5, col: 11, severity: "warning" }]);
  });
});

describe("analyzeContentQueries: workbooks", () => {
  const workbook = (query: string) =>
    file(
      "workbooks/overview.yaml",
      "workbook",
      `id: 2b0a3c1e-8f7d-4a6b-9c5d-4e3f2a1b0c07
displayName: Overview
content:
  version: Notebook/1.0
  items:
    - type: 9
      content:
        parameters:
          - { name: TimeRange, type: 4, value: { durationMs: 86400000 } }
          - { name: Actor, type: 1, value: someone }
    - type: 3
      name: step
      content:
        queryType: 0
        query: |
          ${query}
`,
    );
  const found = async (query: string) =>
    (await analyse(workbook(query))).filter((d) => d.file === "workbooks/overview.yaml").map((d) => ({ code: d.code, line: d.line, col: d.col }));

  it("substitutes parameters before analysis", async () => {
    expect(await found("ChatEvents_CL | where TimeGenerated {TimeRange} and Actor == '{Actor}' | summarize count() by bin(TimeGenerated, {TimeRange:grain})")).toEqual([]);
  });
  it("reports an undefined parameter and a bad column at their positions", async () => {
    expect(await found("ChatEvents_CL | where TimeGenerated {TimeRange} and Nope == '{Missing}'")).toEqual([
      { code: "SC3005", line: 16, col: 72 },
      { code: "SC3002", line: 16, col: 63 },
    ]);
  });
});

describe("analyzeContentQueries: a pool the caller started", () => {
  // A stand-in for the caller's pool, analysing in this thread and reporting the outcomes last query first (as workers
  // taking the longest query first do): under test here is that even a few queries go to the pool, that each outcome
  // reaches its sites and that the pool is left to the caller. That a worker thread's analysis equals this thread's is
  // the exactness test of analysis-pool.test.ts (the repository's varied queries, on two workers).
  it("analyses even a few queries on it, with the findings of an analysis in this thread", async () => {
    const analysed: number[] = [];
    let closed = false;
    const inThread: AnalysisPool = {
      size: 1,
      analyze: async (queries, environment, _threads, onOutcome) => {
        analysed.push(queries.length);
        const analyze = createAnalyzer(environment);
        const outcomes = queries.map((query) => analyze(query));
        for (const index of queries.map((_, i) => i).reverse()) onOutcome?.(index, outcomes[index]!);
        return outcomes;
      },
      close: async () => {
        closed = true;
      },
    };
    const files = [...environment, rule(`query: |\n  GenAI_Chat(ago(1d)) | where Nope == 1\n`)];
    const onPool = await analyzeContentQueries(files, { root: "/nonexistent", cache: false, workers: 2, pool: inThread });
    expect(analysed).toEqual([3]);
    expect(closed).toBe(false);
    expect(onPool).toEqual(await analyzeContentQueries(files, { root: "/nonexistent", cache: false, workers: 1 }));
    expect(pick(onPool).map((d) => d.code)).toContain("SC3002");
  });
});
