import type { Check } from "./check.ts";
import { findingAt, valueAt } from "./at.ts";
import { parseDurationMinutes } from "../content/duration.ts";
import { RULE_DURATION_PATHS } from "./duration.ts";

/** SC2110: rule durations use Sentinel's form (a whole number and m, h or d). */
export const durationFormat = (): Check => ({
  code: "SC2110",
  kinds: ["analytic-rule"],
  run(file) {
    return RULE_DURATION_PATHS.flatMap((path) => {
      const value = valueAt(file.data, path);
      if (typeof value !== "string" || parseDurationMinutes(value) !== undefined) return [];
      return [findingAt("SC2110", file, path, `${path.at(-1)} ${JSON.stringify(value)} is not a duration such as 5m, 1h or 14d`)];
    });
  },
});
