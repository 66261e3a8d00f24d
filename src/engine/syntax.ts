import { loadKusto, syntaxKindName, type KustoNamespace } from "../kql/kusto.ts";
import { EngineError, type Span } from "./errors.ts";
import { KQL_TYPES, type Column, type KqlType } from "./values.ts";

/** A node of Kusto.Language's syntax tree (a Bridge.NET object; loosely typed). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SyntaxNode = any;

/** Kusto.Language, loaded once. */
export function kusto(): KustoNamespace {
  return loadKusto();
}

/** The SyntaxKind name of a node (e.g. "FilterOperator"). */
export function kindOf(node: SyntaxNode): string {
  return syntaxKindName(node) ?? `Kind${String(node.Kind)}`;
}

/** The node's direct children (skipping absent optional ones). */
export function childrenOf(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const count = node.ChildCount as number;
  for (let i = 0; i < count; i++) {
    const child = node.GetChild(i);
    if (child) out.push(child);
  }
  return out;
}

/** The first node of `node`'s tree (itself included, tokens skipped) that passes `test`, in source order; undefined when none does. */
export function findNode(node: SyntaxNode, test: (n: SyntaxNode) => boolean): SyntaxNode | undefined {
  if (!node || node.IsToken) return undefined;
  if (test(node)) return node;
  for (const child of childrenOf(node)) {
    const found = findNode(child, test);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Every node of `node`'s tree (itself included, tokens skipped) that passes `test`, in source order; a match's subtree is not searched. */
export function findNodes(node: SyntaxNode, test: (n: SyntaxNode) => boolean): SyntaxNode[] {
  if (!node || node.IsToken) return [];
  if (test(node)) return [node];
  return childrenOf(node).flatMap((child) => findNodes(child, test));
}

/** The elements of a SyntaxList / SeparatedSyntaxList (unwrapping SeparatedElement). */
export function listOf(list: SyntaxNode): SyntaxNode[] {
  if (!list) return [];
  const out: SyntaxNode[] = [];
  const count = list.Count as number;
  for (let i = 0; i < count; i++) {
    const item = list.getItem(i);
    out.push(kindOf(item) === "SeparatedElement" ? item.Element : item);
  }
  return out;
}

/** The query span a node covers (without leading trivia). */
export function spanOf(node: SyntaxNode): Span {
  if (!node) return { start: 0, length: 0 };
  return { start: node.TextStart as number, length: Math.max((node.End as number) - (node.TextStart as number), 1) };
}

/** The source text of a node (without leading trivia). */
export function textOf(node: SyntaxNode): string {
  return (node.ToString(kusto().Syntax.IncludeTrivia.Minimal) as string).trim();
}

/** Maps a Kusto type symbol to a KQL scalar type; tables, unknown and error types map to null. */
export function scalarTypeOf(symbol: SyntaxNode): KqlType | null {
  if (!symbol) return null;
  const name = String(symbol.Name ?? "");
  if ((KQL_TYPES as readonly string[]).includes(name)) return name as KqlType;
  if (name.startsWith("dynamic")) return "dynamic";
  if (name === "double") return "real";
  if (name === "uniqueid") return "guid";
  if (name === "date") return "datetime";
  if (name === "time") return "timespan";
  if (name === "boolean") return "bool";
  return null;
}

/** The static KQL type of a scalar expression node (from the semantic model); "dynamic" when unknown. */
export function typeOf(node: SyntaxNode): KqlType {
  return scalarTypeOf(node.ResultType) ?? "dynamic";
}

// The columns of a type symbol (from the semantic model).
function columnsOfSymbol(symbol: SyntaxNode): Column[] {
  const out: Column[] = [];
  if (!symbol?.Columns) return out;
  const count = symbol.Columns.Count as number;
  for (let i = 0; i < count; i++) {
    const column = symbol.Columns.getItem(i);
    out.push({ name: column.Name as string, type: scalarTypeOf(column.Type) ?? "dynamic" });
  }
  return out;
}

/** The static columns of a tabular expression node. */
export function columnsOf(node: SyntaxNode): Column[] {
  return columnsOfSymbol(node.ResultType);
}

/** The name of the symbol a node references, or "". */
export function referencedName(node: SyntaxNode): string {
  return (node?.ReferencedSymbol?.Name as string | undefined) ?? "";
}

/** The class name of the symbol a node references (e.g. "ColumnSymbol", "FunctionSymbol"), or "". */
export function referencedKind(node: SyntaxNode): string {
  const full = (node?.ReferencedSymbol?.constructor?.$$name as string | undefined) ?? "";
  return full.slice(full.lastIndexOf(".") + 1);
}

/** Throws the "not supported" error for `node`, naming `what`. */
export function unsupported(node: SyntaxNode, what: string): never {
  throw new EngineError("SC4001", `${what} is not supported by the offline engine`, spanOf(node));
}

/** True when the node's result is a table (from the semantic model). */
export function isTabular(node: SyntaxNode): boolean {
  const name = (node?.ResultType?.constructor?.$$name as string | undefined) ?? "";
  return name.endsWith("TableSymbol") || name.endsWith("GroupSymbol");
}
