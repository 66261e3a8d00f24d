import { makeDiagnostic, type Diagnostic } from "../../diagnostics/index.ts";
import { PROFILE_EXCEPTION_KEY, type RawRow } from "./fixture-rows.ts";
import { columnIndex, typeRowObject } from "../../engine/index.ts";

/** A column as the table schemas and the engine describe it. */
export interface SchemaColumn {
  name: string;
  type: string;
}

/** Rows typed for the engine: values in column order (datetime and timespan as 100-ns ticks, bigint). */
export interface TypedTable {
  name: string;
  columns: SchemaColumn[];
  rows: unknown[][];
}

const SKIPPED_KEYS: ReadonlySet<string> = new Set([PROFILE_EXCEPTION_KEY]);

/**
 * Checks rows against a table's columns and types them for the engine by the cell rules `query --data` uses
 * (engine/data/cell-value.ts): a key that is not a column (SC5002) or a value that does not fit its column
 * (SC5003) is reported where it is written, and the row is left out; columns a row leaves out are null ("" for
 * strings). With `ignoreUnknown` (DCR input streams), keys that are not columns are dropped, as the ingestion API does.
 */
export function typeRows(table: string, columns: readonly SchemaColumn[], rows: readonly RawRow[], options: { ignoreUnknown?: boolean } = {}): { table: TypedTable; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const index = columnIndex(columns);
  const typing = { skip: SKIPPED_KEYS, dropUnknown: options.ignoreUnknown === true };
  const typed: unknown[][] = [];
  for (const raw of rows) {
    const { row, problems } = typeRowObject(table, columns, index, raw.values, typing);
    for (const problem of problems) diagnostics.push(makeDiagnostic(problem.kind === "unknown-column" ? "SC5002" : "SC5003", raw.at(problem.column), problem.message));
    if (problems.length === 0) typed.push(row);
  }
  return { table: { name: table, columns: columns.map((c) => ({ name: c.name, type: c.type })), rows: typed }, diagnostics };
}
