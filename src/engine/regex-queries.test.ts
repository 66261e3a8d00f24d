import { describe, expect, it } from "vitest";
import { failureOf, rowsOf } from "./test-helpers.ts";

describe("regexes RE2 rejects are refused before the query runs", () => {
  it.each<[string, string, string]>([
    ["matches regex", "datatable(s:string)[] | where s matches regex @'a(?=b)'", "@'a(?=b)'"],
    ["extract", "datatable(s:string)[] | extend x = extract('(a)\\\\1', 1, s)", "'(a)"],
    ["extract_all", "datatable(s:string)[] | extend x = extract_all(@'(?<!a)b', s)", "@'(?<!a)b'"],
    ["replace_regex", "datatable(s:string)[] | extend x = replace_regex(s, @'a*+', 'b')", "@'a*+'"],
    ["trim", "datatable(s:string)[] | extend x = trim(@'(?>a)', s)", "@'(?>a)'"],
    ["indexof_regex", "datatable(s:string)[] | extend x = indexof_regex(s, @'\\Z')", "@'\\Z'"],
    ["countof regex", "datatable(s:string)[] | extend x = countof(s, @'(?=a)', 'regex')", "@'(?=a)'"],
    ["parse kind=regex", "datatable(s:string)[] | parse kind=regex s with @'(?!x)' v", "@'(?!x)'"],
    ["parse-where kind=regex", "datatable(s:string)[] | parse-where kind=regex s with 'x' v @'\\1'", "@'\\1'"],
    ["parse-kv regex", "datatable(s:string)[] | parse-kv s as (k:string) with (regex=@'(?<=a)(b)=(c)')", "@'(?<=a)"],
    ["a second line", "datatable(s:string)[]\n| where s matches regex 'ok'\n| where s matches regex '(a)(?=b)'", "'(a)(?=b)'"],
  ])("%s", (_name, query, literal) => {
    const d = failureOf(query);
    const offset = query.indexOf(literal);
    const line = query.slice(0, offset).split("\n").length;
    const col = offset - query.lastIndexOf("\n", offset - 1);
    expect([d.code, d.line, d.col]).toEqual(["SC4008", line, col]);
    expect(d.message).toMatch(/is not valid RE2, Kusto's regex dialect/);
  });

  it("refuses a computed pattern RE2 rejects when it is evaluated", () => {
    const d = failureOf("print x = extract(strcat('(?', '=a)'), 0, 'a')");
    expect([d.code, d.message]).toEqual(["SC4008", "the regular expression '(?=a)' is not valid RE2, Kusto's regex dialect (invalid or unsupported Perl syntax: `(?=`); RE2 has no look-ahead or look-behind"]);
  });

  it("accepts a count-of search that is not a regex", () => {
    expect(rowsOf("print x = countof('a(?=b)a(?=b)', '(?=b)')")).toEqual([[2]]);
  });
});

/** Examples from Kusto's documentation pages of each regex function (learn.microsoft.com/kusto/query/<function>-function). */
describe("Kusto's documented regex examples", () => {
  it.each<[string, unknown[][]]>([
    ['print x = extract("x=([0-9.]+)", 1, "hello x=45.6|wo")', [["45.6"]]],
    ['print x = extract("x=([0-9.]+)", 1, "hello x=45.6|wo", typeof(real))', [[45.6]]],
    ['print x = extract_all(@"(\\d+)", "Hello 11, 22 and 33")', [[["11", "22", "33"]]]],
    ['print x = extract_all(@"(\\w)(\\w+)(\\w)", dynamic([1,3]), "The quick brown fox")', [[[["T", "e"], ["q", "k"], ["b", "n"], ["f", "x"]]]]],
    ['print x = replace_regex("A magic trick can turn a cat into a dog", @"cat", "hamster")', [["A magic trick can turn a hamster into a dog"]]],
    ['print x = replace_regex("Number was: 7", @"was: (\\d+)", @"is: \\1")', [["Number is: 7"]]],
    ['print x = trim(@"[^\\w]+", "- Te st1// $")', [["Te st1"]]],
    ['print x = trim_start(@"[^\\w]+", "- Te st1// $")', [["Te st1// $"]]],
    ['print x = trim_end(@"[^\\w]+", "- Te st1// $")', [["- Te st1"]]],
    ['print x = indexof_regex("abcabc", @"a.c")', [[0]]],
    ['print x = countof("abcabc", "a.c", "regex")', [[2]]],
    ['print x = "abc" matches regex "^a.c$"', [[true]]],
    ['print x = "Fabrikam" matches regex "b.*k"', [[true]]],
    ['print x = "Fabrikam" matches regex "(?i)FAB"', [[true]]],
    ["print s = 'Event: Start Id=12' | parse kind=regex flags=i s with 'event: ' e:string ' id=' id:long", [["Event: Start Id=12", "Start", 12]]],
    ["print s = 'a=1;b=2' | parse-kv s as (a:long, b:long) with (regex=@'(\\w)=(\\d)')", [["a=1;b=2", 1, 2]]],
  ])("%s", (query, expected) => {
    expect(rowsOf(query)).toEqual(expected);
  });

  it("runs the five classic catastrophic patterns in linear time inside queries", () => {
    const text = `${"a".repeat(50_000)}b`;
    const started = Date.now();
    const query = `let s = strrep('a', 50000); print m1 = strcat(s, 'b') matches regex '(a+)+$', m2 = strcat(s, 'b') matches regex '(a|aa)+$', m3 = strlen(extract('(a|a?)+$', 0, strcat(s, 'b'))), m4 = strcat(strrep('word ', 5000), '!') matches regex @'^(\\w+\\s?)*$', m5 = strrep('x', 50000) matches regex '(x+x+)+y'`;
    expect(rowsOf(query)).toEqual([[false, false, 0, false, false]]);
    expect(text.length).toBe(50_001);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
