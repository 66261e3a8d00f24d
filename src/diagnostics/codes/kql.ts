import type { CodeInfo } from "./code-info.ts";

/** SC3xxx: KQL analysis and the output-column contract. */
export const KQL_CODES = {
  SC3001: {
    severity: "error",
    title: "KQL syntax error",
    hint: "Kusto cannot parse the query; the message starts with Kusto's own code (KSxxx).",
  },
  SC3002: {
    severity: "error",
    title: "KQL semantic error",
    hint: "Kusto parsed the query but it refers to something that does not exist or uses it wrongly.",
  },
  SC3003: {
    severity: "warning",
    title: "KQL warning",
  },
  SC3004: {
    severity: "error",
    title: "Unknown table or function",
    hint: "Declare custom tables in ingestion/, saved functions in parsers/, or add the table's schema to schemas/tables/ (docs/kql-analysis.md).",
  },
  SC3005: {
    severity: "warning",
    title: "Undefined workbook parameter",
    hint: "No parameter item, link or grid export of this workbook defines it; the query was analysed with a placeholder value.",
  },
  SC3006: {
    severity: "warning",
    title: "Transform input stream not declared",
    hint: "Declare the stream and its columns under `streams:` so the transform can be checked.",
  },
  SC3007: {
    severity: "warning",
    title: "Query result not known",
    hint: "The last statement does not produce a table, so the columns mapped by the rule cannot be checked.",
  },
  SC3010: {
    severity: "error",
    title: "Entity mapping column not in query result",
    hint: "Every fieldMappings columnName must be a column the query outputs (project or extend it).",
  },
  SC3011: {
    severity: "error",
    title: "Custom detail column not in query result",
    hint: "Every customDetails value must be a column the query outputs.",
  },
  SC3012: {
    severity: "error",
    title: "Alert details override column not in query result",
    hint: "Every {{Column}} placeholder and every *ColumnName / alertDynamicProperties value must be a column the query outputs.",
  },
  SC3013: {
    severity: "error",
    title: "Column name differs only in case",
    hint: "Sentinel matches result columns case-sensitively: the deployment fails or the field stays empty.",
  },
  SC3014: {
    severity: "error",
    title: "Grouping field not defined",
    hint: "groupByCustomDetails must name keys of customDetails, and groupByEntities entity types mapped in entityMappings.",
  },
  SC3020: {
    severity: "error",
    title: "Transform output column not in target table",
    hint: "Add the column to the table in `tables:` or drop it in the transform (project-away).",
  },
  SC3021: {
    severity: "error",
    title: "Transform output column type differs from the table column",
    hint: "Convert it in the transform (tostring, todatetime, tolong, ...) or change the table column type.",
  },
  SC3022: {
    severity: "error",
    title: "Transform target table unknown",
    hint: "Declare the custom table under `tables:` (Custom-<Table> streams) or use a built-in table (Microsoft-<Table>).",
  },
  SC3023: {
    severity: "warning",
    title: "Query reads a custom-table column no ingestion mapping fills",
    hint: "The column is declared but no DCR transform writes it, so it is always empty.",
  },
  SC3030: {
    severity: "error",
    title: "Regular expression RE2 rejects",
    hint: "Kusto runs regexes on RE2, which has no look-around, back-references, possessive quantifiers or atomic groups; rewrite the pattern (docs/kql-engine.md).",
  },
  SC3099: {
    severity: "error",
    title: "KQL analysis failed",
    hint: "Kusto.Language failed on this query; please report it with the query text.",
  },
} as const satisfies Record<`SC3${string}`, CodeInfo>;
