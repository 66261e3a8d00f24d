import { existsSync } from "node:fs";
import path from "node:path";
import { buildContent, deployableItems, type ContentItem } from "./build-content.ts";
import type { BuiltResource } from "./types.ts";
import { hasFailures, makeDiagnostic, type Diagnostic } from "../diagnostics/index.ts";
import { entriesOfKind, loadRepository, type ContentEntry, type Repository } from "../repository/index.ts";
import { defaultEnvironmentsPath, loadEnvironments, resolveEnvironment, type ResolvedEnvironment } from "./environments.ts";

/** Everything deploy and drift need before talking to Azure. */
export interface PreparedDeployment {
  environment?: ResolvedEnvironment;
  resources: BuiltResource[];
  diagnostics: Diagnostic[];
  checkedFiles: number;
}

/** Takes the repository (loaded now unless given), resolves the environment with its overlays and builds the REST bodies. */
export async function prepareDeployment(root: string, environmentName: string, environmentsPath?: string, repository?: Repository): Promise<PreparedDeployment> {
  const { items, environments, diagnostics, checkedFiles } = repositoryItems(repository ?? (await loadRepository(root)));
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
 * The environments file at `envPath` with its findings. The repository's own file comes from the repository, which
 * already read and schema-checked it (its load findings are in the repository's): its schema findings are added, and
 * none when it failed to load (already reported). Any other path is read now.
 */
export function environmentsFile(root: string, envPath: string, treeFile: ContentEntry<"environments"> | undefined): { file?: ContentEntry<"environments">; diagnostics: Diagnostic[] } {
  if (envPath !== defaultEnvironmentsPath(root)) return loadEnvironments(envPath, root);
  return treeFile ? { file: treeFile, diagnostics: treeFile.diagnostics } : { diagnostics: [] };
}

/**
 * The repository's deployable content with the load findings and its files' schema findings: with any error the whole
 * run refuses to deploy. The root environments file comes back too (its schema findings are not among these).
 */
export function repositoryItems(repository: Repository): { items: ContentItem[]; environments?: ContentEntry<"environments">; diagnostics: Diagnostic[]; checkedFiles: number } {
  const items = deployableItems(repository.entries);
  const schemaFindings = items.flatMap((item) => repository.files.get(item.file.path)?.diagnostics ?? []);
  const environments = entriesOfKind(repository, "environments")[0];
  return { items, ...(environments ? { environments } : {}), diagnostics: [...repository.loadDiagnostics, ...schemaFindings], checkedFiles: repository.checkedFiles };
}

/** The ownership marker of the built bodies: the environments file's `repository`, else "sentinel-content" when there is no such file. */
export function repositoryMarker(environments: ContentEntry<"environments"> | undefined): { marker: string; diagnostics: Diagnostic[] } {
  if (environments?.value) return { marker: environments.value.repository, diagnostics: [] };
  // a file its schema refuses gives no marker: building under the default one would silently change ownership
  return { marker: "sentinel-content", diagnostics: environments?.diagnostics ?? [] };
}
