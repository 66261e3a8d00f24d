import type { RowFn, TablePlan, TableStep } from "../context.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { TabularOperator } from "../operators/contract.ts";
import type { SyntaxNode } from "../syntax.ts";
import type { Column } from "../values.ts";
import type { Binding, Scope } from "./scope.ts";

/** The compile-time services shared by the scalar and tabular compilers of one query. */
export interface Compiler {
  readonly registry: FunctionRegistry;
  readonly operators: ReadonlyMap<string, TabularOperator>;
  /** The names of the tables the query may read (their rows come with each run). */
  readonly tableNames: ReadonlySet<string>;
  /** Nesting depth of function expansions and sub-queries (guards against runaway recursion). */
  depth: number;
  compileScalar(node: SyntaxNode, scope: Scope): RowFn;
  compileTabular(node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan;
  compileSubquery(node: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>): TableStep;
}

/** A watchlist given to a run (declared with the run context). */
export type { WatchlistData } from "../context.ts";
