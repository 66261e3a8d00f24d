import type { Row, Value } from "../values.ts";

/**
 * Ingestion time of source rows (ticks), kept on the row under a symbol so it needs no visible column. A symbol
 * property, not a WeakMap: a WeakMap with a key per row makes every garbage collection walk all of them, which
 * doubled the run time of queries over large fixtures.
 */
const INGESTION = Symbol("ingestion time");

type TimedRow = Row & { [INGESTION]?: bigint };

/** Records a row's ingestion time (data loading). */
export function setIngestionTime(row: Row, ticks: bigint): void {
  (row as TimedRow)[INGESTION] = ticks;
}

/** ingestion_time() of a row: its recorded ingestion time, or null once operators have rebuilt the row. */
export function ingestionTimeOf(row: Row): Value {
  return (row as TimedRow)[INGESTION] ?? null;
}

/** Carries a source row's ingestion time over to a row derived from it (extend, project). */
export function carryIngestionTime(from: Row, to: Row): void {
  const t = (from as TimedRow)[INGESTION];
  if (t !== undefined) (to as TimedRow)[INGESTION] = t;
}
