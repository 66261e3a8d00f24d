import { checkTableSize, oncePerRun, type RunContext, type TablePlan, type TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import type { PlanContext } from "../operators/contract.ts";
import { calledFunctionBody, child, childAt, columnsOf, firstTokenText, hasOpenSchema, isTabular, kindOf, optionalChild, parametersOf, parentOf, referencedKind, referencedName, simpleNameOf, spanOf, type SyntaxNode, textOf, typeOf, unsupported } from "../syntax.ts";
import type { Column, Table, Value } from "../values.ts";
import type { Compiler } from "./compiler.ts";
import { argumentsOf } from "./calls.ts";
import { carryIngestionTime } from "./ingestion.ts";
import { bindArguments, compileTabularBody } from "./functions.ts";
import { clockBounds } from "./clock-bounds.ts";
import { cachedChainPlan, operatorToken, readsOnlyRowAndConstants, rowLocalChain, type CompiledStage, type RowLocalChain } from "./incremental.ts";
import { splitClockWhere } from "./clock-where.ts";
import { tableRowCount } from "../segments.ts";
import { isLiteralKind, literalValue } from "./literals.ts";
import { compilePatternInvocation, isPatternInvocation } from "./patterns.ts";
import { phantomPositions } from "./phantom-columns.ts";
import { serviceColumns } from "./service-names.ts";
import { makeScope, type Binding } from "./scope.ts";
import { compileDataTable, compileWatchlist } from "./sources.ts";

const EMPTY: Table = { columns: [], rows: [] };

/**
 * Reorders a table's columns to the static order `staticColumns` (by name); a missing column is an engine bug
 * surfaced as SC4004. When the node's static schema is open (after `evaluate bag_unpack`, whose columns
 * come from the data), columns the model cannot know are kept, each after the column it follows in `table`.
 */
export function alignTable(table: Table, staticColumns: readonly Column[], node: SyntaxNode): Table {
  if (staticColumns.length === 0) return table;
  const expected = hasOpenSchema(node) ? withDataColumns(table.columns, staticColumns) : staticColumns;
  const same = table.columns.length === expected.length && table.columns.every((c, i) => c.name === expected[i]!.name);
  if (same) return table;
  // Kusto renames duplicate column names (QueryText, QueryText1): same layout, renamed in place.
  const renamedDuplicates = table.columns.length === expected.length && table.columns.every((c, i) => isSameOrNumbered(expected[i]!.name, c.name));
  if (renamedDuplicates) return { columns: expected.map((c, i) => ({ name: c.name, type: table.columns[i]!.type })), rows: table.rows };
  const index = new Map(table.columns.map((c, i) => [c.name, i]));
  const order = expected.map((c) => {
    const i = index.get(c.name);
    if (i === undefined) {
      throw new EngineError("SC4004", `the engine produced columns [${table.columns.map((x) => x.name).join(", ")}] where Kusto expects [${expected.map((x) => x.name).join(", ")}]`, spanOf(node));
    }
    return i;
  });
  const rows = table.rows.map((r) => {
    const out = order.map((i) => r[i] ?? null);
    carryIngestionTime(r, out);
    return out;
  });
  return { columns: expected.map((c, k) => ({ name: c.name, type: table.columns[order[k]!]!.type })), rows };
}

/** True when `name` is `base`, or `base` followed by digits (Kusto's name for a duplicate column: QueryText1). */
function isSameOrNumbered(name: string, base: string): boolean {
  return name === base || (name.startsWith(base) && /^\d+$/.test(name.slice(base.length)));
}

/** `expected` plus the columns of `actual` it lacks, each placed after the column that precedes it in `actual`. */
export function withDataColumns(actual: readonly Column[], expected: readonly Column[]): Column[] {
  const known = new Set(expected.map((c) => c.name));
  const after = new Map<string, Column[]>();
  let previous = "";
  for (const column of actual) {
    if (known.has(column.name)) previous = column.name;
    else after.set(previous, [...(after.get(previous) ?? []), column]);
  }
  return [...(after.get("") ?? []), ...expected.flatMap((c) => [c, ...(after.get(c.name) ?? [])])];
}

/** Compiles a stand-alone tabular expression (sources, pipes, names, calls, materialize). */
export function compileTabularNode(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const kind = kindOf(node);
  switch (kind) {
    case "PipeExpression": {
      const chain = rowLocalChain(node, { env, isStoredTable: (source) => readsStoredTable(source, env), constantOf: constantOfBinding, fixedValueOf: (binding) => (binding?.kind === "scalar" && binding.fixed && !binding.fromRow ? { fn: binding.fn, type: binding.type } : undefined) });
      if (chain) return compileChain(c, chain, env, node);
      const left = c.compileTabular(child(node, "Expression"), env);
      const step = compileOperator(c, child(node, "Operator"), columnsOf(child(node, "Expression")), env);
      return (run) => step(left(run), run);
    }
    case "ParenthesizedExpression":
      return c.compileTabular(child(node, "Expression"), env);
    case "DataTableExpression":
      return compileDataTable(c, node, env);
    case "NameReference":
      return compileTableName(c, node, env);
    case "FunctionCallExpression":
      return isPatternInvocation(node) ? compilePatternInvocation(c, node, env) : compileTableCall(c, node, env);
    case "PathExpression":
      if (isPatternInvocation(node)) return compilePatternInvocation(c, node, env);
      return unsupported(node, "the tabular expression 'PathExpression'");
    case "MaterializeExpression":
      return oncePerRun(c.compileTabular(child(node, "Expression"), env));
    default:
      if (kind.endsWith("Operator")) {
        const step = compileOperator(c, node, [], env);
        return (run) => step(EMPTY, run);
      }
      return unsupported(node, `the tabular expression '${kind}'`);
  }
}

/** The constant value of a scalar binding (a `let` bound to a literal), with its type. */
function constantOfBinding(binding: Binding | undefined): { value: Value; type: string } | undefined {
  return binding?.kind === "scalar" && binding.constant ? { value: binding.constant.value, type: binding.type } : undefined;
}

/** A row-local prefix (planner/incremental.ts): its source and operators compiled one by one, so the results of its clock-free stages can be kept per row. */
function compileChain(c: Compiler, chain: RowLocalChain, env: ReadonlyMap<string, Binding>, node: SyntaxNode): TablePlan {
  const source = c.compileTabular(chain.source, env);
  const stages = chain.stages.flatMap((stage): CompiledStage[] => {
    // a clock `where` (a stage of one pipe) that only bounds datetime columns by the clock is judged per segment; one
    // that also tests the row alone keeps that test per row (planner/clock-where.ts)
    const [only] = stage.pipes;
    const clockWhere = !stage.kept && only && stage.pipes.length === 1 ? only : undefined;
    const bounds = clockWhere ? clockBounds(c, child(clockWhere, "Operator"), columnsOf(child(clockWhere, "Expression")), env) : undefined;
    const split = clockWhere && !bounds ? splitClockWhere(c, child(clockWhere, "Operator"), columnsOf(child(clockWhere, "Expression")), env, constantOfBinding) : undefined;
    if (split) return [split.rowAlone, split.clock];
    const steps = stage.pipes.map((pipe) => {
      const operator = child(pipe, "Operator");
      return { step: compileOperator(c, operator, columnsOf(child(pipe, "Expression")), env), filters: kindOf(operator) === "FilterOperator" };
    });
    return [{ kept: stage.kept, key: stage.key, lets: stage.lets, mapKey: stage.mapKey, steps, ...(bounds ? { bounds } : {}) }];
  });
  return cachedChainPlan(source, stages, node, chain.derived);
}

/** True when a name reference reads a table given to the run (not a tabular let or a function). */
function readsStoredTable(node: SyntaxNode, env: ReadonlyMap<string, Binding>): boolean {
  const binding = env.get(referencedName(node));
  if (binding?.kind === "table" && referencedKind(node) !== "TableSymbol") return false;
  return referencedKind(node) !== "FunctionSymbol";
}

function compileTableName(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const name = referencedName(node);
  const binding = env.get(name);
  if (binding?.kind === "table" && referencedKind(node) !== "TableSymbol") return binding.plan;
  if (referencedKind(node) === "FunctionSymbol") return compileTableCall(c, node, env);
  return compileStoredTable(c, tableNameOf(node), node);
}

/**
 * The table a name reference denotes: its symbol's name, or, when Kusto.Language resolved no symbol (a
 * table read inside a saved function's body, which is analysed apart from the query, or a fuzzy union's
 * leg), the name as written, unquoted (`['My Table']` is `My Table`).
 */
export function tableNameOf(node: SyntaxNode): string {
  const resolved = referencedName(node);
  if (resolved) return resolved;
  const simple = simpleNameOf(node) ?? "";
  return simple || textOf(node);
}

function compileTableCall(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const name = referencedName(node);
  if (name === "_GetWatchlist") return compileWatchlist(c, node, env);
  if (name === "table") return compileTableByName(c, node, env);
  const body = calledFunctionBody(node);
  if (!body) throw new EngineError("SC4002", `the tabular function ${name}() is not supported by the offline engine`, spanOf(node));
  const scope = makeScope([], env);
  const bound = bindArguments(c, node, argumentsOf(node), scope);
  const plan = compileTabularBody(c, body, bound, node);
  const expected = columnsOf(node);
  return (run) => alignTable(plan(run), expected, node);
}

/** A table given to the run: checked at compile time by name, its rows read from each run. */
function compileStoredTable(c: Compiler, name: string, node: SyntaxNode): TablePlan {
  if (!c.tableNames.has(name)) throw new EngineError("SC4010", `no rows were given for table '${name}'`, spanOf(node));
  const expected = columnsOf(node);
  return (run) => {
    const table = run.tables.get(name);
    if (!table) throw new EngineError("SC4010", `no rows were given for table '${name}'`, spanOf(node));
    return alignTable(table, expected, node);
  };
}

/** `table('Name')`: a table (or tabular let) named by a constant string. */
function compileTableByName(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const [arg] = argumentsOf(node);
  const name = arg && isLiteralKind(kindOf(arg)) ? literalValue(arg) : undefined;
  if (typeof name !== "string") return unsupported(node, "table() with a non-constant name");
  const binding = env.get(name);
  if (binding?.kind === "table") return binding.plan;
  return compileStoredTable(c, name, node);
}

/** Compiles a pipeline whose leftmost operator reads `columns` (mv-apply subqueries, lookup/join sides given as operators). */
export function compileSubqueryNode(c: Compiler, node: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>): TableStep {
  const kind = kindOf(node);
  if (kind === "PipeExpression") {
    const left = compileSubqueryNode(c, child(node, "Expression"), columns, env);
    const step = compileOperator(c, child(node, "Operator"), columnsOf(child(node, "Expression")), env);
    return (input, run) => step(left(input, run), run);
  }
  if (kind === "ParenthesizedExpression" || kind === "MvApplySubqueryExpression") return compileSubqueryNode(c, child(node, "Expression"), columns, env);
  if (kind.endsWith("Operator")) return compileOperator(c, node, columns, env);
  const plan = c.compileTabular(node, env);
  return (_input, run) => plan(run);
}

/**
 * Operators that stay exact when their input carries columns taken from the data (after `evaluate
 * bag_unpack`, at the end of the row): they pass rows through whole or read only the static columns.
 */
const LAYOUT_FREE_OPERATORS: ReadonlySet<string> = new Set(["FilterOperator", "SortOperator", "TopOperator", "TakeOperator", "CountOperator", "ProjectOperator", "SummarizeOperator"]);

/** True when an operator would lay out or read every column of its input row (so it would miss columns the model cannot name). */
function readsWholeRow(kind: string, text: string): boolean {
  if (!LAYOUT_FREE_OPERATORS.has(kind)) return true;
  return /\bpack_all\s*\(/.test(text) || (kind === "SummarizeOperator" && text.includes("*"));
}

/** Refuses an operator whose input holds columns the semantic model cannot name (it would lay its rows out wrongly). */
function refuseDataColumns(input: Table, inputColumns: readonly Column[], node: SyntaxNode): never {
  const known = new Set(inputColumns.map((c) => c.name));
  const extra = input.columns.filter((c) => !known.has(c.name)).map((c) => c.name);
  throw new EngineError(
    "SC4001",
    `'${operatorName(node)}' after columns taken from the data (${extra.join(", ")}) is not supported by the offline engine; declare them: evaluate bag_unpack(…) : (…)`,
    spanOf(node),
  );
}

/** Compiles one query operator through the operator table, aligning its result to the semantic model's columns. */
export function compileOperator(c: Compiler, node: SyntaxNode, inputColumns: readonly Column[], env: ReadonlyMap<string, Binding>): TableStep {
  const kind = kindOf(node);
  if (kind === "InvokeOperator") return compileInvoke(c, node, env);
  const operator = c.operators.get(kind);
  if (!operator) return unsupported(node, `the operator '${operatorName(node)}'`);
  const outputColumns = isTabular(node) ? serviceColumns(node, columnsOf(node)) : [];
  const ctx: PlanContext = {
    inputColumns,
    outputColumns,
    compileScalar: (expr, columns = inputColumns) => c.compileScalar(expr, makeScope(columns, env)),
    compileTabular: (expr, bindings) => c.compileTabular(expr, withBindings(env, bindings)),
    compileSubquery: (expr, columns, bindings) => c.compileSubquery(expr, columns, withBindings(env, bindings)),
    compileOverSlots: (expr, slots) => c.compileScalar(expr, makeScope([], env, slots)),
    typeOf,
    columnsOf,
    readsOnlyRowAndConstants: (expr) => readsOnlyRowAndConstants(expr, env, constantOfBinding),
    operatorToken: (purpose) => operatorToken(node, env, constantOfBinding, inputColumns, purpose),
  };
  refuseExposedPhantoms(node, kind);
  const step = operator.plan(node, ctx);
  const span = spanOf(node);
  const readsLayout = readsWholeRow(kind, textOf(node));
  return (input: Table, run: RunContext) => {
    if (readsLayout && input.columns.length > inputColumns.length) refuseDataColumns(input, inputColumns, node);
    const out = step(input, run);
    checkTableSize(run, tableRowCount(out), out.columns.length, span);
    return alignTable(out, outputColumns, node);
  };
}

/** `env` plus an operator's extra bindings (they shadow outer names). */
function withBindings(env: ReadonlyMap<string, Binding>, bindings: ReadonlyMap<string, Binding> | undefined): ReadonlyMap<string, Binding> {
  return bindings && bindings.size > 0 ? new Map([...env, ...bindings]) : env;
}

/** Operators that would show a phantom column (scan's implicit `match_id`) in their result's layout or values. */
const LAYOUT_EXPOSING_OPERATORS: ReadonlySet<string> = new Set(["GetSchemaOperator", "JoinOperator", "LookupOperator", "UnionOperator", "EvaluateOperator", "MvApplyOperator"]);

/** Refuses an operator that would expose a column Kusto.Language adds but the service does not return (see phantom-columns.ts). */
function refuseExposedPhantoms(node: SyntaxNode, kind: string): void {
  const parent = parentOf(node);
  const source = parent && kindOf(parent) === "PipeExpression" && child(parent, "Operator") === node ? child(parent, "Expression") : undefined;
  if (!source || phantomPositions(source).length === 0) return;
  const text = textOf(node);
  const wildcard = (kind === "SummarizeOperator" || kind === "DistinctOperator") && text.includes("*");
  if (LAYOUT_EXPOSING_OPERATORS.has(kind) || wildcard || /\b(pack_all|bag_pack_columns|column_names_of)\s*\(/.test(text)) {
    unsupported(node, `'${operatorName(node)}' after a scan without with_match_id= (Kusto.Language types it with a match_id column the service does not return)`);
  }
}

/** `invoke f(args)`: calls a tabular function whose first parameter receives the piped table. */
function compileInvoke(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TableStep {
  const call = optionalChild(node, "Function");
  const body = calledFunctionBody(call);
  const first = call ? parametersOf(call)[0] : undefined;
  if (!call || !body || !first) return unsupported(node, "invoke of this function");
  let current: Table = EMPTY;
  const bound = bindArguments(c, call, argumentsOf(call), makeScope([], env), 1);
  bound.set(first.name, { kind: "table", plan: () => current, columns: [] });
  const plan = compileTabularBody(c, body, bound, call);
  const expected = columnsOf(node);
  return (input, run) => {
    const saved = current;
    current = input;
    try {
      return alignTable(plan(run), expected, node);
    } finally {
      current = saved;
    }
  };
}

/** The operator's keyword text (e.g. "mv-expand"), for messages. */
function operatorName(node: SyntaxNode): string {
  const text = firstTokenText(node) ?? kindOf(node);
  return text === "evaluate" || text === "project" ? `${text} ${firstTokenText(childAt(node, 1)) ?? ""}`.trim() : text;
}
