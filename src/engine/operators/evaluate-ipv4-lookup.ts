import { spend, type TableStep } from "../context.ts";
import { EngineError, type Span } from "../errors.ts";
import { parseIpv4 } from "../functions/ip.ts";
import { argumentsOf } from "../planner/calls.ts";
import { isLiteralKind, literalValue } from "../planner/literals.ts";
import { child, kindOf, spanOf, type SyntaxNode, textOf, unsupported } from "../syntax.ts";
import { groupKey, type Column, type Row, type Table, type Value } from "../values.ts";
import type { PlanContext } from "./contract.ts";

/** The column positions and flag read from `ipv4_lookup(LookupTable, SourceIPv4Key, IPv4LookupKey [, ExtraKey…] [, return_unmatched])`. */
interface Ipv4LookupPlan {
  source: number;
  lookupKey: number;
  extraLeft: number[];
  extraRight: number[];
  returnUnmatched: boolean;
}

/** A lookup row's range: network address and prefix length. */
interface Range {
  network: number;
  prefix: number;
  row: Row;
}

function columnIndex(columns: readonly Column[], node: SyntaxNode, side: string): number {
  if (kindOf(node) !== "NameReference") unsupported(node, `an ipv4_lookup key that is not a column of the ${side} table`);
  const i = columns.findIndex((c) => c.name === textOf(node));
  if (i < 0) unsupported(node, `the ipv4_lookup key '${textOf(node)}', which the ${side} table lacks,`);
  return i;
}

/** The value of a trailing `return_unmatched` (`true` or `return_unmatched = true`); undefined when the argument is a key column. */
function returnUnmatchedOf(last: SyntaxNode | undefined): boolean | undefined {
  if (last === undefined || kindOf(last) === "NameReference") return undefined;
  const named = kindOf(last) === "SimpleNamedExpression";
  if (named && textOf(child(last, "Name")) !== "return_unmatched") unsupported(last, `the ipv4_lookup argument ${textOf(child(last, "Name"))}`);
  const expr = named ? child(last, "Expression") : last;
  const value = isLiteralKind(kindOf(expr)) ? literalValue(expr) : undefined;
  if (typeof value !== "boolean") unsupported(last, "a return_unmatched argument that is not a bool literal");
  return value;
}

function readPlan(args: SyntaxNode[], left: readonly Column[], right: readonly Column[]): Ipv4LookupPlan {
  const rest = args.slice(3);
  const flag = returnUnmatchedOf(rest.at(-1));
  const returnUnmatched = typeof flag === "boolean" ? flag : false;
  const extras = typeof flag === "boolean" ? rest.slice(0, -1) : rest;
  return {
    source: columnIndex(left, args[1]!, "source"),
    lookupKey: columnIndex(right, args[2]!, "lookup"),
    extraLeft: extras.map((e) => columnIndex(left, e, "source")),
    extraRight: extras.map((e) => columnIndex(right, e, "lookup")),
    returnUnmatched,
  };
}

function maskOf(prefix: number): number {
  return prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The address an IPv4 cell stands for (masked by its own prefix), or null when the cell is not an IPv4 string. */
function addressOf(value: Value): { address: number; prefix: number } | null {
  if (typeof value !== "string") return null;
  const ip = parseIpv4(value);
  return ip ? { address: (ip.address & maskOf(ip.prefix)) >>> 0, prefix: ip.prefix } : null;
}

/** Lookup rows grouped by their extra-key values. */
function indexRanges(lookup: Table, plan: Ipv4LookupPlan): Map<string, Range[]> {
  const byKey = new Map<string, Range[]>();
  for (const row of lookup.rows) {
    const ip = addressOf(row[plan.lookupKey] as Value);
    if (!ip) continue;
    const key = plan.extraRight.map((i) => groupKey(row[i] as Value)).join("\u0000");
    const list = byKey.get(key) ?? [];
    list.push({ network: ip.address, prefix: ip.prefix, row });
    byKey.set(key, list);
  }
  return byKey;
}

/** The one lookup row whose range holds the source row's address; undefined when none does. */
function matchOf(row: Row, ranges: Map<string, Range[]>, plan: Ipv4LookupPlan, span: Span): Row | undefined {
  const ip = addressOf(row[plan.source] as Value);
  if (!ip) return undefined;
  const key = plan.extraLeft.map((i) => groupKey(row[i] as Value)).join("\u0000");
  if (ip.prefix < 32) {
    // The page allows a masked source value but does not say how a source range matches a lookup range.
    throw new EngineError("SC4020", `ipv4_lookup: the source value '${String(row[plan.source])}' is a range; how Kusto matches a range against the lookup table is not documented`, span);
  }
  let hit: Range | undefined;
  let hits = 0;
  for (const r of ranges.get(key) ?? []) {
    if (((ip.address & maskOf(r.prefix)) >>> 0) !== r.network) continue;
    hit ??= r;
    hits++;
  }
  if (hits > 1) {
    // Which of several overlapping ranges the service returns is not documented.
    throw new EngineError("SC4020", `ipv4_lookup: '${String(row[plan.source])}' falls in ${hits} ranges of the lookup table; which one Kusto returns is not documented`, span);
  }
  return hit?.row;
}

/** Plans `evaluate ipv4_lookup(…)`: each source row joined with the lookup row whose IPv4 range (CIDR) holds its address. */
export function planIpv4Lookup(call: SyntaxNode, ctx: PlanContext): TableStep {
  const args = argumentsOf(call);
  if (args.length < 3) unsupported(call, "ipv4_lookup with fewer than three arguments");
  const rightColumns = ctx.columnsOf(args[0]!);
  const plan = readPlan(args, ctx.inputColumns, rightColumns);
  const dropped = new Set(plan.extraRight);
  const kept = rightColumns.map((_c, i) => i).filter((i) => !dropped.has(i));
  const names = [...ctx.inputColumns, ...kept.map((i) => rightColumns[i] as Column)].map((c) => c.name);
  const expected = ctx.outputColumns.map((c) => c.name);
  if (names.length !== expected.length) unsupported(call, `this ipv4_lookup's column layout (Kusto expects ${expected.join(",")})`);
  const lookup = ctx.compileTabular(args[0]!);
  const span = spanOf(call);
  return (input, run) => {
    const ranges = indexRanges(lookup(run), plan);
    const rows: Row[] = [];
    for (const row of input.rows) {
      spend(run, ranges.size + 1);
      const hit = matchOf(row, ranges, plan, span);
      if (hit) rows.push([...row, ...kept.map((i) => hit[i] as Value)]);
      else if (plan.returnUnmatched) rows.push([...row, ...kept.map(() => null)]);
    }
    return { columns: [...ctx.outputColumns], rows };
  };
}
