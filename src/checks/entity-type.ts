import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { ENTITY_IDENTIFIERS } from "./entity-identifiers.ts";
import { entityMappingEntries } from "./entity-mappings.ts";
import { closest } from "../schema/ajv-errors.ts";

/** SC2130: entity types are Sentinel entity types (exact spelling). */
export const entityType = (): Check => ({
  code: "SC2130",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    const types = Object.keys(ENTITY_IDENTIFIERS);
    return entityMappingEntries(file.data)
      .filter((m) => !(m.entityType in ENTITY_IDENTIFIERS))
      .map((m) => {
        const suggestion = closest(m.entityType.replace(/\s+/g, ""), types);
        const tail = suggestion ? ` (did you mean '${suggestion}'?)` : "";
        return findingAt("SC2130", file, [...m.path, "entityType"], `'${m.entityType}' is not a Sentinel entity type${tail}`);
      });
  },
});
