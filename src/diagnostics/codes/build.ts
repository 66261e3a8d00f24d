import type { CodeInfo } from "./code-info.ts";

/** SC6xxx: building Azure REST bodies. */
export const BUILD_CODES = {
} as const satisfies Record<`SC6${string}`, CodeInfo>;
