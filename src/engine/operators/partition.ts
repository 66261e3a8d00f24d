import { checkTableSize, type RunContext, type TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import type { Binding } from "../planner/scope.ts";
import { child, kindOf, spanOf, type SyntaxNode, textOf, typeOf, unsupported } from "../syntax.ts";
import { groupKey, type Column, type Row, type Table, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { parseNamedParameters } from "./parse-named-parameters.ts";

type Strategy = "legacy" | "native" | "shuffle";

/** The legacy strategy's documented cap on distinct key values. */
const LEGACY_PARTITION_LIMIT = 64;

/** The operators the docs allow in a native or shuffle subquery ("Supported operators for the native and shuffle strategies"). */
const NATIVE_OPERATORS: ReadonlySet<string> = new Set([
  "CountOperator",
  "DistinctOperator",
  "ExtendOperator",
  "MakeSeriesOperator",
  "MvApplyOperator",
  "MvExpandOperator",
  "ParseOperator",
  "ParseWhereOperator",
  "ProjectOperator",
  "ProjectAwayOperator",
  "ProjectKeepOperator",
  "ProjectRenameOperator",
  "ProjectReorderOperator",
  "ReduceByOperator",
  "SampleOperator",
  "SampleDistinctOperator",
  "ScanOperator",
  "SearchOperator",
  "SerializeOperator",
  "SortOperator",
  "SummarizeOperator",
  "TakeOperator",
  "TopOperator",
  "TopHittersOperator",
  "TopNestedOperator",
  "FilterOperator",
]);

/** Reads `hint.strategy=` (default legacy); the other documented hints only steer execution. */
function readStrategy(node: SyntaxNode): Strategy {
  let strategy: Strategy = "legacy";
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (param.name === "hint.strategy") {
      const value = param.text.toLowerCase();
      if (value !== "legacy" && value !== "native" && value !== "shuffle") throw new EngineError("SC4012", `'${param.text}' is not a partition strategy (legacy, native or shuffle)`, spanOf(param.node));
      strategy = value;
    } else if (!["hint.shufflekey", "hint.materialized", "hint.concurrency", "hint.spread"].includes(param.name)) {
      unsupported(param.node, `the partition parameter '${param.name}'`);
    }
  }
  return strategy;
}

/** The operators of a subquery pipeline, first to last. */
function pipelineOperators(expr: SyntaxNode): SyntaxNode[] {
  const kind = kindOf(expr);
  if (kind === "PipeExpression") return [...pipelineOperators(child(expr, "Expression")), child(expr, "Operator")];
  if (kind === "ParenthesizedExpression") return pipelineOperators(child(expr, "Expression"));
  return [expr];
}

/** Refuses, for the native and shuffle strategies, an operator outside the documented list (join, union, evaluate, …). */
function checkNativeSubquery(expr: SyntaxNode, strategy: Strategy): void {
  for (const op of pipelineOperators(expr)) {
    if (!NATIVE_OPERATORS.has(kindOf(op))) {
      throw new EngineError("SC4012", `'${textOf(op).split(/\s/)[0] ?? ""}' cannot run in a partition subquery with hint.strategy=${strategy} (use the legacy strategy)`, spanOf(op));
    }
  }
}

/** Splits rows by the key column's value, in first-seen order (equal keys, including null, share a partition). */
function partitionRows(input: Table, keyIndex: number): { key: Value; rows: Row[] }[] {
  const parts = new Map<string, { key: Value; rows: Row[] }>();
  for (const row of input.rows) {
    const key = row[keyIndex] ?? null;
    const id = groupKey(key);
    const part = parts.get(id);
    if (part) part.rows.push(row);
    else parts.set(id, { key, rows: [row] });
  }
  return [...parts.values()];
}

/** Lays a subquery's result out as the operator's columns (by name); a missing column is an engine bug (SC4004). */
function alignRows(result: Table, columns: readonly Column[], node: SyntaxNode): Row[] {
  const index = new Map(result.columns.map((c, i) => [c.name, i]));
  const order = columns.map((c) => {
    const i = index.get(c.name);
    if (i === undefined) throw new EngineError("SC4004", `the partition query produced no column '${c.name}'`, spanOf(node));
    return i;
  });
  return result.rows.map((r) => {
    const out = order.map((i) => r[i] ?? null);
    carryIngestionTime(r, out);
    return out;
  });
}

/** Compiles the per-partition query: `( subquery )` on the partition's rows, or `{ query }` with the key bound by name. */
function compilePartitionQuery(node: SyntaxNode, ctx: PlanContext, strategy: Strategy, key: { name: string; current: () => Value }): (part: Table, run: RunContext) => Table {
  const operand = child(node, "Operand");
  const keyType = ctx.inputColumns.find((c) => c.name === key.name)?.type ?? "dynamic";
  if (kindOf(operand) === "PartitionQuery") {
    if (strategy !== "legacy") throw new EngineError("SC4012", `a partition query with its own source ({ … }) needs the legacy strategy, not ${strategy}`, spanOf(operand));
    const bindings = new Map<string, Binding>([[key.name, { kind: "scalar", fn: key.current, type: keyType }]]);
    const plan = ctx.compileTabular(child(operand, "Query"), bindings);
    return (_part, run) => plan(run);
  }
  if (kindOf(operand) !== "PartitionSubquery") return unsupported(operand, `the partition operand '${kindOf(operand)}'`);
  const subquery = child(operand, "Subquery");
  if (strategy !== "legacy") checkNativeSubquery(subquery, strategy);
  let current: Table = { columns: [], rows: [] };
  const first = pipelineOperators(subquery)[0];
  const bindings = new Map<string, Binding>();
  if (first !== undefined && kindOf(first) === "AsOperator") bindings.set(textOf(child(first, "Name")), { kind: "table", plan: () => current, columns: [...ctx.inputColumns] });
  const step = ctx.compileSubquery(subquery, ctx.inputColumns, bindings);
  return (part, run) => {
    current = part;
    return step(part, run);
  };
}

/**
 * Plans `partition [hint.strategy=…] by Column (subquery)` and the legacy `{ query }` form: the input is split by
 * the key column's value (first-seen order), the query runs once per partition (with its own toscalar and
 * materialize results), and the results are concatenated. The legacy strategy fails above 64 partitions.
 */
function planPartition(node: SyntaxNode, ctx: PlanContext): TableStep {
  const strategy = readStrategy(node);
  const by = child(node, "ByExpression");
  if (kindOf(by) !== "NameReference") return unsupported(by, "partitioning by an expression (the docs allow a column)");
  const keyName = textOf(by);
  const keyIndex = ctx.inputColumns.findIndex((c) => c.name === keyName);
  if (keyIndex < 0) return unsupported(by, `partitioning by '${keyName}', which is not an input column,`);
  if (typeOf(by) === "dynamic") throw new EngineError("SC4012", `the partition key '${keyName}' is dynamic; partition needs a scalar column`, spanOf(by));
  let currentKey: Value = null;
  const query = compilePartitionQuery(node, ctx, strategy, { name: keyName, current: () => currentKey });
  const span = spanOf(node);
  const columns = ctx.outputColumns;
  return (input, run) => {
    const parts = partitionRows(input, keyIndex);
    if (strategy === "legacy" && parts.length > LEGACY_PARTITION_LIMIT) {
      throw new EngineError("SC4004", `partition's legacy strategy allows at most ${LEGACY_PARTITION_LIMIT} distinct values of '${keyName}', the input has ${parts.length} (use hint.strategy=native)`, span);
    }
    const rows: Row[] = [];
    for (const part of parts) {
      currentKey = part.key;
      const result = query({ columns: input.columns, rows: part.rows }, { ...run, cache: new Map() });
      rows.push(...alignRows(result, columns, node));
      checkTableSize(run, rows.length, columns.length, span);
    }
    return { columns: [...columns], rows };
  };
}

/** The `partition` operator (native, shuffle and legacy strategies; `( subquery )` and legacy `{ query }` forms). */
export const partitionOperator: TabularOperator = { kinds: ["PartitionOperator"], plan: planPartition };
