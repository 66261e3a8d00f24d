import type { Check } from "./check.ts";
import { findingAt } from "./at.ts";
import { asRecord, asString } from "./fields.ts";

/** Longest rule query Sentinel accepts, in characters. */
export const MAX_RULE_QUERY_LENGTH = 10_000;

/** SC2181: a rule's query has at most 10,000 characters. */
export const queryLength = (): Check => ({
  code: "SC2181",
  kinds: ["analytic-rule"],
  run(file) {
    const query = asString(asRecord(file.data).query);
    if (query === undefined || query.length <= MAX_RULE_QUERY_LENGTH) return [];
    const message = `the query has ${query.length.toLocaleString("en-US")} characters; Sentinel accepts at most ${MAX_RULE_QUERY_LENGTH.toLocaleString("en-US")}`;
    return [findingAt("SC2181", file, ["query"], message)];
  },
});
