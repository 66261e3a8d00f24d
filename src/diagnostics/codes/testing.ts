import type { CodeInfo } from "./code-info.ts";

/** SC5xxx: rule tests (verdicts, fixtures, snapshots, coverage). */
export const TESTING_CODES = {
  SC5001: { severity: "error", title: "Test case failed", hint: "Compare the actual rows or alerts with the expectation; fix the query or the expectation." },
  SC5002: { severity: "error", title: "Fixture column not in the table schema", hint: "Use the table's real column names (case-sensitive); `sentinel-content fixture new <table>` writes a skeleton row." },
  SC5003: { severity: "error", title: "Fixture value has the wrong type", hint: "Write the value as the column's KQL type reads it (docs/kql-engine.md#cell-values): datetime as ISO 8601, whole numbers for int/long, true/false for bool, text for string (quote numbers), dynamic as a map, list or JSON text." },
  SC5004: { severity: "error", title: "Unknown table in a test case", hint: "Name a bundled table, a custom table declared in ingestion/, or a function (parser) from parsers/." },
  SC5005: { severity: "error", title: "Unreadable fixture file", hint: "Fixture files sit beside the tests file: .jsonl (one JSON object a line), .json (an array of objects) or .csv (header row)." },
  SC5006: { severity: "error", title: "Test target not found", hint: "Set `target:` to the content file beside the tests file, or name the tests file `<content stem>.tests.yaml`." },
  SC5007: { severity: "error", title: "Invalid test case", hint: "See docs/testing.md for the case format and which expectations each content kind allows." },
  SC5008: { severity: "error", title: "Alert snapshot missing", hint: "Run `sentinel-content test --update-snapshots` and review the new .snap.yaml in the pull request." },
  SC5009: { severity: "error", title: "Alert snapshot differs", hint: "If the change is intended, run `sentinel-content test --update-snapshots` and commit the .snap.yaml." },
  SC5010: { severity: "error", title: "Rule cannot be simulated", hint: "Fix the rule's scheduling fields (queryFrequency, queryPeriod, trigger, suppression, incident grouping)." },
  SC5011: { severity: "error", title: "Query failed in the offline engine", hint: "Fix the query, or (for unsupported KQL, SC4xxx) rewrite it with supported operators." },
  SC5012: { severity: "warning", title: "Live workspace disagrees with the offline engine", hint: "The engine or the case differs from Log Analytics; report an engine bug or adjust the case." },
  SC5013: { severity: "error", title: "Live query failed", hint: "Check the workspace id, permissions (Log Analytics Reader) and the query." },
  SC5020: { severity: "error", title: "Analytic rule has no firing case", hint: "Add a case with `expect: { alert: true }` (rows that should raise the alert)." },
  SC5021: { severity: "error", title: "Analytic rule has no non-firing case", hint: "Add a case with `expect: { alert: false }` (look-alike benign rows that must stay silent)." },
  SC5022: { severity: "error", title: "Hunting query has no case returning rows", hint: "Add a case whose expectation needs rows (`rows: N` with N > 0, `minRows`, or `values`)." },
  SC5023: { severity: "warning", title: "Content without tests", hint: "Add a `<name>.tests.yaml` beside it (see docs/testing.md)." },
} as const satisfies Record<`SC5${string}`, CodeInfo>;
