import type { CodeInfo } from "./code-info.ts";

/** SC8xxx: ingestion mappings and the collector. */
export const INGEST_CODES = {
} as const satisfies Record<`SC8${string}`, CodeInfo>;
