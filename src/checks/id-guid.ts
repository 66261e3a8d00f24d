import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Content kinds identified by a top-level `id` GUID. */
export const KINDS_WITH_ID = ["analytic-rule", "hunting-query", "parser", "workbook", "watchlist", "ingestion-mapping"] as const;

/** SC2101: `id` is a GUID. */
export const idGuid = (): Check => ({
  code: "SC2101",
  kinds: KINDS_WITH_ID,
  run(file) {
    const id = asRecord(file.data).id;
    if (id === undefined || (typeof id === "string" && GUID.test(id))) return [];
    return [findingAt("SC2101", file, ["id"], `id ${JSON.stringify(id)} is not a GUID`)];
  },
});
