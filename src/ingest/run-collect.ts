import type { TokenCredential } from "@azure/core-auth";
import type { LogsIngestionClientOptions } from "@azure/monitor-ingestion";
import type { LogsQueryClientOptions } from "@azure/monitor-query-logs";
import { makeDiagnostic, messageWithCause, type Diagnostic, type DiagnosticCode } from "../diagnostics/index.ts";
import { processRedactor, redactingWrite, registeringTokens } from "../diagnostics/redact.ts";
import { CollectError, collect, type CollectStats, type InDoubtVerifier } from "./collector.ts";
import { COMPLIANCE_BASE_URL, createComplianceClient, type ComplianceLogsApi } from "./compliance-client.ts";
import { createDryRunUploader, type DryRunUploader, type TransformRunner } from "./dry-run.ts";
import { ProtocolError, assertSecureUrl } from "./http.ts";
import { InvalidMappingError, flowsOf, loadMapping, streamColumnsOf } from "./mapping.ts";
import { OPENAI_AUDIT_LOGS_URL, OPENAI_EVENT_TYPE, createOpenAIAuditLogsApi } from "./openai-client.ts";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry.ts";
import { COMPLIANCE_KEY_ENV, OPENAI_ADMIN_KEY_ENV, readApiKey, type Secret } from "./secret.ts";
import { FileStateStore, InvalidStateError, MemoryStateStore, type StateStore } from "./state.ts";
import { createIngestionClient, createLogsIngestionUploader, type Uploader } from "./uploader.ts";
import { createWorkspaceQuery, createWorkspaceVerifier } from "./verifier.ts";

/** Event types collected when --event-types is not given (CODEX_LOG, which carries prompts, is opt-in). */
export const DEFAULT_EVENT_TYPES = [
  "AUDIT_LOG",
  "AUTH_LOG",
  "APP_AUTH_LOG",
  "APP_LOG",
  "CONVERSATION_MESSAGE",
  "CUSTOM_AGENTS_LOG",
  "CODEX_SECURITY_LOG",
] as const;

/** The sources `collect` knows. */
export type CollectSource = "chatgpt" | "openai";

/** What differs between sources: where the key comes from, the event id key and column, the API client. */
interface SourceSpec {
  keyEnv: string;
  idKey: string;
  idColumn: string;
  createApi(args: CollectArgs, key: Secret, deps: CollectDeps): ComplianceLogsApi;
}

const SOURCES: Record<CollectSource, SourceSpec> = {
  chatgpt: {
    keyEnv: COMPLIANCE_KEY_ENV,
    idKey: "event_id",
    idColumn: "EventId",
    createApi: (args, key, deps) => createComplianceClient({ baseUrl: args.apiBaseUrl, principalId: args.principalId, key, fetch: deps.fetch }),
  },
  openai: {
    keyEnv: OPENAI_ADMIN_KEY_ENV,
    idKey: "id",
    idColumn: "Id",
    createApi: (args, key, deps) =>
      createOpenAIAuditLogsApi({ key, friendlyName: args.principalId, url: args.apiBaseUrl, fetch: deps.fetch, now: deps.now }),
  },
};

/** The default API URL of each source (for the commands' help). */
export const DEFAULT_API_URLS: Record<CollectSource, string> = { chatgpt: COMPLIANCE_BASE_URL, openai: OPENAI_AUDIT_LOGS_URL };

/** The event types of the OpenAI source: its API is one feed. */
export const OPENAI_EVENT_TYPES = [OPENAI_EVENT_TYPE] as const;

/** The options of `collect <source>`, parsed. */
export interface CollectArgs {
  /** chatgpt: the ChatGPT workspace (or org-…) id; openai: the connection name written to ConnectorName. */
  principalId: string;
  dcrEndpoint?: string;
  dcrImmutableId?: string;
  stream: string;
  eventTypes: string[];
  since?: string;
  state?: string;
  dryRun?: string;
  apiKeyFile?: string;
  mapping: string;
  pageSize: number;
  apiBaseUrl: string;
  /** Log Analytics workspace id for checking an in-doubt batch (default: LOG_ANALYTICS_WORKSPACE_ID); false turns the check off. */
  verifyWorkspace?: string | false;
  verifyWaitSeconds: number;
  quiet: boolean;
}

/** A sink for text (process.stdout/stderr or a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

/** What the command needs from its surroundings; tests inject fakes here. */
export interface CollectDeps {
  env: NodeJS.ProcessEnv;
  stdout: TextSink;
  stderr: TextSink;
  /** Called only when uploading or verifying (never in a dry run). */
  credential: () => TokenCredential;
  transform: TransformRunner;
  fetch?: typeof fetch;
  ingestionClientOptions?: LogsIngestionClientOptions;
  queryClientOptions?: LogsQueryClientOptions;
  retry?: RetryPolicy;
  now?: () => Date;
  /** Minimum milliseconds between two progress lines. */
  progressIntervalMs?: number;
}

