import { loadKusto, syntaxKindName, type KustoNamespace } from "../kql/kusto.ts";
import { EngineError, type Span } from "./errors.ts";
import { KQL_TYPES, type Column, type KqlType } from "./values.ts";

// The engine's one adapter over Kusto.Language's syntax tree and semantic model. Bridge.NET objects are
// loosely typed; only this module reads them (kind names, child properties, token text, types and symbols),
// and the rest of the engine sees two opaque types and the functions below.

declare const nodeBrand: unique symbol;
declare const symbolBrand: unique symbol;

/** A node (or token) of Kusto.Language's syntax tree; opaque, read through this module's functions. */
export interface SyntaxNode {
  readonly [nodeBrand]: true;
}

/** A symbol of Kusto.Language's semantic model (a type, table, column, function or variable); opaque. */
export interface KustoSymbol {
  readonly [symbolBrand]: true;
}

/** A parameter of the signature a call resolved to: its name and its default value's expression, if any. */
export interface KustoParameter {
  readonly name: string;
  readonly defaultValue: SyntaxNode | undefined;
}

/** One diagnostic of Kusto.Language's analysis. */
export interface AnalysisDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

/** A query parsed and analysed by Kusto.Language: its syntax root and its diagnostics. */
export interface AnalysedQuery {
  readonly root: SyntaxNode;
  readonly diagnostics: AnalysisDiagnostic[];
}

/**
 * The child properties of syntax nodes the engine reads (Kusto.Language's C# property names). Which node
 * kinds have which is Kusto.Language's syntax model (Kusto.Language/Syntax/*.cs).
 */
export type ChildField =
  | "Aggregates"
  | "ArgumentList"
  | "Arguments"
  | "Assignments"
  | "AscOrDescKeyword"
  | "Body"
  | "ByClause"
  | "ByExpression"
  | "Clauses"
  | "ComputationClause"
  | "Condition"
  | "ConditionClause"
  | "DeclareClause"
  | "DefaultValue"
  | "DefaultExpression"
  | "Declarations"
  | "Element"
  | "Expression"
  | "Expressions"
  | "FirstOrLastKeyword"
  | "First"
  | "From"
  | "Function"
  | "FunctionCall"
  | "Left"
  | "LookupClause"
  | "MakeSeriesFromClause"
  | "MakeSeriesStepClause"
  | "MakeSeriesToClause"
  | "Name"
  | "NameAndType"
  | "NullsClause"
  | "OfExpression"
  | "OnClause"
  | "Operand"
  | "Operator"
  | "OptionalKeyword"
  | "Ordering"
  | "OrderByClause"
  | "OutputKind"
  | "Pairs"
  | "ParameterValues"
  | "Parameters"
  | "PartitionByClause"
  | "PathValue"
  | "Properties"
  | "Pattern"
  | "Patterns"
  | "Query"
  | "RangeClause"
  | "Right"
  | "RowLimit"
  | "RowLimitClause"
  | "ScanStepOutput"
  | "Schema"
  | "Second"
  | "Selector"
  | "Statements"
  | "Step"
  | "Steps"
  | "Subquery"
  | "To"
  | "ToTypeOf"
  | "Type"
  | "TypeOf"
  | "Types"
  | "Value"
  | "ValueClause"
  | "Values"
  | "WithClause"
  | "WithOthersClause";

/** The raw Bridge.NET object behind a node or symbol. */
type Raw = KustoNamespace;

function raw(value: SyntaxNode | KustoSymbol | undefined): Raw {
  return value;
}

function asNode(value: unknown): SyntaxNode | undefined {
  return value === null || value === undefined ? undefined : (value as SyntaxNode);
}

function asSymbol(value: unknown): KustoSymbol | undefined {
  return value === null || value === undefined ? undefined : (value as KustoSymbol);
}

/** Kusto.Language, loaded once. */
function kusto(): KustoNamespace {
  return loadKusto();
}

