import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { LIMITS } from "./entity-identifiers.ts";
import { asRecord } from "./fields.ts";

const FORMAT_FIELDS = ["alertDisplayNameFormat", "alertDescriptionFormat"] as const;
const PLACEHOLDER = /\{\{[^{}]*\}\}/g;

/** SC2135: at most 3 {{Column}} placeholders per alertDetailsOverride format. */
export const placeholderCount = (): Check => ({
  code: "SC2135",
  kinds: ["analytic-rule"],
  run(file) {
    const override = asRecord(asRecord(file.data).alertDetailsOverride);
    return FORMAT_FIELDS.flatMap((field) => {
      const text = override[field];
      const count = typeof text === "string" ? (text.match(PLACEHOLDER) ?? []).length : 0;
      if (count <= LIMITS.placeholdersPerField) return [];
      const message = `${field} has ${count} placeholders; Sentinel substitutes at most ${LIMITS.placeholdersPerField}`;
      return [findingAt("SC2135", file, ["alertDetailsOverride", field], message)];
    });
  },
});
