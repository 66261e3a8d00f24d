import type { CodeInfo } from "./code-info.ts";

/** SC2xxx: JSON Schema and content checks (ids, durations, MITRE, entity mappings). */
export const SCHEMA_CODES = {
} as const satisfies Record<`SC2${string}`, CodeInfo>;
