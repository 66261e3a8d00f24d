import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadText } from "../../load/index.ts";
import { readRowSource } from "./fixture-rows.ts";
import { parseDatetime } from "../../engine/index.ts";
import { typeRows } from "./typed-rows.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

const columns = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "Caller", type: "string" },
  { name: "Count", type: "long" },
  { name: "Ok", type: "bool" },
  { name: "Props", type: "dynamic" },
];

function testsFile(text: string, dir = mkdtempSync(path.join(tmpdir(), "fx-"))) {
  if (!temporaryFolders.includes(dir)) temporaryFolders.push(dir);
  const absolute = path.join(dir, "r.tests.yaml");
  const loaded = loadText(text, "analytics-rules/x/r.tests.yaml", "tests", absolute).file;
  if (!loaded) throw new Error("test file did not load");
  return { file: loaded, dir };
}

describe("inline rows", () => {
  const yaml = [
    "cases:",
    "  - name: c",
    "    tables:",
    "      T:",
    "        - { TimeGenerated: 2026-11-20T12:00:00Z, Caller: alice, Count: 2 }",
    "        - { TimeGenerated: yesterday, caller: bob, Count: 1.5, Ok: 'yes' }",
  ].join("\n");

  it("types good rows and reports each bad value at its key", () => {
    const { file } = testsFile(yaml);
    const { rows } = readRowSource({ name: "T", path: ["cases", 0, "tables", "T"], rows: (file.data as { cases: { tables: { T: unknown[] } }[] }).cases[0]?.tables.T }, file);
    const { table, diagnostics } = typeRows("T", columns, rows);
    expect(table.rows).toEqual([[parseDatetime("2026-11-20T12:00:00Z"), "alice", 2, null, null]]);
    expect(diagnostics.map((d) => [d.code, d.line, d.col, d.message])).toEqual([
      ["SC5003", 6, 13, expect.stringMatching(/T.TimeGenerated is datetime: "yesterday" is not a datetime such as 2026-11-20T12:00:00Z/)],
      ["SC5002", 6, 39, "T has no column caller (did you mean Caller? column names are case-sensitive)"],
      ["SC5003", 6, 52, expect.stringMatching(/T.Count is long: 1.5 is not a 64-bit integer \(long\)/)],
      ["SC5003", 6, 64, expect.stringMatching(/T.Ok is bool/)],
    ]);
  });
});

describe("fixture files", () => {
  it.each([
    ["a.jsonl", '{"Caller":"a","Count":1}\n\n{"Caller":"b","Cnt":2}\n', [["SC5002", 3, 15]], 1],
    ["a.json", '[\n  {"Caller": "a"},\n  {"Caller": 5}\n]\n', [["SC5003", 3, 4]], 1],
    ["a.csv", 'Caller,Count,Ok,Props\na,1,true,"{""k"":1}"\nb,x,false,\n', [["SC5003", 3, 3]], 1],
    ["a.jsonl", '{"Caller":"a"}\nnot json\n', [["SC5005", 2, 1]], 1],
    ["a.csv", 'Caller,Count\na\n', [["SC5005", 2, 1]], 0],
    ["a.txt", "x", [["SC5005", 4, 10]], 0],
    ["missing.jsonl", undefined, [["SC5005", 4, 10]], 0],
  ])("%s", (name, content, expected, goodRows) => {
    const { file, dir } = testsFile(["cases:", "  - name: c", "    tables:", "      T:", `         ${name}`].join("\n").replace(`T:\n         ${name}`, `T: ${name}`));
    if (content !== undefined) writeFileSync(path.join(dir, name), content);
    const read = readRowSource({ name: "T", path: ["cases", 0, "tables", "T"], file: name }, file);
    const typed = typeRows("T", columns, read.rows);
    const all = [...read.diagnostics, ...typed.diagnostics];
    expect(all.map((d) => [d.code, d.line, d.col])).toEqual(expected);
    expect(typed.table.rows).toHaveLength(goodRows);
    if (name === "a.csv" && goodRows === 1) expect(typed.table.rows[0]).toEqual([null, "a", 1, true, { k: 1 }]);
    if (all[0]?.code === "SC5002" || all[0]?.code === "SC5003") expect(all[0].file).toBe(`analytics-rules/x/${name}`);
  });
});

