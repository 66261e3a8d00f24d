import { TIER_OF } from "./api-versions.ts";
import { buildAlertRule } from "./alert-rule.ts";
import { buildIngestion } from "./ingestion.ts";
import { buildHuntingQuery, buildParser } from "./saved-search.ts";
import { buildWatchlist } from "./watchlist.ts";
import { buildWorkbook } from "./workbook.ts";
import type { BuildContext, BuildOutput, BuiltResource, Locator } from "./types.ts";
import { isTemplatePath, type ContentKind } from "../content/kinds.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { locate, type LoadedFile } from "../load/index.ts";

/** One content item to build: its kind, (possibly overlaid) data and where it came from. */
export interface ContentItem {
  file: LoadedFile;
  data: Record<string, unknown>;
}

/** The loaded files that are deployable content (templates, tests and environments are not). */
export function deployableItems(files: readonly LoadedFile[]): ContentItem[] {
  return files
    .filter((f) => f.kind !== "tests" && f.kind !== "environments" && !isTemplatePath(f.path))
    .filter((f) => f.data !== null && typeof f.data === "object" && !Array.isArray(f.data))
    .map((file) => ({ file, data: file.data as Record<string, unknown> }));
}

/** Builds every item into REST bodies, in apply order (tier, then key); duplicates are errors. */
export function buildContent(items: readonly ContentItem[], context: BuildContext): BuildOutput {
  const resources: BuiltResource[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  for (const item of items) {
    const output = buildItem(item, context);
    diagnostics.push(...output.diagnostics);
    for (const resource of output.resources) {
      const first = seen.get(resource.key);
      if (first !== undefined) {
        diagnostics.push(makeDiagnostic("SC6005", locate(item.file, []), `${resource.kind} "${resource.name}" is also built from ${first}`));
        continue;
      }
      seen.set(resource.key, item.file.path);
      resources.push(resource);
    }
  }
  resources.sort((a, b) => TIER_OF[a.kind] - TIER_OF[b.kind] || a.key.localeCompare(b.key));
  return { resources, diagnostics };
}

/** A content kind's builder: its data, file, locator and context in; resources and findings out. */
type Builder = (data: Record<string, unknown>, file: string, at: Locator, context: BuildContext) => BuildOutput;

const NOTHING: Builder = () => ({ resources: [], diagnostics: [] });

const BUILDERS: Record<ContentKind, Builder> = {
  "analytic-rule": buildAlertRule,
  "hunting-query": buildHuntingQuery,
  parser: buildParser,
  workbook: buildWorkbook,
  watchlist: buildWatchlist,
  "ingestion-mapping": buildIngestion,
  tests: NOTHING,
  environments: NOTHING,
};

function buildItem(item: ContentItem, context: BuildContext): BuildOutput {
  return BUILDERS[item.file.kind](item.data, item.file.path, (path) => locate(item.file, path), context);
}
