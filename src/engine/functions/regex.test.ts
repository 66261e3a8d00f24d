import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.ts";
import type { KqlType, Value } from "../values.ts";
import { REGEX_FUNCTIONS, compileRe2, quoteRegex } from "./regex.ts";
import { functionCaller } from "./test-support.ts";


const call = functionCaller([REGEX_FUNCTIONS], "string");

const S: KqlType = "string";
const L: KqlType = "long";
const D: KqlType = "dynamic";

function re(pattern: string): RegExp {
  const c = compileRe2(pattern);
  if (!c.ok) throw new Error(c.message);
  return c.regex;
}

describe("compileRe2: RE2 → JavaScript", () => {
  it.each<[string, string, boolean]>([
    ["b.*k", "Fabrikam", true],
    ["(?i)FAB", "fabrikam", true],
    ["FAB", "fabrikam", false],
    ["a.c", "a\nc", false],
    ["(?s)a.c", "a\nc", true],
    ["a.c", "a\rc", true],
    ["^b", "a\nb", false],
    ["(?m)^b", "a\nb", true],
    ["(?m)^b", "a\rb", false],
    ["\\Aab", "ab", true],
    ["ab\\z", "ab\n", false],
    ["ab$", "ab", true],
    ["\\s", "\u00a0", false],
    ["\\s", "\t", true],
    ["\\S+", "\u00a0", true],
    ["[[:digit:]]+x", "12x", true],
    ["[[:alpha:]]", "1", false],
    ["\\Qa.b\\E", "axb", false],
    ["\\Qa.b\\E", "a.b", true],
    ["(?P<year>\\d{4})", "2024", true],
    ["\\x{41}", "A", true],
    ["[^a]", "\n", true],
  ])("%j on %j → %s", (pattern, text, expected) => {
    expect(re(pattern).test(text)).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ["(?=a)", /look-around/],
    ["(a)\\1", /back-reference/],
    ["a(?i)b", /inline flag/],
    ["(?U)a+", /ungreedy/],
    ["\\pL", /Unicode class/],
    ["\\C", /any byte/],
    ["a*+", /possessive/],
    ["[\\S]", /\\S inside/],
    ["\\x{1F600}", /above U\+FFFF/],
  ])("refuses %j", (pattern, message) => {
    const c = compileRe2(pattern);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toMatch(message);
  });

  it("reports invalid patterns instead of throwing", () => {
    const c = compileRe2("(a");
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toMatch(/invalid regular expression/);
  });

  it("counts groups and names", () => {
    const c = compileRe2("(?P<a>x)(y)(?:z)");
    expect(c.ok && [c.groupCount, c.groupNames]).toEqual([2, ["a", ""]]);
  });

  it("quotes metacharacters", () => {
    expect(quoteRegex("(so$me.Te^xt)")).toBe("\\(so\\$me\\.Te\\^xt\\)");
  });
});

describe("regex functions", () => {
  it.each<[string, Value[], KqlType[], Value]>([
    ["extract", ["User: ([^,]+)", 1, "User: James, Email: James@example.com, Age: 29"], [S, L, S], "James"],
    ["extract", ["Email: (\\S+),", 1, "User: David, Age: 35"], [S, L, S], ""],
    ["extract", ["\\d+", 0, "User: David, Age: 35"], [S, L, S], "35"],
    ["extract", ["x(y)?", 1, "x"], [S, L, S], ""],
    ["trim", ["--", "--https://bing.com--"], [S, S], "https://bing.com"],
    ["trim", ["\\s+", "    Hello, world!    "], [S, S], "Hello, world!"],
    ["trim_start", ["https://", "https://bing.com"], [S, S], "bing.com"],
    ["trim_start", ["[^\\w]+", "-  Te st1// $"], [S, S], "Te st1// $"],
    ["trim_end", [".com", "bing.com"], [S, S], "bing"],
    ["trim_end", ["[^\\w]+", "bing.com//"], [S, S], "bing.com"],
    ["trim", ["ab", "ababXabab"], [S, S], "X"],
    ["trim", ["\\s+", `a${" ".repeat(5000)}b`], [S, S], `a${" ".repeat(5000)}b`],
    ["trim_start", ["x*", "abc"], [S, S], "abc"],
    ["replace_regex", ["Number was: 2", "is (\\d+)", "was: \\1"], [S, S, S], "Number was: 2"],
    ["replace_regex", ["Number is: 2", "is: (\\d+)", "was: \\1"], [S, S, S], "Number was: 2"],
    ["replace_regex", ["aaa", "a", "\\0\\0"], [S, S, S], "aaaaaa"],
    ["replace_regex", ["abc", "x*", "-"], [S, S, S], "-a-b-c-"],
    ["replace", ["is (\\d+)", "was: \\1", "Number is 7"], [S, S, S], "Number was: 7"],
    ["regex_quote", ["(so$me.Te^xt)"], [S], "\\(so\\$me\\.Te\\^xt\\)"],
  ])("%s(%j) = %j", (name, args, types, expected) => {
    expect(call(name, args, types)).toEqual(expected);
  });

  it("extract with a type converts the captured text (and gives null on failure)", () => {
    expect(call("extract", ["(\\d+)", 1, "Age: 35"], [S, L, S, "string"], "long")).toBe(35);
    expect(call("extract", ["(\\w+)", 1, "Age"], [S, L, S, "string"], "long")).toBe(null);
    expect(call("extract", ["(\\d+)", 1, "none"], [S, L, S, "string"], "long")).toBe(null);
  });

  it.each<[Value[], KqlType[], Value]>([
    [["([\\da-f]{2})", "82b8be2d-dfa7"], [S, S], ["82", "b8", "be", "2d", "df", "a7"]],
    [["(\\w)(\\w+)(\\w)", [1, 3], "82b8be2d-dfa7-4bd1"], [S, D, S], [["8", "d"], ["d", "7"], ["4", "1"]]],
    [["(?P<first>\\w)(\\w+)(?P<last>\\w)", ["first", "last"], "82b8be2d-dfa7"], [S, D, S], [["8", "d"], ["d", "7"]]],
    [["(\\d+)", "no digits"], [S, S], null],
    [["\\d", "a1b2"], [S, S], ["1", "2"]],
  ])("extract_all(%j) = %j", (args, types, expected) => {
    expect(call("extract_all", args, types, "dynamic")).toEqual(expected);
  });

  it.each<[Value[], KqlType[], Value]>([
    [["abcabc", "a.c"], [S, S], 0],
    [["abcabcdefg", "a.c", 0, 9, 2], [S, S, L, L, L], 3],
    [["abcabc", "a.c", 1, -1, 2], [S, S, L, L, L], -1],
    [["ababaa", "a.a", 0, -1, 2], [S, S, L, L, L], -1],
    [["abcabc", "a.c", -1], [S, S, L], null],
  ])("indexof_regex(%j) = %j", (args, types, expected) => {
    expect(call("indexof_regex", args, types, "long")).toBe(expected);
  });

  it("raises SC4008 for a pattern it cannot run exactly", () => {
    expect(() => call("extract", ["(?=x)", 0, "x"], [S, L, S])).toThrow(EngineError);
    try {
      call("replace_regex", ["x", "(a)\\1", "y"], [S, S, S]);
    } catch (e) {
      expect((e as EngineError).code).toBe("SC4008");
    }
  });
});