/** Parses and analyses a query against Kusto.Language global state (built by kql/globals.ts). */
/**
 * The global state with a cache of its own, where Kusto.Language keeps what it derived from the saved functions
 * (parsers) a query calls — their bound expansions — for the next query analysed against it. (Without one,
 * every analysis starts an empty cache and binds each parser a query calls again.)
 */
export function withAnalysisCache(globalState: unknown): unknown {
  return (globalState as KustoNamespace).WithCache();
}

export function parseAndAnalyze(query: string, globalState: unknown): AnalysedQuery {
  return analysedQueryOf(kusto().KustoCode.ParseAndAnalyze(query, globalState));
}

/** The syntax root and diagnostics of a Kusto.Language `KustoCode` (one kept by kql/kept-analyses.ts, or parsed here). */
export function analysedQueryOf(code: KustoNamespace): AnalysedQuery {
  const list = code.GetDiagnostics();
  const diagnostics: AnalysisDiagnostic[] = [];
  for (let i = 0; i < (list.Count as number); i++) {
    const d = list.getItem(i);
    diagnostics.push({ code: String(d.Code), severity: String(d.Severity), message: String(d.Message), start: d.Start as number, length: d.Length as number });
  }
  return { root: code.Syntax as SyntaxNode, diagnostics };
}

/** The SyntaxKind name of a node (e.g. "FilterOperator"). */
export function kindOf(node: SyntaxNode): string {
  return syntaxKindName(raw(node)) ?? `Kind${String(raw(node).Kind)}`;
}

/** The node's child property `field`, which the engine relies on; a missing node or child is an engine bug (SC4004). */
export function child(node: SyntaxNode | undefined, field: ChildField): SyntaxNode {
  const found = optionalChild(node, field);
  if (found === undefined) throw new EngineError("SC4004", `internal engine error: ${node ? `a ${kindOf(node)}` : "an absent node"} has no ${field}`, spanOf(node));
  return found;
}

/** The node's child property `field`, or undefined when the node (or the optional child) is absent. */
export function optionalChild(node: SyntaxNode | undefined, field: ChildField): SyntaxNode | undefined {
  return node === undefined ? undefined : asNode(raw(node)[field]);
}

/** The node's parent, undefined at the root. */
export function parentOf(node: SyntaxNode | undefined): SyntaxNode | undefined {
  return node === undefined ? undefined : asNode(raw(node).Parent);
}

/** The node's direct children (skipping absent optional ones). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const count = raw(node).ChildCount as number;
  for (let i = 0; i < count; i++) {
    const found = asNode(raw(node).GetChild(i));
    if (found) out.push(found);
  }
  return out;
}

/** True when the node is a token (a keyword, name, literal or punctuation) rather than a syntax node. */
export function isToken(node: SyntaxNode | undefined): boolean {
  return raw(node)?.IsToken === true;
}

