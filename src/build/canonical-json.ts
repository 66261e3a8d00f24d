import { isRecord } from "../content/record.ts";

/** JSON with object keys sorted and null/undefined members dropped, so key order never shows up as a difference. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isRecord(value)) {
    return Object.fromEntries(Object.keys(value).sort().filter((k) => value[k] !== null && value[k] !== undefined).map((k) => [k, sortKeys(value[k])]));
  }
  return value;
}
