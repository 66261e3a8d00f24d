import { describe, expect, it } from "vitest";
import type { KqlType, Value } from "../values.ts";
import { STRING_FUNCTIONS, formatBytes, parseCsv, punycodeDecode, punycodeEncode } from "./string.ts";
import { functionCaller } from "./test-support.ts";


const call = functionCaller([STRING_FUNCTIONS], "string");

const S: KqlType = "string";
const L: KqlType = "long";
const D: KqlType = "dynamic";

describe("string functions (documented examples and edge rows)", () => {
  it.each<[string, Value[], KqlType[], Value]>([
    ["strcat", ["hello", " ", "world"], [S, S, S], "hello world"],
    ["strcat", ["a", 1, null, 2.5], [S, L, L, "real"], "a12.5"],
    ["strcat", [true, 1_000_000_000_000_000], ["bool", L], "true1000000000000000"],
    ["strcat_delim", ["-", "a", 2, "c"], [S, S, L, S], "a-2-c"],
    ["strcat_array", [[1, 2, 3], "->"], [D, S], "1->2->3"],
    ["strcat_array", [[{ a: 1 }, "x", null], ","], [D, S], '{"a":1},x,'],
    ["strcat_array", [null, ","], [D, S], ""],
    ["strlen", ["hello"], [S], 5],
    ["strlen", ["⒦⒰⒮⒯⒪"], [S], 5],
    ["strlen", ["C\u0327edilla"], [S], 8],
    ["strlen", [""], [S], 0],
    ["strlen", [12345], [L], 5],
    ["string_size", ["hello"], [S], 5],
    ["string_size", ["⒦⒰⒮⒯⒪"], [S], 15],
    ["substring", ["123456", 1], [S, L], "23456"],
    ["substring", ["123456", 2, 2], [S, L, L], "34"],
    ["substring", ["ABCD", 0, 2], [S, L, L], "AB"],
    ["substring", ["123456", -2, 2], [S, L, L], "56"],
    ["substring", ["abcdefg", 1, 2], [S, L, L], "bc"],
    ["substring", ["abc", 10], [S, L], ""],
    ["substring", ["abc", 1, null], [S, L, L], ""],
    ["substring", ["", 0, 1], [S, L, L], ""],
    ["split", ["aa_bb", "_"], [S, S], ["aa", "bb"]],
    ["split", ["aaa_bbb_ccc", "_", 1], [S, S, L], ["bbb"]],
    ["split", ["", "_"], [S, S], [""]],
    ["split", ["a__b", "_"], [S, S], ["a", "", "b"]],
    ["split", ["aabbcc", "bb"], [S, S], ["aa", "cc"]],
    ["split", ["a_b", "_", 5], [S, S, L], []],
    ["tolower", ["Hello"], [S], "hello"],
    ["toupper", ["Hello"], [S], "HELLO"],
    ["tolower", [""], [S], ""],
    ["replace_string", ["A magic trick can turn a cat into a dog", "cat", "hamster"], [S, S, S], "A magic trick can turn a hamster into a dog"],
    ["replace_string", ["aaa", "", "x"], [S, S, S], "aaa"],
    ["replace_string", ["aaaa", "aa", "b"], [S, S, S], "bb"],
    ["replace_strings", ["A magic trick can turn a cat into a dog", ["cat", "dog"], ["dog", "pigeon"]], [S, D, D], "A magic trick can turn a dog into a pigeon"],
    ["replace_strings", ["This is an example", ["This", "is"], ["This", "was"]], [S, D, D], "This was an example"],
    ["replace_strings", ["This is an example", ["is", "This"], ["was", "This"]], [S, D, D], "Thwas was an example"],
    ["reverse", ["ABCDEFGHIJKLMNOPQRSTUVWXYZ"], [S], "ZYXWVUTSRQPONMLKJIHGFEDCBA"],
    ["reverse", [""], [S], ""],
    ["reverse", [123], [L], "321"],
    ["strrep", ["ABC", 2], [S, L], "ABCABC"],
    ["strrep", ["ABC", 2, ","], [S, L, S], "ABC,ABC"],
    ["strrep", [123, 3, "."], [L, L, S], "123.123.123"],
    ["strrep", ["x", 0], [S, L], ""],
    ["translate", ["abc", "x", "abc"], [S, S, S], "xxx"],
    ["translate", ["abc", "", "ab"], [S, S, S], ""],
    ["translate", ["krasp", "otsku", "spark"], [S, S, S], "kusto"],
    ["unicode_codepoints_from_string", ["⒦⒰⒮⒯⒪"], [S], [9382, 9392, 9390, 9391, 9386]],
    ["unicode_codepoints_from_string", ["Kusto"], [S], [75, 117, 115, 116, 111]],
    ["unicode_codepoints_to_string", [[75, 117, 115, 116, 111]], [D], "Kusto"],
    ["unicode_codepoints_to_string", [75, 10, 117], [L, L, L], "K\nu"],
    ["unicode_codepoints_to_string", [["x"]], [D], ""],
    ["unicode_codepoints_to_string", [[75, 117], 115, [116, 111]], [D, L, D], "Kusto"],
    ["isutf8", ["some string"], [S], true],
    ["isutf8", ["a\ud800b"], [S], false],
    ["isascii", ["some string"], [S], true],
    ["isascii", ["⒦"], [S], false],
  ])("%s(%j) = %j", (name, args, types, expected) => {
    expect(call(name, args, types)).toEqual(expected);
  });

  it.each<[Value[], KqlType[], Value]>([
    [["abcdefg", "cde"], [S, S], 2],
    [["abcdefg", "cde", 1, 4], [S, S, L, L], 2],
    [["abcdefg", "cde", 1, 2], [S, S, L, L], -1],
    [["abcdefg", "cde", 3, 4], [S, S, L, L], -1],
    [["abcdefg", "cde", -5], [S, S, L], 2],
    [[1234567, 5, 1, 4], [L, L, L, L], 4],
    [["abcdefg", "cde", 2, -1], [S, S, L, L], 2],
    [["abcdefgabcdefg", "cde", 1, 10, 2], [S, S, L, L, L], 9],
    [["abcdefgabcdefg", "cde", 1, -1, 3], [S, S, L, L, L], -1],
    [["abc", "x", 0, -2], [S, S, L, L], null],
    [["", "x"], [S, S], -1],
  ])("indexof(%j) = %j (documented table)", (args, types, expected) => {
    expect(call("indexof", args, types, "int")).toBe(expected);
  });

  it.each<[Value[], KqlType[], Value]>([
    [["aaa", "a"], [S, S], 3],
    [["aaaa", "aa"], [S, S], 3],
    [["ababa", "ab", "normal"], [S, S, S], 2],
    [["ababa", "aba"], [S, S], 2],
    [["ababa", "aba", "regex"], [S, S, S], 1],
    [["abcabc", "a.c", "regex"], [S, S, S], 2],
    [["The cat sat on the mat", "at"], [S, S], 3],
    [["abc", ""], [S, S], 0],
  ])("countof(%j) = %j", (args, types, expected) => {
    expect(call("countof", args, types, "long")).toBe(expected);
  });

  it.each<[string, Value[], number]>([
    ["this is an example", ["this", "example"], 0],
    ["this is an example", ["not", "example"], 1],
    ["this is an example", ["not", "found"], -1],
    ["Example number 2", [1, 2, 3], 1],
    ["this is an example", [], -1],
    ["North America", ["amer", "america"], 1],
    ["abc_def", ["abc"], 0],
  ])("has_any_index(%j, %j) = %d (documented, term rules)", (text, lookups, expected) => {
    expect(call("has_any_index", [text, lookups as Value], [S, D], "long")).toBe(expected);
  });

  it("strcmp orders ordinally", () => {
    expect([["ABC", "ABC"], ["abc", "ABC"], ["ABC", "abc"], ["abcde", "abc"]].map((p) => call("strcmp", p, [S, S], "int"))).toEqual([0, 1, -1, 1]);
  });

  it.each<[string, string]>([
    ["académie-française", "acadmie-franaise-npb1a"],
    ["bücher", "bcher-kva"],
    ["Lê Lợi", "L Li-gpa4517b"],
    ["abc", "abc-"],
  ])("punycode_from_string(%j) = %j, and back", (text, encoded) => {
    expect(punycodeEncode(text)).toBe(encoded);
    expect(punycodeDecode(encoded)).toBe(text);
  });

  it.each<[string, Value[], Value]>([
    ["punycode_domain_to_string", ["Lê Lợi。Thuận Thiên。com"], "xn--L Li-gpa4517b.xn--Thun Thin-s4a7194f.com"],
    ["punycode_domain_to_string", ["Riðill｡Skáldskaparmál｡org"], "xn--Riill-jta.xn--Skldskaparml-dbbj.org"],
    ["punycode_domain_to_string", ["Kaledvoulc'h.Artorījos.edu"], "Kaledvoulc'h.xn--Artorjos-ejb.edu"],
    ["punycode_domain_from_string", ["xn--Ge-mia.Bulg.edu"], "Gáe.Bulg.edu"],
    ["punycode_domain_from_string", ["xn--Ry-lja8c.xn--Jng-uta63a.xn--Bng-9ka.com"], "Rúyì.Jīngū.Bàng.com"],
    ["punycode_to_string", ["acadmie-franaise-npb1a"], "académie-française"],
    ["punycode_to_string", ["\u00e9-"], ""],
  ])("%s(%j) = %j", (name, args, expected) => {
    expect(call(name, args, [S])).toBe(expected);
  });

  it.each<[string, string[]]>([
    ['aa,"b,b,b",cc,"Escaping quotes: ""Title""","line1\nline2"', ["aa", "b,b,b", "cc", 'Escaping quotes: "Title"', "line1\nline2"]],
    ["aaa,bbb,ccc", ["aaa", "bbb", "ccc"]],
    ["", [""]],
    ["a,b\nc,d", ["a", "b"]],
  ])("parse_csv(%j) = %j", (text, expected) => {
    expect(parseCsv(text)).toEqual(expected);
  });

  it("format_bytes with an empty unit selects the unit", () => {
    expect(call("format_bytes", [20010332, 2, ""], ["real", L, S])).toBe("19.08 MB");
  });

  it.each<[number, number, string | null, string]>([
    [564, 0, null, "564 Bytes"],
    [10332, 1, null, "10.1 KB"],
    [20010332, 0, null, "19 MB"],
    [20010332, 2, null, "19.08 MB"],
    [20010332, 0, "KB", "19541 KB"],
    [1, 0, "parsecs", ""],
  ])("format_bytes(%d, %d, %s) = %j (documented)", (size, precision, unit, expected) => {
    expect(formatBytes(size, precision, unit)).toBe(expected);
  });
});
