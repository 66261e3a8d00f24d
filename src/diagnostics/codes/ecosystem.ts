import type { CodeInfo } from "./code-info.ts";

/** SC6013–SC6029: build targets; SC7020–SC7039: importers (workspace, ARM templates, Sigma). */
export const ECOSYSTEM_CODES = {
  SC6013: { severity: "error", title: "Content holds build-target marker characters", hint: "Remove the private-use characters U+E000/U+E001 from the content; targets use them to mark deploy-time values." },
  SC7020: { severity: "error", title: "Import source cannot be read", hint: "Give a readable JSON ARM template (or a Sigma YAML rule for `import sigma`)." },
  SC7021: { severity: "warning", title: "Nothing importable in the source", hint: "The file holds no Microsoft.SecurityInsights alert rule, hunting query, parser or watchlist resource." },
  SC7022: { severity: "warning", title: "Resource not importable", hint: "Only Scheduled and NRT analytic rules, hunting queries, parsers and watchlists are imported." },
  SC7023: { severity: "error", title: "Import would overwrite a file", hint: "Move the existing file away or pass --force." },
  SC7024: { severity: "error", title: "Sigma construct not converted", hint: "Give the Kusto query alongside (--query FILE), or simplify the detection." },
  SC7025: { severity: "error", title: "Sigma log source has no table mapping", hint: "Give the Kusto query alongside (--query FILE), or use a log source listed in docs/import.md." },
  SC7026: { severity: "error", title: "Workspace content cannot be listed", hint: "Check the environment's workspace ids and the identity's Reader role on the workspace." },
  SC7027: { severity: "warning", title: "Imported value needs review", hint: "The imported YAML holds a value the source expresses differently (for example an ARM expression); check it before committing." },
} as const satisfies Record<`SC${"6" | "7"}${string}`, CodeInfo>;
