import { makeDiagnostic, type DiagnosticCode, type Location } from "../../diagnostics/index.ts";
import { compareRows } from "./compare.ts";
import type { ResultTable } from "./result-table.ts";
import { renderRows } from "./table-diff.ts";
import type { Failure } from "./verdict.ts";

/** What a query's result must show: how many rows (exactly, at least) and which. */
export interface RowExpectation {
  rows?: number;
  minRows?: number;
  values?: Record<string, unknown>[];
  ordered: boolean;
}

/** A failure at `at`, with a diff when one is given. */
export function fail(code: DiagnosticCode, at: Location, message: string, diff?: string): Failure {
  return diff === undefined ? { diagnostic: makeDiagnostic(code, at, message) } : { diagnostic: makeDiagnostic(code, at, message), diff };
}

/** The result rows as a printable table (all columns), for failures about row counts. */
export function describeRows(table: ResultTable): string | undefined {
  return table.rows.length === 0 ? undefined : renderRows(table.columns.map((c) => c.name), table.rows);
}

/** Checks `rows`, `minRows` and `values` against a result: each failure sits at its key and its message starts with `prefix`. */
export function checkRows(expect: RowExpectation, table: ResultTable, at: (key: "rows" | "minRows" | "values") => Location, prefix = ""): Failure[] {
  const failures: Failure[] = [];
  const count = table.rows.length;
  if (expect.rows !== undefined && count !== expect.rows) {
    failures.push(fail("SC5001", at("rows"), `${prefix}expected ${expect.rows} result rows, got ${count}`, describeRows(table)));
  }
  if (expect.minRows !== undefined && count < expect.minRows) {
    failures.push(fail("SC5001", at("minRows"), `${prefix}expected at least ${expect.minRows} result rows, got ${count}`, describeRows(table)));
  }
  if (expect.values !== undefined) {
    const comparison = compareRows(expect.values, table, expect.ordered);
    if (!comparison.ok) failures.push(fail("SC5001", at("values"), `${prefix}${comparison.message}`, comparison.diff));
  }
  return failures;
}
