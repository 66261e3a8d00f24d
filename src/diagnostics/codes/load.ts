import type { CodeInfo } from "./code-info.ts";

/** SC1xxx: loading files (YAML syntax, encoding, size). */
export const LOAD_CODES = {
} as const satisfies Record<`SC1${string}`, CodeInfo>;
