/** The offline KQL engine's public API: run a query on given tables with a frozen clock. */
export { runQuery } from "./run-query.ts";
export type { QueryInput, QueryOptions, QueryOutcome, RowObjects } from "./run-query.ts";
export type { EngineDiagnostic } from "./diagnostics.ts";
export type { Column, KqlType, Row, Table, Value } from "./values.ts";
export { formatDatetime, formatTimespan, parseDatetime, parseTimespan, valueToString } from "./values.ts";
export { DEFAULT_LIMITS, type EngineLimits } from "./context.ts";