describe("fixture files keep every digit of a long", () => {
  it.each([
    ["a.jsonl", '{"Caller":"a","Count":851673153924341805}\n{"Caller":"b","Count":4}\n'],
    ["a.json", '[{"Caller": "a", "Count": 851673153924341805}, {"Caller": "b", "Count": 4}]'],
    ["a.csv", "Caller,Count\na,851673153924341805\nb,4\n"],
  ])("%s", (name, content) => {
    const { file, dir } = testsFile(["cases:", "  - name: c", "    tables:", `      T: ${name}`].join("\n"));
    writeFileSync(path.join(dir, name), content);
    const read = readRowSource({ name: "T", path: ["cases", 0, "tables", "T"], file: name }, file);
    const typed = typeRows("T", columns, read.rows);
    expect([...read.diagnostics, ...typed.diagnostics]).toEqual([]);
    expect(typed.table.rows.map((r) => r[2])).toEqual([851673153924341805n, 4]);
  });

  it("refuses an integer beyond 2^53 inside a dynamic value and one beyond 64 bits in a long", () => {
    const { file, dir } = testsFile(["cases:", "  - name: c", "    tables:", "      T: a.jsonl"].join("\n"));
    writeFileSync(path.join(dir, "a.jsonl"), '{"Props":{"id":851673153924341805}}\n{"Count":99999999999999999999}\n');
    const read = readRowSource({ name: "T", path: ["cases", 0, "tables", "T"], file: "a.jsonl" }, file);
    const typed = typeRows("T", columns, read.rows);
    expect(typed.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ["SC5003", 1],
      ["SC5003", 2],
    ]);
  });
});

describe("fixture paths", () => {
  const repo = mkdtempSync(path.join(tmpdir(), "fx-repo-"));
  temporaryFolders.push(repo);
  const outside = path.join(path.dirname(repo), `${path.basename(repo)}-secret.jsonl`);
  temporaryFolders.push(outside);
  writeFileSync(outside, '{"Secret": "do not echo"}\n');
  const loaded = loadText("cases: []\n", "analytics-rules/r.tests.yaml", "tests", path.join(repo, "analytics-rules", "r.tests.yaml")).file;

  it.each([
    ["a path climbing out of the repository", `../../${path.basename(outside)}`],
    ["an absolute path", outside],
  ])("refuses %s without reading it (SC1014)", (_name, relative) => {
    if (!loaded) throw new Error("test file did not load");
    const { rows, diagnostics } = readRowSource({ name: "T", path: ["cases"], file: relative }, loaded);
    expect(rows).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(["SC1014"]);
    expect(JSON.stringify(diagnostics)).not.toContain("do not echo");
  });
});

describe("fixture size limits", () => {
  const source = (file: string) => ({ name: "T", path: ["cases", 0, "tables", "T"], file });
  const yaml = "cases:\n  - name: c\n    tables:\n      T: day.jsonl\n";

  it("reads a day of raw events larger than a content file (JSON Lines)", () => {
    const { file, dir } = testsFile(yaml);
    const line = `${JSON.stringify({ TimeGenerated: "2026-11-20T12:00:00Z", Caller: "x".repeat(3400) })}\n`;
    writeFileSync(path.join(dir, "day.jsonl"), line.repeat(1000));
    const { rows, diagnostics } = readRowSource(source("day.jsonl"), file);
    expect(diagnostics).toEqual([]);
    expect(rows).toHaveLength(1000);
  });

  it("refuses a .json fixture over its limit, naming the limit of its type", () => {
    const { file, dir } = testsFile(yaml);
    writeFileSync(path.join(dir, "big.json"), `[${" ".repeat(17 * 1024 * 1024)}]`);
    const { diagnostics } = readRowSource(source("big.json"), file);
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([["SC5005", "T: fixture file analytics-rules/x/big.json is larger than the 16 MB allowed for .json fixtures"]]);
  });
});
