import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, stringItems } from "./fields.ts";
import { SENTINEL_TACTICS } from "./mitre-data.ts";
import { closest } from "../schema/ajv-errors.ts";

/** SC2120: every tactic is one Sentinel knows (compared case-insensitively, as Sentinel does). */
export const tacticValid = (): Check => ({
  code: "SC2120",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return stringItems(asRecord(file.data).tactics)
      .filter(({ value }) => !SENTINEL_TACTICS.some((t) => t.toLowerCase() === value.toLowerCase()))
      .map(({ value, index }) => {
        const suggestion = closest(value.replace(/\s+/g, ""), SENTINEL_TACTICS);
        const tail = suggestion ? ` (did you mean '${suggestion}'?)` : "";
        return findingAt("SC2120", file, ["tactics", index], `'${value}' is not a Sentinel tactic${tail}`);
      });
  },
});
