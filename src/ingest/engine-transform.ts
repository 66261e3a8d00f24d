import { assertNever } from "../diagnostics/index.ts";
import { runQuery, typeRows, valueToString, type Column, type KqlType, type Table, type Value } from "../engine/index.ts";
import type { TransformRunner } from "./dry-run.ts";
import type { MappingColumn } from "./mapping.ts";

/** A transform the offline engine could not run, with the engine's messages. */
export class TransformError extends Error {
  override name = "TransformError";
}

/** The DCR's `source`: the stream rows, keeping only declared keys and typed by the stream declaration. */
export function sourceTable(rows: readonly Record<string, unknown>[], columns: readonly MappingColumn[]): Table {
  const declared = new Set(columns.map((c) => c.name));
  const projected = rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => declared.has(k))));
  const schema: Column[] = columns.map((c) => ({ name: c.name, type: c.type as KqlType }));
  return typeRows("source", projected, schema, (i) => `source row ${i + 1}`);
}

function plainValue(value: Value, type: KqlType): unknown {
  if (value === null) return null;
  switch (type) {
    case "datetime":
    case "timespan":
    case "decimal":
    case "guid":
      return valueToString(value, type);
    case "long":
    case "int":
      return typeof value === "bigint" ? Number(value) : value;
    case "bool":
    case "real":
    case "string":
    case "dynamic":
      return value;
    default:
      return assertNever(type, "column type");
  }
}

/** The rows of an engine table as plain JSON objects (datetimes as ISO strings, longs as numbers). */
export function tableToObjects(table: Table): Record<string, unknown>[] {
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c.name, plainValue(row[i] ?? null, c.type)])));
}

/** Runs one transform on stream rows with the offline engine, with a frozen now(). */
export function runTransform(input: {
  transformKql: string;
  streamColumns: readonly MappingColumn[];
  rows: readonly Record<string, unknown>[];
  now: Date;
}): Table {
  const outcome = runQuery(input.transformKql, { tables: { source: sourceTable(input.rows, input.streamColumns) } }, { now: input.now });
  if (!outcome.ok) throw new TransformError(outcome.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join("; "));
  return outcome.table;
}

/** The dry-run transform runner: the engine, with now() at the moment of the run. */
export const engineTransformRunner: TransformRunner = async ({ transformKql, streamColumns, rows }) =>
  tableToObjects(runTransform({ transformKql, streamColumns, rows, now: new Date() }));
