import type { Check } from "./check.ts";
import { findingAtKey } from "./at.ts";
import { asRecord } from "./fields.ts";

/** SC2117: suppressionEnabled: true comes with a suppressionDuration. */
export const suppressionConsistency = (): Check => ({
  code: "SC2117",
  kinds: ["analytic-rule"],
  run(file) {
    const rule = asRecord(file.data);
    if (rule.suppressionEnabled !== true || rule.suppressionDuration !== undefined) return [];
    return [findingAtKey("SC2117", file, ["suppressionEnabled"], "suppressionEnabled is true but no suppressionDuration is given")];
  },
});
