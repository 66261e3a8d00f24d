import { tableToJson } from "./format.ts";
import { runQuery, type QueryInput, type QueryOutcome } from "./run-query.ts";
import type { JsonValue } from "./values.ts";

/** The frozen now() used by engine tests. */
export const TEST_NOW = "2024-01-15T12:00:00Z";

/** Runs a query for a test and returns its rows as JSON (datetimes ISO, timespans Kusto strings); throws with the diagnostics on failure. */
export function rowsOf(query: string, input: QueryInput = {}): JsonValue[][] {
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
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(tableToJson(outcome.table))}`);
  return outcome.diagnostics[0]!;
}
