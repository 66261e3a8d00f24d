import { parseDurationMinutes } from "../content/duration.ts";
import { asRecord, asString } from "./fields.ts";

/** Duration-valued keys of a rule, as document paths. */
export const RULE_DURATION_PATHS: readonly (readonly string[])[] = [
  ["queryFrequency"],
  ["queryPeriod"],
  ["suppressionDuration"],
  ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"],
];

/** A rule's queryFrequency and queryPeriod in minutes, or undefined when either is absent or not a duration. */
export function ruleScheduleMinutes(data: unknown): { frequency: number; period: number } | undefined {
  const rule = asRecord(data);
  const frequency = parseDurationMinutes(asString(rule.queryFrequency) ?? "");
  const period = parseDurationMinutes(asString(rule.queryPeriod) ?? "");
  return frequency === undefined || period === undefined ? undefined : { frequency, period };
}
