import { API_VERSIONS } from "../build/api-versions.ts";
import type { WorkspaceTarget } from "../build/workspace.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import type { ArmClient, ArmResource } from "../deploy/arm-client.ts";
import { readLive } from "../deploy/live.ts";
import { huntingYaml, isParser, parserYaml, ruleYaml, watchlistYaml } from "./from-rest.ts";
import type { ImportedItem } from "./imported.ts";

/** Watchlist items are read per watchlist; at most this many pages' worth is accepted per watchlist (a bound on work). */
const MAX_WATCHLIST_ITEMS = 100_000;

/**
 * Every analytic rule, hunting query, parser and watchlist of a workspace — not only this repository's — read with
 * the same ARM client and collection listing as plan and drift, as YAML. Watchlist rows come from the
 * `watchlists/{alias}/watchlistItems` collection (the API does not return rawContent).
 */
export async function importWorkspace(client: ArmClient, target: WorkspaceTarget, where: string): Promise<{ items: ImportedItem[]; diagnostics: Diagnostic[] }> {
  const items: ImportedItem[] = [];
  const diagnostics: Diagnostic[] = [];
  let live;
  try {
    live = await readLive(client, target);
  } catch (error) {
    return { items, diagnostics: [makeDiagnostic("SC7026", { file: where }, `cannot list the workspace ${target.workspaceName}`, { cause: error })] };
  }
  for (const [id, { kind, resource }] of [...live.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const name = String(resource["name"] ?? id.split("/").at(-1));
    if (kind === "alert-rule") {
      const ruleKind = String(resource["kind"] ?? "");
      if (ruleKind !== "Scheduled" && ruleKind !== "NRT") diagnostics.push(makeDiagnostic("SC7022", { file: where }, `${name}: ${ruleKind} rules are not imported (only Scheduled and NRT)`));
      else items.push({ kind: "analytic-rule", data: ruleYaml(resource, name), origin: id });
    } else if (kind === "hunting-query") items.push({ kind: "hunting-query", data: huntingYaml(resource, name), origin: id });
    else if (kind === "parser" && isParser(resource)) items.push({ kind: "parser", data: parserYaml(resource, name), origin: id });
    else if (kind === "watchlist") items.push({ kind: "watchlist", data: await watchlistWithItems(client, String(resource["id"] ?? id), resource, name), origin: id });
  }
  return { items, diagnostics };
}


async function watchlistWithItems(client: ArmClient, watchlistId: string, resource: ArmResource, name: string): Promise<Record<string, unknown>> {
  const data = watchlistYaml(resource, name);
  const rows = await client.list(`${watchlistId}/watchlistItems`, API_VERSIONS["Microsoft.SecurityInsights/watchlists"]);
  const items = rows.slice(0, MAX_WATCHLIST_ITEMS).map((row) => (row["properties"] as Record<string, unknown> | undefined)?.["itemsKeyValue"]).filter((v): v is Record<string, unknown> => v !== null && typeof v === "object");
  if (items.length === 0) return data;
  const columns = [...new Set(items.flatMap((i) => Object.keys(i)))];
  return { ...data, columns, items: items.map((i) => Object.fromEntries(columns.map((c) => [c, i[c] ?? ""]))) };
}
