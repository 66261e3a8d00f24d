/** One line of a downloaded log file: its 1-based number and the parsed object, or why it is unusable. */
export type LogLine =
  | { lineNo: number; ok: true; event: Record<string, unknown> }
  | { lineNo: number; ok: false; reason: string };

/** A non-blank line with its 1-based position among the file's non-blank lines (what checkpoints count). */
export type NumberedLine = LogLine & { ordinal: number };

/** Longest line read, in bytes: a longer line is reported unreadable and skipped without being held in memory. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;
const EMPTY = new Uint8Array(0);

/**
 * Splits JSON Lines arriving in byte chunks of any size: a line may span chunks, a chunk may end inside a
 * UTF-8 character or between CR and LF. Lines end at LF (a CR before it is dropped); blank lines are
 * skipped but still numbered; a leading byte-order mark is dropped; the last line needs no LF. Only the
 * current partial line is kept between chunks, and no more than `maxLineBytes` of it. The first `skip`
 * non-blank lines (already consumed in an earlier read) are counted but neither parsed nor returned.
 */
export class JsonLinesSplitter {
  readonly #decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  #parts: Uint8Array[] = [];
  #bytes = 0;
  #lineNo = 0;
  #ordinal = 0;

  constructor(
    readonly maxLineBytes: number = MAX_LINE_BYTES,
    readonly skip = 0,
  ) {}

  /** Feeds the next chunk; returns the lines it completes. */
  push(chunk: Uint8Array): NumberedLine[] {
    const out: NumberedLine[] = [];
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, start)) {
      this.#complete(out, chunk.subarray(start, nl));
      start = nl + 1;
    }
    this.#keep(chunk.subarray(start));
    return out;
  }

  /** Ends the input; returns the last line when it had no LF. */
  end(): NumberedLine[] {
    const out: NumberedLine[] = [];
    if (this.#bytes > 0) this.#complete(out, EMPTY);
    return out;
  }

  /** Adds a piece to the partial line (copied: the chunk may be reused), or only counts it once the line is too long. */
  #keep(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.#bytes += piece.length;
    if (this.#bytes > this.maxLineBytes) this.#parts = [];
    else this.#parts.push(piece.slice());
  }

  /** Ends the partial line with `tail` (the bytes before the LF) and parses it unless it is blank. */
  #complete(out: NumberedLine[], tail: Uint8Array): void {
    const lineNo = ++this.#lineNo;
    const bytes = this.#bytes + tail.length;
    const parts = this.#parts;
    this.#parts = [];
    this.#bytes = 0;
    if (bytes > this.maxLineBytes) {
      const ordinal = ++this.#ordinal;
      if (ordinal > this.skip) out.push({ lineNo, ordinal, ok: false, reason: `longer than ${this.maxLineBytes} bytes (not read)` });
      return;
    }
    let text = this.#decoder.decode(parts.length === 0 ? tail : Buffer.concat([...parts, tail], bytes));
    if (lineNo === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return;
    const ordinal = ++this.#ordinal;
    if (ordinal > this.skip) out.push({ ...parseLine(text, lineNo), ordinal });
  }
}

/** Reads JSON Lines from a stream of byte chunks, one line at a time, after the first `skip` (see JsonLinesSplitter). */
export async function* readJsonLines(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number = MAX_LINE_BYTES, skip = 0): AsyncGenerator<NumberedLine> {
  const splitter = new JsonLinesSplitter(maxLineBytes, skip);
  for await (const chunk of chunks) yield* splitter.push(chunk);
  yield* splitter.end();
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
