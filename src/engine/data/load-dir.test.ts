import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTablesFromDir } from "./load-dir.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "engine-data-"));
  temporaryFolders.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("loadTablesFromDir", () => {
  it("keeps every digit of a long beyond 2^53 in JSON and JSONL files, and refuses one inside a dynamic value", () => {
    const dir = dirWith({ "T.json": '[{"Id": 851673153924341805, "S": "851673153924341805"}, {"Id": 4, "S": "x"}]', "U.jsonl": '{"Id": -851673153924341805}\n' });
    const tables = loadTablesFromDir(dir);
    expect(tables.T!.rows).toEqual([
      [851673153924341805n, "851673153924341805"],
      [4, "x"],
    ]);
    expect(tables.U!.rows).toEqual([[-851673153924341805n]]);
    expect(() => loadTablesFromDir(dirWith({ "V.json": '[{"D": {"id": 851673153924341805}}]' }))).toThrow(/SC4009|dynamic/);
  });

  it("loads JSONL, JSON and CSV tables typed by the bundled schema", () => {
    const dir = dirWith({
      "AzureActivity.jsonl": '{"TimeGenerated":"2024-01-01T00:00:00Z","OperationNameValue":"x"}\n\n{"TimeGenerated":"2024-01-02T00:00:00Z"}\n',
      "Custom.json": '[{"a":1,"b":"x"}]',
      "Other.csv": "n,s\n1,hello\n2,\n",
      "notes.txt": "ignored",
    });
    const tables = loadTablesFromDir(dir);
    expect(Object.keys(tables).sort()).toEqual(["AzureActivity", "Custom", "Other"]);
    const activity = tables.AzureActivity!;
    const t = activity.columns.findIndex((c) => c.name === "TimeGenerated");
    expect(activity.columns[t]!.type).toBe("datetime");
    expect(activity.rows[1]![t]).toBe(17041536000000000n);
    expect(tables.Custom!.columns).toEqual([
      { name: "a", type: "long" },
      { name: "b", type: "string" },
    ]);
    expect(tables.Other!.rows).toEqual([
      ["1", "hello"],
      ["2", ""],
    ]);
  });

  it("names the file and line of bad JSON", () => {
    const dir = dirWith({ "T.jsonl": '{"a":1}\n{oops}\n' });
    expect(() => loadTablesFromDir(dir)).toThrow(/T\.jsonl:2:1: line 2 is not JSON/);
  });

  it("names the file, line and column of an unconvertible value", () => {
    const dir = dirWith({ "AzureActivity.jsonl": '{"TimeGenerated":"2024-01-01T00:00:00Z"}\n{"TimeGenerated":"never"}\n' });
    expect(() => loadTablesFromDir(dir)).toThrow(/AzureActivity\.jsonl:2:2: AzureActivity\.TimeGenerated is datetime: "never" is not a datetime/);
  });

  it("names an unknown column of a known table", () => {
    const dir = dirWith({ "AzureActivity.csv": "TimeGenerated,Bogus\n2024-01-01T00:00:00Z,1\n" });
    expect(() => loadTablesFromDir(dir)).toThrow(/AzureActivity\.csv:2:22: AzureActivity has no column Bogus/);
  });

  it("refuses CSV rows with the wrong field count", () => {
    const dir = dirWith({ "T.csv": "a,b\n1\n" });
    expect(() => loadTablesFromDir(dir)).toThrow(/T\.csv:2:1: record has 1 fields, the header has 2/);
  });
});
