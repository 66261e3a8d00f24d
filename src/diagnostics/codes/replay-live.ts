import type { CodeInfo } from "./code-info.ts";

/** SC5070–SC5079: `replay --live`, the rules' scheduled runs executed on a Log Analytics workspace or an Azure Data Explorer cluster. */
export const REPLAY_LIVE_CODES = {
  SC5070: {
    severity: "error",
    title: "Too many live replay queries",
    hint: "Every scheduled run of every selected rule is one query on the service, billed and rate-limited. Narrow --from/--to or --rules, or raise the bound with --max-queries.",
  },
  SC5071: {
    severity: "warning",
    title: "A rule's live replay queries failed",
    hint: "The service failed the rule's query at some runs (the message names the first). A rule whose first run fails, or that fails three runs in a row, has its later runs dropped (queries already in flight are ignored); the other rules still run. Check the tables and functions the query needs exist on the service, and the caller's role.",
  },
  SC5072: {
    severity: "error",
    title: "Invalid replay --live options",
    hint: "--live takes no input files and needs exactly one target: --workspace-id ID, or --cluster https://<cluster>.kusto.windows.net with --database DB (see docs/replay.md, \"Beyond one machine\").",
  },
  SC5073: {
    severity: "error",
    title: "No live replay query answered",
    hint: "Every query sent failed, so the replay says nothing about the rules: the target, the login or the caller's role is likely wrong (the message names the first failure). Check --workspace-id or --cluster/--database, the credential, and that the caller may read the workspace or database.",
  },
} as const satisfies Record<`SC5${string}`, CodeInfo>;
