import type { ContentKind } from "../../content/kinds.ts";
import type { BuiltResource } from "../types.ts";

/** The build targets `build --target` writes. */
export const BUILD_TARGETS = ["arm", "repositories", "bicep", "terraform", "defender", "content-hub"] as const;

/** A build target's name. */
export type BuildTarget = (typeof BUILD_TARGETS)[number];

/** A content item a target reads besides its built resources (content-hub and defender start from the YAML). */
export interface SourceItem {
  /** Repository-relative path. */
  file: string;
  kind: ContentKind;
  data: Record<string, unknown>;
  /** The file's YAML text (kept so comments and layout survive where a target copies the file). */
  text: string;
}

/** What every target gets: the resources built against SYMBOLIC_WORKSPACE, in apply order, and their sources. */
export interface TargetInput {
  resources: readonly BuiltResource[];
  items: readonly SourceItem[];
  repository: string;
}

/** Something a target could not express, and why. */
export interface Skipped {
  /** `<kind>/<name>` of a resource, or the repository path of a content item. */
  item: string;
  reason: string;
}

/** What a target writes: files by relative path (forward slashes), how many items it built, and what it left out. */
export interface TargetOutput {
  files: Map<string, string>;
  built: number;
  skipped: Skipped[];
}

/** Pretty JSON with a final newline, as every target writes it. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A file-name-safe stem: letters, digits, dot, dash and underscore kept, anything else "-". */
export function fileStem(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || "item";
}
