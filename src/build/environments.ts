import { readFileSync } from "node:fs";
import path from "node:path";
import type { ContentItem } from "./build-content.ts";
import type { WorkspaceTarget } from "./workspace.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { loadFile, locate, locateKey, type LoadedFile } from "../load/index.ts";
import { schemaPathOf } from "../schema/index.ts";
import { ENVIRONMENTS_FILE, type ContentKind } from "../content/kinds.ts";
import type { Environment } from "../content/generated/environments.ts";
import { checkedEntry, type ContentEntry } from "../repository/index.ts";

/** One environment resolved against the content: the workspace, the repository marker and the overlaid items. */
export interface ResolvedEnvironment {
  name: string;
  target: WorkspaceTarget;
  repository: string;
  items: ContentItem[];
  /** Overlaid paths per content file (repo-relative path → YAML paths), so drift never absorbs them into content. */
  overlaid: Map<string, Set<string>>;
}

/** Loads and schema-validates an environments file outside the repository's tree; findings carry file:line:col. */
export function loadEnvironments(absolutePath: string, root: string): { file?: ContentEntry<"environments">; diagnostics: Diagnostic[] } {
  const loaded = loadFile(absolutePath, root, { kind: "environments" });
  if (!loaded.file) return { diagnostics: loaded.diagnostics };
  const file = checkedEntry({ ...loaded.file, kind: "environments" as const });
  return { file, diagnostics: [...loaded.diagnostics, ...file.diagnostics] };
}

/** Resolves environment `name`: its target, then watchlist renames and per-item overrides applied to copies of the items. */
export function resolveEnvironment(file: ContentEntry<"environments">, name: string, items: readonly ContentItem[]): { environment?: ResolvedEnvironment; diagnostics: Diagnostic[] } {
  // a file its schema refuses has no value: its findings are the answer
  const data = file.value;
  if (!data) return { diagnostics: file.diagnostics };
  const env = data.environments[name];
  if (!env) {
    const known = Object.keys(data.environments).join(", ");
    return { diagnostics: [makeDiagnostic("SC7001", locate(file, ["environments"]), `no environment "${name}" (known: ${known})`)] };
  }
  const diagnostics: Diagnostic[] = [];
  const copies = items.map((item) => ({ file: item.file, data: structuredClone(item.data) }));
  const overlaid = new Map<string, Set<string>>();
  renameWatchlists(file, name, env, copies, diagnostics);
  applyOverrides(file, name, env, copies, overlaid, diagnostics);
  const target: WorkspaceTarget = { subscriptionId: env.subscriptionId, resourceGroup: env.resourceGroup, workspaceName: env.workspaceName, location: env.location };
  if (env.workspaceId !== undefined) target.workspaceId = env.workspaceId;
  return { environment: { name, target, repository: data.repository, items: copies, overlaid }, diagnostics };
}

function renameWatchlists(file: LoadedFile, name: string, env: Environment, items: ContentItem[], diagnostics: Diagnostic[]): void {
  for (const [from, to] of Object.entries(env.watchlistAliases ?? {})) {
    if (to === undefined) continue;
    const watchlist = items.find((i) => i.file.kind === "watchlist" && i.data["watchlistAlias"] === from);
    if (!watchlist) {
      diagnostics.push(makeDiagnostic("SC7001", locateKey(file, ["environments", name, "watchlistAliases", from]), `no watchlist with alias "${from}" in the repository`));
      continue;
    }
    watchlist.data["watchlistAlias"] = to;
    const pattern = new RegExp(`_GetWatchlist\\(\\s*(['"])${from}\\1\\s*\\)`, "g");
    for (const item of items) {
      const text = JSON.stringify(item.data);
      if (!text.match(pattern)) continue;
      item.data = JSON.parse(text.replace(pattern, `_GetWatchlist($1${to}$1)`)) as Record<string, unknown>;
    }
  }
}

function applyOverrides(file: LoadedFile, name: string, env: Environment, items: ContentItem[], overlaid: Map<string, Set<string>>, diagnostics: Diagnostic[]): void {
  (env.overrides ?? []).forEach((override, index) => {
    const at = ["environments", name, "overrides", index];
    const item = items.find((i) => i.data["id"] === override.target || i.file.path === override.target || (i.file.kind === "watchlist" && i.data["watchlistAlias"] === override.target));
    if (!item) {
      diagnostics.push(makeDiagnostic("SC7001", locate(file, [...at, "target"]), `override target "${override.target}" is not a content id, path or watchlist alias in the repository`));
      return;
    }
    const allowed = topLevelFields(item.file.kind);
    for (const [key, value] of Object.entries(override.set)) {
      const segments = key.split(".");
      const parent = segments.slice(0, -1).reduce<unknown>((node, s) => (node && typeof node === "object" ? (node as Record<string, unknown>)[s] : undefined), item.data);
      const ok = allowed.has(segments[0] as string) && (segments.length === 1 || (parent !== null && typeof parent === "object" && !Array.isArray(parent)));
      if (!ok) {
        diagnostics.push(makeDiagnostic("SC7002", locateKey(file, [...at, "set", key]), `"${key}" is not a field of ${item.file.path}${segments.length > 1 ? " (its parent does not exist there)" : ""}`));
        continue;
      }
      (parent && segments.length > 1 ? (parent as Record<string, unknown>) : item.data)[segments.at(-1) as string] = structuredClone(value);
      overlaid.set(item.file.path, (overlaid.get(item.file.path) ?? new Set()).add(key));
    }
  });
}

const FIELD_CACHE = new Map<ContentKind, Set<string>>();

/** Top-level keys the kind's schema allows (plus `enabled` for analytic rules, which the YAML format lacks). */
function topLevelFields(kind: ContentKind): Set<string> {
  const cached = FIELD_CACHE.get(kind);
  if (cached) return cached;
  const schema = JSON.parse(readFileSync(schemaPathOf(kind), "utf8")) as { properties?: Record<string, unknown> };
  const fields = new Set(Object.keys(schema.properties ?? {}).filter((k) => k !== "id" && !k.startsWith("x-")));
  if (kind === "analytic-rule") fields.add("enabled");
  FIELD_CACHE.set(kind, fields);
  return fields;
}

/** The default environments file of a repository. */
export function defaultEnvironmentsPath(root: string): string {
  return path.join(root, ENVIRONMENTS_FILE);
}
