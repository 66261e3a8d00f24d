import type { AnalyticRule, Environments, HuntingQuery, IngestionMapping, Parser, TestsFile, Watchlist, Workbook } from "./generated/index.ts";
import type { ContentKind } from "./kinds.ts";

/** The typed value of each content kind: the type generated from `schemas/<kind>.schema.json` (npm run content:types). */
export interface KindValues {
  "analytic-rule": AnalyticRule;
  "hunting-query": HuntingQuery;
  parser: Parser;
  workbook: Workbook;
  watchlist: Watchlist;
  "ingestion-mapping": IngestionMapping;
  tests: TestsFile;
  environments: Environments;
}

/** The typed value of a file of kind K (a union of the kinds' types when K is). */
export type KindValue<K extends ContentKind> = KindValues[K];
