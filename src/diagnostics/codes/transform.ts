import type { CodeInfo } from "./code-info.ts";

/** SC3035–SC3049: KQL that Azure Monitor transformations (DCR transformKql) do not support. */
export const TRANSFORM_CODES = {
  SC3035: { severity: "error", title: "Operator not supported in a transform", hint: "Transformations run per record: only extend, project, print, where, parse, project-away, project-rename and datatable are supported (docs/ingestion.md)." },
  SC3036: { severity: "error", title: "Function not supported in a transform", hint: "Only the scalar functions Microsoft lists for transformations are supported (data/dcr-transform-kql.json)." },
  SC3037: { severity: "error", title: "Dynamic literal in a transform", hint: "Transformations do not take dynamic(...) literals; write parse_json('...') instead." },
  SC3038: { severity: "error", title: "Transform output has no TimeGenerated datetime", hint: "Every transformation's output needs a TimeGenerated column of type datetime: extend TimeGenerated = todatetime(...) (or now())." },
} as const satisfies Record<`SC3${string}`, CodeInfo>;
