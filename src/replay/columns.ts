// Column pruning: the columns of each table the replayed rules can read or show, decided before any input is read,
// so the spool and the tables' windows hold only those. See docs/replay.md#memory.
import { analysisEnvironmentOf, cacheKey, collectEnvironment, createAnalyzer, openAnalysisCache, queryReach, type FunctionDefinition, type QueryAnalysis } from "../kql/index.ts";
import { kustoList, loadKusto, syntaxKindName, type KustoNamespace } from "../kql/kusto.ts";
import { ruleColumnReferences } from "../kql/output-columns.ts";
import type { LoadedFile } from "../load/index.ts";
import type { Workspace } from "../testing/spec/workspace.ts";

/** What pruning needs to know of a rule: its file (mappings), query and the tables it reads. */
export interface PrunedRule {
  file: LoadedFile;
  query: string;
  tables: readonly string[];
}

/** Columns kept per table: a set of names, or "all" when some rule may see every column. Tables absent are read by no rule. */
export type KeptColumns = ReadonlyMap<string, ReadonlySet<string> | "all">;

/** Columns every table keeps: the scheduler and ingestion_time() read them. */
const ALWAYS_KEPT = ["TimeGenerated", "_TimeReceived"];
const WORD = /[A-Za-z_][A-Za-z0-9_]*/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Aggregates whose `*` argument only carries a row's columns on: what they carry is seen only where it is named or shown. */
const CARRYING_AGGREGATES = new Set(["arg_min", "arg_max", "argmin", "argmax", "take_any", "any"]);
/** Functions that read every column of a row. */
const ALL_COLUMN_FUNCTIONS = new Set(["pack_all", "bag_pack_all"]);
const COLUMN_BY_NAME = new Set(["column_ifexists", "columnifexists"]);
/** Operators whose result depends on columns they do not name. */
const ALL_COLUMN_OPERATORS = new Set(["SearchOperator", "FindOperator", "GetSchemaOperator", "EvaluateOperator", "SearchExpression", "WildcardedName", "BracketedWildcardedName"]);
/** `union` names same-named columns of different types `X_string`, `X_long`, …: naming one names X. */
/** The number Kusto appends to the right side's copy of a column both sides of a join have. */
const NUMBERED = /(?<=[A-Za-z_])\d+$/;
const TYPE_SUFFIX = /_(?:bool|boolean|int|long|real|double|decimal|string|datetime|date|timespan|time|guid|uuid|uniqueid|dynamic)$/;

/** The name of the function a `*` is an argument of, if it is one. */
function callOfStar(star: KustoNamespace): string | undefined {
  // StarExpression ← SeparatedElement ← List ← ExpressionList ← FunctionCallExpression
  const call = star.Parent?.Parent?.Parent?.Parent;
  return call && syntaxKindName(call) === "FunctionCallExpression" ? String(call.Name?.SimpleName ?? "") : undefined;
}

/** Operators whose pattern may hold a `*` that matches text, not columns. */
const PATTERN_OPERATORS = new Set(["ParseOperator", "ParseWhereOperator"]);

/** True when a `*` is a wildcard of a parse pattern (StarExpression ← List ← ParseOperator), not a column list. */
function isPatternStar(star: KustoNamespace): boolean {
  return PATTERN_OPERATORS.has(syntaxKindName(star.Parent?.Parent) ?? "");
}

/** True when `column_ifexists` is given a computed name rather than a literal. */
function computedColumnName(call: KustoNamespace): boolean {
  const first = kustoList(call.ArgumentList?.Expressions)[0]?.Element;
  return !first || syntaxKindName(first) !== "StringLiteralExpression";
}

/**
 * True when a KQL text may read columns it does not name: a `*` (other than an aggregate carrying a row on), a
 * wildcarded name, `pack_all()`, `column_ifexists()` with a computed name, `search`, `find`, `getschema`,
 * `evaluate`; also when the text does not parse.
 */
export function readsUnnamedColumns(text: string): boolean {
  const code = loadKusto().KustoCode.Parse(text);
  if (kustoList(code.GetDiagnostics?.()).some((d) => d.Severity === "Error")) return true;
  let open = false;
  code.Syntax.WalkNodes((node: KustoNamespace) => {
    if (open) return;
    const kind = syntaxKindName(node) ?? "";
    if (ALL_COLUMN_OPERATORS.has(kind)) open = true;
    else if (kind === "StarExpression") open = !isPatternStar(node) && !CARRYING_AGGREGATES.has(callOfStar(node) ?? "");
    else if (kind === "FunctionCallExpression") {
      const name = String(node.Name?.SimpleName ?? "");
      open = ALL_COLUMN_FUNCTIONS.has(name) || (COLUMN_BY_NAME.has(name) && computedColumnName(node));
    }
  });
  return open;
}

