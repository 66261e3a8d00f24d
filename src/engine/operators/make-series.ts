import { checkTableSize, makeEvalContext, type RowFn, type RunContext, type TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import { kindOf, listOf, spanOf, textOf, unsupported, type SyntaxNode } from "../syntax.ts";
import { formatTimespan, groupKey, toDynamic, type Column, type JsonValue, type KqlType, type Row, type Table, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { compileAggregate, type Accumulator, type AggregateSpec } from "./make-series-aggregates.ts";
import { axisValues, binIndex, makeAxis, type SeriesAxis } from "./make-series-axis.ts";
import { isHint, parseNamedParameters } from "./parse-named-parameters.ts";

/** One series column: its aggregate, default for empty bins, and element type. */
interface SeriesColumn {
  spec: AggregateSpec;
  fallback: RowFn | undefined;
  type: KqlType;
}

/** Evaluates a constant expression (from/to/step/default) once for the run. */
function constant(fn: RowFn | undefined, run: RunContext): Value {
  return fn ? fn([], makeEvalContext(run, [])) : null;
}

function readSeries(node: SyntaxNode, ctx: PlanContext): { series: SeriesColumn[]; names: (string | undefined)[] } {
  const series: SeriesColumn[] = [];
  const names: (string | undefined)[] = [];
  for (const item of listOf(node.Aggregates)) {
    const named = kindOf(item.Expression) === "SimpleNamedExpression";
    const call = named ? item.Expression.Expression : item.Expression;
    const type = ctx.typeOf(call);
    names.push(named ? textOf(item.Expression.Name) : undefined);
    series.push({
      spec: compileAggregate(call, ctx, type),
      fallback: item.DefaultExpression ? ctx.compileScalar(item.DefaultExpression.Expression) : undefined,
      type,
    });
  }
  return { series, names };
}

function readGroups(node: SyntaxNode, ctx: PlanContext): { fns: RowFn[]; names: (string | undefined)[] } {
  const exprs = node.ByClause ? listOf(node.ByClause.Expressions) : [];
  return {
    fns: exprs.map((e: SyntaxNode) => ctx.compileScalar(kindOf(e) === "SimpleNamedExpression" ? e.Expression : e)),
    names: exprs.map((e: SyntaxNode) => (kindOf(e) === "SimpleNamedExpression" ? textOf(e.Name) : kindOf(e) === "NameReference" ? textOf(e) : undefined)),
  };
}

/** Refuses the operator when a name we know differs from the semantic model's layout. */
function checkNames(node: SyntaxNode, ours: readonly (string | undefined)[], expected: readonly Column[]): void {
  const clash = ours.some((name, i) => name !== undefined && expected[i]?.name !== name);
  if (clash || ours.length !== expected.length) unsupported(node, `this make-series' column layout (Kusto expects ${expected.map((c) => c.name).join(",")})`);
}

/** Reads the range clause: `from`/`to`/`step` expressions (the `in range()` form is refused). */
function readRange(node: SyntaxNode, ctx: PlanContext): { from?: RowFn; to?: RowFn; step: RowFn } {
  const clause = node.RangeClause;
  if (!clause || kindOf(clause) !== "MakeSeriesFromToStepClause") unsupported(clause ?? node, "make-series without `from … to … step …`");
  const out: { from?: RowFn; to?: RowFn; step: RowFn } = { step: ctx.compileScalar(clause.MakeSeriesStepClause.Expression) };
  if (clause.MakeSeriesFromClause) out.from = ctx.compileScalar(clause.MakeSeriesFromClause.Expression);
  if (clause.MakeSeriesToClause) out.to = ctx.compileScalar(clause.MakeSeriesToClause.Expression);
  return out;
}

/** Plans `make-series`: by-columns, then one dynamic array per aggregate, then the axis array. */
function planMakeSeries(node: SyntaxNode, ctx: PlanContext): TableStep {
  let nonempty = false;
  for (const param of parseNamedParameters(node.Parameters)) {
    if (isHint(param)) continue;
    if (param.name === "kind" && param.text === "nonempty") nonempty = true;
    else unsupported(param.node, `the make-series parameter '${param.name}=${param.text}'`);
  }
  const { series, names } = readSeries(node, ctx);
  const groups = readGroups(node, ctx);
  const axisExpr = node.OnClause.Expression;
  const axisName = kindOf(axisExpr) === "NameReference" ? textOf(axisExpr) : undefined;
  checkNames(node, [...groups.names, ...names, axisName], ctx.outputColumns);
  const axisFn = ctx.compileScalar(axisExpr);
  const axisType = ctx.typeOf(axisExpr);
  const range = readRange(node, ctx);
  const span = spanOf(node);
  return (input: Table, run: RunContext) => {
    const ectx = makeEvalContext(run, input.rows);
    const axisOf = input.rows.map((row, i) => {
      ectx.index = i;
      return axisFn(row, ectx);
    });
    const step = constant(range.step, run);
    if ((typeof step === "bigint" && step <= 0n) || (typeof step === "number" && !(step > 0))) {
      throw new EngineError("SC4004", "make-series step must be positive", span);
    }
    const axis = makeAxis(constant(range.from, run), constant(range.to, run), step, axisOf, axisType === "datetime");
    if (!axis) return { columns: [...ctx.outputColumns], rows: [] };
    checkTableSize(run, Math.max(input.rows.length, 1), axis.count * Math.max(series.length, 1), span);
    const rows = buildSeriesRows(input.rows, axisOf, axis, series, groups.fns, ectx, run);
    if (rows.length === 0 && nonempty && groups.fns.length === 0) rows.push(seriesRow([], new Map(), axis, series, run));
    const axisArray = axisValues(axis, axisType === "datetime", formatTimespan);
    for (const row of rows) row.push(axisArray);
    return { columns: [...ctx.outputColumns], rows };
  };
}

/** Groups rows by the by-values and bins them on the axis; rows off the axis are left out. */
function buildSeriesRows(rows: readonly Row[], axisOf: Value[], axis: SeriesAxis, series: SeriesColumn[], groupFns: RowFn[], ectx: ReturnType<typeof makeEvalContext>, run: RunContext): Row[] {
  const groups = new Map<string, { keys: Value[]; bins: Map<number, Accumulator[]> }>();
  rows.forEach((row, i) => {
    const bin = binIndex(axis, axisOf[i] as Value);
    if (bin < 0) return;
    ectx.index = i;
    const keys = groupFns.map((fn) => fn(row, ectx));
    const key = keys.map(groupKey).join("\u0000");
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { keys, bins: new Map() }));
    let accs = group.bins.get(bin);
    if (!accs) group.bins.set(bin, (accs = series.map((s) => s.spec.create())));
    for (const acc of accs) acc.add(row, ectx);
  });
  return [...groups.values()].map((g) => seriesRow(g.keys, g.bins, axis, series, run));
}

/** One output row: the group's keys, then each series filled with its default where a bin has no rows. */
function seriesRow(keys: Value[], bins: Map<number, Accumulator[]>, axis: SeriesAxis, series: SeriesColumn[], run: RunContext): Row {
  const out: Row = [...keys];
  series.forEach((s, k) => {
    const fallback = s.fallback ? toDynamic(constant(s.fallback, run), s.type) : 0;
    const values: JsonValue[] = [];
    for (let i = 0; i < axis.count; i++) {
      const accs = bins.get(i);
      values.push(accs ? toDynamic((accs[k] as Accumulator).result(), s.type) : fallback);
    }
    out.push(values);
  });
  return out;
}

/** The `make-series` operator (from/to/step, default=, by, kind=nonempty). */
export const makeSeriesOperator: TabularOperator = { kinds: ["MakeSeriesOperator"], plan: planMakeSeries };
