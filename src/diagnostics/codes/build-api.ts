import type { CodeInfo } from "./code-info.ts";

/** SC6009–SC6012: bodies the pinned api-versions would refuse, stopped at build time. */
export const BUILD_API_CODES = {
  SC6009: { severity: "error", title: "Value not in the deployed api-version", hint: "The api-version the resource deploys with does not list this value; use one it lists (see data/openapi/SOURCE.md)." },
} as const satisfies Record<`SC6${string}`, CodeInfo>;
