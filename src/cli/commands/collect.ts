import { Command, Option } from "commander";
import { ExitError } from "../../diagnostics/errors.ts";
import { examples } from "../help.ts";

interface CollectOptions {
  workspaceId?: string;
  connectorName?: string;
  dcrEndpoint?: string;
  dcrImmutableId?: string;
  stream: string;
  eventTypes?: string;
  since?: string;
  state?: string;
  dryRun?: string;
  apiKeyFile?: string;
  mapping?: string;
  pageSize: string;
  apiBaseUrl?: string;
  verifyWorkspace?: string | false;
  verifyWait: string;
  quiet?: boolean;
}

type Source = "chatgpt" | "openai";

/** The options both sources share: where to upload, checkpoints, dry run, key file. */
function addCommonOptions(command: Command): Command {
  return command
    .option("--dcr-endpoint <url>", "logs ingestion endpoint of the DCR (or a data collection endpoint), https://…")
    .option("--dcr-immutable-id <id>", "immutable id of the DCR (dcr-…)")
    .option("--since <iso>", "cursor for event types without a checkpoint (default: 24 hours ago)")
    .option("--state <file>", "checkpoint file; without it every run starts at --since")
    .option("--dry-run <file>", "write transformed rows to this JSONL file instead of uploading")
    .option("--api-key-file <file>", "file whose first line is the API key")
    .option("--mapping <file>", "ingestion mapping with the stream and transforms")
    .option("--verify-workspace <id>", "Log Analytics workspace id to check an in-doubt batch against before re-sending it (default: LOG_ANALYTICS_WORKSPACE_ID)")
    .option("--no-verify-workspace", "re-send an in-doubt batch without checking (the parsers de-duplicate on the event id)")
    .option("--verify-wait <seconds>", "how long to wait for an in-doubt batch to become queryable", "600")
    .addOption(new Option("--api-base-url <url>", "API base URL (a proxy)").hideHelp())
    .option("--quiet", "no progress lines");
}

async function run(source: Source, options: CollectOptions): Promise<void> {
  const [{ runCollect, DEFAULT_EVENT_TYPES, DEFAULT_API_URLS, OPENAI_EVENT_TYPES }, { CHATGPT_MAPPING_FILE, OPENAI_MAPPING_FILE }, { engineTransformRunner }, { DefaultAzureCredential }] =
    await Promise.all([
      import("../../ingest/run-collect.ts"),
      import("../../ingest/mapping.ts"),
      import("../../ingest/engine-transform.ts"),
      import("@azure/identity"),
    ]);
  const chatgpt = source === "chatgpt";
  const eventTypes = options.eventTypes ? options.eventTypes.split(",").map((t) => t.trim()).filter((t) => t !== "") : undefined;
  const code = await runCollect(
    source,
    {
      principalId: (chatgpt ? options.workspaceId : options.connectorName) ?? "",
      dcrEndpoint: options.dcrEndpoint,
      dcrImmutableId: options.dcrImmutableId,
      stream: options.stream,
      eventTypes: eventTypes ?? (chatgpt ? [...DEFAULT_EVENT_TYPES] : [...OPENAI_EVENT_TYPES]),
      since: options.since,
      state: options.state,
      dryRun: options.dryRun,
      apiKeyFile: options.apiKeyFile,
      mapping: options.mapping ?? (chatgpt ? CHATGPT_MAPPING_FILE : OPENAI_MAPPING_FILE),
      pageSize: Number(options.pageSize),
      apiBaseUrl: options.apiBaseUrl ?? DEFAULT_API_URLS[source],
      verifyWorkspace: options.verifyWorkspace,
      verifyWaitSeconds: Number(options.verifyWait),
      quiet: options.quiet === true,
    },
    {
      env: process.env,
      stdout: process.stdout,
      stderr: process.stderr,
      credential: () => new DefaultAzureCredential(),
      transform: engineTransformRunner,
    },
  );
  if (code !== 0) throw new ExitError(code, "");
}

/** Registers `sentinel-content collect <source>`: pull audit logs and push them to Sentinel through a DCR. */
export function register(program: Command): void {
  const collect = program
    .command("collect")
    .description("Collect audit logs from a source and upload them through the Logs Ingestion API.")
    .addHelpText(
      "after",
      examples([
        ["sentinel-content collect chatgpt --workspace-id <id> --dry-run rows.jsonl", "ChatGPT Enterprise events to a file, nothing uploaded"],
        ["sentinel-content collect openai --dcr-endpoint https://… --dcr-immutable-id dcr-… --state state.json", "the OpenAI audit log to Sentinel, resuming from a checkpoint"],
      ]),
    );
  addCommonOptions(
    collect
      .command("chatgpt")
      .description("Copy ChatGPT Enterprise Compliance Logs Platform events to Sentinel. The key is read from COMPLIANCE_API_KEY or --api-key-file, never from a flag.")
      .requiredOption("--workspace-id <id>", "ChatGPT workspace id (or org-… for an API Platform organization)")
      .option("--stream <name>", "input stream declared in the DCR", "Custom-ChatGPTComplianceRaw")
      .option("--event-types <list>", "comma-separated event types (default: every documented type except CODEX_LOG)")
      .option("--page-size <n>", "log files per listing page (1-1000)", "100")
      .addHelpText("after", examples([["sentinel-content collect chatgpt --workspace-id <id> --since 2026-11-01T00:00:00Z --dry-run rows.jsonl", "transform a window of events into a file"]])),
  ).action((options: CollectOptions) => run("chatgpt", options));
  addCommonOptions(
    collect
      .command("openai")
      .description("Copy the OpenAI API Platform organization audit log to OpenAIAuditLogs_CL (Microsoft's shape). The Admin key is read from OPENAI_ADMIN_KEY or --api-key-file.")
      .option("--connector-name <name>", "connection name written to ConnectorName", "OpenAI")
      .option("--stream <name>", "input stream declared in the DCR", "Custom-OpenAIAuditLogs_CL")
      .option("--page-size <n>", "audit-log entries per page (1-100)", "100")
      .addHelpText("after", examples([["sentinel-content collect openai --dcr-endpoint https://… --dcr-immutable-id dcr-… --state state.json", "upload new audit-log entries since the last run"]])),
  ).action((options: CollectOptions) => run("openai", options));
}
