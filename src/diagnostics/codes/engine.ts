import type { CodeInfo } from "./code-info.ts";

/** SC4xxx: the offline KQL engine (unsupported KQL, runtime and data errors). */
export const ENGINE_CODES = {
} as const satisfies Record<`SC4${string}`, CodeInfo>;
