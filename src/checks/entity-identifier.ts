import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { ENTITY_IDENTIFIERS } from "./entity-identifiers.ts";
import { entityMappingEntries } from "./entity-mappings.ts";

/** SC2131: every identifier is one of its entity type's identifiers. */
export const entityIdentifier = (): Check => ({
  code: "SC2131",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return entityMappingEntries(file.data).flatMap((m) => {
      const known = ENTITY_IDENTIFIERS[m.entityType]?.identifiers;
      if (!known) return [];
      return m.fields
        .filter((f) => !known.includes(f.identifier))
        .map((f) => findingAt("SC2131", file, f.path, `'${f.identifier}' is not an identifier of ${m.entityType} (use one of: ${known.join(", ")})`));
    });
  },
});
