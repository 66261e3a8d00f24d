import type { RowFn, TablePlan } from "../context.ts";
import type { SyntaxNode } from "../syntax.ts";
import type { Column, KqlType, Value } from "../values.ts";

/**
 * What a name bound by `let` or by a function parameter stands for (`constant`: the value of a `let` bound to a
 * literal; `fromRow`: a parameter given a value read from the calling row; `fixed`: a let that reads only watchlists
 * and constants, so its value is the same at every run given the same watchlists — planner/incremental.ts;
 * `expression`: a tabular let's expression and `expressionEnv` the names it sees, so a row-local chain may start at it;
 * `chance`: a let whose value may differ at each reference, as it reads rand(), new_guid() or sample — planner/shared-lets.ts).
 */
export type Binding =
  | { kind: "scalar"; fn: RowFn; type: KqlType; constant?: { value: Value }; fromRow?: boolean; fixed?: boolean; chance?: boolean }
  | { kind: "table"; plan: TablePlan; columns: Column[]; fixed?: boolean; expression?: SyntaxNode; expressionEnv?: ReadonlyMap<string, Binding>; chance?: boolean };

/** The names visible to an expression: the row layout and the let/parameter bindings. */
export interface Scope {
  readonly columns: readonly Column[];
  readonly index: ReadonlyMap<string, number>;
  readonly env: ReadonlyMap<string, Binding>;
  /** Aggregate calls (by node offset) replaced by values of the row being evaluated (summarize). */
  readonly slots?: ReadonlyMap<number, number>;
}

/** A scope over `columns` with the bindings of `env`. */
export function makeScope(columns: readonly Column[], env: ReadonlyMap<string, Binding>, slots?: ReadonlyMap<number, number>): Scope {
  const index = new Map<string, number>();
  columns.forEach((column, i) => index.set(column.name, i));
  return slots ? { columns, index, env, slots } : { columns, index, env };
}

/** `env` plus one binding (a new map; scopes are immutable). */
export function bind(env: ReadonlyMap<string, Binding>, name: string, binding: Binding): Map<string, Binding> {
  const next = new Map(env);
  next.set(name, binding);
  return next;
}
