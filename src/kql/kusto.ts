import { createRequire } from "node:module";

/**
 * The Kusto.Language namespace from `@kusto/language-service-next` (Microsoft's parser and semantic model,
 * compiled from C# with Bridge.NET). Its typings are loose, so it is exposed as `any` in this one module;
 * everything else uses the typed helpers built on it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KustoNamespace = any;

let kusto: KustoNamespace | undefined;

/** Loads Kusto.Language once per thread (≈0.4 s) and returns its namespace. */
export function loadKusto(): KustoNamespace {
  if (kusto) return kusto;
  // a warm start (docs/warm-start.md) has it on the global object already; loading it again would redefine its classes
  const preloaded = (globalThis as unknown as { Kusto?: { Language?: KustoNamespace } }).Kusto?.Language;
  if (preloaded) return (kusto = preloaded);
  const require = createRequire(import.meta.url);
  require("@kusto/language-service-next/bridge.min.js");
  require("@kusto/language-service-next/Kusto.Language.Bridge.min.js");
  kusto = (globalThis as unknown as { Kusto: { Language: KustoNamespace } }).Kusto.Language;
  return kusto;
}

/** The items of a Kusto.Language list (a Bridge.NET list with Count and getItem, or a plain array); none for null. */
export function kustoList(list: KustoNamespace): KustoNamespace[] {
  if (Array.isArray(list)) return list;
  const items: KustoNamespace[] = [];
  for (let i = 0; i < (list?.Count ?? 0); i++) items.push(list.getItem(i));
  return items;
}

let kindNames: Map<number, string> | undefined;

/** The SyntaxKind name of a node (e.g. "FilterOperator"; Kusto's enum maps names to numbers), undefined for an unknown kind. */
export function syntaxKindName(node: KustoNamespace): string | undefined {
  if (!kindNames) {
    kindNames = new Map();
    for (const [name, value] of Object.entries(loadKusto().Syntax.SyntaxKind as Record<string, unknown>)) if (typeof value === "number") kindNames.set(value, name);
  }
  return kindNames.get(node.Kind as number);
}
