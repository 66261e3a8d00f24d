import { quoteRegex } from "../functions/regex.ts";
import { carryIngestionTime } from "../planner/ingestion.ts";
import { isSegmented, segmentedTable, segmentOutput, type SegmentedTable } from "../segments.ts";
import { emptyOf, type Column, type KqlType, type Row, type RowSegment, type Table, type Value } from "../values.ts";

/** One union leg at run time: its rows, the name `withsource=` reports for it, and where each of its columns lands. */
export interface UnionLeg {
  source: string;
  table: Table;
  /** Output position of each of the leg's columns (-1: not carried). */
  positions: readonly number[];
}

/**
 * The distinct (name, type) columns of a union's legs in Kusto's output order: names in order of first
 * appearance, and under one name its types in order of first appearance.
 */
function unionKeys(legs: readonly (readonly Column[])[]): Column[] {
  const byName = new Map<string, KqlType[]>();
  for (const leg of legs) {
    for (const column of leg) {
      const types = byName.get(column.name) ?? [];
      if (!types.includes(column.type)) types.push(column.type);
      byName.set(column.name, types);
    }
  }
  return [...byName].flatMap(([name, types]) => types.map((type) => ({ name, type })));
}

/**
 * Where each leg's columns land in the union's output (Microsoft's union-operator page: one output
 * column per name and type; a name seen with several types becomes `name_type` for each, and a name
 * that then collides gets a number). `output` is the semantic model's column list; its columns other
 * than the withsource one must be the legs' (name, type) pairs in `unionKeys` order, renamed only so.
 * Returns undefined when they are not (the layout is then not known exactly).
 */
export function layoutUnion(legs: readonly (readonly Column[])[], output: readonly Column[], sourceColumn: number | undefined): number[][] | undefined {
  const keys = unionKeys(legs);
  const slots = output.map((_c, i) => i).filter((i) => i !== sourceColumn);
  if (slots.length !== keys.length) return undefined;
  const fits = keys.every((key, k) => {
    const out = output[slots[k]!]!;
    const name = new RegExp(`^${quoteRegex(key.name)}(?:_${key.type})?\\d*$`);
    return out.type === key.type && name.test(out.name);
  });
  if (!fits) return undefined;
  const slotOf = (column: Column): number => slots[keys.findIndex((k) => k.name === column.name && k.type === column.type)]!;
  return legs.map((leg) => leg.map(slotOf));
}

/** Concatenates the legs' rows laid out as `output` (keeping each row's ingestion_time()); `sourceColumn` (withsource=) gets each leg's name. */
export function unionTables(legs: readonly UnionLeg[], output: readonly Column[], sourceColumn: number | undefined): Table {
  const rows: Row[] = [];
  for (const leg of legs) layoutRows(leg, leg.table.rows, output, sourceColumn, rows);
  return { columns: [...output], rows };
}

/**
 * The union as segments, for legs of which one at least is segmented (a leg without segments is one segment seen
 * in part): each leg's segments in leg order, so their rows are the ones unionTables gives, in its order. A stable
 * segment's laid-out rows are kept with it under `tokens[leg]` (segments.ts segmentOutput), so later runs get the same array.
 */
export function unionSegments(legs: readonly UnionLeg[], output: readonly Column[], sourceColumn: number | undefined, tokens: readonly object[]): SegmentedTable {
  const segments: RowSegment[] = [];
  legs.forEach((leg, i) => {
    const layout = (rows: readonly Row[]): Row[] => layoutRows(leg, rows, output, sourceColumn, []);
    const legSegments = isSegmented(leg.table) ? leg.table.segments : [{ rows: leg.table.rows, stable: false }];
    for (const segment of legSegments) segments.push({ rows: segmentOutput(segment, tokens[i]!, layout), stable: segment.stable });
  });
  return segmentedTable([...output], segments);
}

/** Appends `rows` of one leg, laid out as `output`, to `into`; returns `into`. */
function layoutRows(leg: UnionLeg, rows: readonly Row[], output: readonly Column[], sourceColumn: number | undefined, into: Row[]): Row[] {
  const empty = output.map((c) => emptyOf(c.type));
  for (const row of rows) {
    const out = empty.slice();
    leg.positions.forEach((p, i) => {
      if (p >= 0) out[p] = row[i] as Value;
    });
    if (sourceColumn !== undefined) out[sourceColumn] = leg.source;
    carryIngestionTime(row, out);
    into.push(out);
  }
  return into;
}
