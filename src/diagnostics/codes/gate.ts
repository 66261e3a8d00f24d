import type { CodeInfo } from "./code-info.ts";

/** SC9002–SC9009: inline suppressions and baselines, which let an existing repository adopt the gate. */
export const GATE_CODES = {
  SC9002: { severity: "error", title: "Suppression without a reason", hint: "Write the reason after the codes: `# sentinel-content-disable SC2103: copy kept for the v1 connector`." },
  SC9003: { severity: "error", title: "Suppression of an unknown code", hint: "Name codes as the report prints them (e.g. SC2103); docs/diagnostics.md lists every code." },
  SC9004: { severity: "warning", title: "Suppression matches no finding", hint: "The finding it was written for is gone; remove the comment so it cannot hide a new one." },
} as const satisfies Record<`SC9${string}`, CodeInfo>;
