import { makeEvalContext, spend, type RowFn, type RunContext, type TableStep } from "../context.ts";
import { nearestRank } from "../aggregates/catalog.ts";
import { EngineError, type Span } from "../errors.ts";
import { binValue } from "../functions/math.ts";
import { argumentsOf } from "../planner/calls.ts";
import { kindOf, spanOf, textOf, unsupported, type SyntaxNode } from "../syntax.ts";
import { compareValues, groupKey, isNumericType, isNullValue, type Column, type KqlType, type Row, type Value } from "../values.ts";
import type { PlanContext } from "./contract.ts";

/** What `rolling_percentile(ValueColumn, Percentile, IndexColumn, BinSize, BinsPerWindow [, dim…])` reads. */
interface RollingPlan {
  value: number;
  index: number;
  indexType: KqlType;
  dims: number[];
  percentile: RowFn;
  binSize: RowFn;
  binSizeType: KqlType;
  binsPerWindow: RowFn;
}

/** One group (combination of dimension values): its dimension values and the values of each bin, by bin. */
interface Group {
  dims: Value[];
  bins: Map<string, { bin: Value; values: Value[] }>;
}

function columnOf(columns: readonly Column[], node: SyntaxNode, what: string): number {
  if (kindOf(node) !== "NameReference") unsupported(node, `a rolling_percentile ${what} that is not a column`);
  const i = columns.findIndex((c) => c.name === textOf(node));
  if (i < 0) unsupported(node, `the rolling_percentile column '${textOf(node)}'`);
  return i;
}

function readPlan(args: SyntaxNode[], ctx: PlanContext): RollingPlan {
  const columns = ctx.inputColumns;
  const value = columnOf(columns, args[0]!, "value");
  if (!isNumericType((columns[value] as Column).type) || (columns[value] as Column).type === "decimal") {
    unsupported(args[0]!, "rolling_percentile of a column that is not int, long or real");
  }
  const index = columnOf(columns, args[2]!, "index");
  return {
    value,
    index,
    indexType: (columns[index] as Column).type,
    dims: args.slice(5).map((a) => columnOf(columns, a, "dimension")),
    percentile: ctx.compileScalar(args[1]!, []),
    binSize: ctx.compileScalar(args[3]!, []),
    binSizeType: ctx.typeOf(args[3]!),
    binsPerWindow: ctx.compileScalar(args[4]!, []),
  };
}

/** The plugin's constant arguments, evaluated once per run. */
function constantsOf(plan: RollingPlan, run: RunContext, span: Span): { percentile: number; binSize: Value; window: number } {
  const ec = makeEvalContext(run, []);
  const percentile = Number(plan.percentile([], ec));
  const window = Number(plan.binsPerWindow([], ec));
  const binSize = plan.binSize([], ec);
  if (!(percentile >= 0 && percentile <= 100)) throw new EngineError("SC4020", "rolling_percentile needs a percentile between 0 and 100", span);
  if (!Number.isInteger(window) || window < 1) throw new EngineError("SC4020", "rolling_percentile needs a whole positive number of bins per window", span);
  return { percentile, binSize, window };
}

/** Distance in bins between two bin starts. */
function binsBetween(from: Value, to: Value, size: Value): number {
  if (typeof from === "bigint" && typeof to === "bigint") return Number((to - from) / BigInt(size as bigint | number));
  return Math.round((Number(to) - Number(from)) / Number(size));
}

/** The output rows of one group: one per bin holding data, the percentile of the window of bins ending there. */
function groupRows(group: Group, constants: { percentile: number; binSize: Value; window: number }, valueType: KqlType, span: Span): Row[] {
  const bins = [...group.bins.values()].sort((a, b) => compareValues(a.bin, b.bin));
  const first = bins[0]?.bin ?? null;
  return bins.map((current, k) => {
    if (binsBetween(first, current.bin, constants.binSize) !== k) {
      // A bin without rows inside the range: whether Kusto returns a row for it is not documented.
      throw new EngineError("SC4020", "rolling_percentile over bins without rows inside a group's range: Kusto's rows for empty bins are not documented", span);
    }
    const values = bins.slice(Math.max(0, k - constants.window + 1), k + 1).flatMap((b) => b.values).sort(compareValues);
    const result = nearestRank(values, constants.percentile);
    const cell = valueType === "real" && typeof result === "bigint" ? Number(result) : result;
    return [current.bin, ...group.dims, cell];
  });
}

/**
 * Plans `evaluate rolling_percentile(…)`: per combination of dimensions and per bin of the index column, the
 * nearest-rank percentile (as `percentile()` computes it) of the values in the window of BinsPerWindow bins ending at that bin.
 */
export function planRollingPercentile(call: SyntaxNode, ctx: PlanContext): TableStep {
  const args = argumentsOf(call);
  if (args.length < 5) unsupported(call, "rolling_percentile with fewer than five arguments");
  const plan = readPlan(args, ctx);
  const out = ctx.outputColumns;
  if (out.length !== plan.dims.length + 2) unsupported(call, "this rolling_percentile's column layout");
  const valueType = (out.at(-1) as Column).type;
  const span = spanOf(call);
  return (input, run) => {
    const constants = constantsOf(plan, run, span);
    const groups = new Map<string, Group>();
    for (const row of input.rows) {
      spend(run);
      const value = row[plan.value] as Value;
      const bin = binValue(row[plan.index] as Value, plan.indexType, constants.binSize, plan.binSizeType);
      if (isNullValue(value) || bin === null) continue;
      const dims = plan.dims.map((i) => row[i] as Value);
      const key = dims.map(groupKey).join("\u0000");
      const group: Group = groups.get(key) ?? { dims, bins: new Map() };
      groups.set(key, group);
      const binKey = groupKey(bin);
      const entry = group.bins.get(binKey) ?? { bin, values: [] };
      group.bins.set(binKey, entry);
      entry.values.push(value);
    }
    const rows = [...groups.values()].flatMap((g) => groupRows(g, constants, valueType, span));
    return { columns: [...out], rows };
  };
}
