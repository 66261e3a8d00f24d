/** Whether a parsed YAML or JSON value is a mapping (an object that is neither null nor a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The mappings of a parsed list, in order (its other items dropped; no list: none). */
export function recordsOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
