import { durationRange } from "./duration-range.ts";

/** SC2118: incident grouping lookbackDuration is 5m to 7d. */
export const groupingLookbackRange = durationRange("SC2118", ["incidentConfiguration", "groupingConfiguration", "lookbackDuration"], 5, 7 * 1440);
