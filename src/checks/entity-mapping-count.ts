import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { LIMITS } from "./entity-identifiers.ts";
import { entityMappingEntries } from "./entity-mappings.ts";

/** SC2132: at most 10 entity mappings. */
export const entityMappingCount = (): Check => ({
  code: "SC2132",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    const mappings = entityMappingEntries(file.data);
    if (mappings.length <= LIMITS.entityMappings) return [];
    const first = mappings[LIMITS.entityMappings];
    const message = `${mappings.length} entity mappings; Sentinel accepts at most ${LIMITS.entityMappings}`;
    return [findingAt("SC2132", file, first?.path ?? ["entityMappings"], message)];
  },
});
