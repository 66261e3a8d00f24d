import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadTablesFromDir, type KqlType } from "../../engine/index.ts";
import { loadText } from "../../load/index.ts";
import { readRowSource } from "./fixture-rows.ts";
import { typeRows } from "./typed-rows.ts";
import { removedAfterAll } from "../../files/test-support.ts";

// the temporary folders this file makes, removed after its tests
const temporaryFolders = removedAfterAll();

/** What a path made of one cell: the engine value, or "error". */
type Outcome = { value: unknown } | "error";

/** The same one-column table through `query --data` (loadTablesFromDir). */
function throughQueryData(file: string, content: string, type: KqlType): Outcome {
  const dir = mkdtempSync(path.join(tmpdir(), "agree-q-"));
  temporaryFolders.push(dir);
  writeFileSync(path.join(dir, `T${path.extname(file)}`), content);
  try {
    return { value: loadTablesFromDir(dir, { T: { columns: [{ name: "V", type }] } }).T?.rows[0]?.[0] };
  } catch {
    return "error";
  }
}

/** The same one-column table through a rule test's fixture file (readRowSource + typeRows). */
function throughTest(file: string, content: string, type: KqlType): Outcome {
  const dir = mkdtempSync(path.join(tmpdir(), "agree-t-"));
  temporaryFolders.push(dir);
  writeFileSync(path.join(dir, file), content);
  const loaded = loadText(`cases:\n  - name: c\n    tables:\n      T: ${file}\n`, "r.tests.yaml", "tests", path.join(dir, "r.tests.yaml")).file;
  if (!loaded) throw new Error("tests file did not load");
  const read = readRowSource({ name: "T", path: ["cases", 0, "tables", "T"], file }, loaded);
  const typed = typeRows("T", [{ name: "V", type }], read.rows);
  return read.diagnostics.length + typed.diagnostics.length > 0 ? "error" : { value: typed.table.rows[0]?.[0] };
}

/** The same cell as an inline YAML row of a rule test. */
function throughInlineRow(json: string, type: KqlType): Outcome {
  const loaded = loadText(`cases:\n  - name: c\n    tables:\n      T:\n        - { V: ${json} }\n`, "r.tests.yaml", "tests").file;
  if (!loaded) throw new Error("tests file did not load");
  const read = readRowSource({ name: "T", path: ["cases", 0, "tables", "T"], rows: (loaded.data as { cases: { tables: { T: unknown[] } }[] }).cases[0]?.tables.T }, loaded);
  const typed = typeRows("T", [{ name: "V", type }], read.rows);
  return read.diagnostics.length + typed.diagnostics.length > 0 ? "error" : { value: typed.table.rows[0]?.[0] };
}

const NOON = 17_951_760_000_000_000n; // 2026-11-20T12:00:00Z in ticks since the Unix epoch
const error = "error" as const;

