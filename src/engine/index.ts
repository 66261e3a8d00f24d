/** The offline KQL engine's public API: run a query on given tables with a frozen clock; the only module other stages import. */
export { runQuery, kustoResultSchema } from "./run-query.ts";
export type { QueryInput, QueryOptions, QueryOutcome, RowObjects } from "./run-query.ts";
export type { EngineDiagnostic } from "./diagnostics.ts";
export { EngineError } from "./errors.ts";
export type { Column, InputSegment, InputTable, KqlType, Row, RowSegment, Table, Value } from "./values.ts";
export { fitsLong, formatDatetime, formatTimespan, normalizeLong, parseDatetime, parseTimespan, valueToString } from "./values.ts";
export { DEFAULT_LIMITS, type EngineLimits } from "./context.ts";
export { resultJson, tableToJson, tableToText } from "./format.ts";
export { loadTablesFromDir, type DeclaredTable } from "./data/load-dir.ts";
export { columnIndex, DataRowError, typeRowObject, typeRows } from "./data/tables.ts";
export { resultProblems } from "./self-check.ts";
/** @deprecated Give the times in the query input instead (`InputTable.ingestionTimes`); kept for one release. */
export { setIngestionTime } from "./planner/ingestion.ts";
/** Counters of the kept row-local results (reused segments, rows looked up and computed), for tests and profiling of replay. */
export { keptStageCounts, type KeptStageCounts } from "./planner/incremental.ts";
export { partialCounts, segmentOutputCounts } from "./segments.ts";
/** One copy of each short string value (replay shares its spooled rows' strings through it, as kept results do). */
export { StringPool } from "./string-pool.ts";
