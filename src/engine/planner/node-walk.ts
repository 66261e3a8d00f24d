// One walk over an expression's syntax tree for the planner's "does it read only …" questions (incremental.ts,
// clock-bounds.ts): each asks its own question of every node that is not a token.
import { childrenOf, isToken, type SyntaxNode } from "../syntax.ts";

/** True when `accepts` holds for every node under `node` (itself included) that is not a token. */
export function everyNode(node: SyntaxNode, accepts: (node: SyntaxNode) => boolean): boolean {
  if (isToken(node)) return true;
  return accepts(node) && childrenOf(node).every((next) => everyNode(next, accepts));
}
