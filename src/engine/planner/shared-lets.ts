// A query's tabular `let` is not materialized: Kusto evaluates its expression again at each reference. When the
// expression is deterministic its value is a function of the run alone (its tables, watchlists and now()), so every
// reference within one run gets the same table, and the engine may compute it once per run and hand that table to
// each reference. An expression that reads chance (rand(), new_guid(), sample) may give each reference a different
// table, so it is evaluated at each reference as written.
import { oncePerRun, type TablePlan } from "../context.ts";
import { calledFunctionBody, findNode, kindOf, referencedKind, referencedName, type SyntaxNode } from "../syntax.ts";
import type { Binding } from "./scope.ts";

/** Built-in functions whose value may differ at every call. */
const CHANCE_FUNCTIONS: ReadonlySet<string> = new Set(["rand", "new_guid"]);

/** Operators whose rows may differ at every evaluation. */
const CHANCE_OPERATORS: ReadonlySet<string> = new Set(["SampleOperator", "SampleDistinctOperator"]);

/** Most function bodies one walk enters (a guard against unbounded expansion; past it the expression counts as reading chance). */
const MAX_BODIES = 256;

/**
 * True when `expr` may give a different value at each evaluation: it calls rand() or new_guid(), samples rows, reads
 * a let bound to such an expression, or calls a function whose body does.
 */
export function readsChance(expr: SyntaxNode, env: ReadonlyMap<string, Binding>): boolean {
  const entered = new Set<SyntaxNode>();
  const visit = (node: SyntaxNode): boolean =>
    findNode(node, (next) => {
      if (CHANCE_OPERATORS.has(kindOf(next))) return true;
      const symbol = referencedKind(next);
      if (symbol === "VariableSymbol" || symbol === "ParameterSymbol") return env.get(referencedName(next))?.chance === true;
      if (symbol !== "FunctionSymbol") return false;
      if (CHANCE_FUNCTIONS.has(referencedName(next))) return true;
      const body = calledFunctionBody(next);
      if (!body || entered.has(body)) return false;
      if (entered.size >= MAX_BODIES) return true;
      entered.add(body);
      return visit(body);
    }) !== undefined;
  return visit(expr);
}

/** A query-level tabular let's plan: computed once per run and shared by its references, unless its expression reads chance. */
export function sharedLetPlan(plan: TablePlan, chance: boolean): TablePlan {
  return chance ? plan : oncePerRun(plan);
}
