import type { CodeInfo } from "./code-info.ts";

/** SC8xxx: ingestion mappings and the collector. */
export const INGEST_CODES = {
  SC8001: {
    severity: "error",
    title: "Compliance API key missing",
    hint: "Set COMPLIANCE_API_KEY in the environment or pass --api-key-file FILE (the key is never accepted as a flag).",
  },
  SC8002: {
    severity: "error",
    title: "Request rejected",
    hint: "The service answered with a status that retrying cannot fix (bad key, missing permission, wrong DCR id or stream); fix the setting named in the message.",
  },
  SC8003: {
    severity: "error",
    title: "Retries exhausted",
    hint: "The service kept failing (throttling, 5xx or dropped connections); the cursor was not advanced, so rerunning resumes where this run stopped.",
  },
  SC8004: {
    severity: "warning",
    title: "Cursor near the 30-day retention",
    hint: "The Compliance Logs Platform keeps files for 30 days; run the collector more often so the cursor never falls behind that window.",
  },
  SC8005: {
    severity: "warning",
    title: "Unreadable log line",
    hint: "The line is not a JSON object and cannot be ingested; it was skipped and counted.",
  },
  SC8006: {
    severity: "warning",
    title: "Event without event_id",
    hint: "The event was uploaded but cannot be de-duplicated; a rerun over the same file may upload it again.",
  },
  SC8007: {
    severity: "warning",
    title: "In-doubt batch re-sent",
    hint: "The previous run stopped after uploading a batch but before checkpointing it. The parsers de-duplicate on the event id column, so analysts see each event once; to keep the raw tables free of repeats too, pass --verify-workspace <Log Analytics workspace id> (or set LOG_ANALYTICS_WORKSPACE_ID) with read access to the tables.",
  },
  SC8008: {
    severity: "warning",
    title: "Event shrunk to fit a request",
    hint: "A single event was larger than one Logs Ingestion request (1 MB); its longest string values were truncated to 64 KB, as Log Analytics stores at most 64 KB per value.",
  },
  SC8009: {
    severity: "error",
    title: "Invalid state file",
    hint: "The state file is not one this collector wrote; fix or delete it (and pass --since) to start over.",
  },
  SC8010: {
    severity: "error",
    title: "Invalid collector option",
    hint: "Run `sentinel-content collect chatgpt --help` for the accepted values.",
  },
  SC8011: {
    severity: "error",
    title: "Unknown stream",
    hint: "--stream must name a stream declared in the ingestion mapping (e.g. Custom-ChatGPTComplianceRaw).",
  },
  SC8012: {
    severity: "error",
    title: "Unexpected response",
    hint: "The service answered in a shape the collector does not know; nothing after the last checkpoint was uploaded.",
  },
  SC8013: {
    severity: "error",
    title: "Invalid ingestion mapping",
    hint: "Run `sentinel-content validate` on the mapping file and fix the findings.",
  },
  SC8014: {
    severity: "error",
    title: "Dry-run transform failed",
    hint: "The offline engine could not run the mapping's transformKql; run the mapping's tests for details.",
  },
  SC8015: {
    severity: "warning",
    title: "In-doubt batch not verified",
    hint: "The workspace could not be queried (no read access, wrong workspace id, service error); the batch is sent again instead and the parsers de-duplicate it on the event id.",
  },
} as const satisfies Record<`SC8${string}`, CodeInfo>;
