import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { ruleScheduleMinutes } from "./duration.ts";
import { asRecord } from "./fields.ts";

const TWO_DAYS = 2 * 1440;
const ONE_HOUR = 60;

/** SC2180: a rule whose queryPeriod is 2 days or more runs at most once an hour (queryFrequency ≥ 1h). */
export const longLookbackFrequency = (): Check => ({
  code: "SC2180",
  kinds: ["analytic-rule"],
  run(file) {
    const schedule = ruleScheduleMinutes(file.data);
    if (schedule === undefined || schedule.period < TWO_DAYS || schedule.frequency >= ONE_HOUR) return [];
    const rule = asRecord(file.data);
    const message = `queryFrequency ${String(rule.queryFrequency)} is more often than once an hour, which Sentinel refuses for a queryPeriod of 2 days or more (${String(rule.queryPeriod)})`;
    return [findingAt("SC2180", file, ["queryFrequency"], message)];
  },
});
