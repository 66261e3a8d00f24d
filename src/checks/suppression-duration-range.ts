import { durationRange } from "./duration-range.ts";

/** SC2116: suppressionDuration is 5m to 24h. */
export const suppressionDurationRange = durationRange("SC2116", ["suppressionDuration"], 5, 24 * 60);
