import { asList, asRecord, stringItems } from "./fields.ts";

/** The columns of a watchlist: `columns`, or the keys of its first item. */
export function watchlistColumns(data: unknown): string[] {
  const record = asRecord(data);
  const declared = stringItems(record.columns).map(({ value }) => value);
  if (declared.length > 0) return declared;
  return Object.keys(asRecord(asList(record.items)[0]));
}
