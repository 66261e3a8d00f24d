import { compileGlob, literalPrefix } from "./glob.ts";
import type { ContentKind } from "./kinds.ts";

/** One line of a layout: YAML files matching the glob (repo-relative POSIX path) are content of this kind. */
export interface LayoutRule {
  glob: string;
  kind: ContentKind;
}

/** The optional blocks a layout lets content files carry beside the generic Sentinel keys. */
export const EXTENSIONS = ["x-genai"] as const;

/** The name of a content extension. */
export type ExtensionName = (typeof EXTENSIONS)[number];

/** Where a repository keeps each kind of content, and which extensions its files may use. */
export interface ContentLayout {
  /** The preset the layout starts from. */
  preset: PresetName;
  /** First matching rule wins; `<name>.tests.yaml` beside content is always a tests file. */
  rules: readonly LayoutRule[];
  extensions: readonly ExtensionName[];
}

/** The built-in layouts. */
export const PRESETS = {
  /** This toolkit's own layout: one folder per kind, with the x-genai block enabled. */
  "sentinel-content": {
    rules: [
      { glob: "environments.yaml", kind: "environments" },
      { glob: "analytics-rules/**", kind: "analytic-rule" },
      { glob: "hunting-queries/**", kind: "hunting-query" },
      { glob: "parsers/**", kind: "parser" },
      { glob: "workbooks/**", kind: "workbook" },
      { glob: "watchlists/**", kind: "watchlist" },
      { glob: "ingestion/**", kind: "ingestion-mapping" },
    ],
    extensions: ["x-genai"],
  },
  /**
   * Microsoft's Azure-Sentinel repository: rules under Detections/<table>/ and under each solution's
   * "Analytic Rules" folder (also spelt "Analytical Rules", "Analytics Rules", "Detection Queries" and
   * "Detections" there), hunting queries under "Hunting Queries/" and each solution's "Hunting Queries".
   */
  "azure-sentinel": {
    rules: [
      { glob: "environments.yaml", kind: "environments" },
      { glob: "Detections/**", kind: "analytic-rule" },
      { glob: "Solutions/*/{Analytic Rules,Analytical Rules,Analytics Rules,Detection Queries,Detections}/**", kind: "analytic-rule" },
      { glob: "Hunting Queries/**", kind: "hunting-query" },
      { glob: "Solutions/*/Hunting Queries/**", kind: "hunting-query" },
    ],
    extensions: [],
  },
} as const satisfies Record<string, { rules: readonly LayoutRule[]; extensions: readonly ExtensionName[] }>;

/** The name of a built-in layout. */
export type PresetName = keyof typeof PRESETS;

/** The preset a repository without a configuration file uses. */
export const DEFAULT_PRESET: PresetName = "sentinel-content";

/** True for the name of a built-in layout. */
export function isPresetName(value: string): value is PresetName {
  return Object.hasOwn(PRESETS, value);
}

/** A preset as a layout. */
export function presetLayout(preset: PresetName): ContentLayout {
  return { preset, rules: PRESETS[preset].rules, extensions: PRESETS[preset].extensions };
}

const compiled = new Map<string, RegExp>();

function globRegex(glob: string): RegExp | undefined {
  let regex = compiled.get(glob);
  if (!regex) {
    const result = compileGlob(glob);
    if (!result.ok) return undefined;
    regex = result.regex;
    compiled.set(glob, regex);
  }
  return regex;
}

/** The kind the first matching rule gives a repo-relative path, or undefined when no rule matches. */
export function ruleKindOf(layout: ContentLayout, repoRelativePath: string): ContentKind | undefined {
  return layout.rules.find((rule) => globRegex(rule.glob)?.test(repoRelativePath))?.kind;
}

/**
 * The folders to search for content of the given kinds (default: every kind but environments): each rule's literal
 * leading folders, "" for the whole tree, outermost first.
 */
export function searchFolders(layout: ContentLayout, kinds?: ReadonlySet<ContentKind>): string[] {
  const searched = layout.rules.filter((r) => (kinds ? kinds.has(r.kind) : r.kind !== "environments"));
  const folders = [...new Set(searched.map((r) => literalPrefix(r.glob)))].sort();
  if (folders.includes("")) return [""];
  return folders.filter((folder) => !folders.some((other) => other !== folder && folder.startsWith(`${other}/`)));
}

let active: ContentLayout = presetLayout(DEFAULT_PRESET);

/** The layout of the repository being worked on (set when its tree is loaded). */
export function activeLayout(): ContentLayout {
  return active;
}

/** Makes `layout` the one kind lookups use. */
export function setActiveLayout(layout: ContentLayout): void {
  active = layout;
}
