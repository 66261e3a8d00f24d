import { contentHash } from "./guid.ts";
import { MARKER_NAME, markerValue } from "./marker.ts";
import { builtResource, type BuildContext, type BuildOutput, type Locator } from "./types.ts";

/** Label prefix carrying the hash of rawContent (the API never returns rawContent, so the plan compares this). */
export const CONTENT_LABEL = "content-sha256=";

/** A watchlist with its default items as CSV (`rawContent`), named by its alias as Sentinel does. */
export function buildWatchlist(data: Record<string, unknown>, file: string, _at: Locator, context: BuildContext): BuildOutput {
  const alias = String(data["watchlistAlias"] ?? "");
  const items = Array.isArray(data["items"]) ? (data["items"] as Record<string, unknown>[]) : [];
  const columns = Array.isArray(data["columns"]) ? (data["columns"] as string[]) : Object.keys(items[0] ?? { [String(data["itemsSearchKey"])]: "" });
  const rawContent = toCsv(columns, items);
  const properties: Record<string, unknown> = {
    displayName: String(data["displayName"] ?? alias),
    provider: String(data["provider"] ?? "Custom"),
    source: "Local file",
    itemsSearchKey: data["itemsSearchKey"],
    watchlistAlias: alias,
    description: typeof data["description"] === "string" ? data["description"].trim() : "",
    contentType: "text/csv",
    numberOfLinesToSkip: 0,
    rawContent,
    labels: [`${MARKER_NAME}=${markerValue(context.repository, alias)}`, `${CONTENT_LABEL}${contentHash(rawContent)}`],
  };
  return {
    resources: [builtResource("watchlist", alias, context.target, { title: alias, body: { properties }, source: { file, contentId: String(data["id"] ?? alias) } })],
    diagnostics: [],
  };
}

/** RFC 4180 CSV: header row, then one row per item; fields with commas, quotes or line breaks are quoted. */
export function toCsv(columns: readonly string[], items: readonly Record<string, unknown>[]): string {
  const rows = [columns.map(csvField).join(",")];
  for (const item of items) rows.push(columns.map((c) => csvField(item[c] === undefined || item[c] === null ? "" : String(item[c]))).join(","));
  return `${rows.join("\r\n")}\r\n`;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
