import { loadKusto, syntaxKindName, type KustoNamespace } from "./kusto.ts";

/**
 * A call of `now()` or `ago()` in a query, located by Kusto.Language's syntax tree: the function's name, where the
 * call starts, where its opening parenthesis ends, where its closing parenthesis starts, and whether it has an
 * argument (`now(-1d)`, `ago(1h)`).
 */
export interface ClockCall {
  name: "now" | "ago";
  start: number;
  openEnd: number;
  closeStart: number;
  end: number;
  hasArgument: boolean;
}

/** The functions that read a query's clock. */
export const CLOCK_FUNCTIONS: ReadonlySet<string> = new Set(["now", "ago"]);

/** Every `now()`/`ago()` call of a query (nested calls included), in source order; the query is parsed, not analysed. */
export function clockCalls(query: string): ClockCall[] {
  const code = loadKusto().KustoCode.Parse(query);
  const calls: ClockCall[] = [];
  code.Syntax.WalkNodes((node: KustoNamespace) => {
    if (syntaxKindName(node) !== "FunctionCallExpression") return;
    const name = String(node.Name?.SimpleName ?? "");
    const list = node.ArgumentList;
    if (!CLOCK_FUNCTIONS.has(name) || !list?.OpenParen || !list.CloseParen) return;
    calls.push({
      name: name as ClockCall["name"],
      start: node.TextStart as number,
      openEnd: list.OpenParen.End as number,
      closeStart: list.CloseParen.TextStart as number,
      end: node.End as number,
      hasArgument: (list.Expressions?.Count as number) > 0,
    });
  });
  return calls.sort((a, b) => a.start - b.start);
}
