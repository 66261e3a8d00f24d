import type { TokenCredential } from "@azure/core-auth";
import { LogsQueryClient, type LogsQueryClientOptions } from "@azure/monitor-query-logs";
import type { InDoubtVerifier } from "./collector.ts";

/** Runs one KQL query against the workspace and returns the first column of the first table. */
export type WorkspaceQuery = (kql: string) => Promise<string[]>;

/** The KQL that lists which of `ids` exist in the given tables (ids are quoted as KQL string literals). */
export function existingIdsQuery(tables: readonly string[], idColumn: string, ids: readonly string[]): string {
  const literals = ids.map((id) => JSON.stringify(id)).join(", ");
  return `union isfuzzy=true ${tables.join(", ")} | where ${idColumn} in (dynamic([${literals}])) | distinct ${idColumn}`;
}

/** Queries a Log Analytics workspace through the SDK (needs read access to the tables). */
export function createWorkspaceQuery(input: {
  workspaceId: string;
  credential: TokenCredential;
  options?: LogsQueryClientOptions;
}): WorkspaceQuery {
  const client = new LogsQueryClient(input.credential, input.options);
  return async (kql) => {
    const result = await client.queryWorkspace(input.workspaceId, kql, { duration: "P32D" });
    if (result.status !== "Success") throw new Error(`workspace query did not succeed (${result.status})`);
    return (result.tables[0]?.rows ?? []).map((row) => String(row[0]));
  };
}

/**
 * A verifier that asks the workspace which ids of an in-doubt batch arrived, polling while some are missing
 * (accepted rows take minutes to become queryable) until `waitMs` has passed.
 */
export function createWorkspaceVerifier(input: {
  query: WorkspaceQuery;
  tables: readonly string[];
  idColumn: string;
  waitMs: number;
  pollMs: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}): InDoubtVerifier {
  const sleep = input.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = input.now ?? Date.now;
  return {
    async existingIds(eventIds) {
      const found = new Set<string>();
      const deadline = now() + input.waitMs;
      for (;;) {
        const missing = eventIds.filter((id) => !found.has(id));
        if (missing.length === 0) return found;
        for (let i = 0; i < missing.length; i += 500) {
          const chunk = missing.slice(i, i + 500);
          for (const id of await input.query(existingIdsQuery(input.tables, input.idColumn, chunk))) found.add(id);
        }
        if (found.size === eventIds.length || now() >= deadline) return found;
        await sleep(input.pollMs);
      }
    },
  };
}
