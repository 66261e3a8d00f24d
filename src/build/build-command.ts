import path from "node:path";
import { buildArmTemplate } from "./arm-template.ts";
import { buildContent } from "./build-content.ts";
import type { BuiltResource } from "./types.ts";
import { PLACEHOLDER_WORKSPACE, type WorkspaceTarget } from "./workspace.ts";
import { formatHuman } from "../diagnostics/format/index.ts";
import { hasFailures, type Diagnostic } from "../diagnostics/index.ts";
import { prepareDeployment, repositoryItems, repositoryMarker } from "./prepare.ts";
import { loadRepository } from "../repository/index.ts";
import { writeFileAtomic } from "../files/write-atomic.ts";

/** Options of `build`. */
export interface BuildCommandOptions {
  out?: string;
  armTemplate?: boolean;
  env?: string;
  environments?: string;
  root?: string;
}

/**
 * Writes one REST body per resource (`<out>/<kind>/<name>.json`), a manifest (resource id, api-version, source
 * file per body) and, with --arm-template, `<out>/azuredeploy.json`. Exit 0, or 1 on findings.
 */
export async function runBuildCommand(options: BuildCommandOptions, write: (text: string) => void): Promise<number> {
  const root = path.resolve(options.root ?? process.cwd());
  const built = options.env ? await buildForEnvironment(root, options.env, options.environments) : await buildWithoutEnvironment(root);
  if (built.diagnostics.length > 0) write(formatHuman(built.diagnostics, built.checkedFiles));
  if (hasFailures(built.diagnostics)) return 1;
  const out = path.resolve(options.out ?? path.join(root, "out"));
  const manifest = built.resources.map((r) => ({ key: r.key, kind: r.kind, resourceId: r.resourceId, apiVersion: r.apiVersion, source: r.source.file, body: `${r.kind}/${r.name}.json` }));
  for (const resource of built.resources) await writeAtomic(path.join(out, resource.kind, `${resource.name}.json`), json(resource.body));
  await writeAtomic(path.join(out, "manifest.json"), json(manifest));
  if (options.armTemplate) await writeAtomic(path.join(out, "azuredeploy.json"), json(buildArmTemplate(built.resources, built.target)));
  write(`Built ${built.resources.length} resources into ${path.relative(process.cwd(), out) || "."}${options.armTemplate ? " (and azuredeploy.json)" : ""}.\n`);
  return 0;
}

interface BuildResult {
  resources: BuiltResource[];
  diagnostics: Diagnostic[];
  checkedFiles: number;
  target: WorkspaceTarget;
}

async function buildForEnvironment(root: string, env: string, environments: string | undefined): Promise<BuildResult> {
  const prepared = await prepareDeployment(root, env, environments);
  return { ...prepared, target: prepared.environment?.target ?? PLACEHOLDER_WORKSPACE };
}

async function buildWithoutEnvironment(root: string): Promise<BuildResult> {
  const { items, environments, diagnostics, checkedFiles } = repositoryItems(await loadRepository(root));
  const { marker: repository, diagnostics: markerFindings } = repositoryMarker(environments);
  diagnostics.push(...markerFindings);
  if (hasFailures(diagnostics)) return { resources: [], diagnostics, checkedFiles, target: PLACEHOLDER_WORKSPACE };
  const built = buildContent(items, { target: PLACEHOLDER_WORKSPACE, repository });
  return { resources: built.resources, diagnostics: [...diagnostics, ...built.diagnostics], checkedFiles, target: PLACEHOLDER_WORKSPACE };
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Build output is ordinary repository output: readable by all, as a plain write would make it. */
function writeAtomic(file: string, text: string): Promise<void> {
  return writeFileAtomic(file, text, 0o666);
}
