import { makeEvalContext, spend, type RowFn, type RunContext, type TableStep } from "../context.ts";
import { child, findNode, kindOf, listOf, optionalChild, scalarTypeNamed, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import type { Column, KqlType, Row, Table } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { rowLimitOf } from "./join-tables.ts";
import { expandRows, type BagExpansion, type Expansion } from "./mv-expand-rows.ts";
import { isHint, parseNamedParameters } from "./parse-named-parameters.ts";

/** One `[Name =] expr [to typeof(T)]` item of mv-expand or mv-apply, resolved against the input columns. */
export interface ExpandItem {
  fn: RowFn;
  /** The output column name (an existing column is replaced in place). */
  name: string | undefined;
  /** The `to typeof()` type, or undefined (dynamic). */
  type: KqlType | undefined;
  /** For an unnamed expression: the first input column it mentions. */
  firstColumn?: string | undefined;
}

/** The type named by a `to typeof(T)` clause. */
function toTypeOf(clause: SyntaxNode | undefined): KqlType | undefined {
  if (!clause) return undefined;
  const types = listOf(child(child(clause, "TypeOf"), "Types"));
  if (types.length !== 1) unsupported(clause, "`to typeof()` with several types");
  const text = textOf(types[0]!);
  const type = scalarTypeNamed(text);
  if (!type) unsupported(clause, `\`to typeof(${text})\``);
  return type;
}

/** Reads an MvExpandExpression / MvApplyExpression item. */
export function readExpandItem(item: SyntaxNode, ctx: PlanContext): ExpandItem {
  let expr = child(item, "Expression");
  while (kindOf(expr) === "ParenthesizedExpression") expr = child(expr, "Expression");
  const type = toTypeOf(optionalChild(item, "ToTypeOf"));
  if (kindOf(expr) === "SimpleNamedExpression") return { fn: ctx.compileScalar(child(expr, "Expression")), name: textOf(child(expr, "Name")), type };
  if (kindOf(expr) === "NameReference") return { fn: ctx.compileScalar(expr), name: textOf(expr), type };
  return { fn: ctx.compileScalar(expr), name: undefined, firstColumn: firstColumnIn(expr, ctx.inputColumns), type };
}

/** The first input column an expression mentions: an unnamed expansion such as `split(s, ";")` replaces it, as Kusto types it. */
function firstColumnIn(node: SyntaxNode, columns: readonly Column[]): string | undefined {
  const found = findNode(node, (n) => kindOf(n) === "NameReference" && columns.some((c) => c.name === textOf(n)));
  return found === undefined ? undefined : textOf(found);
}

/** Options shared by mv-expand and mv-apply. */
export interface ExpandParameters {
  mode: BagExpansion;
  itemIndex?: string;
}

/** Reads `kind=`/`bagexpansion=` and `with_itemindex=`. */
export function readExpandParameters(node: SyntaxNode): ExpandParameters {
  const out: ExpandParameters = { mode: "bag" };
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (isHint(param)) continue;
    if ((param.name === "kind" || param.name === "bagexpansion") && (param.text === "bag" || param.text === "array")) out.mode = param.text;
    else if (param.name === "with_itemindex") out.itemIndex = param.text;
    else unsupported(param.node, `the parameter '${param.name}=${param.text}'`);
  }
  return out;
}

/** The output layout of an expansion: input columns (expanded ones replaced in place), new ones appended, then the index column. */
export interface ExpandLayout {
  columns: Column[];
  expansions: { fn: RowFn; target: number; type: KqlType }[];
  indexColumn?: number;
}

/** Lays out the expansion items over `input`; unnamed expressions take their name from `expected` (the semantic model). */
export function layoutExpansion(node: SyntaxNode, input: readonly Column[], items: readonly ExpandItem[], itemIndex: string | undefined, expected: readonly Column[]): ExpandLayout {
  const columns: Column[] = input.map((c) => ({ ...c }));
  const expansions = items.map((item) => {
    const type = item.type ?? "dynamic";
    const appended = expected.length > columns.length + (itemIndex === undefined ? 0 : 1) ? expected[columns.length]?.name : undefined;
    const name = item.name ?? appended ?? item.firstColumn;
    if (name === undefined) unsupported(node, "this expansion's column layout");
    let target = columns.findIndex((c) => c.name === name);
    if (target < 0) {
      target = columns.length;
      columns.push({ name, type });
    } else columns[target] = { name, type };
    return { fn: item.fn, target, type };
  });
  const layout: ExpandLayout = { columns, expansions };
  if (itemIndex !== undefined) {
    layout.indexColumn = columns.length;
    columns.push({ name: itemIndex, type: "long" });
  }
  return layout;
}

/** Expands `input` by `layout` (shared with mv-apply, which expands one row at a time). */
export function runExpansion(input: Table, layout: ExpandLayout, mode: BagExpansion, limit: number, run: RunContext, node: SyntaxNode): Row[] {
  const ectx = makeEvalContext(run, input.rows);
  const rowLimit = rowLimitOf(run, spanOf(node));
  const expansions: Expansion[] = layout.expansions.map((e) => ({
    target: e.target,
    type: e.type,
    read: (row, index) => {
      ectx.index = index;
      return e.fn(row as Row, ectx);
    },
  }));
  const options = {
    mode,
    limit,
    width: layout.columns.length,
    check: (count: number) => {
      spend(run);
      if (count > rowLimit.maxRows) rowLimit.overflow();
    },
    ...(layout.indexColumn === undefined ? {} : { indexColumn: layout.indexColumn }),
  };
  return expandRows(input.rows, expansions, options);
}

/** Reads `limit N` (default: no cap). */
function readLimit(clause: SyntaxNode | undefined): number {
  if (!clause) return Number.POSITIVE_INFINITY;
  const n = Number(textOf(child(clause, "RowLimit")));
  if (!Number.isInteger(n) || n < 0) unsupported(clause, "a non-literal mv-expand limit");
  return n;
}

/** Plans `mv-expand`. */
function planMvExpand(node: SyntaxNode, ctx: PlanContext): TableStep {
  const params = readExpandParameters(node);
  const items = listOf(child(node, "Expressions")).map((item: SyntaxNode) => readExpandItem(item, ctx));
  const layout = layoutExpansion(node, ctx.inputColumns, items, params.itemIndex, ctx.outputColumns);
  const expected = ctx.outputColumns.map((c) => c.name).join(",");
  if (layout.columns.map((c) => c.name).join(",") !== expected) unsupported(node, `this mv-expand's column layout (Kusto expects ${expected})`);
  const limit = readLimit(optionalChild(node, "RowLimitClause"));
  return (input, run) => ({ columns: [...ctx.outputColumns], rows: runExpansion(input, layout, params.mode, limit, run, node) });
}

/** The `mv-expand` operator. */
export const mvExpandOperator: TabularOperator = { kinds: ["MvExpandOperator"], plan: planMvExpand };
