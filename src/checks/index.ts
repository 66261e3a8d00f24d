export { runChecks, CHECKS } from "./registry.ts";
export type { Check, CheckFactory } from "./check.ts";
export { testTargetPath } from "./test-target.ts";
