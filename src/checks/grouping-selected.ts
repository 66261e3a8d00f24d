import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asList, asRecord } from "./fields.ts";

const GROUP_BY = ["groupByEntities", "groupByAlertDetails", "groupByCustomDetails"] as const;

/** SC2183: matchingMethod Selected names something to group by (the API requires one non-empty groupBy list). */
export const groupingSelected = (): Check => ({
  code: "SC2183",
  kinds: ["analytic-rule"],
  run(file) {
    const grouping = asRecord(asRecord(asRecord(file.data).incidentConfiguration).groupingConfiguration);
    if (grouping.matchingMethod !== "Selected" || GROUP_BY.some((key) => asList(grouping[key]).length > 0)) return [];
    const path = ["incidentConfiguration", "groupingConfiguration", "matchingMethod"];
    return [findingAt("SC2183", file, path, "matchingMethod is Selected but groupByEntities, groupByAlertDetails and groupByCustomDetails are all empty")];
  },
});
