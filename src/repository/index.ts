export { buildRepository, checkedEntry, entriesOfKind, loadRepository, valuesOfKind } from "./repository.ts";
export type { ContentEntry, Repository, RepositoryOptions, TestsPairing } from "./repository.ts";
