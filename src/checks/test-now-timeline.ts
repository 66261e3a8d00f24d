import type { Check } from "./check.ts";
import { findingAtKey } from "./at.ts";
import { asList, asRecord } from "./fields.ts";

/** SC2141: a case has either `now` or `timeline`, not both. */
export const testNowTimeline = (): Check => ({
  code: "SC2141",
  kinds: ["tests"],
  run(file) {
    return asList(asRecord(file.data).cases).flatMap((c, index) => {
      const testCase = asRecord(c);
      if (!("now" in testCase && "timeline" in testCase)) return [];
      return [findingAtKey("SC2141", file, ["cases", index, "timeline"], "a case has either now (one run) or timeline (a scheduler window), not both")];
    });
  },
});
