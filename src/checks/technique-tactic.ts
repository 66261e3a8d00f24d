import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, stringItems } from "./fields.ts";
import { attackData, techniqueTactics } from "./mitre-data.ts";
import { techniqueEntries } from "./techniques.ts";

/** SC2124: every technique belongs (in ATT&CK) to at least one of the listed tactics. */
export const techniqueTactic = (): Check => ({
  code: "SC2124",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    const listed = new Set(stringItems(asRecord(file.data).tactics).map(({ value }) => value.toLowerCase()));
    return techniqueEntries(file.data).flatMap(({ value, path }) => {
      const tactics = techniqueTactics(value);
      if (!tactics || tactics.some((t) => listed.has(t.toLowerCase()))) return [];
      const name = attackData().techniques[value]?.name ?? value;
      const message = `${value} (${name}) belongs to ${tactics.join(", ")}, none of which is listed in tactics`;
      return [findingAt("SC2124", file, path, message)];
    });
  },
});
