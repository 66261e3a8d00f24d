import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { attackData, isIcsTechnique, TECHNIQUE_ID, techniqueTactics } from "./mitre-data.ts";
import { techniqueEntries } from "./techniques.ts";

/** SC2123: techniques exist in the bundled ATT&CK Enterprise release (flags deprecated and revoked ids; ICS ids are not checked). */
export const techniqueCurrent = (): Check => ({
  code: "SC2123",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    const version = attackData().attackVersion;
    return techniqueEntries(file.data)
      .filter(({ value }) => TECHNIQUE_ID.test(value) && !isIcsTechnique(value) && techniqueTactics(value) === undefined)
      .map(({ value, path }) =>
        findingAt("SC2123", file, path, `${value} is not a technique of ATT&CK Enterprise v${version}: it is deprecated, revoked or unknown`),
      );
  },
});
