import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadKusto, syntaxKindName, type KustoNamespace } from "./kusto.ts";

const ALLOW_LIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../data/dcr-transform-kql.json");

/** The KQL Azure Monitor transformations support (data/dcr-transform-kql.json, from Microsoft Learn). */
interface TransformAllowList {
  tabularOperators: string[];
  functions: string[];
}

/** A feature of a transform query that Azure Monitor transformations do not support, with its offset in the query. */
export interface UnsupportedFeature {
  kind: "operator" | "function" | "dynamic-literal";
  /** The operator as written in KQL (e.g. summarize, mv-expand) or the function's name. */
  name: string;
  start: number;
}

let allowList: { operators: Set<string>; functions: Set<string> } | undefined;

function allowed(): { operators: Set<string>; functions: Set<string> } {
  if (!allowList) {
    const data = JSON.parse(readFileSync(ALLOW_LIST, "utf8")) as TransformAllowList;
    allowList = { operators: new Set(data.tabularOperators), functions: new Set(data.functions) };
  }
  return allowList;
}

/** Every tabular operator and function call of a transform query outside the documented allow-list (functions the query itself defines with `let` are allowed). */
export function unsupportedTransformFeatures(query: string): UnsupportedFeature[] {
  const k = loadKusto();
  const { operators, functions } = allowed();
  const code = k.KustoCode.Parse(query);
  const own = new Set<string>();
  const found: UnsupportedFeature[] = [];
  code.Syntax.WalkNodes((node: KustoNamespace) => {
    const kind = syntaxKindName(node) ?? "";
    if (kind === "LetStatement") own.add(String(node.Name?.SimpleName ?? ""));
    else if (kind.endsWith("Operator") && !operators.has(kind)) found.push({ kind: "operator", name: operatorKeyword(kind), start: node.TextStart as number });
    else if (kind === "FunctionCallExpression") {
      const name = String(node.Name?.SimpleName ?? "");
      if (!functions.has(name)) found.push({ kind: "function", name, start: node.TextStart as number });
    } else if (kind === "DynamicExpression") found.push({ kind: "dynamic-literal", name: "dynamic", start: node.TextStart as number });
  });
  // calls of the query's own let-functions are allowed (their bodies were walked like the rest)
  return found.filter((f) => !(f.kind === "function" && own.has(f.name)));
}

/** The KQL keyword of an operator's syntax kind: SummarizeOperator → summarize, MvExpandOperator → mv-expand. */
function operatorKeyword(kind: string): string {
  const base = kind.replace(/Operator$/, "");
  return base === "Filter" ? "where" : base.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}