/** The words with the stem of each type-suffixed one and of each numbered one (a join names the right side's copy of a shared column `X1`, `X2`…). */
function withStems(words: Iterable<string>): Set<string> {
  const out = new Set(words);
  for (const word of [...out]) {
    if (TYPE_SUFFIX.test(word)) out.add(word.replace(TYPE_SUFFIX, ""));
    if (NUMBERED.test(word)) out.add(word.replace(NUMBERED, ""));
  }
  return out;
}

/** What one rule needs: the column names it may read or show, or "all". */
type RuleNeed = Set<string> | "all";

/** What deciding the columns reuses across rules: each text's verdict, and Kusto's analysis of a query. */
interface Judge {
  opens: (text: string) => boolean;
  analyse: (query: string) => QueryAnalysis | undefined;
}

/**
 * Kusto's analysis of rule queries against the repository's content, through the analysis cache `validate` keeps
 * under the root (the same environment, so one fills it for the other).
 */
function cachedAnalyser(workspace: Workspace, root: string): Judge["analyse"] {
  const environment = analysisEnvironmentOf(collectEnvironment([...workspace.files.values()]));
  const cache = openAnalysisCache(root);
  let analyse: ReturnType<typeof createAnalyzer> | undefined;
  return (query) => {
    const key = cacheKey(query, environment);
    const cached = cache.get(key);
    if (cached) return cached;
    analyse ??= createAnalyzer(environment);
    const outcome = analyse(query);
    if (!outcome.ok) return undefined;
    cache.set(key, outcome.analysis);
    return outcome.analysis;
  };
}

function ruleNeed(rule: PrunedRule, functions: readonly FunctionDefinition[], judge: Judge): RuleNeed {
  // the words of the query and of the parsers it reaches (bodies and parameter defaults), transitively
  const reach = queryReach(rule.query, functions);
  const texts = [rule.query, ...reach.functions.flatMap((f) => [f.body, ...f.parameters.map((p) => p.default ?? "")])];
  if (texts.some(judge.opens)) return "all";
  const analysis = judge.analyse(rule.query);
  // the result's columns are shown (alert rows, entities, details): a column passed through unnamed is kept by its name
  if (!analysis?.resultColumns || analysis.resultIsOpen) return "all";
  const named = [...analysis.resultColumns.map((c) => c.name), ...ruleColumnReferences(rule.file.data).map((r) => r.column)];
  return withStems([...reach.words, ...named.flatMap((name) => name.match(WORD) ?? [])]);
}

/**
 * The columns of each table the rules can read or show: every column whose name is a word of a reading rule's query
 * or of the parsers it reaches, a column of its analysed result, or named by its entity mappings, custom details or
 * alert details override; every column when a reading rule may read columns it does not name (readsUnnamedColumns)
 * or Kusto cannot give its result's columns. TimeGenerated and _TimeReceived are always kept.
 */
export function keptColumns(rules: readonly PrunedRule[], workspace: Workspace, root: string): KeptColumns {
  const verdicts = new Map<string, boolean>();
  const opens = (text: string): boolean => verdicts.get(text) ?? verdicts.set(text, readsUnnamedColumns(text)).get(text) === true;
  const judge: Judge = { opens, analyse: cachedAnalyser(workspace, root) };
  const kept = new Map<string, Set<string> | "all">();
  const functions = [...workspace.functions.values()];
  for (const rule of rules) {
    const need = ruleNeed(rule, functions, judge);
    for (const table of rule.tables) {
      const before = kept.get(table) ?? new Set(ALWAYS_KEPT);
      if (need === "all" || before === "all") kept.set(table, "all");
      else kept.set(table, new Set([...before, ...need]));
    }
  }
  return kept;
}

/** The indexes of a table's columns to keep (every one when all are kept), or undefined when no rule reads the table. */
export function keptIndexes(kept: KeptColumns, table: string, columns: readonly { name: string }[]): number[] | undefined {
  const names = kept.get(table);
  if (names === undefined) return undefined;
  // a name that is not an identifier cannot be matched against the words of a query: kept
  return columns.flatMap((c, i) => (names === "all" || names.has(c.name) || !IDENTIFIER.test(c.name) ? [i] : []));
}
