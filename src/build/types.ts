import { apiVersionOf, type ResourceKind } from "./api-versions.ts";
import type { Diagnostic, Location } from "../diagnostics/index.ts";
import { collectionId, type WorkspaceTarget } from "./workspace.ts";
import type { DocPath } from "../load/index.ts";

/** One Azure resource the repository wants to exist, with its exact REST body. */
export interface BuiltResource {
  /** `<kind>/<name>`: the identity used by plan, apply, prune and drift. */
  key: string;
  kind: ResourceKind;
  /** Resource name (the last segment of the id). */
  name: string;
  /** Human name for reports. */
  title: string;
  /** Full ARM resource id. */
  resourceId: string;
  apiVersion: string;
  /** The PUT body. */
  body: Record<string, unknown>;
  /** Where it came from. */
  source: { file: string; contentId: string };
}

/** The identity of a resource for plan, apply, prune and drift: `<kind>/<name>`, the name lower-cased as ARM compares it. */
export function resourceKey(kind: ResourceKind, name: string): string {
  return `${kind}/${name.toLowerCase()}`;
}

/**
 * A resource of `kind` named `name` in the target workspace: its key and resource id follow from those, and its
 * api-version from the kind unless one is given.
 */
export function builtResource(
  kind: ResourceKind,
  name: string,
  target: WorkspaceTarget,
  rest: Pick<BuiltResource, "title" | "body" | "source"> & { apiVersion?: string },
): BuiltResource {
  return {
    key: resourceKey(kind, name),
    kind,
    name,
    title: rest.title,
    resourceId: `${collectionId(kind, target)}/${name}`,
    apiVersion: rest.apiVersion ?? apiVersionOf(kind),
    body: rest.body,
    source: rest.source,
  };
}

/** What every builder gets besides the content. */
export interface BuildContext {
  target: WorkspaceTarget;
  /** Repository identity written into the ownership marker. */
  repository: string;
}

/** What a builder returns: the resources (none on error) and findings. */
export interface BuildOutput {
  resources: BuiltResource[];
  diagnostics: Diagnostic[];
}

/** Maps a path inside the content to a location in its file (findings with file:line:col). */
export type Locator = (path: DocPath) => Location;
