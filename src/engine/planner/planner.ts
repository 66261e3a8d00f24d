import type { RowFn, TablePlan, TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import type { FunctionRegistry } from "../functions/registry.ts";
import type { TabularOperator } from "../operators/contract.ts";
import { spanOf, type SyntaxNode } from "../syntax.ts";
import type { Column } from "../values.ts";
import type { Compiler } from "./compiler.ts";
import { compileScalarNode } from "./scalar.ts";
import type { Binding, Scope } from "./scope.ts";
import { compileSubqueryNode, compileTabularNode } from "./tabular.ts";

/** Most nested scalar/tabular compilations (deeply nested expressions or function expansions). */
const MAX_NESTING = 400;

/** Creates the compiler of one query over the given table names, functions and operators (rows and watchlists come with each run). */
export function createCompiler(input: {
  registry: FunctionRegistry;
  operators: ReadonlyMap<string, TabularOperator>;
  tableNames: ReadonlySet<string>;
}): Compiler {
  let nesting = 0;
  const guard = <T>(node: SyntaxNode, build: () => T): T => {
    nesting++;
    try {
      if (nesting > MAX_NESTING) throw new EngineError("SC4006", `the query nests expressions more than ${MAX_NESTING} deep`, spanOf(node));
      return build();
    } finally {
      nesting--;
    }
  };
  const compiler: Compiler = {
    ...input,
    depth: 0,
    compileScalar: (node: SyntaxNode, scope: Scope): RowFn => guard(node, () => compileScalarNode(compiler, node, scope)),
    compileTabular: (node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan => guard(node, () => compileTabularNode(compiler, node, env)),
    compileSubquery: (node: SyntaxNode, columns: readonly Column[], env: ReadonlyMap<string, Binding>): TableStep =>
      guard(node, () => compileSubqueryNode(compiler, node, columns, env)),
  };
  return compiler;
}
