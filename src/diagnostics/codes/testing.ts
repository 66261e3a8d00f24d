import type { CodeInfo } from "./code-info.ts";

/** SC5xxx: rule tests (verdicts, fixtures, snapshots, coverage). */
export const TESTING_CODES = {
} as const satisfies Record<`SC5${string}`, CodeInfo>;