const EVENT_TYPE = /^[A-Z][A-Z0-9_]*$/;

/** The environment variable naming the Log Analytics workspace an in-doubt batch is checked against by default. */
export const VERIFY_WORKSPACE_ENV = "LOG_ANALYTICS_WORKSPACE_ID";
const DAY_MS = 86_400_000;

/** Formats a diagnostic on one line, as the other commands print them. */
export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? `\n  hint: ${d.hint}` : "";
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${messageWithCause(d)}${hint}\n`;
}

function report(deps: CollectDeps, code: DiagnosticCode, message: string, file = "collect"): void {
  deps.stderr.write(formatDiagnostic(makeDiagnostic(code, { file }, message)));
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One progress line: files, events, duplicates dropped and bytes sent. */
export function formatProgress(stats: Readonly<CollectStats>, eventType: string, dryRun: boolean): string {
  const verb = dryRun ? "transformed" : "uploaded";
  return `collect: ${eventType}: ${stats.files} files, ${stats.events} new events (${stats.duplicates} duplicates dropped, ${stats.invalidLines} unreadable lines), ${formatBytes(stats.bytes)} ${verb} in ${stats.batches} batches\n`;
}

/** Checks option values that commander cannot; returns a message for the first bad one. */
export function checkArgs(args: CollectArgs): string | undefined {
  if (args.principalId.trim() === "") return "--workspace-id (chatgpt) or --connector-name (openai) must not be empty";
  if (args.dryRun === undefined && (!args.dcrEndpoint || !args.dcrImmutableId)) {
    return "--dcr-endpoint and --dcr-immutable-id are required unless --dry-run FILE is given";
  }
  if (args.dcrEndpoint !== undefined) {
    try {
      assertSecureUrl(new URL(args.dcrEndpoint));
    } catch (error) {
      return `--dcr-endpoint: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const bad = args.eventTypes.find((t) => !EVENT_TYPE.test(t));
  if (bad !== undefined) return `--event-types: "${bad}" is not an event type (upper-case, e.g. AUDIT_LOG)`;
  if (args.eventTypes.length === 0) return "--event-types must name at least one event type";
  if (args.since !== undefined && (!/^\d{4}-\d{2}-\d{2}T/.test(args.since) || Number.isNaN(Date.parse(args.since)))) {
    return `--since: "${args.since}" is not an ISO-8601 date-time with a time zone (e.g. 2026-11-01T00:00:00Z)`;
  }
  if (!Number.isInteger(args.pageSize) || args.pageSize < 1 || args.pageSize > 1000) return "--page-size must be an integer from 1 to 1000";
  if (!Number.isFinite(args.verifyWaitSeconds) || args.verifyWaitSeconds < 0) return "--verify-wait must be a number of seconds ≥ 0";
  return undefined;
}

/** The surroundings with every secret of the environment registered and both sinks redacting what they print. */
function redactedDeps(deps: CollectDeps): CollectDeps {
  processRedactor.addFromEnvironment(deps.env);
  return { ...deps, stdout: { write: redactingWrite((t) => deps.stdout.write(t)) }, stderr: { write: redactingWrite((t) => deps.stderr.write(t)) } };
}

