import { child, kindOf, parentOf, type SyntaxNode } from "../syntax.ts";

/** Operators whose output is serialized (Kusto's "serialize" page): range, sort/order, top, serialize, getschema. */
const SERIALIZING: ReadonlySet<string> = new Set(["RangeOperator", "SortOperator", "TopOperator", "SerializeOperator", "GetSchemaOperator", "ScanOperator"]);

/** Operators that keep their input's serialization (the same page): extend, where, project*, take, mv-expand, parse. */
const PRESERVING: ReadonlySet<string> = new Set([
  "ExtendOperator",
  "FilterOperator",
  "ProjectOperator",
  "ProjectAwayOperator",
  "ProjectRenameOperator",
  "ProjectKeepOperator",
  "ProjectReorderOperator",
  "TakeOperator",
  "MvExpandOperator",
  "ParseOperator",
  "ParseWhereOperator",
  "AsOperator",
]);

/** True when the tabular expression's rows are serialized (ordered), following pipes and parentheses back to a serializing operator. */
function isSerializedExpression(expr: SyntaxNode): boolean {
  const kind = kindOf(expr);
  if (kind === "ParenthesizedExpression") return isSerializedExpression(child(expr, "Expression"));
  if (kind === "PipeExpression") {
    const op = kindOf(child(expr, "Operator"));
    if (SERIALIZING.has(op)) return true;
    return PRESERVING.has(op) && isSerializedExpression(child(expr, "Expression"));
  }
  return SERIALIZING.has(kind);
}

/** True when the input piped into `operator` is serialized; false when it is unknown (e.g. the start of a subquery). */
export function isSerializedInput(operator: SyntaxNode): boolean {
  const parent = parentOf(operator);
  if (!parent || kindOf(parent) !== "PipeExpression" || child(parent, "Operator") !== operator) return false;
  return isSerializedExpression(child(parent, "Expression"));
}
