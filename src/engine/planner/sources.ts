import { makeEvalContext, type TablePlan } from "../context.ts";
import { EngineError } from "../errors.ts";
import { child, columnsOf, listOf, spanOf, type SyntaxNode, typeOf } from "../syntax.ts";
import { toDynamic, valueToString, type JsonValue, type Row, type Value } from "../values.ts";
import { argumentsOf } from "./calls.ts";
import type { Compiler } from "./compiler.ts";
import { makeScope, type Binding } from "./scope.ts";

/** Compiles `datatable(schema)[values]`: values fill the columns row by row. */
export function compileDataTable(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const columns = columnsOf(node);
  const width = columns.length;
  const scope = makeScope([], env);
  const cells = listOf(child(node, "Values")).map((v) => ({ fn: c.compileScalar(v, scope), type: typeOf(v) }));
  if (width === 0 || cells.length % width !== 0) {
    throw new EngineError("SC4004", `datatable has ${cells.length} values, not a multiple of its ${width} columns`, spanOf(node));
  }
  return (run) => {
    const ec = makeEvalContext(run, []);
    const rows: Row[] = [];
    for (let i = 0; i < cells.length; i += width) {
      const row: Row = new Array<Value>(width);
      for (let k = 0; k < width; k++) {
        const cell = cells[i + k]!;
        const column = columns[k]!;
        const v = cell.fn([], ec);
        row[k] = column.type === "dynamic" && cell.type !== "dynamic" ? toDynamic(v, cell.type) : column.type === "string" && v === null ? "" : v;
      }
      rows.push(row);
    }
    return { columns, rows };
  };
}

/** Compiles `_GetWatchlist('alias')` over the watchlists given to the run (columns as Sentinel returns them). */
export function compileWatchlist(c: Compiler, node: SyntaxNode, env: ReadonlyMap<string, Binding>): TablePlan {
  const [aliasArg] = argumentsOf(node);
  if (!aliasArg) throw new EngineError("SC4004", "_GetWatchlist() needs the watchlist alias", spanOf(node));
  const alias = c.compileScalar(aliasArg, makeScope([], env));
  const columns = columnsOf(node);
  return (run) => {
    const name = alias([], makeEvalContext(run, []));
    const watchlist = typeof name === "string" ? run.watchlists.get(name) : undefined;
    if (!watchlist) throw new EngineError("SC4010", `no watchlist with alias '${String(name)}' was given`, spanOf(node));
    const rows = watchlist.items.map((item, i) => {
      const bag: { [key: string]: JsonValue } = {};
      for (const key of watchlist.columns) bag[key] = item[key] === undefined || item[key] === null ? "" : String(item[key]);
      return columns.map((column): Value => {
        switch (column.name) {
          case "_DTItemId":
            return `00000000-0000-0000-0000-${String(i + 1).padStart(12, "0")}`;
          case "LastUpdatedTimeUTC":
            return run.now;
          case "SearchKey":
            return String(bag[watchlist.searchKey] ?? "");
          case "WatchlistItem":
            return bag;
          default: {
            const v = item[column.name];
            if (v === undefined || v === null) return column.type === "string" ? "" : null;
            return column.type === "string" ? valueToString(v as Value, "dynamic") : (v as Value);
          }
        }
      });
    });
    return { columns, rows };
  };
}
