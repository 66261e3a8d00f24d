import { makeEvalContext, spend, type EvalContext, type RowFn, type RunContext } from "../context.ts";
import { aggregateNamed } from "../aggregates/catalog.ts";
import type { Accumulator, AggregateCall, AggregateFunction } from "../aggregates/contract.ts";
import { EngineError } from "../errors.ts";
import { argumentsOf } from "../planner/calls.ts";
import { readsOnlyRowValues } from "../planner/incremental.ts";
import { isLiteralKind, literalValue } from "../planner/literals.ts";
import { isSegmented, partialCounts, segmentedTable, segmentOutput, segmentPartial, type SegmentedTable } from "../segments.ts";
import { child, findNodes, kindOf, listOf, optionalChild, referencedName, spanOf, type SyntaxNode, textOf, textStartOf, typeOf, unsupported } from "../syntax.ts";
import type { Column, KqlType, Row, RowSegment, Table, Value } from "../values.ts";
import type { PlanContext, TabularOperator } from "./contract.ts";
import { GroupIndex } from "./group-index.ts";
import { PartialSharing } from "./partial-sharing.ts";

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

/** One group of a summarize: its key values and an accumulator per aggregate. */
type Group = { keys: Value[]; accs: Accumulator[] };

/** A segment's partial: its groups in first-seen order. */
interface SegmentGroups {
  groups: Group[];
}

/**
 * Segments' partial groups merged: the groups in first-seen order (only those of segments sharing a group with another
 * segment), the segment each was first seen in, per segment whether its groups are its own alone, and each segment's partial.
 */
interface Merged {
  groups: Group[];
  origins: number[];
  pure: boolean[];
  parts: SegmentGroups[];
}

