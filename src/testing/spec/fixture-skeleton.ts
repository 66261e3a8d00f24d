import type { SchemaColumn } from "./typed-rows.ts";
import { formatTicksAsDatetime } from "./values.ts";

/** A placeholder value of the right type for a column: what `fixture new` writes. */
export function placeholderValue(column: SchemaColumn, time: number): unknown {
  switch (column.type) {
    case "string":
      return "";
    case "int":
    case "long":
    case "real":
    case "decimal":
      return 0;
    case "bool":
      return false;
    case "datetime":
      return formatTicksAsDatetime(BigInt(time) * 10_000n);
    case "timespan":
      return "00:00:00";
    case "guid":
      return "00000000-0000-0000-0000-000000000000";
    case "dynamic":
      return {};
    default:
      return null;
  }
}

/**
 * Schema-correct skeleton rows (JSONL) for a table: every column with a placeholder of its type, datetimes at
 * `start` plus one minute per row, so the rows pass the fixture checks as written and only need real values.
 */
export function skeletonRows(columns: readonly SchemaColumn[], count: number, start: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const row: Record<string, unknown> = {};
    for (const column of columns) row[column.name] = placeholderValue(column, start + i * 60_000);
    lines.push(JSON.stringify(row));
  }
  return lines.length > 0 ? `${lines.join("\n")}\n` : "";
}
