import type { RowFn, TablePlan, TableStep } from "../context.ts";
import type { Binding } from "../planner/scope.ts";
import type { SyntaxNode } from "../syntax.ts";
import type { Column, KqlType } from "../values.ts";

/**
 * What the planner gives a tabular operator while compiling it. Everything is resolved at plan time;
 * an operator's `plan` may throw `EngineError` (e.g. via `unsupported`) and must not run anything.
 */
export interface PlanContext {
  /** Static columns of the operator's input (from the semantic model), in order; the run-time input has exactly these. */
  readonly inputColumns: readonly Column[];
  /** Static columns of the operator's result (from the semantic model); the step must return exactly these, in order. */
  readonly outputColumns: readonly Column[];
  /** Compiles a scalar expression evaluated on rows laid out as `columns` (default: inputColumns). */
  compileScalar(expr: SyntaxNode, columns?: readonly Column[]): RowFn;
  /**
   * Compiles a stand-alone tabular expression (e.g. join's right side, a union leg, a let-bound table);
   * `bindings` adds names visible inside it (partition's key column, read as a scalar).
   */
  compileTabular(expr: SyntaxNode, bindings?: ReadonlyMap<string, Binding>): TablePlan;
  /**
   * Compiles a pipeline applied to a table laid out as `columns` (e.g. mv-apply's subquery, whose source is
   * the row's expansion); `bindings` adds names visible inside it (a partition named by `as`).
   */
  compileSubquery(expr: SyntaxNode, columns: readonly Column[], bindings?: ReadonlyMap<string, Binding>): TableStep;
  /**
   * Compiles an expression over aggregate results: each aggregate call inside `expr` whose offset is a key
   * of `slots` reads the synthetic row's value at that index (summarize's `x = toupper(make_set(y))`).
   */
  compileOverSlots(expr: SyntaxNode, slots: ReadonlyMap<number, number>): RowFn;
  /** The static KQL type of a scalar expression. */
  typeOf(expr: SyntaxNode): KqlType;
  /** The static columns of a tabular expression. */
  columnsOf(expr: SyntaxNode): Column[];
  /** True when every expression under `node` reads only the row, built-in row functions and constant lets (fixed for the plan), so per-segment partials merge exactly. */
  readsOnlyRowAndConstants?(node: SyntaxNode): boolean;
  /** The token of what this operator keeps per segment for `purpose`, shared by every plan of the same operator over the same input (planner/incremental.ts operatorToken); undefined when it reads more than the row and constant lets. */
  operatorToken?(purpose: string): object | undefined;
}

/** A tabular operator the planner dispatches to by syntax kind (C3's join, union, mv-expand, … plug in here). */
export interface TabularOperator {
  /** SyntaxKind names handled, e.g. ["JoinOperator"]. */
  readonly kinds: readonly string[];
  /** Compiles the operator node into a step; the step's output must have `ctx.outputColumns`. */
  plan(node: SyntaxNode, ctx: PlanContext): TableStep;
}
