import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { TECHNIQUE_ID } from "./mitre-data.ts";
import { techniqueEntries } from "./techniques.ts";

/** SC2122: technique ids look like T1234 or T1234.001. */
export const techniqueFormat = (): Check => ({
  code: "SC2122",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return techniqueEntries(file.data)
      .filter(({ value }) => !TECHNIQUE_ID.test(value))
      .map(({ value, path }) => findingAt("SC2122", file, path, `'${value}' is not an ATT&CK technique id (T1234 or T1234.001)`));
  },
});
