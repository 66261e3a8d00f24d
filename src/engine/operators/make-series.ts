import { checkTableSize, makeEvalContext, type EvalContext, type RowFn, type RunContext, type TableStep } from "../context.ts";
import { EngineError, type Span } from "../errors.ts";
import { argumentsOf } from "../planner/calls.ts";
import { child, kindOf, listOf, optionalChild, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { formatTimespan, groupKey, toDynamic, type Column, type JsonValue, type KqlType, type Row, type Table, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { compileAggregate, type Accumulator, type AggregateSpec } from "./make-series-aggregates.ts";
import { axisValues, binIndex, binTicks, makeAxis, type SeriesAxis } from "./make-series-axis.ts";
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
  for (const item of listOf(child(node, "Aggregates"))) {
    const named = kindOf(child(item, "Expression")) === "SimpleNamedExpression";
    const call = named ? child(child(item, "Expression"), "Expression") : child(item, "Expression");
    const type = ctx.typeOf(call);
    names.push(named ? textOf(child(child(item, "Expression"), "Name")) : undefined);
    series.push({
      spec: compileAggregate(call, ctx, type),
      fallback: optionalChild(item, "DefaultExpression") ? ctx.compileScalar(child(optionalChild(item, "DefaultExpression"), "Expression")) : undefined,
      type,
    });
  }
  return { series, names };
}

function readGroups(node: SyntaxNode, ctx: PlanContext): { fns: RowFn[]; names: (string | undefined)[] } {
  const exprs = listOf(optionalChild(optionalChild(node, "ByClause"), "Expressions"));
  return {
    fns: exprs.map((e: SyntaxNode) => ctx.compileScalar(kindOf(e) === "SimpleNamedExpression" ? child(e, "Expression") : e)),
    names: exprs.map((e: SyntaxNode) => (kindOf(e) === "SimpleNamedExpression" ? textOf(child(e, "Name")) : kindOf(e) === "NameReference" ? textOf(e) : undefined)),
  };
}

/** Refuses the operator when a name we know differs from the semantic model's layout. */
function checkNames(node: SyntaxNode, ours: readonly (string | undefined)[], expected: readonly Column[]): void {
  const clash = ours.some((name, i) => name !== undefined && expected[i]?.name !== name);
  if (clash || ours.length !== expected.length) unsupported(node, `this make-series' column layout (Kusto expects ${expected.map((c) => c.name).join(",")})`);
}

/** The axis bounds: `from`/`to`/`step` (to exclusive), or `in range(start, stop, step)` (stop inclusive, bins aligned with bin()). */
interface RangeSpec {
  from?: RowFn;
  to?: RowFn;
  step: RowFn;
  inRange: boolean;
}

function readRange(node: SyntaxNode, ctx: PlanContext): RangeSpec {
  const clause = optionalChild(node, "RangeClause");
  if (clause && kindOf(clause) === "MakeSeriesInRangeClause") {
    const [from, to, step] = optionalChild(clause, "Arguments") ? listOf(child(child(clause, "Arguments"), "Expressions")) : argumentsOf(clause);
    if (!from || !to || !step) unsupported(clause, "make-series `in range()` without three arguments");
    return { from: ctx.compileScalar(from), to: ctx.compileScalar(to), step: ctx.compileScalar(step), inRange: true };
  }
  if (!clause || kindOf(clause) !== "MakeSeriesFromToStepClause") unsupported(clause ?? node, "this make-series range clause");
  const out: RangeSpec = { step: ctx.compileScalar(child(optionalChild(clause, "MakeSeriesStepClause"), "Expression")), inRange: false };
  if (optionalChild(clause, "MakeSeriesFromClause")) out.from = ctx.compileScalar(child(optionalChild(clause, "MakeSeriesFromClause"), "Expression"));
  if (optionalChild(clause, "MakeSeriesToClause")) out.to = ctx.compileScalar(child(optionalChild(clause, "MakeSeriesToClause"), "Expression"));
  return out;
}

/** The constant bounds of a run: `in range()` becomes [bin(start), bin(stop) + step). */
function runBounds(range: RangeSpec, run: RunContext, datetime: boolean, span: Span): { from: Value; to: Value; step: Value } {
  const step = constant(range.step, run);
  if ((typeof step === "bigint" && step <= 0n) || (typeof step === "number" && !(step > 0)) || (typeof step !== "bigint" && typeof step !== "number")) {
    throw new EngineError("SC4004", "make-series step must be a positive number or timespan", span);
  }
  let from = constant(range.from, run);
  let to = constant(range.to, run);
  if (range.inRange) {
    if (typeof step === "bigint") {
      from = typeof from === "bigint" ? binTicks(from, step, datetime) : from;
      to = typeof to === "bigint" ? binTicks(to, step, datetime) + step : to;
    } else if (typeof step === "number") {
      from = typeof from === "number" ? Math.floor(from / step) * step : from;
      to = typeof to === "number" ? Math.floor(to / step) * step + step : to;
    }
  }
  return { from, to, step };
}

/** Plans `make-series`: by-columns, then one dynamic array per aggregate, then the axis array. */
function planMakeSeries(node: SyntaxNode, ctx: PlanContext): TableStep {
  let nonempty = false;
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (isHint(param)) continue;
    if (param.name === "kind" && param.text === "nonempty") nonempty = true;
    else unsupported(param.node, `the make-series parameter '${param.name}=${param.text}'`);
  }
  const { series, names } = readSeries(node, ctx);
  const groups = readGroups(node, ctx);
  const axisExpr = child(child(node, "OnClause"), "Expression");
  const axisName = kindOf(axisExpr) === "NameReference" ? textOf(axisExpr) : undefined;
  checkNames(node, [...groups.names, ...names, axisName], ctx.outputColumns);
  const axisFn = ctx.compileScalar(axisExpr);
  const datetime = ctx.typeOf(axisExpr) === "datetime";
  const range = readRange(node, ctx);
  const span = spanOf(node);
  return (input: Table, run: RunContext) => {
    const ectx = makeEvalContext(run, input.rows);
    const bounds = runBounds(range, run, datetime, span);
    const rows: Row[] = [];
    const emit = (group: SeriesGroup, keepEmpty: boolean): void => {
      // Without from/to, each series spans its own first to last bin (Kusto's per-series axis).
      const axis = makeAxis(bounds.from, bounds.to, bounds.step, group.axis, datetime);
      if (!axis) return;
      checkTableSize(run, rows.length + 1, axis.count * Math.max(series.length, 1), span);
      const row = seriesRow(group, axis, series, ectx, run, input.rows, keepEmpty);
      if (row) rows.push([...row, axisValues(axis, datetime, formatTimespan)]);
    };
    for (const group of groupRows(input.rows, axisFn, groups.fns, ectx).values()) emit(group, false);
    if (rows.length === 0 && nonempty && groups.fns.length === 0) emit({ keys: [], rows: [], axis: [] }, true);
    return { columns: [...ctx.outputColumns], rows };
  };
}

