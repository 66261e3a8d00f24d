import type { ResourceKind } from "./api-versions.ts";
import { asRecord } from "../checks/fields.ts";
import { assertNever } from "../diagnostics/index.ts";

/** The tag (or label) name that marks repo-owned resources. */
export const MARKER_NAME = "managed-by";

/**
 * The marker value: the toolkit, the repository identity from environments.yaml, and the resource's own name
 * (`sentinel-content:<repository>@<name>`). Binding the marker to the name is what makes ownership uncopyable:
 * a portal "Duplicate" copies the description or tags verbatim but gets a new name, so its marker names another
 * resource and it is not ours.
 */
export function markerValue(repository: string, resourceName: string): string {
  return `sentinel-content:${repository}@${resourceName.toLowerCase()}`;
}

/** The line appended to alert-rule descriptions (alertRules carry no tags). */
export function descriptionMarker(repository: string, resourceName: string): string {
  return `[${MARKER_NAME}: ${markerValue(repository, resourceName)}]`;
}

const DESCRIPTION_MARKER = /\n*\[managed-by: sentinel-content:([^\]\n]+)\]\s*$/;

/** Adds the marker line to a description. */
export function markDescription(description: string, repository: string, resourceName: string): string {
  const base = description.replace(/\s+$/, "");
  const marker = descriptionMarker(repository, resourceName);
  return base ? `${base}\n\n${marker}` : marker;
}

/** Removes the marker line from a description. */
export function unmarkDescription(description: string): string {
  return description.replace(DESCRIPTION_MARKER, "");
}

/** What a live resource's marker says: the repository, and the resource name it is bound to (none on markers written before binding). */
export interface Marker {
  repository: string;
  boundTo?: string;
}

/** The marker of a live resource body, or undefined when it carries none. */
export function readMarkerOf(kind: ResourceKind, body: unknown): Marker | undefined {
  const value = readMarker(kind, asRecord(body));
  const match = /^sentinel-content:(.+)$/.exec(value ?? "");
  if (!match) return undefined;
  const text = match[1] as string;
  const at = text.lastIndexOf("@");
  return at > 0 ? { repository: text.slice(0, at), boundTo: text.slice(at + 1) } : { repository: text };
}

/** The repository that marked a live resource body, or undefined when it carries no marker. */
export function markedRepository(kind: ResourceKind, body: unknown): string | undefined {
  return readMarkerOf(kind, body)?.repository;
}

/**
 * Whose a live resource is, for this repository:
 * - `owned`: our marker, bound to this resource's own name (we deployed it and nobody copied it here);
 * - `legacy`: our marker without a binding (written before markers were bound): updated in place, never pruned;
 * - `copied`: our marker bound to another name (a portal duplicate of one of ours): not ours;
 * - `foreign`: another repository's marker; `unmarked`: no marker (made by hand, or the marker was removed).
 */
export type Ownership = "owned" | "legacy" | "copied" | "foreign" | "unmarked";

/** Classifies a live resource against this repository (see Ownership). */
export function ownershipOf(kind: ResourceKind, body: unknown, resourceName: string, repository: string): Ownership {
  const marker = readMarkerOf(kind, body);
  if (!marker) return "unmarked";
  if (marker.repository !== repository) return "foreign";
  if (marker.boundTo === undefined) return "legacy";
  return marker.boundTo === resourceName.toLowerCase() ? "owned" : "copied";
}

function readMarker(kind: ResourceKind, body: Record<string, unknown>): string | undefined {
  const properties = asRecord(body["properties"]);
  switch (kind) {
    case "alert-rule": {
      const description = properties["description"];
      const match = typeof description === "string" ? DESCRIPTION_MARKER.exec(description) : null;
      return match ? `sentinel-content:${match[1] as string}` : undefined;
    }
    case "parser":
    case "hunting-query": {
      const tags = Array.isArray(properties["tags"]) ? (properties["tags"] as unknown[]) : [];
      const tag = tags.map(asRecord).find((t) => t["name"] === MARKER_NAME);
      return typeof tag?.["value"] === "string" ? tag["value"] : undefined;
    }
    case "watchlist": {
      const labels = Array.isArray(properties["labels"]) ? (properties["labels"] as unknown[]) : [];
      const label = labels.find((l): l is string => typeof l === "string" && l.startsWith(`${MARKER_NAME}=`));
      return label?.slice(MARKER_NAME.length + 1);
    }
    case "workbook":
    case "dcr": {
      const value = asRecord(body["tags"])[MARKER_NAME];
      return typeof value === "string" ? value : undefined;
    }
    case "table":
      return undefined;
    default:
      return assertNever(kind, "resource kind");
  }
}
