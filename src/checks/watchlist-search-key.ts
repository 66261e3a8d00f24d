import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord } from "./fields.ts";
import { watchlistColumns } from "./watchlist-columns.ts";

/** SC2150: a watchlist's itemsSearchKey is one of its columns. */
export const watchlistSearchKey = (): Check => ({
  code: "SC2150",
  kinds: ["watchlist"],
  run(file) {
    const key = asRecord(file.data).itemsSearchKey;
    const columns = watchlistColumns(file.data);
    if (typeof key !== "string" || columns.length === 0 || columns.includes(key)) return [];
    return [findingAt("SC2150", file, ["itemsSearchKey"], `itemsSearchKey '${key}' is not a column (columns: ${columns.join(", ")})`)];
  },
});
