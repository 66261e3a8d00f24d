import { groupKey, type Value } from "../values.ts";

/** One cell as a part of a composite key; tags keep values of different types apart. */
function keyPart(value: Value): string {
  switch (typeof value) {
    case "string":
      return `s${value.length}:${value}`;
    case "number":
      return `n${Object.is(value, -0) ? 0 : value}`;
    case "bigint":
      return `b${value}`;
    case "boolean":
      return value ? "T" : "F";
    default:
      return groupKey(value);
  }
}

/**
 * A hashable join key for the cells at `positions`, or null when any of them is null (null keys never match).
 * One primitive cell is its own key; dynamic cells and composite keys become tagged strings.
 */
export function keyOfValues(row: readonly Value[], positions: readonly number[]): unknown {
  if (positions.length === 1) {
    const value = row[positions[0] as number];
    if (value === null || value === undefined) return null;
    if (typeof value === "object") return keyPart(value);
    return Object.is(value, -0) ? 0 : value;
  }
  let key = "";
  for (const p of positions) {
    const value = row[p];
    if (value === null || value === undefined) return null;
    key += keyPart(value) + "\u0000";
  }
  return key;
}
