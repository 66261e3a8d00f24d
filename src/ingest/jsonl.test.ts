import { describe, expect, it } from "vitest";
import { JsonLinesSplitter, eventIdOf, projectToStream, readJsonLines, type NumberedLine } from "./jsonl.ts";

/** Splits `bytes` into chunks of `size` bytes (the last one shorter). */
function chunksOf(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

function split(chunks: readonly Uint8Array[], maxLineBytes?: number): NumberedLine[] {
  const splitter = new JsonLinesSplitter(maxLineBytes);
  return [...chunks.flatMap((c) => splitter.push(c)), ...splitter.end()];
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

// CRLF endings, blank and whitespace-only lines, a malformed line, a non-object, multi-byte characters
// (2, 3 and 4 bytes in UTF-8) and a last line without LF.
const SAMPLE = '\uFEFF{"a":1,"t":"é"}\r\n\n  \r\n{"b":"日本"}\nnope\r\n"str"\n{"c":"😀x"}\r\n\r\n{"d":4}';

const EXPECTED: NumberedLine[] = [
  { lineNo: 1, ordinal: 1, ok: true, event: { a: 1, t: "é" } },
  { lineNo: 4, ordinal: 2, ok: true, event: { b: "日本" } },
  { lineNo: 5, ordinal: 3, ok: false, reason: expect.stringMatching(/^not JSON/) as unknown as string },
  { lineNo: 6, ordinal: 4, ok: false, reason: "not a JSON object" },
  { lineNo: 7, ordinal: 5, ok: true, event: { c: "😀x" } },
  { lineNo: 9, ordinal: 6, ok: true, event: { d: 4 } },
];

describe("JSON Lines splitting", () => {
  it("numbers every line from 1, counts only non-blank lines as ordinals, accepts CRLF and drops a leading BOM", () => {
    expect(split([utf8(SAMPLE)])).toEqual(EXPECTED);
  });

  // Chunk sizes 1 to 7 put a boundary inside every multi-byte character, between every CR and LF, and
  // inside the BOM; the result must not depend on where the chunks end.
  it.each([1, 2, 3, 4, 5, 6, 7, 64])("gives the same lines when the bytes arrive in chunks of %i", (size) => {
    expect(split(chunksOf(utf8(SAMPLE), size))).toEqual(EXPECTED);
  });

  it.each([
    { label: "a 2-byte character (é = C3 A9)", text: '{"v":"é"}\n', cut: 7 },
    { label: "a 3-byte character (日 = E6 97 A5)", text: '{"v":"日"}\n', cut: 8 },
    { label: "a 4-byte character (😀 = F0 9F 98 80)", text: '{"v":"😀"}\n', cut: 9 },
    { label: "CR and LF", text: '{"v":"x"}\r\n{"w":1}', cut: 10 },
  ])("joins a line cut inside $label", ({ text, cut }) => {
    const bytes = utf8(text);
    const whole = split([bytes]);
    expect(split([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    expect(whole.every((l) => l.ok)).toBe(true);
    expect(JSON.stringify(whole)).not.toContain("\\ufffd");
  });

  it.each([
    { text: "", lines: 0 },
    { text: "\n\n\r\n", lines: 0 },
    { text: '{"a":1}', lines: 1 },
    { text: '{"a":1}\n', lines: 1 },
    { text: '{"a":1}\r', lines: 1 },
  ])("reads $lines line(s) from $text", ({ text, lines }) => {
    expect(split([utf8(text)])).toHaveLength(lines);
  });

  it("replaces invalid UTF-8 with U+FFFD as a whole-body decode would", () => {
    const bytes = new Uint8Array([...utf8('{"v":"'), 0xff, 0xe6, 0x97, ...utf8('"}\n')]);
    const expected = new TextDecoder().decode(bytes).trim();
    const [line] = split(chunksOf(bytes, 1));
    expect(line).toMatchObject({ ok: true, event: JSON.parse(expected) as object });
  });

  it("keeps a BOM that does not start the body (it makes the line unreadable, as before)", () => {
    expect(split([utf8('{"a":1}\n\uFEFF{"b":2}\n')])[1]).toMatchObject({ lineNo: 2, ok: false });
  });

  it("reports a line longer than the limit as unreadable without keeping it, and reads on", () => {
    const text = `{"a":"${"x".repeat(100)}"}\n{"b":2}\n`;
    const lines = split(chunksOf(utf8(text), 9), 50);
    expect(lines).toEqual([
      { lineNo: 1, ordinal: 1, ok: false, reason: "longer than 50 bytes (not read)" },
      { lineNo: 2, ordinal: 2, ok: true, event: { b: 2 } },
    ]);
  });

  it.each([0, 1, 3, 6])("counts but does not return the first %i non-blank lines when told to skip them", (skip) => {
    const splitter = new JsonLinesSplitter(undefined, skip);
    const lines = [...chunksOf(utf8(SAMPLE), 4).flatMap((c) => splitter.push(c)), ...splitter.end()];
    expect(lines).toEqual(EXPECTED.slice(skip));
  });

  it("reads lines from an async stream of chunks", async () => {
    async function* body(): AsyncGenerator<Uint8Array> {
      yield* chunksOf(utf8(SAMPLE), 3);
    }
    const lines: NumberedLine[] = [];
    for await (const line of readJsonLines(body())) lines.push(line);
    expect(lines).toEqual(EXPECTED);
  });

  it("reads event_id only when it is a non-empty string", () => {
    expect(eventIdOf({ event_id: "x" })).toBe("x");
    expect(eventIdOf({ event_id: "" })).toBeUndefined();
    expect(eventIdOf({ event_id: 7 })).toBeUndefined();
    expect(eventIdOf({ id: "y" }, "id")).toBe("y");
  });

  it("keeps only declared stream keys", () => {
    expect(projectToStream({ a: 1, b: { c: 2 }, input: "secret" }, new Set(["a", "b"]))).toEqual({ a: 1, b: { c: 2 } });
  });
});