/** Runs `collect <source>` and returns the exit code (0 done, 1 stopped by a finding, 2 usage or setup problem). */
export async function runCollect(source: CollectSource, args: CollectArgs, given: CollectDeps): Promise<number> {
  const spec = SOURCES[source];
  const deps = redactedDeps(given);
  const problem = checkArgs(args);
  if (problem !== undefined) {
    report(deps, "SC8010", problem);
    return 2;
  }
  const key = await readApiKey(args.apiKeyFile, spec.keyEnv, deps.env).catch((error: unknown) => {
    report(deps, "SC8001", `cannot read --api-key-file: ${(error as NodeJS.ErrnoException).code ?? "error"}`);
    return null;
  });
  if (key === null) return 2;
  if (key === undefined) {
    report(deps, "SC8001", args.apiKeyFile ? `--api-key-file ${args.apiKeyFile} is empty` : `${spec.keyEnv} is not set`);
    return 2;
  }
  let mapping;
  try {
    mapping = await loadMapping(args.mapping);
  } catch (error) {
    report(deps, "SC8013", error instanceof InvalidMappingError ? error.message : `cannot read ${args.mapping}`, args.mapping);
    return 2;
  }
  const streamColumns = streamColumnsOf(mapping, args.stream);
  const declared = mapping.streams.find((s) => s.name === args.stream);
  if (streamColumns === undefined || declared === undefined) {
    report(deps, "SC8011", `the mapping declares no stream ${args.stream} (it has ${mapping.streams.map((s) => s.name).join(", ")})`, args.mapping);
    return 2;
  }

  const now = deps.now ?? (() => new Date());
  const fileStore = args.state ? new FileStateStore(args.state) : undefined;
  let store: StateStore;
  let dryRun: DryRunUploader | undefined;
  let uploader: Uploader;
  let verifier: InDoubtVerifier | undefined;
  const retry = deps.retry ?? DEFAULT_RETRY_POLICY;
  try {
    if (args.dryRun !== undefined) {
      // A dry run reads the checkpoint but never moves it.
      store = new MemoryStateStore(await fileStore?.load());
      dryRun = createDryRunUploader({ flows: flowsOf(mapping, args.stream), streamColumns: declared.columns, transform: deps.transform });
      uploader = dryRun;
    } else {
      store = fileStore ?? new MemoryStateStore();
      const credential = registeringTokens(deps.credential());
      const client = createIngestionClient(args.dcrEndpoint!, credential, deps.ingestionClientOptions);
      uploader = createLogsIngestionUploader({
        client,
        dcrImmutableId: args.dcrImmutableId!,
        stream: args.stream,
        retry,
        onRetry: (attempt, delayMs, failure) =>
          deps.stderr.write(`collect: upload attempt ${attempt} failed (${failure.status ?? "network"}); retrying in ${Math.round(delayMs / 1000)} s\n`),
      });
      const verifyWorkspace = args.verifyWorkspace === false ? undefined : (args.verifyWorkspace ?? deps.env[VERIFY_WORKSPACE_ENV]?.trim());
      if (verifyWorkspace) {
        verifier = createWorkspaceVerifier({
          query: createWorkspaceQuery({ workspaceId: verifyWorkspace, credential, options: deps.queryClientOptions }),
          tables: flowsOf(mapping, args.stream).map((f) => f.table),
          idColumn: spec.idColumn,
          waitMs: args.verifyWaitSeconds * 1000,
          pollMs: 30_000,
        });
      }
    }
  } catch (error) {
    if (error instanceof InvalidStateError) {
      report(deps, "SC8009", `${args.state}: ${error.message}`, args.state);
      return 2;
    }
    throw error;
  }

  const api = spec.createApi(args, key.secret, deps);
  const interval = deps.progressIntervalMs ?? 5_000;
  let lastProgress = 0;
  try {
    const result = await collect({
      source,
      principalId: args.principalId,
      stream: args.stream,
      streamColumns,
      idKey: spec.idKey,
      idColumn: spec.idColumn,
      eventTypes: args.eventTypes,
      since: args.since ?? new Date(now().getTime() - DAY_MS).toISOString(),
      pageSize: args.pageSize,
      api,
      uploader,
      store,
      retry,
      verifier,
      now,
      onProgress: (stats, eventType) => {
        const t = Date.now();
        if (args.quiet || t - lastProgress < interval) return;
        lastProgress = t;
        deps.stderr.write(formatProgress(stats, eventType, dryRun !== undefined));
      },
    });
    for (const d of result.diagnostics) deps.stderr.write(formatDiagnostic(d));
    if (dryRun !== undefined && args.dryRun !== undefined) {
      const problem = await dryRun.write(args.dryRun).then(
        () => undefined,
        (error: unknown) => (error as NodeJS.ErrnoException).code ?? "error",
      );
      if (problem !== undefined) {
        report(deps, "SC8010", `--dry-run ${args.dryRun}: cannot be written (${problem})`, args.dryRun);
        return 2;
      }
    }
    deps.stdout.write(formatProgress(result.stats, args.eventTypes.join(","), dryRun !== undefined));
    if (dryRun !== undefined) deps.stdout.write(`collect: dry run wrote ${dryRun.rowCount} rows to ${args.dryRun}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CollectError) {
      report(deps, error.code, key.secret.scrub(error.message));
      return 1;
    }
    if (error instanceof InvalidStateError) {
      report(deps, "SC8009", `${args.state}: ${error.message}`, args.state);
      return 2;
    }
    if (error instanceof ProtocolError) {
      report(deps, "SC8012", key.secret.scrub(error.message));
      return 1;
    }
    if (error instanceof Error) {
      error.message = key.secret.scrub(error.message);
      if (error.stack) error.stack = key.secret.scrub(error.stack);
    }
    throw error;
  }
}
