import { resultJson, tableToJson, type JsonCell } from "./format.ts";
import { runQuery, type QueryInput, type QueryOutcome } from "./run-query.ts";
import type { EngineDiagnostic } from "./diagnostics.ts";
import type { Column, InputSegment, Row, Table } from "./values.ts";

/** The frozen now() used by engine tests. */
export const TEST_NOW = "2024-01-15T12:00:00Z";

/** One hour in ticks, and TEST_NOW in ticks (for rows placed relative to the frozen now). */
export const HOUR_TICKS = 36_000_000_000n;
export const TEST_NOW_TICKS = 1_705_320_000_000n * 10_000n;

/** The columns of the engine's segment tests: a time, a user, a message and a long. */
export const SEGMENT_TEST_COLUMNS: Column[] = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "User", type: "string" },
  { name: "Message", type: "string" },
  { name: "Bytes", type: "long" },
];

/** Rows (time first) as segments of `size` rows, each stable unless its index is listed in `partial` (a segment seen in part). */
export function segmentsOf(rows: Row[], size: number, partial: ReadonlySet<number> = new Set()): InputSegment[] {
  const out: InputSegment[] = [];
  for (let i = 0; i < rows.length; i += size) {
    const part = rows.slice(i, i + size);
    out.push({ rows: part, stable: !partial.has(i / size), ingestionTimes: part.map((r) => r[0] as bigint) });
  }
  return out;
}

/** Runs a query for a test and returns its rows as JSON (datetimes ISO, timespans Kusto strings); throws with the diagnostics on failure. */
export function rowsOf(query: string, input: QueryInput = {}): JsonCell[][] {
  const outcome = runQuery(query, input, { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`).join("; "));
  return tableToJson(outcome.table).rows;
}

/** Runs a query for a test and returns its column names and types as "name:type". */
export function columnsOf(query: string, input: QueryInput = {}): string[] {
  const outcome = runQuery(query, input, { now: TEST_NOW });
  if (!outcome.ok) throw new Error(outcome.diagnostics.map((d) => `${d.code} ${d.message}`).join("; "));
  return outcome.table.columns.map((c) => `${c.name}:${c.type}`);
}

/** Runs a query expected to fail and returns the outcome's first diagnostic. */
export function failureOf(query: string, input: QueryInput = {}, limits?: Parameters<typeof runQuery>[2]["limits"]): Extract<QueryOutcome, { ok: false }>["diagnostics"][number] {
  const outcome = runQuery(query, input, limits ? { now: TEST_NOW, limits } : { now: TEST_NOW });
  if (outcome.ok) throw new Error(`expected a failure, got ${resultJson(tableToJson(outcome.table))}`);
  return outcome.diagnostics[0]!;
}

/** What the operator tests compare: the result's columns and rows, or its diagnostics joined into one string. */
export type TestOutcome = { columns: string[]; rows: unknown[][] } | string;

/** The frozen now() of the operator tests. */
const OPERATOR_TEST_NOW = "2024-01-01T00:00:00Z";

function outcomeOf(query: string, column: (c: Column) => string, rows: (t: Table) => unknown[][], problem: (d: EngineDiagnostic) => string): TestOutcome {
  const out = runQuery(query, {}, { now: OPERATOR_TEST_NOW });
  if (!out.ok) return out.diagnostics.map(problem).join("; ");
  return { columns: out.table.columns.map(column), rows: rows(out.table) };
}

/** Runs a query: columns as "name:type" and the engine's raw row values, or "CODE: message" diagnostics. */
export function typedOutcome(query: string): TestOutcome {
  return outcomeOf(query, (c) => `${c.name}:${c.type}`, (t) => t.rows, (d) => `${d.code}: ${d.message}`);
}

/** Runs a query: column names and the engine's raw row values, or "CODE: message" diagnostics. */
export function namedOutcome(query: string): TestOutcome {
  return outcomeOf(query, (c) => c.name, (t) => t.rows, (d) => `${d.code}: ${d.message}`);
}

/** Runs a query: columns as "name:type" and rows as JSON, or "CODE line:col message" diagnostics. */
export function jsonOutcome(query: string): TestOutcome {
  return outcomeOf(query, (c) => `${c.name}:${c.type}`, (t) => tableToJson(t).rows, (d) => `${d.code} ${d.line}:${d.col} ${d.message}`);
}
