import type { CodeInfo } from "./code-info.ts";

/** SC5040–SC5059: replaying raw vendor logs through the ingestion mappings and the rules. */
export const REPLAY_CODES = {
  SC5040: {
    severity: "error",
    title: "Replay input not recognised",
    hint: "No source profile fits the file's first record (see docs/replay.md, \"Recognising a file\"); check it is an export of a supported source, or name its source with --map FILE=SOURCE.",
  },
  SC5041: {
    severity: "error",
    title: "Replay input fits more than one source",
    hint: "Name the file's source with --map FILE=SOURCE.",
  },
  SC5042: {
    severity: "error",
    title: "Malformed replay input record",
    hint: "Each line of a JSON Lines file is one JSON object; a CSV file has a header row and the same number of fields in every record.",
  },
  SC5043: {
    severity: "error",
    title: "Unreadable replay input",
    hint: "Give existing files or folders of .jsonl, .ndjson, .json or .csv exports (UTF-8); see docs/replay.md for the size limits.",
  },
  SC5044: {
    severity: "error",
    title: "Invalid replay range",
    hint: "Give --from and --to as ISO 8601 UTC datetimes (2026-11-16T00:00:00Z), --from not after --to.",
  },
  SC5045: {
    severity: "error",
    title: "Invalid ingestion delay",
    hint: "Write a fixed delay (2m), lognormal:median=2m,p99=10m or uniform:1m..5m.",
  },
  SC5046: {
    severity: "error",
    title: "Invalid source mapping",
    hint: "Write --map FILE=SOURCE with FILE one of the inputs and SOURCE a profile name under profiles/ (e.g. ChatGPTComplianceLogs).",
  },
  SC5047: {
    severity: "error",
    title: "Replay record does not fit its table or stream",
    hint: "A value has the wrong type for the declared column (datetimes as ISO 8601, numbers unquoted); fix the export or name the right source with --map.",
  },
  SC5048: {
    severity: "error",
    title: "Ingestion transform failed during replay",
    hint: "The mapping's transformKql could not run on these events in the offline engine; run the mapping's tests (`sentinel-content test ingestion/`).",
  },
  SC5049: {
    severity: "warning",
    title: "Rule skipped by replay",
    hint: "The rule cannot be simulated offline (its settings, a refused query, or too many runs in the range); the reason says which. Shorten the range or test the rule live.",
  },
  SC5050: {
    severity: "error",
    title: "Unknown rule in --rules",
    hint: "Name analytic rules by file (analytics-rules/…/x.yaml), folder, or rule id (GUID).",
  },
  SC5051: {
    severity: "error",
    title: "Invalid replay watchlist",
    hint: "Give a CSV file as Sentinel exports a watchlist (header row; the alias is the file name unless the repository declares the watchlist).",
  },
  SC5052: {
    severity: "warning",
    title: "A replayed rule run failed",
    hint: "The rule's query failed in the offline engine at one run; the message names the first failing run. The rule's other runs still count.",
  },
  SC5053: {
    severity: "error",
    title: "Raw events for a source without an ingestion mapping",
    hint: "Give raw events (`raw:`) only for a source whose stream an ingestion mapping in ingestion/ declares; otherwise give table rows under `tables:`.",
  },
  SC5063: {
    severity: "error",
    title: "Replay hour too large to load",
    hint: "One table's rows of one hour of ingestion time are more than replay loads at once (a quarter of Node's heap limit). Give Node more memory (NODE_OPTIONS=--max-old-space-size=…) or replay fewer inputs at once.",
  },
  SC5067: {
    severity: "error",
    title: "A replay job failed",
    hint: "One of the processes `replay --jobs` spreads the rules over ended without its outcome (a crash, a kill, or JavaScript heap out of memory; its own message is above). Nothing was written. Give Node more memory (NODE_OPTIONS=--max-old-space-size=…), or replay with fewer jobs (`--jobs 1` replays in one process).",
  },
} as const satisfies Record<`SC5${string}`, CodeInfo>;
