/** One line of a downloaded log file: its 1-based number and the parsed object, or why it is unusable. */
export type LogLine =
  | { lineNo: number; ok: true; event: Record<string, unknown> }
  | { lineNo: number; ok: false; reason: string };

/** Splits a JSON Lines text into lines (blank lines skipped; CRLF accepted), each parsed to an object. */
export function splitJsonLines(text: string): LogLine[] {
  const lines: LogLine[] = [];
  const raw = text.split("\n");
  for (let i = 0; i < raw.length; i++) {
    const line = (raw[i] ?? "").replace(/\r$/, "");
    if (line.trim() === "") continue;
    lines.push(parseLine(line, i + 1));
  }
  return lines;
}

function parseLine(line: string, lineNo: number): LogLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { lineNo, ok: false, reason: `not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { lineNo, ok: false, reason: "not a JSON object" };
  }
  return { lineNo, ok: true, event: value as Record<string, unknown> };
}

/** The event's `event_id` when it is a non-empty string. */
export function eventIdOf(event: Record<string, unknown>, key = "event_id"): string | undefined {
  const id = event[key];
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Keeps only the keys the stream declares (the DCR would drop the others; not sending them saves bytes). */
export function projectToStream(event: Record<string, unknown>, columns: ReadonlySet<string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const key of Object.keys(event)) {
    if (columns.has(key)) row[key] = event[key];
  }
  return row;
}
