import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { ruleScheduleMinutes } from "./duration.ts";
import { asRecord } from "./fields.ts";

/** SC2113: queryPeriod is at least queryFrequency, so every event is looked at by some run. */
export const periodCoversFrequency = (): Check => ({
  code: "SC2113",
  kinds: ["analytic-rule"],
  run(file) {
    const schedule = ruleScheduleMinutes(file.data);
    if (schedule === undefined || schedule.period >= schedule.frequency) return [];
    const rule = asRecord(file.data);
    const message = `queryPeriod ${String(rule.queryPeriod)} is shorter than queryFrequency ${String(rule.queryFrequency)}: events between runs are never queried`;
    return [findingAt("SC2113", file, ["queryPeriod"], message)];
  },
});
