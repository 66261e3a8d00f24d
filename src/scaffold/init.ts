import { CONFIG_FILE } from "../load/config.ts";
import { PRESETS, type PresetName } from "../content/layout.ts";
import { literalPrefix } from "../content/glob.ts";
import type { NewFile } from "./write-files.ts";

/** The files `init` creates for a preset: the configuration, a .gitignore and a placeholder in each content folder. */
export function initFiles(preset: PresetName): NewFile[] {
  const folders = [...new Set(PRESETS[preset].rules.filter((r) => r.kind !== "environments").map((r) => literalPrefix(r.glob)))].filter((f) => f !== "");
  const extensions = PRESETS[preset].extensions;
  const config = [
    "# Where this repository keeps each kind of content: a built-in preset, plus globs checked before it.",
    "# Presets: sentinel-content (one folder per kind) and azure-sentinel (Microsoft's repository layout).",
    `preset: ${preset}`,
    "# content:",
    "#   - glob: \"Custom Rules/**\"",
    "#     kind: analytic-rule",
    `extensions: [${extensions.join(", ")}]`,
    "",
  ].join("\n");
  return [
    { path: CONFIG_FILE, text: config },
    { path: ".gitignore", text: "node_modules/\n.cache/\nout/\n" },
    ...folders.map((folder) => ({ path: `${folder}/.gitkeep`, text: "" })),
  ];
}
