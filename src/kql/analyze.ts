import { tableOfColumn, type KustoGlobalState } from "./globals.ts";
import { keepAnalysis } from "./kept-analyses.ts";
import { kustoList, loadKusto, type KustoNamespace } from "./kusto.ts";
import { regexProblems } from "./re2.ts";

/** The code of a finding about a regex literal RE2 rejects (Kusto.Language does not check regex syntax). */
export const RE2_DIAGNOSTIC_CODE = "RE2";

/** One Kusto.Language diagnostic (or an RE2 finding), with its offset into the analysed query text. */
export interface KustoDiagnostic {
  /** Kusto's own code, e.g. "KS142", or RE2_DIAGNOSTIC_CODE. */
  code: string;
  message: string;
  severity: "error" | "warning";
  start: number;
  length: number;
}

/** A column of a query's result. */
export interface ResultColumn {
  name: string;
  /** Kusto type name ("string", "long", …; "unknown" when Kusto could not type it, "dynamic" etc.). */
  type: string;
}

/** What Kusto.Language found in one query. */
export interface QueryAnalysis {
  diagnostics: KustoDiagnostic[];
  /** The last statement's result columns, or undefined when its result is not a table. */
  resultColumns: ResultColumn[] | undefined;
  /** True when the result table is open (e.g. `_GetWatchlist` of a watchlist not in the repo): it may have further columns. */
  resultIsOpen?: boolean;
  /** Columns of the tracked tables the query refers to anywhere (only when `trackTables` was given). */
  referencedColumns?: { table: string; column: string }[];
}

/** Options of analyzeQuery. */
export interface AnalyzeOptions {
  /** Report which columns of these tables the query refers to. */
  trackTables?: ReadonlySet<string>;
}

function toDiagnostic(d: KustoNamespace): KustoDiagnostic | undefined {
  // Kusto's DiagnosticSeverity is "Error", "Warning", "Suggestion", "Information" or "Hidden": only the first two are findings.
  const severity = d.Severity === "Error" ? "error" : d.Severity === "Warning" ? "warning" : undefined;
  if (!severity) return undefined;
  return { code: String(d.Code), message: String(d.Message), severity, start: d.Start, length: d.Length };
}

function resultColumns(k: KustoNamespace, code: KustoNamespace): ResultColumn[] | undefined {
  const type = code.ResultType;
  if (!type || type.Kind !== k.Symbols.SymbolKind.Table) return undefined;
  return kustoList(type.Columns).map((c) => ({ name: String(c.Name), type: String(c.Type?.Name ?? "unknown") }));
}

function referencedColumns(k: KustoNamespace, code: KustoNamespace, tables: ReadonlySet<string>): { table: string; column: string }[] {
  const found = new Map<string, { table: string; column: string }>();
  code.Syntax.WalkNodes((node: KustoNamespace) => {
    const symbol = node.ReferencedSymbol;
    if (!symbol || symbol.Kind !== k.Symbols.SymbolKind.Column) return;
    const table = tableOfColumn(symbol);
    if (table === undefined || !tables.has(table)) return;
    const column = String(symbol.Name);
    found.set(`${table}\u0000${column}`, { table, column });
  });
  return [...found.values()];
}

/** Parses and analyses `query` against `globals`: Kusto's syntax and semantic diagnostics and the result schema. */
export function analyzeQuery(query: string, globals: KustoGlobalState, options: AnalyzeOptions = {}): QueryAnalysis {
  const k = loadKusto();
  const code = k.KustoCode.ParseAndAnalyze(query, globals.state);
  keepAnalysis(query, globals, code);
  const diagnostics = kustoList(code.GetDiagnostics())
    .map(toDiagnostic)
    .filter((d): d is KustoDiagnostic => d !== undefined);
  for (const p of regexProblems(code.Syntax)) diagnostics.push({ code: RE2_DIAGNOSTIC_CODE, message: p.message, severity: "error", start: p.start, length: p.length });
  const analysis: QueryAnalysis = { diagnostics, resultColumns: resultColumns(k, code) };
  if (code.ResultType?.IsOpen === true) analysis.resultIsOpen = true;
  if (options.trackTables && options.trackTables.size > 0) analysis.referencedColumns = referencedColumns(k, code, options.trackTables);
  return analysis;
}
