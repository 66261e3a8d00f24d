/** Typed reads of schema-validated content data (values of unexpected shape read as absent). */

import { isRecord } from "../content/record.ts";

/** The value as a plain mapping, or an empty one. */
export function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The value as a list, or an empty one (null and absent lists are empty). */
export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value if it is a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** The string items of a list with their indexes. */
export function stringItems(value: unknown): { value: string; index: number }[] {
  return asList(value).flatMap((item, index) => (typeof item === "string" ? [{ value: item, index }] : []));
}
