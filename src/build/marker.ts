import type { ResourceKind } from "./api-versions.ts";
import { assertNever } from "../diagnostics/index.ts";

/** The tag (or label) name that marks repo-owned resources. */
export const MARKER_NAME = "managed-by";

/** The marker value: the toolkit and the repository identity from environments.yaml. */
export function markerValue(repository: string): string {
  return `sentinel-content:${repository}`;
}

/** The line appended to alert-rule descriptions (alertRules carry no tags). */
export function descriptionMarker(repository: string): string {
  return `[${MARKER_NAME}: ${markerValue(repository)}]`;
}

const DESCRIPTION_MARKER = /\n*\[managed-by: sentinel-content:([^\]\n]+)\]\s*$/;

/** Adds the marker line to a description. */
export function markDescription(description: string, repository: string): string {
  const base = description.replace(/\s+$/, "");
  return base ? `${base}\n\n${descriptionMarker(repository)}` : descriptionMarker(repository);
}

/** Removes the marker line from a description. */
export function unmarkDescription(description: string): string {
  return description.replace(DESCRIPTION_MARKER, "");
}

/** The repository that marked a live resource body, or undefined when it carries no marker (then it is never pruned). */
export function markedRepository(kind: ResourceKind, body: unknown): string | undefined {
  const value = readMarker(kind, asRecord(body));
  const match = /^sentinel-content:(.+)$/.exec(value ?? "");
  return match?.[1];
}

function readMarker(kind: ResourceKind, body: Record<string, unknown>): string | undefined {
  const properties = asRecord(body["properties"]);
  switch (kind) {
    case "alert-rule": {
      const description = properties["description"];
      const match = typeof description === "string" ? DESCRIPTION_MARKER.exec(description) : null;
      return match ? markerValue(match[1] as string) : undefined;
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

/** The value as a record, or an empty one. */
export function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
