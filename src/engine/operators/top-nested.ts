import { makeEvalContext, type EvalContext, type RowFn, type TableStep } from "../context.ts";
import { child, kindOf, listOf, optionalChild, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { compareWithNulls, emptyOf, groupKey, type Column, type Row, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { rowLimitOf, type RowLimit } from "./join-tables.ts";
import { compileAggregate, type AggregateSpec } from "./make-series-aggregates.ts";

/** One `top-nested [N] of Expr [with others=C] by Aggregation [asc|desc]` clause. */
interface Level {
  n: number;
  of: RowFn;
  others: RowFn | undefined;
  aggregate: AggregateSpec;
  ascending: boolean;
}

function unnamed(node: SyntaxNode): SyntaxNode {
  return kindOf(node) === "SimpleNamedExpression" ? child(node, "Expression") : node;
}

function nameOf(node: SyntaxNode): string | undefined {
  if (kindOf(node) === "SimpleNamedExpression") return textOf(child(node, "Name"));
  if (kindOf(node) === "NameReference") return textOf(node);
  return undefined;
}

/** Reads one clause; returns the level and the two output names we can tell from the syntax. */
function readLevel(clause: SyntaxNode, ctx: PlanContext, isLast: boolean): { level: Level; names: (string | undefined)[] } {
  const nText = optionalChild(clause, "Expression") ? textOf(child(clause, "Expression")) : "";
  const n = nText === "" ? Number.POSITIVE_INFINITY : Number(nText);
  if (n !== Number.POSITIVE_INFINITY && (!Number.isInteger(n) || n < 0)) unsupported(clause, "a top-nested count that is not a literal number");
  if (optionalChild(clause, "WithOthersClause") && !isLast) unsupported(optionalChild(clause, "WithOthersClause"), "`with others` on a top-nested clause that has nested clauses after it");
  const ordered = child(clause, "ByExpression");
  const by = kindOf(ordered) === "OrderedExpression" ? child(ordered, "Expression") : ordered;
  const ordering = kindOf(ordered) === "OrderedExpression" ? optionalChild(ordered, "Ordering") : undefined;
  const ascending = ordering ? textOf(child(ordering, "AscOrDescKeyword")) === "asc" : false;
  const ofName = nameOf(child(clause, "OfExpression"));
  const call = unnamed(by);
  return {
    level: {
      n,
      of: ctx.compileScalar(unnamed(child(clause, "OfExpression"))),
      others: optionalChild(clause, "WithOthersClause") ? ctx.compileScalar(child(optionalChild(clause, "WithOthersClause"), "Expression")) : undefined,
      aggregate: compileAggregate(call, ctx, ctx.typeOf(call)),
      ascending,
    },
    names: [ofName, nameOf(by) ?? (ofName === undefined ? undefined : `aggregated_${ofName}`)],
  };
}

/** Aggregates `rows` (indexes into the input) with one level's aggregate. */
function aggregateOver(level: Level, rows: readonly number[], input: readonly Row[], ectx: EvalContext): Value {
  const acc = level.aggregate.create();
  for (const i of rows) {
    ectx.index = i;
    acc.add(input[i] as Row, ectx);
  }
  return acc.result();
}

/** Emits the hierarchy depth-first: each level's top N groups (by aggregate, ties in first-seen order), then its `others` row. */
function nest(levels: readonly Level[], depth: number, rows: readonly number[], input: readonly Row[], ectx: EvalContext, prefix: Value[], out: Row[], limit: RowLimit, pads: readonly Value[]): void {
  const level = levels[depth];
  if (!level) {
    if (out.length >= limit.maxRows) limit.overflow();
    out.push(prefix);
    return;
  }
  const groups = new Map<string, { key: Value; rows: number[] }>();
  for (const i of rows) {
    ectx.index = i;
    const key = level.of(input[i] as Row, ectx);
    const k = groupKey(key);
    const group = groups.get(k);
    if (group) group.rows.push(i);
    else groups.set(k, { key, rows: [i] });
  }
  const ranked = [...groups.values()].map((g) => ({ ...g, value: aggregateOver(level, g.rows, input, ectx) }));
  ranked.sort((a, b) => (level.ascending ? compareWithNulls(a.value, b.value, true) : -compareWithNulls(a.value, b.value, true)));
  const top = ranked.slice(0, level.n);
  for (const g of top) nest(levels, depth + 1, g.rows, input, ectx, [...prefix, g.key, g.value], out, limit, pads);
  const rest = ranked.slice(top.length);
  if (level.others && rest.length > 0) {
    const restRows = rest.flatMap((g) => g.rows);
    ectx.index = 0;
    const label = level.others([], ectx);
    out.push([...prefix, label, aggregateOver(level, restRows, input, ectx), ...pads.slice(prefix.length + 2)]);
  }
}

/** Plans `top-nested`: two columns per clause (the value and its aggregate). */
function planTopNested(node: SyntaxNode, ctx: PlanContext): TableStep {
  const clauses = listOf(child(node, "Clauses"));
  const read = clauses.map((clause: SyntaxNode, i: number) => readLevel(clause, ctx, i === clauses.length - 1));
  const names = read.flatMap((r) => r.names);
  const expected: readonly Column[] = ctx.outputColumns;
  if (names.length !== expected.length || names.some((name, i) => name !== undefined && expected[i]?.name !== name)) {
    unsupported(node, `this top-nested's column layout (Kusto expects ${expected.map((c) => c.name).join(",")})`);
  }
  const levels = read.map((r) => r.level);
  const pads = expected.map((c) => emptyOf(c.type));
  const span = spanOf(node);
  return (input, run) => {
    const ectx = makeEvalContext(run, input.rows);
    const out: Row[] = [];
    nest(levels, 0, input.rows.map((_, i) => i), input.rows, ectx, [], out, rowLimitOf(run, span), pads);
    return { columns: [...expected], rows: out };
  };
}

/** The `top-nested` operator. */
export const topNestedOperator: TabularOperator = { kinds: ["TopNestedOperator"], plan: planTopNested };
