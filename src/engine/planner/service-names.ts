/**
 * Result column names where the service differs from Kusto.Language 12.4.1's model. Microsoft's pages for
 * covariance() and covariancep() show an unnamed `summarize covariance(x, y)` returning the column
 * `covariance_x_y` (https://learn.microsoft.com/kusto/query/covariance-aggregation-function,
 * https://learn.microsoft.com/kusto/query/covariancep-aggregation-function); the model names it `covariance_x`.
 * The service's documented output wins, but only where the column is the query's result: a later operator
 * or query would name the column as the model does, so there the unnamed aggregate is refused.
 */
import { EngineError } from "../errors.ts";
import { child, kindOf, listOf, optionalChild, parentOf, referencedName, spanOf, type SyntaxNode, textOf } from "../syntax.ts";
import type { Column } from "../values.ts";
import { argumentsOf } from "./calls.ts";

/** Aggregates whose default column name the service documents as `<function>_<x>_<y>`. */
const TWO_COLUMN_NAMED: ReadonlySet<string> = new Set(["covariance", "covariancep"]);

/** The service's name of an unnamed aggregate `fn(x, y)` over two columns, or undefined when the model's name stands. */
function serviceName(expr: SyntaxNode): string | undefined {
  if (kindOf(expr) !== "FunctionCallExpression" || !TWO_COLUMN_NAMED.has(referencedName(expr))) return undefined;
  const args = argumentsOf(expr);
  if (args.length !== 2 || !args.every((a) => kindOf(a) === "NameReference")) return undefined;
  return `${referencedName(expr)}_${textOf(args[0]!)}_${textOf(args[1]!)}`;
}

/** True when the summarize's result is the result of its query statement (nothing reads it afterwards). */
function isStatementResult(summarize: SyntaxNode): boolean {
  const pipe = parentOf(summarize);
  return kindOf(pipe!) === "PipeExpression" && kindOf(parentOf(pipe)!) === "ExpressionStatement";
}

/**
 * The columns a summarize returns in the service: the model's `columns` with the documented renames applied.
 * Throws SC4020 when a renamed column would flow into a later operator or query.
 */
export function serviceColumns(node: SyntaxNode, columns: Column[]): Column[] {
  if (kindOf(node) !== "SummarizeOperator") return columns;
  const keys = listOf(optionalChild(optionalChild(node, "ByClause"), "Expressions")).length;
  const renamed = [...columns];
  listOf(child(node, "Aggregates")).forEach((expr: SyntaxNode, i: number) => {
    const name = serviceName(expr);
    const column = renamed[keys + i];
    if (name === undefined || column === undefined || column.name === name) return;
    if (!isStatementResult(node) || columns.length !== keys + listOf(child(node, "Aggregates")).length) {
      const message = `the service names this column ${name} where Kusto.Language names it ${column.name}; name it (c = ${textOf(expr)}) to read it in a later operator or beside a multi-column aggregate`;
      throw new EngineError("SC4020", message, spanOf(expr));
    }
    renamed[keys + i] = { ...column, name };
  });
  return renamed;
}
