import type { CodeInfo } from "./code-info.ts";

/** SC7xxx: deployment (plan, apply, prune, drift). */
export const DEPLOY_CODES = {
  SC7001: { severity: "error", title: "Unknown environment or override target", hint: "Name an environment of environments.yaml, and targets by content id, repo-relative path or watchlist alias." },
  SC7002: { severity: "error", title: "Override names a missing field", hint: "Override keys are the content's YAML keys (dots for nested keys whose parent exists)." },
  SC7003: { severity: "error", title: "No environments file", hint: "Copy environments.example.yaml to environments.yaml, or pass --environments FILE." },
  SC7004: { severity: "warning", title: "Portal edit to repository-managed content", hint: "Run `sentinel-content drift --absorb` to write it back into the YAML, or apply to overwrite it." },
  SC7005: { severity: "info", title: "Drift not absorbable", hint: "This field has no lossless YAML form, or it is set by an environment override; edit the file by hand." },
  SC7006: {
    severity: "error",
    title: "Name taken by a resource this repository does not own",
    hint: "A resource made by hand, copied in the portal or owned by another repository already uses this name; rename the content (new id), delete the resource, or pass --adopt to take it over.",
  },
  SC7007: {
    severity: "error",
    title: "Delete guard tripped",
    hint: "Prune would delete more than --max-deletes resources or more than --max-delete-fraction of what the repository owns (a renamed or missing content folder?); check the plan, then pass --allow-mass-delete.",
  },
} as const satisfies Record<`SC7${string}`, CodeInfo>;
