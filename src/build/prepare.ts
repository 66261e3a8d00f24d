import { existsSync } from "node:fs";
import path from "node:path";
import { buildContent, deployableItems, type ContentItem } from "./build-content.ts";
import type { BuiltResource } from "./types.ts";
import { hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { loadContentTree, type LoadedFile } from "../load/index.ts";
import { validateSchema } from "../schema/index.ts";
import { defaultEnvironmentsPath, loadEnvironments, resolveEnvironment, type ResolvedEnvironment } from "./environments.ts";

/** Everything deploy and drift need before talking to Azure. */
export interface PreparedDeployment {
  environment?: ResolvedEnvironment;
  resources: BuiltResource[];
  diagnostics: Diagnostic[];
  checkedFiles: number;
}

/** Loads the content (schema-checked), resolves the environment with its overlays and builds the REST bodies. */
export async function prepareDeployment(root: string, environmentName: string, environmentsPath?: string): Promise<PreparedDeployment> {
  const { items, environments, diagnostics, checkedFiles } = await loadItems(root);
  const envPath = environmentsPath ? path.resolve(environmentsPath) : defaultEnvironmentsPath(root);
  if (!existsSync(envPath)) {
    diagnostics.push(makeDiagnostic("SC7003", { file: path.relative(root, envPath) || envPath }, `no environments file at ${envPath}`));
    return { resources: [], diagnostics, checkedFiles };
  }
  const envFile = environmentsFile(root, envPath, environments);
  diagnostics.push(...envFile.diagnostics);
  if (!envFile.file || hasFailures(envFile.diagnostics)) return { resources: [], diagnostics, checkedFiles };
  const resolved = resolveEnvironment(envFile.file, environmentName, items);
  diagnostics.push(...resolved.diagnostics);
  if (!resolved.environment || hasFailures(diagnostics)) return { resources: [], diagnostics, checkedFiles };
  const built = buildContent(resolved.environment.items, { target: resolved.environment.target, repository: resolved.environment.repository });
  diagnostics.push(...built.diagnostics);
  return { environment: resolved.environment, resources: built.resources, diagnostics, checkedFiles };
}

/**
 * The environments file at `envPath` with its findings. The repository's own file comes from the tree, which
 * already read it (its load findings are in the tree's diagnostics): only its schema findings are added, and none
 * when it failed to load (already reported). Any other path is read now.
 */
export function environmentsFile(root: string, envPath: string, treeFile: LoadedFile | undefined): { file?: LoadedFile; diagnostics: Diagnostic[] } {
  if (envPath !== defaultEnvironmentsPath(root)) return loadEnvironments(envPath, root);
  return treeFile ? { file: treeFile, diagnostics: validateSchema(treeFile) } : { diagnostics: [] };
}

/**
 * Loads deployable content; files with load or schema errors are reported and the whole run refuses to deploy.
 * The tree's root environments file (not schema-checked here) comes back too.
 */
export async function loadItems(root: string): Promise<{ items: ContentItem[]; environments?: LoadedFile; diagnostics: Diagnostic[]; checkedFiles: number }> {
  const tree = await loadContentTree(root);
  const items = deployableItems(tree.files);
  const diagnostics = [...tree.diagnostics, ...items.flatMap((item) => validateSchema(item.file))];
  const environments = tree.files.find((f) => f.kind === "environments");
  return { items, ...(environments ? { environments } : {}), diagnostics, checkedFiles: tree.checked };
}
