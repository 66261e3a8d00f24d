import type { FunctionDefinition } from "../../kql/index.ts";
import type { ResultTable } from "../verdict/result-table.ts";
import type { TypedTable } from "../spec/typed-rows.ts";

/** The rows of one watchlist in a case: its columns (all string) and rows. */
export interface WatchlistRows {
  alias: string;
  searchKey?: string;
  columns: string[];
  rows: (string | null)[][];
}

/** What a query may read in one case: typed tables, the repo's parsers, and watchlist rows. */
export interface EngineData {
  tables: Map<string, TypedTable>;
  functions: FunctionDefinition[];
  watchlists: Map<string, WatchlistRows>;
  /** The caller gives the same, unchanged row objects to many runs, so the engine may keep per-row results on them (replay). */
  reuseRowResults?: boolean;
  /**
   * With reuseRowResults, tables whose rows are also given as consecutive segments (their concatenation is the
   * table's rows): a stable segment's array holds the same rows whenever it is given again, so the engine keeps
   * results per segment (replay's spool hours).
   */
  segments?: ReadonlyMap<string, readonly RowsSegment[]>;
}

/** A run of a table's rows; `stable` when the same array always holds the same rows (else built for one run). */
export interface RowsSegment {
  rows: readonly unknown[][];
  stable: boolean;
}

/** One problem the engine reports: a message, the engine's code (SC4xxx) and the character offset in the query. */
export interface EngineProblem {
  message: string;
  code?: string;
  offset?: number;
}

/** The result of running a query: a result table, or the problems that stopped it. */
export type EngineOutcome = { ok: true; table: ResultTable } | { ok: false; problems: EngineProblem[] };

/** Runs a KQL query over case data with a frozen clock (epoch ms); never throws for query problems. */
export type QueryEngine = (query: string, data: EngineData, now: number) => EngineOutcome;

/** The problems of a failed run, or one saying the engine returned no result when it named none. */
export function problemsOf(problems: readonly EngineProblem[]): readonly EngineProblem[] {
  return problems.length > 0 ? problems : [{ message: "the engine returned no result" }];
}

/** An engine problem as a finding message: its code (when it has one), then its text. */
export function problemMessage(problem: EngineProblem): string {
  return `${problem.code ? `${problem.code}: ` : ""}${problem.message}`;
}
