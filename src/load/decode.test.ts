import { describe, expect, it } from "vitest";
import { decodeContent, firstInvalidUtf8 } from "./decode.ts";

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("firstInvalidUtf8", () => {
  it.each([
    ["ascii", utf8("abc"), undefined],
    ["multi-byte", utf8("é€😀"), undefined],
    ["lone continuation", bytes(0x61, 0x80), 1],
    ["latin-1 é", bytes(0x43, 0x61, 0x66, 0xe9), 3],
    ["truncated 3-byte", bytes(0xe2, 0x82), 0],
    ["overlong slash", bytes(0xc0, 0xaf), 0],
    ["overlong 3-byte", bytes(0xe0, 0x80, 0x80), 0],
    ["surrogate", bytes(0xed, 0xa0, 0x80), 0],
    ["beyond U+10FFFF", bytes(0xf4, 0x90, 0x80, 0x80), 0],
  ])("%s", (_name, input, expected) => {
    expect(firstInvalidUtf8(input)).toBe(expected);
  });
});

describe("decodeContent", () => {
  it.each([
    ["UTF-16 BOM", bytes(0xff, 0xfe, 0x61, 0x00), "SC1005", "1:1"],
    ["NUL on line 2", utf8("a: 1\nb: \0"), "SC1004", "2:4"],
    ["control character", utf8("a: 1\nb: x\u0007"), "SC1004", "2:5"],
    ["invalid byte after multi-byte text", Uint8Array.from([...utf8("é: 1\nb: "), 0xff]), "SC1005", "2:4"],
    ["over the size limit", utf8("x".repeat(11)), "SC1003", "1:1"],
  ])("%s → %s at %s", (_name, input, code, position) => {
    const { diagnostic } = decodeContent(input, "f.yaml", 10);
    expect(`${diagnostic?.code} ${diagnostic?.line}:${diagnostic?.col}`).toBe(`${code} ${position}`);
  });

  it("decodes UTF-8 text, dropping a BOM and keeping tabs and CRLF", () => {
    expect(decodeContent(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8("a:\t1\r\n")]), "f.yaml").text).toBe("a:\t1\r\n");
  });
});
