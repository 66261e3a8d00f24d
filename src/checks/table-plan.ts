import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asList, asRecord } from "./fields.ts";

/**
 * TablePlanEnum of Microsoft.OperationalInsights/workspaces/tables at the pinned 2022-10-01 (Azure/azure-rest-api-specs
 * `specification/operationalinsights/resource-manager/Microsoft.OperationalInsights/stable/2022-10-01/Tables.json`,
 * commit 0e85c22bd4caf83914bfcfebf9198b8d90a0a61c): no Auxiliary.
 */
const PLANS_AT_PINNED_VERSION = ["Basic", "Analytics"];

/** The tables api-version src/build/api-versions.ts pins (a test there keeps the two equal). */
export const TABLES_API_VERSION = "2022-10-01";

/** SC2187: a declared table's plan is one the pinned tables api-version accepts. */
export const tablePlan = (): Check => ({
  code: "SC2187",
  kinds: ["ingestion-mapping"],
  run(file) {
    return asList(asRecord(file.data).tables).flatMap((table, index) => {
      const plan = asRecord(table).plan;
      if (typeof plan !== "string" || PLANS_AT_PINNED_VERSION.includes(plan)) return [];
      return [findingAt("SC2187", file, ["tables", index, "plan"], `plan ${plan} is not accepted by the tables api-version ${TABLES_API_VERSION} (its plans: ${PLANS_AT_PINNED_VERSION.join(", ")})`)];
    });
  },
});
