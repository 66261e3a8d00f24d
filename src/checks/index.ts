export { runChecks, CHECKS } from "./registry.ts";
export type { Check, CheckFactory } from "./check.ts";
export { testTargetPath, testTargetKind } from "./test-target.ts";
