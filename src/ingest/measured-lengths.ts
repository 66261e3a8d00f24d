/**
 * Text fields whose size detections need, with the stream field their length travels in. Lengths are
 * measured on the event as the vendor sent it, before the batcher cuts long values to Log Analytics'
 * 64 KB, so the largest pastes keep their true size.
 */
const MEASURED: readonly (readonly [field: string, path: readonly string[]])[] = [
  ["content_length", ["message", "content", "value"]],
  ["input_length", ["input"]],
  ["output_length", ["output"]],
];

function valueAt(event: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = event;
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Characters (Unicode code points, as KQL's strlen counts them) of a text, or of a structured value's JSON text. */
export function characterCount(value: unknown): number {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** The event with `content_length`, `input_length` and `output_length` added for the fields it carries. */
export function withMeasuredLengths(event: Record<string, unknown>): Record<string, unknown> {
  let measured: Record<string, unknown> | undefined;
  for (const [field, path] of MEASURED) {
    const value = valueAt(event, path);
    if (value === undefined || value === null) continue;
    measured ??= { ...event };
    measured[field] = characterCount(value);
  }
  return measured ?? event;
}
