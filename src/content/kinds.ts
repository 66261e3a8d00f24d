import { activeLayout, ruleKindOf, type ContentLayout } from "./layout.ts";

/** Every kind of content file the toolkit understands (see docs/design/content-model.md). */
export type ContentKind =
  | "analytic-rule"
  | "hunting-query"
  | "parser"
  | "workbook"
  | "watchlist"
  | "ingestion-mapping"
  | "tests"
  | "environments";

/** Every content kind, in a stable order. */
export const CONTENT_KINDS: readonly ContentKind[] = [
  "analytic-rule",
  "hunting-query",
  "parser",
  "workbook",
  "watchlist",
  "ingestion-mapping",
  "tests",
  "environments",
];

/** The top-level content folders and the kind of the YAML files inside them. */
export const CONTENT_FOLDERS = {
  "analytics-rules": "analytic-rule",
  "hunting-queries": "hunting-query",
  parsers: "parser",
  workbooks: "workbook",
  watchlists: "watchlist",
  ingestion: "ingestion-mapping",
} as const satisfies Record<string, ContentKind>;

/** The repo-root file holding deployment environments. */
export const ENVIRONMENTS_FILE = "environments.yaml";

const YAML_EXTENSION = /\.ya?ml$/i;
const TESTS_SUFFIX = /\.tests\.ya?ml$/i;
const SNAPSHOT_SUFFIX = /\.snap\.ya?ml$/i;

/** True for a YAML file name (`.yaml` or `.yml`). */
export function isYamlPath(path: string): boolean {
  return YAML_EXTENSION.test(path);
}

/** True for a test snapshot (`<name>.snap.yaml`), which is test output, not content. */
export function isSnapshotPath(path: string): boolean {
  return SNAPSHOT_SUFFIX.test(path);
}

/** True for a content kind name. */
export function isContentKind(value: string): value is ContentKind {
  return (CONTENT_KINDS as readonly string[]).includes(value);
}

/**
 * The kind of a repo-relative POSIX path under a layout (default: the active one), or undefined when it is not
 * content. Snapshots and files under a `fixtures/` folder are never content; `<name>.tests.yaml` where content
 * lives is a tests file.
 */
export function kindOfPath(repoRelativePath: string, layout: ContentLayout = activeLayout()): ContentKind | undefined {
  const segments = repoRelativePath.split("/").filter((s) => s !== "" && s !== ".");
  const name = segments.at(-1);
  if (name === undefined || !isYamlPath(name) || isSnapshotPath(name)) return undefined;
  if (segments.slice(0, -1).includes("fixtures")) return undefined;
  const kind = ruleKindOf(layout, segments.join("/"));
  if (kind === undefined || kind === "environments") return kind;
  return TESTS_SUFFIX.test(name) ? "tests" : kind;
}

/** True for templates (`_template.yaml`): loaded and schema-checked, never built or deployed. */
export function isTemplatePath(repoRelativePath: string): boolean {
  return (repoRelativePath.split("/").at(-1) ?? "").startsWith("_");
}
