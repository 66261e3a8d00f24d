import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { ENVIRONMENTS_FILE, isSnapshotPath, isYamlPath, kindOfPath } from "../content/kinds.ts";
import { searchFolders, setActiveLayout, type ContentLayout } from "../content/layout.ts";
import { makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { loadRepositoryConfig } from "./config.ts";
import { isWithin, realPathOf } from "./containment.ts";
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
  const realRoot = realPathOf(root) ?? root;
  const wanted = (absolutePath: string) =>
    isYamlPath(absolutePath) && !isSnapshotPath(absolutePath) && (options.kind !== undefined || kindOfPath(repoRelativePath(absolutePath, root), layout) !== undefined);
  if (!paths || paths.length === 0) {
    for (const folder of searchFolders(layout)) await walk(path.join(root, folder), { root, realRoot, wanted, found, diagnostics, visited: new Set() });
    if (await isFile(path.join(root, ENVIRONMENTS_FILE))) found.add(path.join(root, ENVIRONMENTS_FILE));
    // a broken configuration already says why nothing was found
    if (found.size === 0 && !diagnostics.some((d) => d.severity === "error")) diagnostics.push(noContent(root, root, options, layout));
  } else {
    for (const given of paths) {
      const absolutePath = path.resolve(root, given);
      const info = await stat(absolutePath).catch(() => undefined);
      if (!info) {
        diagnostics.push(makeDiagnostic("SC1008", { file: repoRelativePath(absolutePath, root) }, "no such file or directory"));
      } else if (info.isDirectory()) {
        const before = found.size;
        await walk(absolutePath, { root, realRoot, wanted, found, diagnostics, visited: new Set() });
        if (found.size === before) diagnostics.push(noContent(absolutePath, root, options, layout));
      } else {
        found.add(absolutePath);
      }
    }
  }
  return [...found].sort();
}

/** SC1011: a folder (or the whole root) holds no file of a known content kind. */
function noContent(folder: string, root: string, options: LoadOptions, layout: ContentLayout): Diagnostic {
  const where = repoRelativePath(folder, root) || ".";
  const globs = layout.rules.filter((r) => r.kind !== "environments").map((r) => r.glob);
  const hint = options.kind ? `no YAML file found (kind forced to ${options.kind})` : `no YAML file of a known content kind found (the layout reads ${globs.join(", ")}; see sentinel-content.config.yaml)`;
  return makeDiagnostic("SC1011", { file: where }, `${where === "." ? "the repository" : where} holds no content: ${hint}`);
}

/** What a folder walk needs: the root, which files are wanted, and where to put them and the findings. */
interface Walk {
  root: string;
  /** The root with symbolic links resolved (links are judged against it). */
  realRoot: string;
  wanted: (absolutePath: string) => boolean;
  found: Set<string>;
  diagnostics: Diagnostic[];
  /** Real paths of the folders walked so far (a symbolic link back into one is a loop). */
  visited: Set<string>;
}

/**
 * Collects the wanted files below `dir`. Symbolic links are followed like the files and folders they point at
 * when they stay inside the root, and reported (never silently skipped) when they leave it or loop; devices,
 * FIFOs and sockets with a content file's name are reported, never opened.
 */
async function walk(dir: string, context: Walk): Promise<void> {
  const real = realPathOf(dir);
  if (real === undefined) return;
  if (context.visited.has(real)) {
    const message = "the folder is reached again through a symbolic link (a loop); it is walked once";
    context.diagnostics.push(makeDiagnostic("SC1015", { file: repoRelativePath(dir, context.root) }, message));
    return;
  }
  context.visited.add(real);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const absolutePath = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) await followLink(absolutePath, entry.name, context);
    else if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) await walk(absolutePath, context);
    } else if (context.wanted(absolutePath)) context.found.add(absolutePath);
  }
}

async function followLink(absolutePath: string, name: string, context: Walk): Promise<void> {
  const target = realPathOf(absolutePath);
  const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
  if (target === undefined || !info) {
    if (context.wanted(absolutePath)) context.found.add(absolutePath);
    return;
  }
  if (!isWithin(context.realRoot, target)) {
    if (info.isDirectory() || context.wanted(absolutePath)) {
      const message = `symbolic link to ${info.isDirectory() ? "a folder" : "a file"} outside the repository; it is not followed`;
      context.diagnostics.push(makeDiagnostic("SC1013", { file: repoRelativePath(absolutePath, context.root) }, message));
    }
    return;
  }
  if (info.isDirectory()) {
    if (!SKIPPED_FOLDERS.has(name)) await walk(absolutePath, context);
  } else if (context.wanted(absolutePath)) context.found.add(absolutePath);
}

async function isFile(absolutePath: string): Promise<boolean> {
  return (await stat(absolutePath).catch(() => undefined))?.isFile() ?? false;
}
