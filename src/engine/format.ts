import { randomUUID } from "node:crypto";
import { formatDatetime, formatReal, formatTimespan, valueToString, type JsonValue, type KqlType, type Table, type Value } from "./values.ts";

/** A result cell as JSON: a JSON value, or a bigint for a long beyond ±(2^53 − 1) (`resultJson` writes its exact digits). */
export type JsonCell = JsonValue | bigint;

/**
 * A result value as JSON: datetimes ISO-8601 UTC, timespans `[d.]hh:mm:ss[.fffffff]`, NaN/±Infinity as
 * strings, dynamic as JSON, longs beyond a double's exact range as bigints.
 */
export function valueToJson(value: Value, type: KqlType): JsonCell {
  if (value === null || value === undefined) return null;
  if (typeof value === "bigint" && (type === "long" || type === "int")) return value;
  if (typeof value === "bigint") return type === "timespan" ? formatTimespan(value) : formatDatetime(value);
  if (typeof value === "number" && !Number.isFinite(value)) return formatReal(value);
  return value;
}

/** A table as `{"columns":[{"name","type"}],"rows":[[…]]}`. */
export function tableToJson(table: Table): { columns: { name: string; type: KqlType }[]; rows: JsonCell[][] } {
  return {
    columns: table.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: table.rows.map((row) => table.columns.map((c, i) => valueToJson(row[i] ?? null, c.type))),
  };
}

/** A table as aligned text for terminals. */
export function tableToText(table: Table): string {
  const header = table.columns.map((c) => c.name);
  const cells = table.rows.map((row) => table.columns.map((c, i) => valueToString(row[i] ?? null, c.type)));
  const widths = header.map((h, i) => Math.min(60, Math.max(h.length, ...cells.map((r) => r[i]!.length))));
  const line = (values: string[]) => values.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...cells.map(line), `(${table.rows.length} row${table.rows.length === 1 ? "" : "s"})`].join("\n");
}

/** JSON.stringify that writes bigints as exact JSON integers (a long's every digit), as Kusto's JSON results carry them. */
export function resultJson(value: unknown): string {
  const marks: bigint[] = [];
  // A per-call nonce keeps a string cell that happens to look like a marker from being replaced.
  const nonce = randomUUID();
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== "bigint") return v;
    marks.push(v);
    return `${nonce}:${marks.length - 1}`;
  });
  return text.replace(new RegExp(`"${nonce}:(\\d+)"`, "g"), (_m, i: string) => String(marks[Number(i)]));
}
