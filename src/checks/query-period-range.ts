import { durationRange } from "./duration-range.ts";

/** SC2112: queryPeriod is 5m to 14d. */
export const queryPeriodRange = durationRange("SC2112", ["queryPeriod"], 5, 14 * 1440);
