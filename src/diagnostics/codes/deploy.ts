import type { CodeInfo } from "./code-info.ts";

/** SC7xxx: deployment (plan, apply, prune, drift). */
export const DEPLOY_CODES = {
} as const satisfies Record<`SC7${string}`, CodeInfo>;
