import type { CodeInfo } from "./code-info.ts";

/** SC9xxx: internal errors. */
export const INTERNAL_CODES = {
  SC9001: { severity: "error", title: "Internal error", hint: "This is a bug in sentinel-content; please report it with the file that triggered it." },
} as const satisfies Record<`SC9${string}`, CodeInfo>;
