import { isBag, type Column, type JsonValue, type KqlType, type Row, type Table, type Value } from "../values.ts";
import { castElement } from "./mv-expand-rows.ts";

/** What bag_unpack does when an unpacked key names an existing column. */
export type ColumnsConflict = "error" | "replace_source" | "keep_source";

/** bag_unpack's arguments once read. */
export interface BagUnpackOptions {
  column: number;
  prefix: string;
  conflict: ColumnsConflict;
  ignored: ReadonlySet<string>;
}

/** The type bag_unpack gives a new column: the one type all its values share, else dynamic. */
function inferType(values: readonly JsonValue[]): KqlType {
  let type: KqlType | undefined;
  for (const v of values) {
    if (v === null) continue;
    const t: KqlType =
      typeof v === "boolean" ? "bool" : typeof v === "string" ? "string" : typeof v === "number" ? (Number.isInteger(v) ? "long" : "real") : "dynamic";
    if (type === undefined) type = t;
    else if (type !== t) type = (type === "long" && t === "real") || (type === "real" && t === "long") ? "real" : "dynamic";
  }
  return type ?? "dynamic";
}

/** Thrown for a key that clashes with a column under columnsConflict='error' (Kusto fails the query). */
export class BagUnpackConflict extends Error {}

/**
 * Unpacks the bag column into one column per top-level key (sorted by name, after the other input
 * columns), inferring each new column's type from its values. Non-bag cells unpack to nothing.
 */
export function unpackBags(input: Table, options: BagUnpackOptions): Table {
  const kept = input.columns.filter((_, i) => i !== options.column);
  const byName = new Map(kept.map((c, i) => [c.name, i]));
  const bags = input.rows.map((row) => {
    const v = row[options.column];
    return isBag(v ?? null) ? (v as Record<string, JsonValue>) : {};
  });
  const keys = [...new Set(bags.flatMap((b) => Object.keys(b)))].filter((k) => !options.ignored.has(k)).sort();
  const added: { key: string; name: string; type: KqlType; replaces?: number }[] = [];
  for (const key of keys) {
    const name = options.prefix + key;
    const existing = byName.get(name);
    const type = inferType(bags.map((b) => (key in b ? (b[key] as JsonValue) : null)));
    if (existing === undefined) added.push({ key, name, type });
    else if (options.conflict === "error") throw new BagUnpackConflict(`bag_unpack: the key '${key}' clashes with the column '${name}'`);
    else if (options.conflict === "replace_source") added.push({ key, name, type, replaces: existing });
  }
  const columns: Column[] = kept.map((c) => ({ ...c }));
  for (const a of added) {
    if (a.replaces === undefined) columns.push({ name: a.name, type: a.type });
    else columns[a.replaces] = { name: a.name, type: a.type };
  }
  const rows: Row[] = input.rows.map((row, r) => {
    const out: Row = row.filter((_, i) => i !== options.column) as Value[];
    const bag = bags[r] as Record<string, JsonValue>;
    for (const a of added) {
      const value = castElement(a.key in bag ? (bag[a.key] as JsonValue) : null, a.type);
      if (a.replaces === undefined) out.push(value);
      else out[a.replaces] = value;
    }
    return out;
  });
  return { columns, rows };
}

/** bag_unpack with a declared output schema: each column comes from the input (by name) or from the bag key `name` minus the prefix. */
export function unpackBagsToSchema(input: Table, options: BagUnpackOptions, schema: readonly Column[]): Table {
  const sources = schema.map((c) => {
    const i = input.columns.findIndex((ic, k) => k !== options.column && ic.name === c.name);
    return i >= 0 ? { input: i } : { key: c.name.startsWith(options.prefix) ? c.name.slice(options.prefix.length) : c.name };
  });
  const rows: Row[] = input.rows.map((row) => {
    const v = row[options.column];
    const bag = isBag(v ?? null) ? (v as Record<string, JsonValue>) : {};
    return schema.map((c, k) => {
      const source = sources[k] as { input?: number; key?: string };
      if (source.input !== undefined) return row[source.input] as Value;
      const key = source.key as string;
      return castElement(key in bag && !options.ignored.has(key) ? (bag[key] as JsonValue) : null, c.type);
    });
  });
  return { columns: [...schema], rows };
}
