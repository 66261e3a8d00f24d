import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadText, type LoadedFile } from "../../load/index.ts";
import { buildRepository } from "../../repository/index.ts";
import { makeDiagnostic } from "../../diagnostics/index.ts";
import { makeResultTable } from "../verdict/result-table.ts";
import type { QueryEngine } from "./engine-port.ts";
import { runContentTests } from "./run-tests.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

/** Returns the rows given for the table the query names. */
const engine: QueryEngine = (query, data) => {
  const table = data.tables.get(query.trim());
  return table ? { ok: true, table: makeResultTable(table.columns, table.rows) } : { ok: false, problems: [{ message: `no table ${query}` }] };
};

const QUERY = `id: 22222222-2222-2222-2222-222222222222
name: Keys listed
description: Lists keys.
query: AzureActivity
`;
const TESTS = `cases:
  - name: one row
    now: 2026-11-20T12:00:00Z
    tables:
      AzureActivity:
        - { OperationNameValue: a }
    expect: { rows: 1 }
`;

function file(repoPath: string, kind: "hunting-query" | "parser" | "tests", text: string): LoadedFile {
  const loaded = loadText(text, repoPath, kind);
  if (!loaded.file) throw new Error(JSON.stringify(loaded.diagnostics));
  return loaded.file;
}

describe("runContentTests over a given repository", () => {
  it("runs the cases of the repository it is given instead of loading the tree under root", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "run-tests-repository-"));
    temporaryFolders.push(root);
    const files = [file("hunting-queries/keys.yaml", "hunting-query", QUERY), file("hunting-queries/keys.tests.yaml", "tests", TESTS)];
    const repository = buildRepository(root, { files, diagnostics: [], checked: files.length }, { whole: true });
    const report = await runContentTests({ root, engine, repository, coverage: false });
    expect(report.diagnostics).toEqual([]);
    expect(report.results.map((r) => `${r.target} ${r.name} ${r.status}`)).toEqual(["hunting-queries/keys.yaml one row passed"]);
  });

  it("reports the fixture-vs-profile findings it is given for the whole repository instead of checking the fixtures again", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "run-tests-fixture-profiles-"));
    temporaryFolders.push(root);
    const files = [file("hunting-queries/keys.yaml", "hunting-query", QUERY), file("hunting-queries/keys.tests.yaml", "tests", TESTS)];
    const repository = buildRepository(root, { files, diagnostics: [], checked: files.length }, { whole: true });
    const given = makeDiagnostic("SC2160", { file: "hunting-queries/keys.tests.yaml", start: { line: 6, col: 11 } }, "given by validate");
    const whole = await runContentTests({ root, engine, repository, coverage: false, fixtureProfiles: [given] });
    expect(whole.diagnostics).toEqual([given]);
    // a selection checks the fixtures of the selected tests files itself (here: none break a profile)
    const selected = await runContentTests({ root, engine, repository, coverage: false, fixtureProfiles: [given], paths: ["hunting-queries"] });
    expect(selected.diagnostics).toEqual([]);
  });
});

describe("runContentTests with content left out of the workspace", () => {
  it("reports the schema errors of a parser the cases cannot call", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "run-tests-left-out-"));
    temporaryFolders.push(root);
    const parser = "id: 22222222-2222-2222-2222-222222222223\nParser: { Title: P, Version: '1.0.0' }\nParserName: P\nParserQuery: AzureActivity\n";
    const files = [file("hunting-queries/keys.yaml", "hunting-query", QUERY), file("hunting-queries/keys.tests.yaml", "tests", TESTS), file("parsers/p.yaml", "parser", parser)];
    const repository = buildRepository(root, { files, diagnostics: [], checked: files.length }, { whole: true });
    const report = await runContentTests({ root, engine, repository, coverage: false });
    expect(report.diagnostics.map((d) => `${d.code} ${d.file}:${d.line} ${d.message}`)).toEqual(["SC2002 parsers/p.yaml:1 missing required key 'Description' in the file"]);
  });
});

describe("runContentTests on a selection", () => {
  it("holds a file selected through a tests file that names it (target:) to the coverage gate", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "run-tests-selection-"));
    temporaryFolders.push(root);
    const silent = TESTS.replace("{ rows: 1 }", "{ rows: 0 }").replace("        - { OperationNameValue: a }\n", "        []\n").replace("      AzureActivity:\n        []", "      AzureActivity: []");
    const files = [file("hunting-queries/keys.yaml", "hunting-query", QUERY), file("hunting-queries/listing.tests.yaml", "tests", `target: keys.yaml\n${silent}`)];
    const repository = buildRepository(root, { files, diagnostics: [], checked: files.length }, { whole: true });
    const report = await runContentTests({ root, engine, repository, paths: ["hunting-queries/listing.tests.yaml"] });
    expect(report.results.map((r) => `${r.target} ${r.status}`)).toEqual(["hunting-queries/keys.yaml passed"]);
    expect(report.diagnostics.map((d) => `${d.code} ${d.file}`)).toEqual(["SC5022 hunting-queries/keys.yaml"]);
  });
});
