import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { parseDurationMinutes } from "../content/duration.ts";
import { asRecord, asString } from "./fields.ts";

/** SC2113: queryPeriod is at least queryFrequency, so every event is looked at by some run. */
export const periodCoversFrequency = (): Check => ({
  code: "SC2113",
  kinds: ["analytic-rule"],
  run(file) {
    const rule = asRecord(file.data);
    const frequency = parseDurationMinutes(asString(rule.queryFrequency) ?? "");
    const period = parseDurationMinutes(asString(rule.queryPeriod) ?? "");
    if (frequency === undefined || period === undefined || period >= frequency) return [];
    const message = `queryPeriod ${String(rule.queryPeriod)} is shorter than queryFrequency ${String(rule.queryFrequency)}: events between runs are never queried`;
    return [findingAt("SC2113", file, ["queryPeriod"], message)];
  },
});
