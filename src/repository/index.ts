export { buildRepository, checkedEntry, entriesOfKind, loadRepository, refusalLine, schemaRefusals, valuesOfKind } from "./repository.ts";
export type { ContentEntry, Repository, RepositoryOptions, TestsPairing } from "./repository.ts";
