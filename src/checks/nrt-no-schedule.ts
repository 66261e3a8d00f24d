import type { Check } from "./check.ts";
import { findingAtKey } from "./at.ts";
import { asRecord } from "./fields.ts";

const SCHEDULE_KEYS = ["queryFrequency", "queryPeriod", "triggerOperator", "triggerThreshold"] as const;

/** SC2114: NRT rules carry no scheduling keys (they run every minute and alert on any result). */
export const nrtNoSchedule = (): Check => ({
  code: "SC2114",
  kinds: ["analytic-rule"],
  run(file) {
    const rule = asRecord(file.data);
    if (rule.kind !== "NRT") return [];
    return SCHEDULE_KEYS.filter((key) => key in rule).map((key) =>
      findingAtKey("SC2114", file, [key], `${key} has no meaning on an NRT rule (NRT rules run every minute and alert on any result)`),
    );
  },
});
