import type { CodeInfo } from "./code-info.ts";

/** SC2180–SC2199: what Azure's alertRules API rejects, caught before deploying (docs/validate.md cites each limit). */
export const AZURE_LIMIT_CODES = {
  SC2180: { severity: "error", title: "Long lookback run too often", hint: "A rule that looks back 2 days or more may run at most once an hour: set queryFrequency to 1h or more." },
  SC2181: { severity: "error", title: "Query too long", hint: "Sentinel accepts rule queries of 1 to 10,000 characters; move shared logic into a parser (saved function)." },
  SC2182: { severity: "error", title: "Alert details override too long", hint: "Sentinel accepts an alertDisplayNameFormat of up to 256 characters and an alertDescriptionFormat of up to 5,000." },
  SC2183: { severity: "error", title: "Selected grouping with nothing to group by", hint: "With matchingMethod: Selected, list at least one of groupByEntities, groupByAlertDetails or groupByCustomDetails." },
  SC2184: { severity: "error", title: "Value not in the pinned api-version", hint: "The api-version this toolkit deploys with does not know this value; use one it lists (docs/validate.md)." },
  SC2185: { severity: "error", title: "Query uses search * or union *", hint: "Sentinel rejects rule queries containing `search *` or `union *`; name the tables." },
  SC2186: { severity: "warning", title: "Malformed placeholder", hint: "Write placeholders as {{ColumnName}}: Sentinel substitutes only a column name between double braces and shows anything else literally." },
  SC2187: { severity: "error", title: "Table plan not in the pinned api-version", hint: "Tables deploy with api-version 2022-10-01, whose plans are Analytics and Basic; Auxiliary needs a later version." },
} as const satisfies Record<`SC2${string}`, CodeInfo>;
