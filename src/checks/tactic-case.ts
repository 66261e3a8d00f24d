import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, stringItems } from "./fields.ts";
import { SENTINEL_TACTICS } from "./mitre-data.ts";

/** SC2121: tactics use Sentinel's exact spelling (Sentinel itself ignores case; filters and reports do not). */
export const tacticCase = (): Check => ({
  code: "SC2121",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return stringItems(asRecord(file.data).tactics).flatMap(({ value, index }) => {
      const exact = SENTINEL_TACTICS.find((t) => t.toLowerCase() === value.toLowerCase());
      if (!exact || exact === value) return [];
      return [findingAt("SC2121", file, ["tactics", index], `tactic '${value}' is spelled '${exact}' in Sentinel`)];
    });
  },
});