/** True when the summarize's partials per segment merge into its result exactly: its keys and arguments read only the row and constant lets, and every aggregate merges. */
function mergeable(node: SyntaxNode, aggs: readonly PlannedAggregate[], ctx: PlanContext): boolean {
  return (ctx.readsOnlyRowAndConstants?.(node) ?? readsOnlyRowValues(node)) && aggs.every((a) => typeof a.fn.create(a.call).merge === "function");
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
    const keyCount = keyFns.length;
    const newGroup = (groups: Group[], keys: Value[]): Group => {
      const group = { keys, accs: aggs.map((a) => a.fn.create(a.call)) };
      groups.push(group);
      return group;
    };
    /** The groups of `rows`, in first-seen order, each with its accumulators over its rows. */
    const groupRows = (rowsIn: readonly Row[], run: RunContext): SegmentGroups => {
      const ec = makeEvalContext(run, rowsIn);
      const groups: Group[] = [];
      const index = new GroupIndex<Group>(keyCount);
      const single = keyCount === 0 ? newGroup(groups, []) : undefined;
      // Argument and key buffers are reused row after row: accumulators and new groups copy what they keep.
      const buffers = aggs.map((a) => new Array<Value>(a.args.length));
      const keys = new Array<Value>(keyCount);
      const create = (): Group => newGroup(groups, keys.slice());
      for (let i = 0; i < rowsIn.length; i++) {
        const row: Row = rowsIn[i]!;
        ec.index = i;
        spend(run);
        let group = single;
        if (!group) {
          for (let k = 0; k < keyCount; k++) keys[k] = keyFns[k]!(row, ec);
          group = index.getOrCreate(keys, create);
        }
        for (let k = 0; k < aggs.length; k++) {
          const args = aggs[k]!.args;
          const buffer = buffers[k]!;
          for (let a = 0; a < args.length; a++) buffer[a] = args[a]!(row, ec);
          group.accs[k]!.add(buffer);
        }
      }
      return { groups };
    };
    const resultOf = (groups: readonly Group[], ec: EvalContext): Table => {
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
    // a summarize whose keys and arguments read only the row and constant lets, of aggregates that merge exactly, keeps a partial per stable segment
    const token = mergeable(node, aggs, ctx) ? (ctx.operatorToken?.("summarize partial") ?? {}) : undefined;
    // which partials share a group with another, kept from run to run over the stable segments' partials
    const sharing = new PartialSharing<SegmentGroups>(keyCount);
    /**
     * The groups of the segments sharing a group with another, merged in segment order (first-seen order is kept),
     * each with the segment it was first seen in; a segment sharing none gives its partial's groups as they are;
     * undefined when a merge would not be exact. A group seen in one segment only is that segment's
     * partial group itself (not copied: its accumulators see the same rows as a row-by-row pass); one seen again is
     * copied before the first merge, so kept partials never change. `pure[s]` stays true while segment s's groups
     * are all its own and seen nowhere else.
     */
    const mergedGroups = (input: SegmentedTable, run: RunContext, partialToken: object): Merged | undefined => {
      const groups: Group[] = [];
      const origins: number[] = [];
      const owned: boolean[] = [];
      const pure = input.segments.map(() => true);
      const index = new GroupIndex<number>(keyCount);
      if (keyCount === 0) {
        groups.push(newGroup([], []));
        origins.push(0);
        owned.push(true);
        pure.fill(false);
      }
      const segmentParts: SegmentGroups[] = [];
      for (const segment of input.segments) {
        const part = partialOf(segment, partialToken, run);
        if (!part) return undefined;
        segmentParts.push(part);
      }
      // a segment none of whose groups is seen in another segment gives its partial's groups as they are: only the others are merged
      const shared = keyCount === 0 ? segmentParts.map(() => true) : sharing.sharing(segmentParts, input.segments.map((segment) => segment.stable));
      for (let s = 0; s < input.segments.length; s++) {
        if (!shared[s]) continue;
        for (const partGroup of segmentParts[s]!.groups) {
          spend(run);
          const next = groups.length;
          const at = keyCount === 0 ? 0 : index.getOrCreate(partGroup.keys, () => next);
          if (at === next) {
            groups.push(partGroup);
            origins.push(s);
            owned.push(false);
            continue;
          }
          pure[s] = false;
          pure[origins[at]!] = false;
          if (!owned[at]) {
            const copy = newGroup([], groups[at]!.keys);
            if (!mergeInto(copy, groups[at]!)) return undefined;
            groups[at] = copy;
            owned[at] = true;
          }
          if (!mergeInto(groups[at]!, partGroup)) return undefined;
        }
      }
      return { groups, origins, pure, parts: segmentParts };
    };
    /**
     * A segment's partial groups, or undefined when they fail alone where the whole rows may not: a long sum's running
     * total can leave 64 bits within one segment although the rows before it keep the row-by-row total inside.
     */
    const partialOf = (segment: RowSegment, partialToken: object, run: RunContext): SegmentGroups | undefined => {
      try {
        return segmentPartial(segment, partialToken, (rows) => groupRows(rows, run));
      } catch (error) {
        if (error instanceof EngineError && error.code === "SC4020") return undefined;
        throw error;
      }
    };
    /** Merges `from`'s accumulators into `into`'s; false when one merge would not be exact. */
    const mergeInto = (into: Group, from: Group): boolean => {
      for (let k = 0; k < aggs.length; k++) if (!into.accs[k]!.merge?.(from.accs[k]!)) return false;
      return true;
    };
    /**
     * The result as segments, one per input segment: the groups first seen in it, so the rows are the merged
     * result's, in its order. A stable segment whose groups are its own and seen nowhere else gives its partial's
     * rows, kept with the segment (the same array at every run, so the stages after keep their outputs for it).
     */
    const segmentedResult = (input: SegmentedTable, merged: Merged, ec: EvalContext, resultToken: object): SegmentedTable => {
      const blocks: Group[][] = input.segments.map(() => []);
      merged.groups.forEach((group, g) => blocks[merged.origins[g]!]!.push(group));
      const segments = input.segments.map((segment, s): RowSegment => {
        if (segment.stable && merged.pure[s]) return { rows: segmentOutput(segment, resultToken, () => resultOf(merged.parts[s]!.groups, ec).rows), stable: true };
        return { rows: resultOf(merged.pure[s] ? merged.parts[s]!.groups : blocks[s]!, ec).rows, stable: false };
      });
      return segmentedTable([...out], segments);
    };
    const resultToken = ctx.operatorToken?.("summarize output") ?? {};
    return (input, run) => {
      if (token && run.reuseRowResults && isSegmented(input) && input.segments.some((s) => s.stable)) {
        const merged = mergedGroups(input, run, token);
        if (merged && keyCount > 0) return segmentedResult(input, merged, makeEvalContext(run, []), resultToken);
        if (merged) return resultOf(merged.groups, makeEvalContext(run, []));
        partialCounts.refused++;
      }
      return resultOf(groupRows(input.rows, run).groups, makeEvalContext(run, input.rows));
    };
  },
};
