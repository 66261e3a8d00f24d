import type { CodeInfo } from "./code-info.ts";

/** SC1030–SC1039: the repository configuration file (sentinel-content.config.yaml) and scaffolding. */
export const CONFIG_CODES = {
  SC1030: { severity: "error", title: "Invalid configuration file", hint: "sentinel-content.config.yaml is a mapping with preset, content ({ glob, kind } entries) and extensions; see docs/configuration.md." },
  SC1031: { severity: "error", title: "Unknown preset", hint: "Use a built-in preset: sentinel-content (one folder per kind) or azure-sentinel (Microsoft's Azure-Sentinel repository layout)." },
  SC1032: { severity: "error", title: "Invalid content glob", hint: "Each content entry maps a glob (relative to the root; **, *, ?, {a,b}) to a content kind such as analytic-rule or hunting-query." },
  SC1033: { severity: "error", title: "Unknown extension", hint: "List only extensions the toolkit defines (x-genai)." },
  SC1034: { severity: "error", title: "Extension not enabled", hint: "The block belongs to an extension this repository does not enable; add it to extensions in sentinel-content.config.yaml or remove the block." },
} as const satisfies Record<`SC103${string}`, CodeInfo>;
