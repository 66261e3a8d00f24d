import type { TableStep } from "../context.ts";
import { child, kindOf, listOf, simpleNameOf, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { isNumericType, type Column } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { joinTables, lookupTables, parseJoinKind, renameRightColumns, rowLimitOf, type JoinKeys, type JoinKind } from "./join-tables.ts";
import { isHint, parseNamedParameters } from "./parse-named-parameters.ts";

/** The name a column reference in an `on` clause points at (`Col`, `['Col']`). */
function columnName(node: SyntaxNode): string {
  const simple = simpleNameOf(node) as string | undefined;
  return simple ?? textOf(node);
}

/** Position of column `name` in `columns`, refusing the query when it is absent. */
function positionOf(columns: readonly Column[], name: string, node: SyntaxNode, side: string): number {
  const i = columns.findIndex((c) => c.name === name);
  if (i < 0) unsupported(node, `join key '${name}', which the ${side} side lacks,`);
  return i;
}

/** `$left.a` / `$right.b`: which side, and the column. */
function sideColumn(node: SyntaxNode): { side: "$left" | "$right"; name: string } | undefined {
  if (kindOf(node) !== "PathExpression") return undefined;
  const side = textOf(child(node, "Expression"));
  if (side !== "$left" && side !== "$right") return undefined;
  return { side, name: columnName(child(node, "Selector")) };
}

/** Splits `a and b and c` (as Kusto allows between `$left.x == $right.y` conditions) into its parts. */
function conjuncts(expr: SyntaxNode): SyntaxNode[] {
  if (kindOf(expr) === "AndExpression") return [...conjuncts(child(expr, "Left")), ...conjuncts(child(expr, "Right"))];
  if (kindOf(expr) === "ParenthesizedExpression") return conjuncts(child(expr, "Expression"));
  return [expr];
}

/** Reads the `on` clause into key positions; `on a` pairs a with a, `$left.a == $right.b` pairs a with b. */
export function readJoinKeys(clause: SyntaxNode, left: readonly Column[], right: readonly Column[]): JoinKeys {
  if (!clause || kindOf(clause) !== "JoinOnClause") unsupported(clause, "join with a `where` condition");
  const keys: JoinKeys = { left: [], right: [] };
  for (const expr of listOf(child(clause, "Expressions")).flatMap(conjuncts)) {
    if (kindOf(expr) === "NameReference") {
      const name = columnName(expr);
      keys.left.push(positionOf(left, name, expr, "left"));
      keys.right.push(positionOf(right, name, expr, "right"));
      continue;
    }
    const a = kindOf(expr) === "EqualExpression" ? sideColumn(child(expr, "Left")) : undefined;
    const b = a ? sideColumn(child(expr, "Right")) : undefined;
    if (!a || !b || a.side === b.side) unsupported(expr, "this join condition (only `Col` and `$left.a == $right.b` are)");
    const l = a.side === "$left" ? a : b;
    const r = a.side === "$left" ? b : a;
    keys.left.push(positionOf(left, l.name, expr, "left"));
    keys.right.push(positionOf(right, r.name, expr, "right"));
  }
  keys.left.forEach((li, k) => {
    const lt = (left[li] as Column).type;
    const rt = (right[keys.right[k] as number] as Column).type;
    if (lt !== rt && !(isNumericType(lt) && isNumericType(rt))) {
      unsupported(clause, `join on columns of different types (${lt} and ${rt})`);
    }
  });
  return keys;
}

/** Reads `kind=` (default `innerunique`), ignoring hints and refusing anything else. */
function readKind<K extends string>(node: SyntaxNode, allowed: (text: string) => K | undefined, fallback: K): K {
  let kind = fallback;
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (isHint(param)) continue;
    const value = param.name === "kind" ? allowed(param.text) : undefined;
    if (value === undefined) unsupported(param.node, `the join/lookup parameter '${param.name}=${param.text}'`);
    kind = value;
  }
  return kind;
}

/** The columns a join flavor returns, before any check against the semantic model. */
function joinColumns(kind: JoinKind, left: readonly Column[], right: readonly Column[]): Column[] {
  if (kind === "leftsemi" || kind === "leftanti") return [...left];
  if (kind === "rightsemi" || kind === "rightanti") return [...right];
  return [...left, ...renameRightColumns(left, right)];
}

/** Refuses the operator when our column layout differs from Kusto's (a wrong answer is worse than none). */
function checkColumns(node: SyntaxNode, ours: readonly Column[], ctx: PlanContext): void {
  const expected = ctx.outputColumns.map((c) => c.name).join(",");
  if (ours.map((c) => c.name).join(",") !== expected) unsupported(node, `this join's column layout (Kusto expects ${expected})`);
}

/** Plans `join`: the right side is computed once per run, then hashed on its keys. */
function planJoin(node: SyntaxNode, ctx: PlanContext): TableStep {
  const kind = readKind<JoinKind>(node, parseJoinKind, "innerunique");
  const rightColumns = ctx.columnsOf(child(node, "Expression"));
  const keys = readJoinKeys(child(node, "ConditionClause"), ctx.inputColumns, rightColumns);
  checkColumns(node, joinColumns(kind, ctx.inputColumns, rightColumns), ctx);
  const right = ctx.compileTabular(child(node, "Expression"));
  const span = spanOf(node);
  return (input, run) => {
    const out = joinTables(input, right(run), keys, kind, rowLimitOf(run, span));
    return { columns: [...ctx.outputColumns], rows: out.rows };
  };
}

/** Plans `lookup` (kind leftouter by default, or inner). */
function planLookup(node: SyntaxNode, ctx: PlanContext): TableStep {
  const kind = readKind<"leftouter" | "inner">(node, (t) => (t === "leftouter" || t === "inner" ? t : undefined), "leftouter");
  const rightColumns = ctx.columnsOf(child(node, "Expression"));
  const keys = readJoinKeys(child(node, "LookupClause"), ctx.inputColumns, rightColumns);
  checkColumns(node, [...ctx.inputColumns, ...renameRightColumns(ctx.inputColumns, rightColumns, new Set(keys.right))], ctx);
  const right = ctx.compileTabular(child(node, "Expression"));
  const span = spanOf(node);
  return (input, run) => {
    const out = lookupTables(input, right(run), keys, kind, rowLimitOf(run, span));
    return { columns: [...ctx.outputColumns], rows: out.rows };
  };
}

/** The `join` operator (every flavor; `on` keys only). */
export const joinOperator: TabularOperator = { kinds: ["JoinOperator"], plan: planJoin };

/** The `lookup` operator. */
export const lookupOperator: TabularOperator = { kinds: ["LookupOperator"], plan: planLookup };
