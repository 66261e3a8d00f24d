/**
 * The library surface of the `sentinel-content` toolkit: validate, test, query and build content from code.
 * The CLI (`sentinel-content`) is a thin layer over these functions.
 */
export { validateContent } from "./validate/validate.ts";
export type { ValidateOptions, ValidateResult, ValidateStage } from "./validate/validate.ts";
export { runContentTests } from "./testing/run/run-tests.ts";
export type { TestRunOptions } from "./testing/run/run-tests.ts";
export type { TestReport } from "./testing/reporters/report.ts";
export { createOfflineEngine } from "./testing/run/offline-engine.ts";
export type { QueryEngine } from "./testing/run/engine-port.ts";
export { runQuery } from "./engine/index.ts";
export type { QueryInput, QueryOptions, QueryOutcome, Table, InputTable, Column, Row, Value, KqlType } from "./engine/index.ts";
export { buildContent, deployableItems } from "./build/build-content.ts";
export type { ContentItem } from "./build/build-content.ts";
export type { BuildContext, BuildOutput, BuiltResource } from "./build/types.ts";
export { loadContentTree } from "./load/index.ts";
/** Loads a repository's content once (load + schema) for validateContent, runContentTests, the build and the docs to share. */
export { loadRepository, buildRepository, entriesOfKind, valuesOfKind } from "./repository/index.ts";
/** The Repository, its schema-checked entries and the tests-to-target pairings. */
export type { Repository, ContentEntry, TestsPairing, RepositoryOptions } from "./repository/index.ts";
/** The typed value of each content kind, generated from schemas/ (npm run content:types). */
export type { KindValues, KindValue } from "./content/typed-kinds.ts";
/** One type per content kind, generated from its JSON Schema. */
export type { AnalyticRule, HuntingQuery, Parser, Workbook, Watchlist, IngestionMapping, TestsFile, Environments } from "./content/generated/index.ts";
export type { LoadedFile, LoadTreeResult } from "./load/index.ts";
export type { Diagnostic, Severity } from "./diagnostics/index.ts";
export type { ContentKind } from "./content/kinds.ts";
