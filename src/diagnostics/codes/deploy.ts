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
  SC7040: {
    severity: "error",
    title: "DCR outside the workspace's region",
    hint: "A data collection rule that sends to a Log Analytics workspace is created in the workspace's region; set the environment's location to the workspace's region (deploy --plan shows it). Apply refuses the plan until they match.",
  },
  SC7041: {
    severity: "warning",
    title: "Workspace region not read",
    hint: "deploy could not read the workspace's location, so it did not check that each DCR is in the workspace's region; check the workspace id of the environment and the read permission on the workspace.",
  },
} as const satisfies Record<`SC7${string}`, CodeInfo>;
