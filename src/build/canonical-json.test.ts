import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json.ts";

describe("canonicalJson", () => {
  it.each([
    { name: "sorts object keys at every depth", value: { b: 1, a: { d: 2, c: 3 } }, json: '{"a":{"c":3,"d":2},"b":1}' },
    { name: "drops null and undefined members", value: { a: null, b: undefined, c: 0 }, json: '{"c":0}' },
    { name: "keeps array order and sorts objects inside arrays", value: [{ y: 1, x: 2 }, 3], json: '[{"x":2,"y":1},3]' },
    { name: "leaves scalars as JSON", value: "text", json: '"text"' },
  ])("$name", ({ value, json }) => {
    expect(canonicalJson(value)).toBe(json);
  });
});