/** One group of make-series input: its by-values, its row indexes and their axis values. */
interface SeriesGroup {
  keys: Value[];
  rows: number[];
  axis: Value[];
}

function groupRows(rows: readonly Row[], axisFn: RowFn, groupFns: RowFn[], ectx: EvalContext): Map<string, SeriesGroup> {
  const groups = new Map<string, SeriesGroup>();
  rows.forEach((row, i) => {
    ectx.index = i;
    const keys = groupFns.map((fn) => fn(row, ectx));
    const key = keys.map(groupKey).join("\u0000");
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { keys, rows: [], axis: [] }));
    group.rows.push(i);
    group.axis.push(axisFn(row, ectx));
  });
  return groups;
}

/** A group's keys and series (empty bins take the default); undefined when no row of the group falls on the axis. */
function seriesRow(group: SeriesGroup, axis: SeriesAxis, series: SeriesColumn[], ectx: EvalContext, run: RunContext, rows: readonly Row[], keepEmpty = false): Row | undefined {
  const bins = new Map<number, Accumulator[]>();
  group.rows.forEach((r, k) => {
    const bin = binIndex(axis, group.axis[k] as Value);
    if (bin < 0) return;
    let accs = bins.get(bin);
    if (!accs) bins.set(bin, (accs = series.map((s) => s.spec.create())));
    ectx.index = r;
    for (const acc of accs) acc.add(rows[r] as Row, ectx);
  });
  if (bins.size === 0 && !keepEmpty) return undefined;
  const out: Row = [...group.keys];
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
