import type { Check } from "./check.ts";
import { findingAtKey } from "./at.ts";
import { LIMITS } from "./entity-identifiers.ts";
import { asRecord } from "./fields.ts";

/** SC2134: at most 20 custom details. */
export const customDetailCount = (): Check => ({
  code: "SC2134",
  kinds: ["analytic-rule"],
  run(file) {
    const keys = Object.keys(asRecord(asRecord(file.data).customDetails));
    if (keys.length <= LIMITS.customDetails) return [];
    const message = `${keys.length} custom details; Sentinel accepts at most ${LIMITS.customDetails}`;
    return [findingAtKey("SC2134", file, ["customDetails", keys[LIMITS.customDetails] as string], message)];
  },
});
