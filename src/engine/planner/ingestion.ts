import type { Row, Value } from "../values.ts";

/** Ingestion time of source rows (ticks), kept beside the rows so it needs no visible column. */
const INGESTION = new WeakMap<Row, bigint>();

/** Records a row's ingestion time (data loading). */
export function setIngestionTime(row: Row, ticks: bigint): void {
  INGESTION.set(row, ticks);
}

/** ingestion_time() of a row: its recorded ingestion time, or null once operators have rebuilt the row. */
export function ingestionTimeOf(row: Row): Value {
  return INGESTION.get(row) ?? null;
}

/** Carries a source row's ingestion time over to a row derived from it (extend, project). */
export function carryIngestionTime(from: Row, to: Row): void {
  const t = INGESTION.get(from);
  if (t !== undefined) INGESTION.set(to, t);
}
