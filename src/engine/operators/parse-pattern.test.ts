import { describe, expect, it } from "vitest";
import type { Value } from "../values.ts";
import { compilePattern, convertCapture, matchPattern, PatternRefusal, type ParseKind, type PatternPart } from "./parse-pattern.ts";

const lit = (text: string): PatternPart => ({ kind: "literal", text });
const star: PatternPart = { kind: "star" };
const str = (name: string): PatternPart => ({ kind: "capture", name, type: "string" });
const long = (name: string): PatternPart => ({ kind: "capture", name, type: "long" });
const date = (name: string): PatternPart => ({ kind: "capture", name, type: "datetime" });

const EVENT =
  "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)";
// Microsoft's parse example: * "resourceName=" resourceName ", totalSlices=" totalSlices:long * "sliceNumber=" sliceNumber:long * "lockTime=" lockTime ", releaseTime=" releaseTime:date "," * "previousLockTime=" previousLockTime:date ")" *
const DOC_PATTERN: PatternPart[] = [
  star, lit("resourceName="), str("resourceName"), lit(", totalSlices="), long("totalSlices"), star, lit("sliceNumber="), long("sliceNumber"),
  star, lit("lockTime="), str("lockTime"), lit(", releaseTime="), date("releaseTime"), lit(","), star, lit("previousLockTime="), date("previousLockTime"), lit(")"), star,
];

describe("matchPattern", () => {
  it("parses Microsoft's documented example (kind=simple)", () => {
    expect(matchPattern(compilePattern(DOC_PATTERN, "simple"), EVENT)).toEqual([
      "PipelineScheduler", 27, 23, "02/17/2016 08:40:01", 1455698401_0000000n, 1455698341_0000000n,
    ]);
  });

  it("fails the whole match when a typed capture is not of its type (the parse-where example)", () => {
    expect(matchPattern(compilePattern(DOC_PATTERN, "simple"), EVENT.replace("sliceNumber=23", "sliceNumber=invalid_number"))).toBeUndefined();
    expect(matchPattern(compilePattern(DOC_PATTERN, "simple"), EVENT.replace("releaseTime=02/17/2016 08:40:01", "releaseTime=invalid_datetime"))).toBeUndefined();
  });

  it("sets only the bad capture to null in kind=relaxed", () => {
    const values = matchPattern(compilePattern(DOC_PATTERN, "relaxed"), EVENT.replace("totalSlices=27", "totalSlices=invalid_number"));
    expect(values?.slice(0, 3)).toEqual(["PipelineScheduler", null, 23]);
  });

  it.each<[string, PatternPart[], ParseKind, string, string, Value[] | undefined]>([
    ["the last capture takes the rest of the text", [star, lit("user="), str("u")], "simple", "", "a user=bob smith", ["bob smith"]],
    ["a string capture ends at the first delimiter", [star, lit("k="), str("v"), lit(" "), star], "simple", "", "x k=1 2 3", ["1"]],
    ["simple patterns are anchored at the start", [lit("k="), str("v")], "simple", "", "x k=1", undefined],
    ["delimiters are literal in simple mode", [star, lit("a.b"), str("v")], "simple", "", "aXb1 a.b2", ["2"]],
    ["the empty string does not match a literal", [star, lit("="), str("v")], "simple", "", "", undefined],
    ["regex mode is greedy by default (Microsoft's flags example)", [star, lit("resourceName="), str("r"), lit(","), star], "regex", "", "resourceName=P, a=1, b=2", ["P, a=1"]],
    ["regex flags U and i make it lazy and case-insensitive", [star, lit("RESOURCENAME="), str("r"), lit(","), star], "regex", "Ui", "resourceName=P, a=1, b=2", ["P"]],
    ["regex delimiters are RE2", [lit("[a-z]+="), { kind: "capture", name: "n", type: "long" }], "regex", "", "abc=42", [42]],
  ])("%s", (_what, parts, kind, flags, text, values) => {
    expect(matchPattern(compilePattern(parts, kind, flags), text)).toEqual(values);
  });

  it("refuses unknown regex flags and delimiters RE2 rejects", () => {
    expect(() => compilePattern([lit("a")], "regex", "x")).toThrow(PatternRefusal);
    expect(() => compilePattern([lit("(?=a)"), str("v")], "regex")).toThrow(/look-ahead or look-behind/);
  });

  it("applies the U flag to the delimiters' quantifiers too (RE2 swaps greediness in the whole pattern)", () => {
    expect(matchPattern(compilePattern([lit("a+"), str("v"), lit(";")], "regex", "U"), "aaab;c;")).toEqual(["aab"]);
    expect(matchPattern(compilePattern([lit("a+"), str("v"), lit(";")], "regex"), "aaab;c;")).toEqual(["b;c"]);
  });
});

describe("convertCapture", () => {
  it.each<[string, Parameters<typeof convertCapture>[1], Value | undefined]>([
    ["-12", "long", -12],
    ["12.5", "long", undefined],
    ["3000000000", "int", undefined],
    ["1.5e3", "real", 1500],
    ["", "real", undefined],
    ["TRUE", "bool", true],
    ["yes", "bool", undefined],
    ["01:00:00", "timespan", 36_000_000_000n],
    ["{\"a\":1}", "dynamic", { a: 1 }],
    ["not json", "dynamic", "not json"],
    ["ABCDEF00-0000-0000-0000-000000000000", "guid", "abcdef00-0000-0000-0000-000000000000"],
  ])("case %# (%s as %s)", (text, type, value) => {
    expect(convertCapture(text, type)).toEqual(value);
  });
});
