import { child, listOf, type SyntaxNode, textOf } from "../syntax.ts";

/** One `name=value` operator parameter (e.g. `kind=inner`, `withsource=Source`, `hint.strategy=broadcast`). */
export interface NamedParameter {
  /** The name as written, lower-cased (parameter names are case-insensitive keywords). */
  name: string;
  /** The value's source text (`inner`, `Source`, `"x"`). */
  text: string;
  /** The parameter node, for error spans. */
  node: SyntaxNode;
}

/** Reads an operator's `Parameters` list into name/text pairs, in order. */
export function parseNamedParameters(list: SyntaxNode): NamedParameter[] {
  return listOf(list).map((param: SyntaxNode) => ({
    name: textOf(child(param, "Name")).toLowerCase(),
    text: textOf(child(param, "Expression")),
    node: param,
  }));
}

/** True for the `hint.*` parameters, which only steer Kusto's distribution and never change results. */
export function isHint(param: NamedParameter): boolean {
  return param.name.startsWith("hint.");
}
