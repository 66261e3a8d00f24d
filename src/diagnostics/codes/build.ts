import type { CodeInfo } from "./code-info.ts";

/** SC6xxx: building Azure REST bodies. */
export const BUILD_CODES = {
  SC6001: { severity: "error", title: "Duration cannot be converted", hint: "Write durations as a whole number and a unit: 5m, 1h, 14d." },
  SC6002: { severity: "error", title: "Column type not supported by the API", hint: "Tables take string, int, long, real, bool, datetime, guid, dynamic; DCR streams the same without guid." },
  SC6003: { severity: "error", title: "Unknown trigger operator", hint: "Use gt, lt, eq or ne (or GreaterThan, LessThan, Equal, NotEqual)." },
  SC6004: { severity: "error", title: "Rule kind not built", hint: "Only Scheduled and NRT analytic rules are deployed by this toolkit." },
  SC6005: { severity: "error", title: "Duplicate resource", hint: "Two content files produce the same Azure resource; give them distinct ids or names." },
  SC6006: { severity: "warning", title: "Field not sent to the pinned api-version", hint: "Use entityMappings, which the stable api-version accepts." },
  SC6007: { severity: "error", title: "Malformed parser parameter" },
  SC6008: { severity: "error", title: "Cannot write build output" },
} as const satisfies Record<`SC6${string}`, CodeInfo>;