// [column type, the cell as JSON, the engine value it must become (or "error")]; each cell is also written as
// CSV text and as an inline YAML row of a rule test, which must read the same.
const CELLS: readonly [KqlType, string, Outcome][] = [
  ["datetime", '"2026-11-20T12:00:00Z"', { value: NOON }],
  ["datetime", '"2026-11-20T12:00:00"', { value: NOON }],
  ["datetime", '"2026-11-20 12:00:00"', { value: NOON }],
  ["datetime", '"2026-11-20T13:00:00+01:00"', { value: NOON }],
  ["datetime", '"2026-11-20T12:00:00.123456789Z"', { value: NOON + 1_234_567n }],
  ["datetime", '"11/20/2026 12:00 PM"', { value: NOON }],
  ["datetime", '"2026-02-30T00:00:00Z"', error],
  ["datetime", '"yesterday"', error],
  ["datetime", '""', { value: null }],
  ["long", '"42"', { value: 42 }],
  ["long", '" 42 "', { value: 42 }],
  ["long", '"1.5"', error],
  ["long", '"abc"', error],
  ["long", '"851673153924341805"', { value: 851673153924341805n }],
  ["long", '"99999999999999999999"', error],
  ["long", '"true"', error],
  ["long", '""', { value: null }],
  ["int", '"7"', { value: 7 }],
  ["int", '"3000000000"', error],
  ["real", '"1.5"', { value: 1.5 }],
  ["real", '"1e3"', { value: 1000 }],
  ["real", '"NaN"', { value: Number.NaN }],
  ["real", '"0x10"', error],
  ["real", '"abc"', error],
  ["real", '"true"', error],
  ["bool", '"true"', { value: true }],
  ["bool", '"FALSE"', { value: false }],
  ["bool", '"1"', { value: true }],
  ["bool", '"0"', { value: false }],
  ["bool", '"yes"', error],
  ["bool", '"2"', error],
  ["timespan", '"00:05:00"', { value: 3_000_000_000n }],
  ["timespan", '"5m"', { value: 3_000_000_000n }],
  ["timespan", '"1.02:03:04"', { value: 937_840_000_000n }],
  ["timespan", '"soon"', error],
  ["guid", '"6F9619FF-8B86-D011-B42D-00C04FC964FF"', { value: "6f9619ff-8b86-d011-b42d-00c04fc964ff" }],
  ["guid", '"not-a-guid"', error],
  ["dynamic", '"{\\"a\\":1}"', { value: { a: 1 } }],
  ["dynamic", '"[1,2]"', { value: [1, 2] }],
  ["dynamic", '"text"', { value: "text" }],
  ["dynamic", '"{oops"', { value: "{oops" }],
  ["dynamic", '"{\\"id\\":851673153924341805}"', error],
  ["string", '"x"', { value: "x" }],
  ["string", '"42"', { value: "42" }],
];

// Cells only JSON can write (numbers, booleans, objects, null), typed the same by both commands.
const JSON_ONLY: readonly [KqlType, string, Outcome][] = [
  ["long", "42", { value: 42 }],
  ["long", "851673153924341805", { value: 851673153924341805n }],
  ["long", "99999999999999999999", error],
  ["long", "1.5", error],
  ["long", "true", error],
  ["long", "null", { value: null }],
  ["int", "3000000000", error],
  ["real", "1.5", { value: 1.5 }],
  ["real", "851673153924341805", { value: Number(851673153924341805n) }],
  ["real", "true", error],
  ["bool", "true", { value: true }],
  ["bool", "1", { value: true }],
  ["bool", "2", error],
  ["datetime", "1700000000", error],
  ["timespan", "300", error],
  ["dynamic", '{"a":[1]}', { value: { a: [1] } }],
  ["dynamic", "5", { value: 5 }],
  ["dynamic", '{"id":851673153924341805}', error],
  ["string", "5", error],
  ["string", '{"a":1}', error],
  ["string", "null", { value: "" }],
  ["guid", "5", error],
];

function csvField(json: string): string {
  const value = JSON.parse(json) as unknown;
  const text = typeof value === "string" ? value : json;
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

describe("query --data and rule-test fixtures type every cell alike", () => {
  it.each(CELLS)("%s %s (JSON Lines, CSV, inline YAML)", (type, json, expected) => {
    const jsonl = `{"V":${json}}\n`;
    const csv = `V\n${csvField(json) === "" ? '""' : csvField(json)}\n`;
    expect(throughQueryData("t.jsonl", jsonl, type)).toEqual(expected);
    expect(throughTest("t.jsonl", jsonl, type)).toEqual(expected);
    expect(throughQueryData("t.csv", csv, type)).toEqual(expected);
    expect(throughTest("t.csv", csv, type)).toEqual(expected);
    expect(throughInlineRow(json, type)).toEqual(expected);
  });

  it.each(JSON_ONLY)("%s %s (JSON)", (type, json, expected) => {
    const jsonl = `{"V":${json}}\n`;
    expect(throughQueryData("t.jsonl", jsonl, type)).toEqual(expected);
    expect(throughTest("t.jsonl", jsonl, type)).toEqual(expected);
    expect(throughQueryData("t.json", `[{"V":${json}}]`, type)).toEqual(expected);
    expect(throughTest("t.json", `[{"V":${json}}]`, type)).toEqual(expected);
  });
});
