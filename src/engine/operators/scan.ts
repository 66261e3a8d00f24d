import { checkTableSize, makeEvalContext, type RowFn, type TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import { markPhantomColumn } from "../planner/phantom-columns.ts";
import { child, childrenOf, kindOf, listOf, optionalChild, referencedSymbolOf, resultTypeOf, spanOf, symbolColumns, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { emptyOf, type Column, type Row, type Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { parseNamedParameters } from "./parse-named-parameters.ts";
import { runScanSteps, type ScanStepPlan } from "./scan-steps.ts";
import { isSerializedInput } from "./serialized.ts";

/** The `declare (Name: type [= default], …)` columns. */
interface Declared {
  columns: Column[];
  defaults: RowFn[];
  symbols: Set<object>;
}

const NUMERIC: ReadonlySet<string> = new Set(["int", "long", "real", "decimal"]);

/** The type of a literal default value (Kusto.Language leaves declare defaults untyped), or "" for anything else. */
function literalTypeOf(value: SyntaxNode): string {
  const match = /^(Long|Int|Real|Decimal|Boolean|String|DateTime|Timespan|Guid)LiteralExpression$/.exec(kindOf(value));
  const name = match?.[1]?.toLowerCase() ?? "";
  return name === "boolean" ? "bool" : name;
}

/** Reads `with_match_id=Name`; any other parameter is refused. */
function readMatchIdName(node: SyntaxNode): string | undefined {
  let name: string | undefined;
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (param.name !== "with_match_id") unsupported(param.node, `the scan parameter '${param.name}'`);
    name = param.text;
  }
  return name;
}

function readDeclared(node: SyntaxNode, ctx: PlanContext): Declared {
  const declared: Declared = { columns: [], defaults: [], symbols: new Set() };
  const inputNames = new Set(ctx.inputColumns.map((c) => c.name));
  for (const param of listOf(optionalChild(optionalChild(node, "DeclareClause"), "Declarations"))) {
    const decl = child(param, "NameAndType");
    const name = textOf(child(decl, "Name"));
    if (inputNames.has(name) || declared.columns.some((c) => c.name === name)) {
      unsupported(child(decl, "Name"), `a scan declaring the column '${name}', which ${inputNames.has(name) ? "its input already has," : "it declares twice,"}`);
    }
    const type = ctx.outputColumns.find((c) => c.name === name)?.type;
    if (!type) return unsupported(decl, `the scan declaration '${textOf(decl)}'`);
    declared.columns.push({ name, type });
    declared.symbols.add(referencedSymbolOf(child(decl, "Name")) as object);
    const value = optionalChild(optionalChild(param, "DefaultValue"), "Value");
    if (value && literalTypeOf(value) !== type && !(NUMERIC.has(type) && NUMERIC.has(literalTypeOf(value)))) unsupported(value, `the default '${textOf(value)}' for the ${type} column '${name}'`);
    declared.defaults.push(value ? ctx.compileScalar(value, []) : () => emptyOf(type));
  }
  return declared;
}

/** Refuses a bare name of a declared column inside a step: the docs define only `Step.Column` for them. */
function refuseBareDeclared(expr: SyntaxNode, declared: Declared): void {
  const visit = (n: SyntaxNode): void => {
    if (kindOf(n) === "PathExpression") return visit(child(n, "Expression"));
    if (kindOf(n) === "NameReference" && declared.symbols.has(referencedSymbolOf(n) as object)) {
      unsupported(n, `the bare name of the declared column '${textOf(n)}' in a scan step (write StepName.${textOf(n)})`);
    }
    for (const child of childrenOf(n)) visit(child);
  };
  visit(expr);
}

/** The columns a step's condition and assignments see: the input row, then `Step.Column` for every step and column. */
function evaluationColumns(stepNames: readonly string[], record: readonly Column[], input: readonly Column[]): Column[] {
  return [...input, ...stepNames.flatMap((step) => record.map((c) => ({ name: `${step}.${c.name}`, type: c.type })))];
}

function readStep(step: SyntaxNode, index: number, ctx: PlanContext, declared: Declared, layout: readonly Column[]): ScanStepPlan {
  if (optionalChild(step, "OptionalKeyword")) unsupported(optionalChild(step, "OptionalKeyword"), "an optional scan step");
  const output = optionalChild(step, "ScanStepOutput") ? textOf(child(optionalChild(step, "ScanStepOutput"), "OutputKind")).toLowerCase() : "all";
  if (output === "last") unsupported(optionalChild(step, "ScanStepOutput"), "scan's `output=last`, whose row order the documentation leaves open,");
  if (output !== "all" && output !== "none") unsupported(optionalChild(step, "ScanStepOutput"), `scan's output=${output}`);
  if (ctx.typeOf(child(step, "Condition")) !== "bool") throw new EngineError("SC4012", `the condition of scan step '${textOf(child(step, "Name"))}' is a ${ctx.typeOf(child(step, "Condition"))}, not a bool`, spanOf(child(step, "Condition")));
  refuseBareDeclared(child(step, "Condition"), declared);
  const assignments = listOf(optionalChild(optionalChild(step, "ComputationClause"), "Assignments")).map((a: SyntaxNode) => {
    const name = textOf(child(a, "Name"));
    const target = declared.columns.findIndex((c) => c.name === name);
    if (target < 0) throw new EngineError("SC4012", `scan step '${textOf(child(step, "Name"))}' assigns '${name}', which is not a declared column`, spanOf(child(a, "Name")));
    const type = declared.columns[target]!.type;
    if (ctx.typeOf(child(a, "Expression")) !== type) unsupported(child(a, "Expression"), `assigning a ${ctx.typeOf(child(a, "Expression"))} to the ${type} column '${name}'`);
    refuseBareDeclared(child(a, "Expression"), declared);
    return { target, fn: ctx.compileScalar(child(a, "Expression"), layout) };
  });
  return { index, output, condition: ctx.compileScalar(child(step, "Condition"), layout), assignments };
}

/**
 * Plans `scan` as documented: rows are checked against the steps from last to first; a step matches when the
 * previous step has an active sequence (which it takes over) or when it holds one itself (or is the first);
 * `Step.Column` reads the sequence's state. Output: the input columns, the declared ones, the match id.
 */
function planScan(node: SyntaxNode, ctx: PlanContext): TableStep {
  if (optionalChild(node, "OrderByClause") || optionalChild(node, "PartitionByClause")) unsupported(optionalChild(node, "OrderByClause") ?? optionalChild(node, "PartitionByClause"), "scan's order by / partition by clauses");
  if (!isSerializedInput(node)) unsupported(node, "scan over rows that are not serialized (sort or serialize them first)");
  const matchIdName = readMatchIdName(node);
  const declared = readDeclared(node, ctx);
  const record = [...ctx.inputColumns, ...declared.columns];
  const steps = listOf(child(node, "Steps"));
  const stepNames = steps.map((s: SyntaxNode) => textOf(child(s, "Name")));
  const duplicate = stepNames.find((n, i) => stepNames.indexOf(n) !== i);
  if (duplicate !== undefined) throw new EngineError("SC4012", `the scan step name '${duplicate}' is used twice`, spanOf(node));
  const expected = [...record, { name: matchIdName ?? "match_id", type: "long" as const }];
  if (ctx.outputColumns.length !== expected.length || ctx.outputColumns.some((c, i) => c.name !== expected[i]!.name)) {
    unsupported(node, "this scan's output layout");
  }
  if (matchIdName === undefined) markPhantomColumn(symbolColumns(resultTypeOf(node))[expected.length - 1]);
  const layout = evaluationColumns(stepNames, record, ctx.inputColumns);
  const plans = steps.map((s: SyntaxNode, i: number) => readStep(s, i, ctx, declared, layout));
  const span = spanOf(node);
  return (input, run) => {
    const ec = makeEvalContext(run, []);
    const defaults: Row = [...ctx.inputColumns.map((c): Value => emptyOf(c.type)), ...declared.defaults.map((fn) => fn([], ec))];
    const rows = runScanSteps(input.rows, plans, defaults, declared.columns.length, ec, (count) => checkTableSize(run, count, expected.length, span));
    return { columns: expected, rows };
  };
}

/** The `scan` operator (`with_match_id`, `declare`, steps with `output=all|none` and `=>` assignments). */
export const scanOperator: TabularOperator = { kinds: ["ScanOperator"], plan: planScan };
