import { carryIngestionTime } from "../planner/ingestion.ts";
import { emptyOf, type Column, type Row, type Table, type Value } from "../values.ts";

/** One union leg at run time: its rows and the name `withsource=` reports for it. */
export interface UnionLeg {
  source: string;
  table: Table;
}

/**
 * Where each column of a leg lands in the union's output: Kusto keeps one output column per
 * (name, type); a name seen with several types becomes `name_type` for each. Returns -1 for a column
 * the output does not carry (kind=inner drops columns not common to every leg).
 */
export function mapLegColumns(leg: readonly Column[], output: readonly Column[]): number[] {
  return leg.map((column) => {
    const exact = output.findIndex((o) => o.name === column.name && o.type === column.type);
    if (exact >= 0) return exact;
    return output.findIndex((o) => o.name === `${column.name}_${column.type}` && o.type === column.type);
  });
}

/** Concatenates the legs' rows laid out as `output` (keeping each row's ingestion_time()); `sourceColumn` (withsource=) gets each leg's name. */
export function unionTables(legs: readonly UnionLeg[], output: readonly Column[], sourceColumn: number | undefined): Table {
  const empty = output.map((c) => emptyOf(c.type));
  const rows: Row[] = [];
  for (const leg of legs) {
    const positions = mapLegColumns(leg.table.columns, output);
    for (const row of leg.table.rows) {
      const out = empty.slice();
      positions.forEach((p, i) => {
        if (p >= 0) out[p] = row[i] as Value;
      });
      if (sourceColumn !== undefined) out[sourceColumn] = leg.source;
      carryIngestionTime(row, out);
      rows.push(out);
    }
  }
  return { columns: [...output], rows };
}
