import { describe, expect, it } from "vitest";
import { EngineError } from "../errors.ts";
import type { KqlType, Value } from "../values.ts";
import { REGEX_FUNCTIONS, compileRe2, firstMatch, literalSearch, quoteRegex, replaceRegex, testRegex, type CompiledRegex } from "./regex.ts";
import { functionCaller } from "./test-support.ts";


const call = functionCaller([REGEX_FUNCTIONS], "string");

const S: KqlType = "string";
const L: KqlType = "long";
const D: KqlType = "dynamic";

function re(pattern: string): CompiledRegex {
  const c = compileRe2(pattern);
  if (!c.ok) throw new Error(c.message);
  return c;
}

describe("compileRe2: Kusto's RE2 dialect", () => {
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
    ["a(?i)b", "aB", true],
    ["a(?i)b", "AB", false],
    ["(?i:A)b", "aB", false],
    ["\\pL+", "é", true],
    ["\\p{Greek}", "α", true],
    ["[\\S]", " ", false],
    ["\\x{1F600}", "😀", true],
    ["\\w", "é", false],
    ["\\d", "٣", false],
    ["\\bfoo\\b", "a foo b", true],
    ["[[:^alpha:]]", "a", false],
  ])("%j on %j → %s", (pattern, text, expected) => {
    expect(testRegex(re(pattern), text)).toBe(expected);
  });

  it.each<[string, RegExp]>([
    ["(?=a)", /not valid RE2.*look-ahead or look-behind/],
    ["a(?!b)", /not valid RE2.*look-ahead or look-behind/],
    ["(?<=a)b", /not valid RE2.*look-ahead or look-behind/],
    ["(?<!a)b", /not valid RE2.*look-ahead or look-behind/],
    ["(a)\\1", /invalid escape sequence.*no back-references/],
    ["(?<n>a)\\k<n>", /invalid escape sequence/],
    ["a*+", /invalid nested repetition operator.*possessive/],
    ["(?>a)", /atomic groups/],
    ["\\Z", /invalid escape sequence/],
    ["a{1001}", /invalid repeat count/],
    ["[z-a]", /invalid character class range/],
    ["(a", /missing closing \)/],
  ])("refuses %j", (pattern, message) => {
    const c = compileRe2(pattern);
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toMatch(message);
  });

  it("reports invalid patterns instead of throwing", () => {
    const c = compileRe2("(a");
    expect(c.ok).toBe(false);
    if (!c.ok) expect(c.message).toBe("the regular expression '(a' is not valid RE2, Kusto's regex dialect (missing closing ): `(a`)");
  });

  it("maps Kusto's flag letters and refuses others", () => {
    const ungreedy = compileRe2("a+", "U");
    expect(ungreedy.ok && ungreedy.re.matcher("aaa").find() ? "" : "no match").toBe("");
    const bad = compileRe2("a", "x");
    expect(bad.ok ? "" : bad.message).toMatch(/'x' is not a Kusto regex flag/);
  });

  it("counts groups and names", () => {
    const c = compileRe2("(?P<a>x)(y)(?:z)");
    expect(c.ok && [c.groupCount, c.groupNames]).toEqual([2, ["a", ""]]);
  });

  it("gives each pattern and flags their own compiled form, whatever patterns were compiled between", () => {
    // more patterns than the recent ones kept, called in turn, with and without flags: each compiles to itself
    const patterns = Array.from({ length: 40 }, (_, i) => `p${i}(\\d+)`);
    for (let round = 0; round < 3; round++) {
      for (const [i, pattern] of patterns.entries()) {
        const flags = i % 3 === 0 ? "i" : "";
        const c = compileRe2(pattern, flags);
        expect(c.ok && firstMatch(c, `x P${i}42 p${i}7`)?.groups).toEqual(flags === "i" ? [`P${i}42`, "42"] : [`p${i}7`, "7"]);
        expect(compileRe2(pattern, flags)).toBe(c);
        expect(compileRe2(pattern, flags === "" ? "i" : "")).not.toBe(c);
      }
    }
  });

  it.each([
    "chat",
    "(?i)chat",
    "(?i)(transcription|translation|speech|audio)",
    "Kind|dall-e",
    "(?i)s k",
    "(?i)(thread|run|assistant)",
  ])("searches the plain words of %s as RE2 does, non-ASCII text included", (pattern) => {
    const search = literalSearch(pattern);
    const compiled = compileRe2(pattern);
    if (!search || !compiled.ok) throw new Error("expected a literal search");
    const texts = ["ChatCompletions_Create", "chat", "CHAT", "", "speech_Audio", "Translations", "xKindx", "dall-e-3", "DALL-E", "s k", "S K", "\u017f k", "s \u212a", "\u0130mage", "\u0441hat", "Runs_Create", "assistant\u00e9", "ThreadAndRun"];
    for (const text of texts) expect(search(text)).toBe(testRegex(compiled, text));
  });

  it.each(["(?i)(image|dall-?e)", "^get", "a.b", "(a)|(b)", "(?i)(?:a|b)", "a|", "", "(?U)a"])("leaves %s to RE2", (pattern) => {
    expect(literalSearch(pattern)).toBeUndefined();
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

  it("replaces as RE2 does: no empty match right after a match, characters not halves of surrogate pairs", () => {
    expect(replaceRegex("baaac", "a*", "-")).toBe("-b-c-");
    expect(replaceRegex("😀", "", "-")).toBe("-😀-");
  });

  it("raises SC4008 for a pattern RE2 rejects", () => {
    expect(() => call("extract", ["(?=x)", 0, "x"], [S, L, S])).toThrow(EngineError);
    try {
      call("replace_regex", ["x", "(a)\\1", "y"], [S, S, S]);
    } catch (e) {
      expect((e as EngineError).code).toBe("SC4008");
    }
  });
});

/** Patterns that take exponential time on a backtracking engine (text, and the length of the first match); RE2 runs each in time linear in the text. */
const CATASTROPHIC: [string, string, number][] = [
  ["(a+)+$", `${"a".repeat(100_000)}b`, -1],
  ["(a|aa)+$", `${"a".repeat(100_000)}b`, -1],
  ["(a|a?)+$", `${"a".repeat(100_000)}b`, 0],
  ["^(\\w+\\s?)*$", `${"word ".repeat(20_000)}!`, -1],
  ["(x+x+)+y", "x".repeat(100_000), -1],
  ["(.*a){20}", "a".repeat(10_000), 10_000],
];

describe("catastrophic patterns run in linear time", () => {
  it.each(CATASTROPHIC)("%j", (pattern, text, matchLength) => {
    const started = Date.now();
    const compiled = re(pattern);
    expect(testRegex(compiled, text)).toBe(matchLength >= 0);
    expect(String(call("extract", [pattern, 0, text], [S, L, S])).length).toBe(Math.max(matchLength, 0));
    expect(String(call("replace_regex", [text, pattern, ""], [S, S, S])).length).toBe(text.length - Math.max(matchLength, 0));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
