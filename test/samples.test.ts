// The real-shape samples under samples/<source>/events/ are raw vendor events; the file of the same name one
// folder up holds the table rows rule tests read. These tests prove that file is exactly what the collector and
// the project's DCR make of the raw events, and that the raw events obey their input profile.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { withMeasuredLengths } from "../src/ingest/measured-lengths.ts";
import { prepareOpenAIAuditEvent } from "../src/ingest/openai-prepare.ts";
import { rowViolations, uniqueViolations } from "../src/profiles/invariants.ts";
import { loadProfiles } from "../src/profiles/profile.ts";
import { createOfflineEngine } from "../src/testing/run/offline-engine.ts";
import { cellValue } from "../src/engine/data/cell-value.ts";
import type { KqlType } from "../src/engine/index.ts";
import type { SchemaColumn } from "../src/testing/spec/typed-rows.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const engine = createOfflineEngine();
const { profiles } = loadProfiles(root);

type Row = Record<string, unknown>;

interface SamplePair {
  events: string;
  table: string;
  mapping: string;
  stream: string;
  /** What the collector does to an API event before upload. */
  prepare: (event: Row) => Row;
}

const chatgpt = { mapping: "ingestion/chatgpt/chatgpt-compliance.yaml", stream: "Custom-ChatGPTComplianceRaw", prepare: withMeasuredLengths };
const openai = {
  mapping: "ingestion/openai/openai-audit-logs.yaml",
  stream: "Custom-OpenAIAuditLogs_CL",
  prepare: (event: Row) => ({ ...prepareOpenAIAuditEvent(event, "OpenAI audit logs") }),
};

const PAIRS: SamplePair[] = [
  { ...chatgpt, events: "chatgpt-compliance/events/impossible-travel-login.jsonl", table: "ChatGPTComplianceEvents_CL" },
  { ...chatgpt, events: "chatgpt-compliance/events/feature-enabled.jsonl", table: "ChatGPTComplianceEvents_CL" },
  { ...chatgpt, events: "chatgpt-compliance/events/domain-created.jsonl", table: "ChatGPTComplianceEvents_CL" },
  { ...chatgpt, events: "chatgpt-compliance/events/bulk-paste.jsonl", table: "ChatGPTConversationMessages_CL" },
  { ...chatgpt, events: "chatgpt-compliance/events/login-failures-then-success.jsonl", table: "ChatGPTComplianceEvents_CL" },
  { ...chatgpt, events: "chatgpt-compliance/events/credential-in-message.jsonl", table: "ChatGPTConversationMessages_CL" },
  { ...openai, events: "openai-audit-logs/events/failures-then-success.jsonl", table: "OpenAIAuditLogs_CL" },
  { ...openai, events: "openai-audit-logs/events/owner-granted.jsonl", table: "OpenAIAuditLogs_CL" },
  { ...openai, events: "openai-audit-logs/events/security-changes.jsonl", table: "OpenAIAuditLogs_CL" },
];

function readJsonl(relative: string): Row[] {
  return readFileSync(path.join(root, relative), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Row);
}

function typed(rows: readonly Row[], columns: readonly SchemaColumn[]): unknown[][] {
  return rows.map((row) =>
    columns.map((column) => {
      if (column.type === "raw") return row[column.name];
      const converted = cellValue(row[column.name], column.type as KqlType);
      if ("error" in converted) throw new Error(`${column.name}: ${converted.error}`);
      return converted.value;
    }),
  );
}

/** The rows the DCR's data flow into `table` makes of the stream rows, typed as the engine returns them. */
function runDcr(pair: SamplePair, streamRows: readonly Row[]): { columns: SchemaColumn[]; rows: unknown[][] } {
  const mapping = parse(readFileSync(path.join(root, pair.mapping), "utf8")) as {
    streams: { name: string; columns: SchemaColumn[] }[];
    dataFlows: { streams: string[]; outputStream: string; transformKql: string }[];
  };
  const columns = mapping.streams.find((s) => s.name === pair.stream)!.columns.map((c) => ({ name: c.name, type: c.type.toLowerCase() }));
  const flow = mapping.dataFlows.find((f) => f.streams.includes(pair.stream) && f.outputStream === `Custom-${pair.table}`)!;
  const source = { name: "source", columns, rows: typed(streamRows, columns) };
  const outcome = engine(flow.transformKql, { tables: new Map([["source", source]]), functions: [], watchlists: new Map() }, 0);
  if (!outcome.ok) throw new Error(outcome.problems.map((p) => p.message).join("; "));
  const outColumns = outcome.table.columns.map((c) => ({ name: c.name, type: c.type }));
  // result tables carry datetimes as ISO text; type them like the expected rows
  const objects = outcome.table.rows.map((r) => Object.fromEntries(outColumns.map((c, i) => [c.name, r[i]])));
  return { columns: outColumns, rows: typed(objects, outColumns.map((c) => (c.type === "datetime" ? c : { name: c.name, type: "raw" }))) };
}

describe.each(PAIRS)("samples/$events", (pair) => {
  const events = readJsonl(path.join("samples", pair.events));
  const tableFile = path.join("samples", path.dirname(path.dirname(pair.events)), path.basename(pair.events));
  const streamRows = events.map(pair.prepare);

  it(`is what the collector and ${pair.mapping} write to ${pair.table} (${tableFile})`, () => {
    const actual = runDcr(pair, streamRows);
    expect(actual.rows.length).toBeGreaterThan(0);
    expect(actual.rows).toEqual(typed(readJsonl(tableFile), actual.columns));
  });

  it(`obeys the input profile of ${pair.stream}`, () => {
    const profile = profiles.find((p) => p.appliesTo.inputs?.includes(pair.stream));
    expect(profile, `a profile for ${pair.stream}`).toBeDefined();
    const violations = [
      ...streamRows.flatMap((row, index) => rowViolations(profile!, row).map((v) => ({ index, violation: v }))),
      ...uniqueViolations(profile!, streamRows),
    ];
    expect(violations).toEqual([]);
  });
});