/** The first node of `node`'s tree (itself included, tokens skipped) that passes `test`, in source order; undefined when none does. */
export function findNode(node: SyntaxNode | undefined, test: (n: SyntaxNode) => boolean): SyntaxNode | undefined {
  if (!node || isToken(node)) return undefined;
  if (test(node)) return node;
  for (const next of childrenOf(node)) {
    const found = findNode(next, test);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True when `accepts` holds for every node of `node`'s tree (itself included, tokens skipped), asked in source order until one fails. */
export function everyNode(node: SyntaxNode, accepts: (n: SyntaxNode) => boolean): boolean {
  return findNode(node, (n) => !accepts(n)) === undefined;
}

/** Every node of `node`'s tree (itself included, tokens skipped) that passes `test`, in source order; a match's subtree is not searched. */
export function findNodes(node: SyntaxNode | undefined, test: (n: SyntaxNode) => boolean): SyntaxNode[] {
  if (!node || isToken(node)) return [];
  if (test(node)) return [node];
  return childrenOf(node).flatMap((next) => findNodes(next, test));
}

/** The elements of a SyntaxList / SeparatedSyntaxList (unwrapping SeparatedElement); none for an absent list. */
export function listOf(list: SyntaxNode | undefined): SyntaxNode[] {
  if (!list) return [];
  const out: SyntaxNode[] = [];
  const count = raw(list).Count as number;
  for (let i = 0; i < count; i++) {
    const item = raw(list).getItem(i) as SyntaxNode;
    out.push(kindOf(item) === "SeparatedElement" ? child(item, "Element") : item);
  }
  return out;
}

/** The query span a node covers (without leading trivia). */
export function spanOf(node: SyntaxNode | undefined): Span {
  if (!node) return { start: 0, length: 0 };
  return { start: raw(node).TextStart as number, length: Math.max((raw(node).End as number) - (raw(node).TextStart as number), 1) };
}

/** The offset where the node's text starts (without leading trivia). */
export function textStartOf(node: SyntaxNode): number {
  return raw(node).TextStart as number;
}

/** The source text of a node (without leading trivia). */
export function textOf(node: SyntaxNode): string {
  return (raw(node).ToString(kusto().Syntax.IncludeTrivia.Minimal) as string).trim();
}

/** A name node's or name reference's simple name (unquoted); undefined for other nodes. */
export function simpleNameOf(node: SyntaxNode | undefined): string | undefined {
  const name: unknown = raw(node)?.SimpleName;
  return typeof name === "string" ? name : undefined;
}

/** A token's text as written; undefined for an absent token. */
export function tokenText(token: SyntaxNode | undefined): string | undefined {
  const text: unknown = raw(token)?.Text;
  return text === null || text === undefined ? undefined : String(text);
}

/** A token's value text (a string token's content without quotes); undefined for an absent token. */
export function tokenValueText(token: SyntaxNode | undefined): string | undefined {
  const text: unknown = raw(token)?.ValueText;
  return text === null || text === undefined ? undefined : String(text);
}

/** The constant value Kusto.Language computed for a literal node (a string, number, …); undefined when none. */
export function literalOf(node: SyntaxNode | undefined): unknown {
  const value: unknown = raw(node)?.LiteralValue;
  return value === null ? undefined : value;
}

/** The text of the node's first token; undefined when it has none. */
export function firstTokenText(node: SyntaxNode | undefined): string | undefined {
  return tokenText(asNode(raw(node)?.GetFirstToken?.()));
}

/** The node's child at `index` (tokens included); undefined when absent. */
export function childAt(node: SyntaxNode | undefined, index: number): SyntaxNode | undefined {
  return asNode(raw(node)?.GetChild?.(index));
}

/** The body of the user function a call or name expands to (from the semantic model); undefined for other nodes. */
export function calledFunctionBody(node: SyntaxNode | undefined): SyntaxNode | undefined {
  return asNode(raw(node)?.GetCalledFunctionBody?.());
}

/** The parameters of the signature a call resolved to (its first signature when none was chosen). */
export function parametersOf(call: SyntaxNode): KustoParameter[] {
  const signature = raw(call).ReferencedSignature ?? raw(call).ReferencedSymbol?.Signatures?.getItem(0);
  const params = signature?.Parameters;
  const out: KustoParameter[] = [];
  if (!params) return out;
  for (let i = 0; i < (params.Count as number); i++) {
    const param = params.getItem(i);
    out.push({ name: String(param.Name), defaultValue: asNode(param.DefaultValue) });
  }
  return out;
}

/** The semantic model's result type of a node (a scalar type or a table's schema); undefined when it has none. */
export function resultTypeOf(node: SyntaxNode | undefined): KustoSymbol | undefined {
  return asSymbol(raw(node)?.ResultType);
}

/** The symbol a name or call refers to; undefined when it refers to none. */
export function referencedSymbolOf(node: SyntaxNode | undefined): KustoSymbol | undefined {
  return asSymbol(raw(node)?.ReferencedSymbol);
}

/** A symbol's name ("" when it has none). */
export function symbolName(symbol: KustoSymbol | undefined): string {
  const name: unknown = raw(symbol)?.Name;
  return name === null || name === undefined ? "" : String(name);
}

/** The class name of a symbol (e.g. "ColumnSymbol", "TupleSymbol"), or "". */
export function symbolClass(symbol: KustoSymbol | undefined): string {
  const full = (raw(symbol)?.constructor?.$$name as string | undefined) ?? "";
  return full.slice(full.lastIndexOf(".") + 1);
}

/** The column symbols of a table or tuple type symbol, in order; none for other symbols. */
export function symbolColumns(symbol: KustoSymbol | undefined): KustoSymbol[] {
  const columns = raw(symbol)?.Columns;
  const out: KustoSymbol[] = [];
  for (let i = 0; i < ((columns?.Count as number | undefined) ?? 0); i++) out.push(columns.getItem(i) as KustoSymbol);
  return out;
}

/** The type symbol of a column symbol. */
export function columnTypeOf(column: KustoSymbol): KustoSymbol | undefined {
  return asSymbol(raw(column).Type);
}

/** Maps a Kusto type name (as Kusto.Language or a query spells it) to a KQL scalar type; null for others. */
export function scalarTypeNamed(name: string): KqlType | null {
  if ((KQL_TYPES as readonly string[]).includes(name)) return name as KqlType;
  if (name.startsWith("dynamic")) return "dynamic";
  if (name === "double") return "real";
  if (name === "uniqueid") return "guid";
  if (name === "date") return "datetime";
  if (name === "time") return "timespan";
  if (name === "boolean") return "bool";
  return null;
}

/** Maps a Kusto type symbol to a KQL scalar type; tables, unknown and error types map to null. */
function scalarTypeOf(symbol: KustoSymbol | undefined): KqlType | null {
  if (!symbol) return null;
  return scalarTypeNamed(symbolName(symbol));
}

/** The static KQL type of a scalar expression node (from the semantic model); "dynamic" when unknown. */
export function typeOf(node: SyntaxNode): KqlType {
  return scalarTypeOf(resultTypeOf(node)) ?? "dynamic";
}

/** The columns of a table type symbol, as KQL columns ("dynamic" where a type is unknown). */
function columnsOfSymbol(symbol: KustoSymbol | undefined): Column[] {
  return symbolColumns(symbol).map((column) => ({ name: symbolName(column), type: scalarTypeOf(columnTypeOf(column)) ?? "dynamic" }));
}

/** The static columns of a tabular expression node. */
export function columnsOf(node: SyntaxNode): Column[] {
  return columnsOfSymbol(resultTypeOf(node));
}

/** True when Kusto.Language marks the node's result schema open: it may hold columns the model cannot name. */
export function hasOpenSchema(node: SyntaxNode | undefined): boolean {
  return raw(resultTypeOf(node))?.IsOpen === true;
}

/** The name of the symbol a node references, or "". */
export function referencedName(node: SyntaxNode | undefined): string {
  return (raw(node)?.ReferencedSymbol?.Name as string | undefined) ?? "";
}

/** The class name of the symbol a node references (e.g. "ColumnSymbol", "FunctionSymbol"), or "". */
export function referencedKind(node: SyntaxNode | undefined): string {
  return symbolClass(referencedSymbolOf(node));
}

/** Throws the "not supported" error for `node`, naming `what`. */
export function unsupported(node: SyntaxNode | undefined, what: string): never {
  throw new EngineError("SC4001", `${what} is not supported by the offline engine`, spanOf(node));
}

/** True when the node's result is a table (from the semantic model). */
export function isTabular(node: SyntaxNode | undefined): boolean {
  const name = symbolClass(resultTypeOf(node));
  return name.endsWith("TableSymbol") || name.endsWith("GroupSymbol");
}
