import { describe, expect, it } from "vitest";
import { parseJsonExact } from "./json-exact.ts";

describe("parseJsonExact", () => {
  it.each<[string, unknown]>([
    ['{"a": 851673153924341805}', { a: 851673153924341805n }],
    ['[-9223372036854775808, 9007199254740991, 1.5e300, 12345678901234567.5]', [-9223372036854775808n, 9007199254740991, 1.5e300, Number("12345678901234567.5")]],
    ['{"s": "851673153924341805", "t": "a\\"851673153924341805"}', { s: "851673153924341805", t: 'a"851673153924341805' }],
    ["[1, 2]", [1, 2]],
  ])("%s", (text, expected) => {
    expect(parseJsonExact(text)).toEqual(expected);
  });

  it("throws JSON.parse's error on invalid JSON", () => {
    expect(() => parseJsonExact("{851673153924341805}")).toThrow(SyntaxError);
  });
});
