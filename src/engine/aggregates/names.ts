import { AGGREGATES } from "./catalog.ts";

/** Names of all aggregates (they are refused outside summarize). */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set(AGGREGATES.map((a) => a.name));
