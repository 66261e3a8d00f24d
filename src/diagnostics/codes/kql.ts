import type { CodeInfo } from "./code-info.ts";

/** SC3xxx: KQL analysis and the output-column contract. */
export const KQL_CODES = {
} as const satisfies Record<`SC3${string}`, CodeInfo>;
