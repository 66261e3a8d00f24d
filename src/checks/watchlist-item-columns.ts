import type { Check } from "./check.ts";
import { findingAtKey } from "./at.ts";
import { asList, asRecord, stringItems } from "./fields.ts";

/** SC2151: watchlist items use only the declared columns. */
export const watchlistItemColumns = (): Check => ({
  code: "SC2151",
  kinds: ["watchlist"],
  run(file) {
    const record = asRecord(file.data);
    const columns = stringItems(record.columns).map(({ value }) => value);
    if (columns.length === 0) return [];
    return asList(record.items).flatMap((item, index) =>
      Object.keys(asRecord(item))
        .filter((key) => !columns.includes(key))
        .map((key) => findingAtKey("SC2151", file, ["items", index, key], `item column '${key}' is not declared in columns (${columns.join(", ")})`)),
    );
  },
});
