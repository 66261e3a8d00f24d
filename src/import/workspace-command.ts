import path from "node:path";
import { runImportWorkspace, type ImportOptions } from "./import-command.ts";
import type { WorkspaceTarget } from "../build/workspace.ts";
import { ExitError } from "../diagnostics/index.ts";
import { createArmClient, isLoopbackHost, type ArmClient } from "../deploy/arm-client.ts";
import { createCredential } from "../deploy/credential.ts";
import { defaultEnvironmentsPath, loadEnvironments } from "../build/environments.ts";
import { fakeCredential } from "../ingest/fakes/credential.ts";

/** Options of `import workspace`. */
export interface WorkspaceCommandOptions extends ImportOptions {
  env?: string;
  environments?: string;
  root?: string;
  subscription?: string;
  resourceGroup?: string;
  workspace?: string;
  armEndpoint?: string;
}

/** `import workspace`: the target from --env or the three coordinates, then the same ARM client deploy uses. */
export async function runImportWorkspaceCommand(options: WorkspaceCommandOptions, write: (text: string) => void): Promise<number> {
  const target = workspaceTarget(options);
  return runImportWorkspace(armClient(options.armEndpoint), target, options, write);
}

function workspaceTarget(options: WorkspaceCommandOptions): WorkspaceTarget {
  if (options.subscription && options.resourceGroup && options.workspace) {
    return { subscriptionId: options.subscription, resourceGroup: options.resourceGroup, workspaceName: options.workspace, location: "" };
  }
  if (!options.env) throw new ExitError(2, "give --env <name>, or --subscription, --resource-group and --workspace");
  const root = path.resolve(options.root ?? process.cwd());
  const file = loadEnvironments(options.environments ? path.resolve(options.environments) : defaultEnvironmentsPath(root), root);
  const env = file.file?.value?.environments[options.env];
  if (!env) throw new ExitError(2, `no environment "${options.env}" in ${options.environments ?? "environments.yaml"}${file.diagnostics[0] ? ` (${file.diagnostics[0].message})` : ""}`);
  return { subscriptionId: env.subscriptionId, resourceGroup: env.resourceGroup, workspaceName: env.workspaceName, location: env.location };
}

function armClient(endpoint: string | undefined): ArmClient {
  if (endpoint) {
    if (!isLoopbackHost(endpoint)) throw new ExitError(2, "--arm-endpoint is for the loopback emulator only (127.0.0.1 or localhost)");
    return createArmClient({ credential: fakeCredential, endpoint, insecureLoopback: true });
  }
  return createArmClient({ credential: createCredential(), userAgent: "sentinel-content" });
}
