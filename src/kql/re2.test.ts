import { describe, expect, it } from "vitest";
import { loadKusto } from "./kusto.ts";
import { compileKustoRegex, regexLiterals, regexProblems } from "./re2.ts";

const parse = (query: string) => loadKusto().KustoCode.Parse(query).Syntax;

describe("regexLiterals", () => {
  it("finds every literal used as an RE2 pattern, with its flags and offset, and nothing else", () => {
    const query = [
      "T | where a matches regex 'm1' and b has 'not a regex'",
      "| extend e = extract('e1', 1, a), ea = extract_all(@'e2', a), r = replace_regex(a, 'r1', 'x'), r2 = replace('r2', 'y', a)",
      "| extend t = trim('t1', a), ts = trim_start('t2', a), te = trim_end('t3', a), i = indexof_regex(a, 'i1')",
      "| extend c = countof(a, 'c1', 'regex'), n = countof(a, 'normal'), s = split(a, 'not-a-regex')",
      "| parse kind=regex flags=Ui a with 'p1' x:long 'p2' y",
      "| parse a with 'simple' z",
      "| parse-kv a as (k:string) with (regex='kv1')",
    ].join("\n");
    const found = regexLiterals(parse(query));
    expect(found.map((l) => [l.pattern, l.flags])).toEqual([
      ["m1", ""], ["e1", ""], ["e2", ""], ["r1", ""], ["r2", ""], ["t1", ""], ["t2", ""], ["t3", ""], ["i1", ""], ["c1", ""], ["p1", "Ui"], ["p2", "Ui"], ["kv1", ""],
    ]);
    expect(found.every((l) => query.slice(l.start, l.start + l.length).includes(l.pattern))).toBe(true);
  });

  it("reports only the literals RE2 rejects", () => {
    const problems = regexProblems(parse("print a = extract('(?=x)', 0, 'x'), b = extract('ok', 0, 'x'), c = 'x' matches regex '(x)\\\\1'"));
    expect(problems.map((p) => p.pattern)).toEqual(["(?=x)", "(x)\\1"]);
  });
});

describe("compileKustoRegex", () => {
  it("gives group counts and names, and takes Kusto's flag letters", () => {
    const c = compileKustoRegex("(?P<a>x)(y)", "i");
    expect(c.ok && [c.groupCount, c.groupNames, c.re.test("XY")]).toEqual([2, ["a", ""], true]);
  });
});
