import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeDiagnostic } from "../../diagnostics/index.ts";
import { loadText, type LoadedFile } from "../../load/index.ts";
import { buildRepository } from "../../repository/index.ts";
import type { QueryEngine } from "../run/engine-port.ts";
import { runContentTests } from "../run/run-tests.ts";
import { makeResultTable } from "../verdict/result-table.ts";
import { scanProvidedNames } from "./selection-findings.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

/** Returns the rows given for the table the query names. */
const engine: QueryEngine = (query, data) => {
  const table = data.tables.get(query.trim());
  return table ? { ok: true, table: makeResultTable(table.columns, table.rows) } : { ok: false, problems: [{ message: `no table ${query}` }] };
};

const query = (id: string, text: string) => `id: 22222222-2222-2222-2222-22222222222${id}\nname: Q${id}\ndescription: A query.\nquery: ${text}\n`;
const TESTS = "cases:\n  - name: one row\n    now: 2026-11-20T12:00:00Z\n    tables:\n      AzureActivity:\n        - { OperationNameValue: a }\n    expect: { rows: 1 }\n";
/** A parser providing P whose schema fails (no Description). */
const BROKEN_PARSER = "id: 22222222-2222-2222-2222-222222222223\nParser: { Title: P, Version: '1.0.0' }\nParserName: P\nParserQuery: AzureActivity\n";
/** A parser providing R whose YAML does not parse. */
const UNPARSABLE_PARSER = "id: 22222222-2222-2222-2222-222222222224\nParserName: R\nParser: [\n";

function file(repoPath: string, kind: "hunting-query" | "parser" | "tests", text: string): LoadedFile {
  const loaded = loadText(text, repoPath, kind);
  if (!loaded.file) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.file;
}

/**
 * A repository with a query using no parser, one calling the schema-broken parser P (which has a tests file), one
 * calling the unparsable parser R, a rule file that did not load, and a query whose tests file did not load.
 */
function repository() {
  const root = mkdtempSync(path.join(tmpdir(), "selection-findings-"));
  temporaryFolders.push(root);
  mkdirSync(path.join(root, "parsers"));
  writeFileSync(path.join(root, "parsers/r.yaml"), UNPARSABLE_PARSER);
  const files = [
    file("hunting-queries/plain/keys.yaml", "hunting-query", query("1", "AzureActivity")),
    file("hunting-queries/plain/keys.tests.yaml", "tests", TESTS),
    file("hunting-queries/parsed/calls-p.yaml", "hunting-query", query("5", "P")),
    file("hunting-queries/parsed/calls-p.tests.yaml", "tests", TESTS),
    file("hunting-queries/unparsed/calls-r.yaml", "hunting-query", query("6", "R")),
    file("hunting-queries/unparsed/calls-r.tests.yaml", "tests", TESTS),
    file("hunting-queries/lone/q.yaml", "hunting-query", query("7", "AzureActivity")),
    file("parsers/p.yaml", "parser", BROKEN_PARSER),
    file("parsers/p.tests.yaml", "tests", TESTS),
  ];
  const unloaded = [
    makeDiagnostic("SC1001", { file: "parsers/r.yaml", start: { line: 3, col: 9 } }, "the YAML does not parse"),
    makeDiagnostic("SC1001", { file: "analytics-rules/other/broken.yaml", start: { line: 1, col: 1 } }, "the YAML does not parse"),
    makeDiagnostic("SC1001", { file: "hunting-queries/plain/broken.yaml", start: { line: 2, col: 1 } }, "the YAML does not parse"),
    makeDiagnostic("SC1001", { file: "hunting-queries/lone/q.tests.yaml", start: { line: 1, col: 8 } }, "the YAML does not parse"),
  ];
  return { root, repository: buildRepository(root, { files, diagnostics: unloaded, checked: files.length + unloaded.length }, { whole: true }) };
}

const SCHEMA_BROKEN = "SC2002 parsers/p.yaml:1:1";
const UNPARSABLE = "SC1001 parsers/r.yaml:3:9";
const BROKEN_RULE = "SC1001 analytics-rules/other/broken.yaml:1:1";
const BROKEN_BESIDE = "SC1001 hunting-queries/plain/broken.yaml:2:1";
const BROKEN_TESTS = "SC1001 hunting-queries/lone/q.tests.yaml:1:8";

describe("test <paths>: the findings of a selection", () => {
  it.each([
    { name: "every finding without a selection", paths: [], kept: [UNPARSABLE, BROKEN_RULE, BROKEN_BESIDE, BROKEN_TESTS, SCHEMA_BROKEN] },
    { name: "only its own folder's when it calls no parser", paths: ["hunting-queries/plain"], kept: [BROKEN_BESIDE] },
    { name: "a schema-broken parser it calls, at the parser's line and column", paths: ["hunting-queries/parsed"], kept: [SCHEMA_BROKEN] },
    { name: "an unparsable parser it calls, named from the file's text", paths: ["hunting-queries/unparsed/calls-r.tests.yaml"], kept: [UNPARSABLE] },
    { name: "the target's own, when its tests file is given", paths: ["parsers/p.tests.yaml"], kept: [SCHEMA_BROKEN] },
    { name: "its tests file's, when that did not load", paths: ["hunting-queries/lone/q.yaml"], kept: [BROKEN_TESTS] },
  ])("keeps $name", async ({ paths, kept }) => {
    const { root, repository: repo } = repository();
    const report = await runContentTests({ root, engine, repository: repo, coverage: false, paths });
    expect(report.diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.col}`)).toEqual(kept);
  });

  it("fails the cases of a selected query calling a broken parser", async () => {
    const { root, repository: repo } = repository();
    const report = await runContentTests({ root, engine, repository: repo, coverage: false, paths: ["hunting-queries/parsed"] });
    expect(report.results.map((r) => `${r.target} ${r.status}`)).toEqual(["hunting-queries/parsed/calls-p.yaml error"]);
  });
});

describe("scanProvidedNames", () => {
  it.each([
    { kind: "parser" as const, text: "ParserName: 'ChatGPTEvents'\nParser: [", names: ["function:ChatGPTEvents"] },
    { kind: "watchlist" as const, text: "watchlistAlias: GenAI_Approved\nitems: {", names: ["watchlist:genai_approved"] },
    { kind: "ingestion-mapping" as const, text: "tables:\n  - name: ChatGPT_CL\n    columns: [", names: ["table:ChatGPT_CL"] },
    { kind: "analytic-rule" as const, text: "name: A rule\n", names: [] },
    { kind: "parser" as const, text: "Parser: [\n", names: [] },
  ])("reads $names from a $kind's text", ({ kind, text, names }) => {
    expect(scanProvidedNames(kind, text)).toEqual(names);
  });
});
