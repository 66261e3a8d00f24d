import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { entityMappingEntries } from "./entity-mappings.ts";

/** SC2137: an identifier is mapped at most once per entity mapping. */
export const entityIdentifierDuplicate = (): Check => ({
  code: "SC2137",
  kinds: ["analytic-rule", "hunting-query"],
  run(file) {
    return entityMappingEntries(file.data).flatMap((m) =>
      m.fields
        .filter((f, i) => m.fields.findIndex((g) => g.identifier === f.identifier) !== i)
        .map((f) => findingAt("SC2137", file, f.path, `${m.entityType} maps '${f.identifier}' more than once`)),
    );
  },
});
