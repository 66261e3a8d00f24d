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
export type { LoadedFile, LoadTreeResult } from "./load/index.ts";
export type { Diagnostic, Severity } from "./diagnostics/index.ts";
export type { ContentKind } from "./content/kinds.ts";
