import { durationRange } from "./duration-range.ts";

/** SC2111: queryFrequency is 5m to 14d. */
export const queryFrequencyRange = durationRange("SC2111", ["queryFrequency"], 5, 14 * 1440);
