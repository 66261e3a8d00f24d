import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { ENTITY_IDENTIFIERS } from "./entity-identifiers.ts";
import { entityMappingEntries } from "./entity-mappings.ts";

/** SC2136: each entity mapping maps at least one complete strong-identifier set of its type. */
export const entityStrongIdentifier = (): Check => ({
  code: "SC2136",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return entityMappingEntries(file.data).flatMap((m) => {
      const strong = ENTITY_IDENTIFIERS[m.entityType]?.strong;
      if (!strong) return [];
      const mapped = new Set(m.fields.map((f) => f.identifier));
      if (strong.some((set) => set.every((id) => mapped.has(id)))) return [];
      const sets = strong.map((set) => set.join(" + ")).join(", ");
      return [findingAt("SC2136", file, [...m.path, "entityType"], `${m.entityType} mapping has no strong identifier; map one of: ${sets}`)];
    });
  },
});
