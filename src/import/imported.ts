import type { ContentKind } from "../content/kinds.ts";

/** One imported content item: its kind, the YAML data, and where it came from (for messages). */
export interface ImportedItem {
  kind: Extract<ContentKind, "analytic-rule" | "hunting-query" | "parser" | "watchlist">;
  data: Record<string, unknown>;
  /** `<file>#<resource path>` or a workspace resource id. */
  origin: string;
}
