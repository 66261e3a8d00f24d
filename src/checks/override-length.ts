import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";

/** Longest alertDetailsOverride formats Sentinel accepts, in characters. */
const MAX_LENGTH = { alertDisplayNameFormat: 256, alertDescriptionFormat: 5000 } as const;

/** SC2182: alertDisplayNameFormat has at most 256 characters and alertDescriptionFormat at most 5,000. */
export const overrideLength = (): Check => ({
  code: "SC2182",
  kinds: ["analytic-rule"],
  run(file) {
    const override = asRecord(asRecord(file.data).alertDetailsOverride);
    return (Object.keys(MAX_LENGTH) as (keyof typeof MAX_LENGTH)[]).flatMap((field) => {
      const text = override[field];
      if (typeof text !== "string" || text.length <= MAX_LENGTH[field]) return [];
      return [findingAt("SC2182", file, ["alertDetailsOverride", field], `${field} has ${text.length} characters; Sentinel accepts at most ${MAX_LENGTH[field]}`)];
    });
  },
});
