import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { ENVIRONMENTS_FILE, isSnapshotPath, isYamlPath, kindOfPath } from "../content/kinds.ts";
import { searchFolders, setActiveLayout, type ContentLayout } from "../content/layout.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { loadRepositoryConfig } from "./config.ts";
import { loadFile, repoRelativePath, type LoadOptions } from "./load-file.ts";
import type { LoadedFile } from "./loaded-file.ts";

/** Folders never searched for content. */
const SKIPPED_FOLDERS = new Set(["node_modules", ".git", "fixtures"]);

/** Every loaded file and every load finding of a content tree. */
export interface LoadTreeResult {
  files: LoadedFile[];
  diagnostics: Diagnostic[];
  /** How many files were attempted (loaded or not). */
  checked: number;
}

/** Options of `loadContentTree`. */
export interface LoadTreeOptions extends LoadOptions {
  /** Called after each file, for progress display. */
  onFile?: (done: number, total: number) => void;
}

/**
 * Loads content under `root` with the layout of its `sentinel-content.config.yaml` (made the active layout): by
 * default every file the layout gives a kind, plus `environments.yaml`;
 * otherwise the given files and folders (relative ones resolved against `root`). Files named explicitly are
 * always loaded; inside folders only YAML files of a known kind (or every YAML file when `kind` is forced).
 */
export async function loadContentTree(root: string, paths?: string[], options: LoadTreeOptions = {}): Promise<LoadTreeResult> {
  const config = loadRepositoryConfig(root);
  setActiveLayout(config.layout);
  const diagnostics: Diagnostic[] = [...config.diagnostics];
  const targets = await collectTargets(root, paths, options, config.layout, diagnostics);
  const files: LoadedFile[] = [];
  let done = 0;
  for (const absolutePath of targets) {
    const result = loadFile(absolutePath, root, options);
    if (result.file) files.push(result.file);
    diagnostics.push(...result.diagnostics);
    options.onFile?.(++done, targets.length);
  }
  return { files, diagnostics, checked: targets.length };
}

async function collectTargets(root: string, paths: string[] | undefined, options: LoadOptions, layout: ContentLayout, diagnostics: Diagnostic[]): Promise<string[]> {
  const found = new Set<string>();
  const wanted = (absolutePath: string) =>
    isYamlPath(absolutePath) && !isSnapshotPath(absolutePath) && (options.kind !== undefined || kindOfPath(repoRelativePath(absolutePath, root), layout) !== undefined);
  if (!paths || paths.length === 0) {
    for (const folder of searchFolders(layout)) await walk(path.join(root, folder), wanted, found);
    if (await isFile(path.join(root, ENVIRONMENTS_FILE))) found.add(path.join(root, ENVIRONMENTS_FILE));
  } else {
    for (const given of paths) {
      const absolutePath = path.resolve(root, given);
      const info = await stat(absolutePath).catch(() => undefined);
      if (!info) {
        diagnostics.push(makeDiagnostic("SC1008", { file: repoRelativePath(absolutePath, root) }, "no such file or directory"));
      } else if (info.isDirectory()) {
        await walk(absolutePath, wanted, found);
      } else {
        found.add(absolutePath);
      }
    }
  }
  return [...found].sort();
}

async function walk(dir: string, wanted: (absolutePath: string) => boolean, found: Set<string>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const absolutePath = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(absolutePath, wanted, found);
    } else if (entry.isFile() && wanted(absolutePath)) {
      found.add(absolutePath);
    }
  }
}

async function isFile(absolutePath: string): Promise<boolean> {
  return (await stat(absolutePath).catch(() => undefined))?.isFile() ?? false;
}
