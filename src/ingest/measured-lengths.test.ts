import { describe, expect, it } from "vitest";
import { fitRow } from "./batcher.ts";
import { characterCount, withMeasuredLengths } from "./measured-lengths.ts";

describe("lengths measured before truncation", () => {
  it.each([
    ["a message's text", { message: { content: { value: "héllo ⒦" } } }, { content_length: 7 }],
    ["an APP_LOG input object (its JSON text)", { input: { query: "abc" } }, { input_length: JSON.stringify({ query: "abc" }).length }],
    ["an APP_LOG output string", { output: "four" }, { output_length: 4 }],
    ["nothing to measure", { action: "LOGIN" }, {}],
  ])("%s", (_, event, lengths) => {
    expect(withMeasuredLengths(event)).toEqual({ ...event, ...lengths });
  });

  it("keeps the true length of a paste longer than the 64 KB Log Analytics stores", () => {
    const paste = "x".repeat(200_000) + "🙂";
    const measured = withMeasuredLengths({ event_id: "e1", message: { content: { value: paste } } });
    const fitted = fitRow(measured, 150_000);
    expect(fitted?.shrunk).toBe(true);
    expect(fitted?.row.content_length).toBe(200_001);
    expect(characterCount((fitted?.row.message as { content: { value: string } }).content.value)).toBe(65_536);
  });
});
