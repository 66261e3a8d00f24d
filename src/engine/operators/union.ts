import { checkTableSize, type RunContext, type TablePlan, type TableStep } from "../context.ts";
import { EngineError } from "../errors.ts";
import { child, kindOf, listOf, parentOf, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import type { Column, Table } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { isHint, parseNamedParameters } from "./parse-named-parameters.ts";
import { keyText, tokenOf } from "../planner/incremental.ts";
import { isSegmented, tableRowCount } from "../segments.ts";
import { layoutUnion, unionSegments, unionTables, type UnionLeg } from "./union-tables.ts";

/** Union options read from its parameters. */
interface UnionOptions {
  kind: "inner" | "outer";
  withsource?: string;
  isfuzzy: boolean;
}

function readOptions(node: SyntaxNode): UnionOptions {
  const options: UnionOptions = { kind: "outer", isfuzzy: false };
  for (const param of parseNamedParameters(child(node, "Parameters"))) {
    if (isHint(param)) continue;
    if (param.name === "kind" && (param.text === "inner" || param.text === "outer")) options.kind = param.text;
    else if (param.name === "withsource" || param.name === "withsourcecolumn") options.withsource = param.text;
    else if (param.name === "isfuzzy" && (param.text === "true" || param.text === "false")) options.isfuzzy = param.text === "true";
    else unsupported(param.node, `the union parameter '${param.name}=${param.text}'`);
  }
  return options;
}

/** What `withsource=` reports for a leg: the table or let name it references, the name of a final `as`, else `union_arg<i>`. */
function sourceName(expr: SyntaxNode, index: number): string {
  let node = expr;
  while (kindOf(node) === "ParenthesizedExpression") node = child(node, "Expression");
  if (kindOf(node) === "NameReference") return textOf(node);
  if (kindOf(node) === "PipeExpression" && kindOf(child(node, "Operator")) === "AsOperator") return textOf(child(child(node, "Operator"), "Name"));
  return `union_arg${index}`;
}

/** A compiled leg; `plan` is undefined for the piped input. */
interface PlannedLeg {
  source: string;
  columns: Column[];
  plan?: TablePlan;
}

/** Compiles one leg; with isfuzzy an unknown table or function drops the leg instead of failing. */
function planLeg(expr: SyntaxNode, index: number, options: UnionOptions, ctx: PlanContext): PlannedLeg | undefined {
  if (kindOf(expr) === "NameReference" && /[*]/.test(textOf(expr))) unsupported(expr, "union over wildcard table names");
  try {
    return { source: sourceName(expr, index), columns: ctx.columnsOf(expr), plan: ctx.compileTabular(expr) };
  } catch (error) {
    if (options.isfuzzy && error instanceof EngineError && error.code === "SC4010") return undefined;
    throw error;
  }
}

/** True when `node` is the operator of a pipe (`T | union U`), whose input is then the first leg. */
function isPiped(node: SyntaxNode): boolean {
  const parent = parentOf(node);
  return parent !== undefined && kindOf(parent) === "PipeExpression" && child(parent, "Operator") === node;
}

/** How many (name, type) columns every leg has. */
function commonColumnCount(legs: readonly PlannedLeg[]): number {
  const [first, ...rest] = legs;
  if (!first) return 0;
  return first.columns.filter((c) => rest.every((leg) => leg.columns.some((o) => o.name === c.name && o.type === c.type))).length;
}

/** Plans `union` (piped or leading); legs run in order, each row laid out by (name, type). */
function planUnion(node: SyntaxNode, ctx: PlanContext): TableStep {
  const options = readOptions(node);
  const legs: PlannedLeg[] = [];
  const piped = isPiped(node);
  if (piped) legs.push({ source: "union_arg0", columns: [...ctx.inputColumns] });
  const dropped: string[] = [];
  listOf(child(node, "Expressions")).forEach((expr: SyntaxNode, i: number) => {
    const leg = planLeg(expr, i + (piped ? 1 : 0), options, ctx);
    if (leg) legs.push(leg);
    else dropped.push(textOf(expr));
  });
  if (legs.length === 0) throw new EngineError("SC4010", `no table of this fuzzy union exists (${dropped.join(", ")})`, spanOf(node));
  const output = ctx.outputColumns;
  const sourceColumn = options.withsource === undefined ? undefined : output.findIndex((c) => c.name === options.withsource);
  if (sourceColumn === -1) unsupported(node, "this union's withsource column");
  if (options.kind === "inner" && output.length !== commonColumnCount(legs) + (options.withsource === undefined ? 0 : 1)) {
    // Kusto.Language types kind=inner like kind=outer; the two agree only when every leg has the same columns.
    unsupported(node, "union kind=inner over legs with different columns");
  }
  const layout = layoutUnion(
    legs.map((leg) => leg.columns),
    output,
    sourceColumn,
  );
  if (!layout) return unsupported(node, "this union's column layout (its columns are not the legs' names and types in Kusto's order)");
  const span = spanOf(node);
  // a leg's laid-out rows depend only on its rows and this layout: plans with the same layout share them per segment
  const tokens = legs.map((leg, i) => tokenOf(keyText(["union layout", layout[i], output.map((c) => [c.name, c.type]), sourceColumn ?? null, leg.source])));
  return (input: Table, run: RunContext) => {
    const tables: UnionLeg[] = legs.map((leg, i) => ({ source: leg.source, table: leg.plan ? leg.plan(run) : input, positions: layout[i]! }));
    checkTableSize(run, tables.reduce((n, t) => n + tableRowCount(t.table), 0), output.length, span);
    // legs given as segments (replay's spool hours) give the union as segments, so the stages after it keep theirs
    if (run.reuseRowResults && tables.some((t) => isSegmented(t.table))) return unionSegments(tables, output, sourceColumn, tokens);
    return unionTables(tables, output, sourceColumn);
  };
}

/** The `union` operator (kind=inner|outer, withsource=, isfuzzy=). */
export const unionOperator: TabularOperator = { kinds: ["UnionOperator"], plan: planUnion };
