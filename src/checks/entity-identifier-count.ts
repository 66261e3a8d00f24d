import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { LIMITS } from "./entity-identifiers.ts";
import { entityMappingEntries } from "./entity-mappings.ts";

/** SC2133: at most 3 identifiers per entity mapping. */
export const entityIdentifierCount = (): Check => ({
  code: "SC2133",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return entityMappingEntries(file.data)
      .filter((m) => m.fields.length > LIMITS.identifiersPerEntity)
      .map((m) => {
        const message = `${m.entityType} maps ${m.fields.length} identifiers; Sentinel accepts at most ${LIMITS.identifiersPerEntity}`;
        return findingAt("SC2133", file, [...m.path, "fieldMappings", LIMITS.identifiersPerEntity], message);
      });
  },
});
