import type { RowFn, TablePlan, TableStep } from "../context.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { TabularOperator } from "../operators/contract.ts";
import type { SyntaxNode } from "../syntax.ts";
import type { Column, Table } from "../values.ts";
import type { Binding, Scope } from "./scope.ts";

/** A watchlist given to a run: its alias, search-key column, column names and rows. */
export interface WatchlistData {
  alias: string;
  searchKey: string;
  columns: string[];
  items: Record<string, unknown>[];
}

/** The compile-time services shared by the scalar and tabular compilers of one query. */
export interface Compiler {
  readonly registry: FunctionRegistry;
  readonly operators: ReadonlyMap<string, TabularOperator>;
  readonly tables: ReadonlyMap<string, Table>;
  readonly watchlists: ReadonlyMap<string, WatchlistData>;
  /** Nesting depth of function expansions and sub-queries (guards against runaway recursion). */
  depth: number;
  compileScalar(node: SyntaxNode, scope: Scope): RowFn;
  compileTabular(node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan;
  compileSubquery(node: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>): TableStep;
}
