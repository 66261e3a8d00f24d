import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";

/** SC2115: triggerThreshold is 0 to 10000 (a number too large for a double is the schema's wrong-type finding, SC2003). */
export const triggerThresholdRange = (): Check => ({
  code: "SC2115",
  kinds: ["analytic-rule"],
  run(file) {
    const threshold = asRecord(file.data).triggerThreshold;
    if (typeof threshold !== "number" || !Number.isFinite(threshold) || (threshold >= 0 && threshold <= 10000)) return [];
    return [findingAt("SC2115", file, ["triggerThreshold"], `triggerThreshold ${threshold} is outside Sentinel's range of 0 to 10000`)];
  },
});
