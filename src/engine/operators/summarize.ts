import { makeEvalContext, spend, type RowFn } from "../context.ts";
import { aggregateNamed } from "../aggregates/catalog.ts";
import type { Accumulator, AggregateCall, AggregateFunction } from "../aggregates/contract.ts";
import { EngineError } from "../errors.ts";
import { argumentsOf } from "../planner/calls.ts";
import { isLiteralKind, literalValue } from "../planner/literals.ts";
import { child, findNodes, kindOf, listOf, optionalChild, referencedName, spanOf, type SyntaxNode, textOf, textStartOf, typeOf, unsupported } from "../syntax.ts";
import type { Column, KqlType, Row, Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { GroupIndex } from "./group-index.ts";

/** One aggregate of a summarize, planned: its function, static call facts and argument evaluators. */
interface PlannedAggregate {
  fn: AggregateFunction;
  call: AggregateCall;
  args: RowFn[];
}

function valueExpr(expr: SyntaxNode): SyntaxNode {
  const kind = kindOf(expr);
  return kind === "SimpleNamedExpression" || kind === "CompoundNamedExpression" ? child(expr, "Expression") : expr;
}

function unwrapCall(expr: SyntaxNode): SyntaxNode {
  let node = valueExpr(expr);
  while (kindOf(node) === "ParenthesizedExpression") node = child(node, "Expression");
  return node;
}

function inputIndexFor(name: string, columns: readonly Column[]): number {
  let i = columns.findIndex((c) => c.name === name);
  if (i < 0) i = columns.findIndex((c) => c.name === name.replace(/\d+$/, ""));
  return i;
}

function planAggregate(expr: SyntaxNode, ctx: PlanContext, resultColumns: Column[]): PlannedAggregate {
  const call = unwrapCall(expr);
  if (kindOf(call) !== "FunctionCallExpression") return unsupported(call, "a summarize expression that is not a single aggregate call");
  const name = referencedName(call);
  const fn = aggregateNamed(name);
  if (!fn) throw new EngineError("SC4002", `the aggregate ${name}() is not supported by the offline engine`, spanOf(call));
  const argNodes = argumentsOf(call);
  const args: RowFn[] = [];
  const argTypes: KqlType[] = [];
  const constants: (Value | undefined)[] = [];
  for (const arg of argNodes) {
    if (kindOf(arg) === "StarExpression") {
      for (const column of resultColumns.slice(args.length)) {
        const index = inputIndexFor(column.name, ctx.inputColumns);
        if (index < 0) return unsupported(arg, `${name}(*) where column '${column.name}' cannot be traced to the input`);
        args.push((row) => row[index] ?? null);
        argTypes.push(ctx.inputColumns[index]!.type);
        constants.push(undefined);
      }
      continue;
    }
    args.push(ctx.compileScalar(arg));
    argTypes.push(typeOf(arg));
    constants.push(isLiteralKind(kindOf(arg)) ? literalValue(arg) : undefined);
  }
  const facts: AggregateCall = { argTypes, resultTypes: resultColumns.map((c) => c.type), constants };
  const refusal = fn.refusal?.(facts);
  if (refusal) throw new EngineError("SC4020", refusal, spanOf(call));
  return { fn, call: facts, args };
}

function widthOf(expr: SyntaxNode): number | "star" {
  const call = unwrapCall(expr);
  const name = referencedName(call);
  const args = kindOf(call) === "FunctionCallExpression" ? argumentsOf(call) : [];
  if (args.some((a) => kindOf(a) === "StarExpression")) return "star";
  if (["arg_max", "arg_min", "argmax", "argmin"].includes(name)) return Math.max(args.length, 1);
  if (name === "percentiles") return Math.max(args.length - 1, 1);
  if (name === "take_any" || name === "any") return Math.max(args.length, 1);
  return 1;
}

/** Aggregate calls inside `node` (not nested in another aggregate), in source order. */
function aggregateCallsIn(node: SyntaxNode): SyntaxNode[] {
  return findNodes(node, isAggregateCall);
}

/** True for a call of an aggregate the catalog has. */
function isAggregateCall(node: SyntaxNode): boolean {
  return kindOf(node) === "FunctionCallExpression" && aggregateNamed(referencedName(node)) !== undefined;
}

/** How one summarize output is produced from the group's accumulators. */
type Output = { kind: "direct"; agg: number } | { kind: "expression"; aggs: number[]; fn: RowFn };

/** `summarize aggregates by keys`: groups rows by the key values (first-seen order) and aggregates each group. */
export const summarizeOperator: TabularOperator = {
  kinds: ["SummarizeOperator"],
  plan(node, ctx) {
    const byExprs = listOf(optionalChild(optionalChild(node, "ByClause"), "Expressions"));
    const keyFns = byExprs.map((e) => ctx.compileScalar(valueExpr(e)));
    const aggExprs = listOf(child(node, "Aggregates"));
    const out = ctx.outputColumns;
    const direct = aggExprs.map((e) => isAggregateCall(unwrapCall(e)));
    const widths = aggExprs.map((e, i) => (direct[i] ? widthOf(e) : 1));
    const fixed = widths.reduce<number>((sum, w) => sum + (w === "star" ? 0 : w), 0);
    if (widths.filter((w) => w === "star").length > 1) return unsupported(node, "more than one (*) aggregate in one summarize");
    const starWidth = out.length - byExprs.length - fixed;
    let col = byExprs.length;
    const aggs: PlannedAggregate[] = [];
    const outputs = aggExprs.map((expr, i): Output => {
      const w = widths[i] === "star" ? starWidth : (widths[i] as number);
      const columns = out.slice(col, col + w);
      col += w;
      if (direct[i]) {
        aggs.push(planAggregate(expr, ctx, columns));
        return { kind: "direct", agg: aggs.length - 1 };
      }
      const calls = aggregateCallsIn(valueExpr(expr));
      if (calls.length === 0) return unsupported(expr, `the summarize expression '${textOf(valueExpr(expr)).slice(0, 60)}' (no supported aggregate in it)`);
      const slots = new Map<number, number>();
      const indices = calls.map((call, k) => {
        slots.set(textStartOf(call), k);
        aggs.push(planAggregate(call, ctx, [{ name: "", type: typeOf(call) }]));
        return aggs.length - 1;
      });
      return { kind: "expression", aggs: indices, fn: ctx.compileOverSlots(valueExpr(expr), slots) };
    });
    if (col !== out.length) return unsupported(node, "this summarize shape");
    return (input, run) => {
      const ec = makeEvalContext(run, input.rows);
      type Group = { keys: Value[]; accs: Accumulator[] };
      const groups: Group[] = [];
      const index = new GroupIndex<Group>(keyFns.length);
      const newGroup = (keys: Value[]): Group => {
        const group = { keys, accs: aggs.map((a) => a.fn.create(a.call)) };
        groups.push(group);
        return group;
      };
      const single = keyFns.length === 0 ? newGroup([]) : undefined;
      // Argument and key buffers are reused row after row: accumulators and new groups copy what they keep.
      const buffers = aggs.map((a) => new Array<Value>(a.args.length));
      const keyCount = keyFns.length;
      const keys = new Array<Value>(keyCount);
      const rowsIn = input.rows;
      for (let i = 0; i < rowsIn.length; i++) {
        const row: Row = rowsIn[i]!;
        ec.index = i;
        spend(run);
        let group = single;
        if (!group) {
          for (let k = 0; k < keyCount; k++) keys[k] = keyFns[k]!(row, ec);
          group = index.get(keys);
          if (!group) {
            group = newGroup(keys.slice());
            index.set(keys, group);
          }
        }
        for (let k = 0; k < aggs.length; k++) {
          const args = aggs[k]!.args;
          const buffer = buffers[k]!;
          for (let a = 0; a < args.length; a++) buffer[a] = args[a]!(row, ec);
          group.accs[k]!.add(buffer);
        }
      }
      const rows: Row[] = [];
      for (const group of groups) {
        const values: Value[] = [...group.keys];
        for (const output of outputs) {
          if (output.kind === "direct") values.push(...group.accs[output.agg]!.result());
          else values.push(output.fn(output.aggs.map((a) => group.accs[a]!.result()[0] ?? null), ec));
        }
        rows.push(values);
      }
      return { columns: [...out], rows };
    };
  },
};
