import { describe, expect, it } from "vitest";
import { buildGlobals } from "../kql/globals.ts";
import { EngineError } from "./errors.ts";
import {
  child,
  columnsOf,
  findNode,
  kindOf,
  listOf,
  optionalChild,
  parametersOf,
  parseAndAnalyze,
  referencedKind,
  resultTypeOf,
  simpleNameOf,
  spanOf,
  symbolClass,
  textOf,
  typeOf,
  type SyntaxNode,
  withAnalysisCache,
} from "./syntax.ts";
import { loadKusto } from "../kql/kusto.ts";

const globals = buildGlobals({ tables: [{ name: "T", columns: [{ name: "A", type: "string" }, { name: "N", type: "long" }] }], functions: [], watchlists: [] });

/** The first node of `kind` in the analysed query. */
function nodeOf(query: string, kind: string): SyntaxNode {
  const found = findNode(parseAndAnalyze(query, globals.state).root, (n) => kindOf(n) === kind);
  if (!found) throw new Error(`no ${kind} in ${query}`);
  return found;
}

describe("the syntax adapter", () => {
  it("reads a pipe's children, their kinds and their text", () => {
    const pipe = nodeOf("T | where N > 1", "PipeExpression");
    expect([kindOf(child(pipe, "Expression")), kindOf(child(pipe, "Operator")), textOf(child(child(pipe, "Operator"), "Condition"))]).toEqual([
      "NameReference",
      "FilterOperator",
      "N > 1",
    ]);
  });

  it("gives undefined for an absent optional child and SC4004 for an absent required one", () => {
    const sort = nodeOf("T | sort by N", "SortOperator");
    const ordered = listOf(child(sort, "Expressions"))[0]!;
    expect(optionalChild(ordered, "ByClause")).toBeUndefined();
    expect(() => child(ordered, "ByClause")).toThrow(EngineError);
    expect(() => child(ordered, "ByClause")).toThrow(/no ByClause/);
  });

  it("lists a separated list's elements without their separators", () => {
    const project = nodeOf("T | project A, N", "ProjectOperator");
    expect(listOf(child(project, "Expressions")).map(textOf)).toEqual(["A", "N"]);
  });

  it("reads spans, names and the semantic model's types", () => {
    const name = nodeOf("T | extend x = N + 1", "SimpleNamedExpression");
    expect(spanOf(name)).toEqual({ start: 11, length: 9 });
    expect(simpleNameOf(child(name, "Name"))).toBe("x");
    expect(typeOf(child(name, "Expression"))).toBe("long");
    expect(referencedKind(nodeOf("T | project N", "NameReference"))).toBe("TableSymbol");
    expect(columnsOf(nodeOf("T | project N", "PipeExpression"))).toEqual([{ name: "N", type: "long" }]);
    expect(symbolClass(resultTypeOf(nodeOf("print a = 1", "PrintOperator")))).toBe("TableSymbol");
  });

  it("reads a call's parameters and their defaults", () => {
    const call = nodeOf("let f = (a: long, b: long = 2) { a + b }; print f(1)", "FunctionCallExpression");
    expect(parametersOf(call).map((p) => [p.name, p.defaultValue ? textOf(p.defaultValue) : undefined])).toEqual([
      ["a", undefined],
      ["b", "2"],
    ]);
  });

  it("returns Kusto.Language's analysis diagnostics", () => {
    const { diagnostics } = parseAndAnalyze("T | where Missing == 1", globals.state);
    expect(diagnostics.filter((d) => d.severity === "Error").map((d) => [d.code, d.start])).toEqual([["KS142", 10]]);
  });
});

describe("withAnalysisCache", () => {
  it("keeps a saved function's expansion from one analysis for the next", () => {
    const withF = buildGlobals({ tables: [{ name: "T", columns: [{ name: "x", type: "long" }] }], functions: [{ name: "F", parameters: [], body: "T | where x > 1" }] });
    const cached = withAnalysisCache(withF.state);
    const expansions = (state: unknown): number => loadKusto().TestHelpers.GetGlobalExpansionCacheSize(state) as number;
    parseAndAnalyze("F | count", cached);
    const first = expansions(cached);
    parseAndAnalyze("F | take 1", cached);
    parseAndAnalyze("F | count", withF.state);
    expect([first, expansions(cached), expansions(withF.state)]).toEqual([1, 1, 0]);
  });
});
