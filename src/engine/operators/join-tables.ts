import { assertNever } from "../../diagnostics/index.ts";
import type { RunContext } from "../context.ts";
import { EngineError, type Span } from "../errors.ts";
import { emptyOf, type Column, type Row, type Table, type Value } from "../values.ts";
import { JoinKeyIndex } from "./join-keys.ts";

/** The join flavors Kusto accepts (`anti` and `leftantisemi` are aliases of `leftanti`, `rightantisemi` of `rightanti`). */
export type JoinKind =
  | "innerunique"
  | "inner"
  | "leftouter"
  | "rightouter"
  | "fullouter"
  | "leftanti"
  | "rightanti"
  | "leftsemi"
  | "rightsemi";

/** Maps a `kind=` spelling to its flavor, or undefined for an unknown one. */
export function parseJoinKind(text: string): JoinKind | undefined {
  switch (text) {
    case "innerunique":
    case "inner":
    case "leftouter":
    case "rightouter":
    case "fullouter":
    case "leftanti":
    case "rightanti":
    case "leftsemi":
    case "rightsemi":
      return text;
    case "anti":
    case "leftantisemi":
      return "leftanti";
    case "rightantisemi":
      return "rightanti";
    default:
      return undefined;
  }
}

/** A cap on the rows a kernel may produce, and what to do past it (throw the engine's row-limit error). */
export interface RowLimit {
  maxRows: number;
  overflow(): never;
}

/** The row limit of a query run, failing with the engine's SC4005 error at `span`. */
export function rowLimitOf(run: RunContext, span: Span): RowLimit {
  return {
    maxRows: run.limits.maxRows,
    overflow: () => {
      throw new EngineError("SC4005", `the query would produce more than ${run.limits.maxRows} rows (limits.maxRows)`, span);
    },
  };
}

const NO_LIMIT: RowLimit = {
  maxRows: Number.POSITIVE_INFINITY,
  overflow: () => {
    throw new RangeError("unreachable");
  },
};

/** Key column positions on each side, pairwise equal. */
export interface JoinKeys {
  left: number[];
  right: number[];
}

/** Names right-side columns as Kusto does: a name already used gets the first free numeric suffix (`b1`, `b2`, …). */
export function renameRightColumns(left: readonly Column[], right: readonly Column[], skip: ReadonlySet<number> = new Set()): Column[] {
  const taken = new Set<string>([...left.map((c) => c.name), ...right.map((c) => c.name)]);
  const leftNames = new Set(left.map((c) => c.name));
  const out: Column[] = [];
  right.forEach((column, i) => {
    if (skip.has(i)) return;
    if (!leftNames.has(column.name)) {
      out.push(column);
      return;
    }
    let n = 1;
    while (taken.has(`${column.name}${n}`)) n++;
    const name = `${column.name}${n}`;
    taken.add(name);
    out.push({ name, type: column.type });
  });
  return out;
}

/** Row indexes of `table` grouped by key; rows with a null key are left out (null never matches). */
function indexByKey(table: Table, keys: readonly number[]): JoinKeyIndex<number[]> {
  const index = new JoinKeyIndex<number[]>(keys);
  const rows = table.rows;
  for (let i = 0; i < rows.length; i++) {
    const bucket = index.getOrCreate(rows[i]!, () => []);
    bucket?.push(i);
  }
  return index;
}

/** Keeps the first row of each distinct key, dropping null-key rows (they never match): Kusto's innerunique left side. */
function firstRowPerKey(table: Table, keys: readonly number[]): Table {
  const seen = new JoinKeyIndex<number>(keys);
  const rows = table.rows.filter((row, i) => seen.getOrCreate(row, () => i) === i);
  return { columns: table.columns, rows };
}

/** Joins two tables with one of Kusto's flavors; the rows come in left order, each followed by its right matches in right order. */
export function joinTables(left: Table, right: Table, keys: JoinKeys, kind: JoinKind, limit: RowLimit = NO_LIMIT): Table {
  switch (kind) {
    case "innerunique":
      return matchRows(firstRowPerKey(left, keys.left), right, keys, { leftUnmatched: false, rightUnmatched: false }, limit);
    case "inner":
      return matchRows(left, right, keys, { leftUnmatched: false, rightUnmatched: false }, limit);
    case "leftouter":
      return matchRows(left, right, keys, { leftUnmatched: true, rightUnmatched: false }, limit);
    case "rightouter":
      return matchRows(left, right, keys, { leftUnmatched: false, rightUnmatched: true }, limit);
    case "fullouter":
      return matchRows(left, right, keys, { leftUnmatched: true, rightUnmatched: true }, limit);
    case "leftsemi":
      return semiRows(left, right, keys.left, keys.right, true);
    case "leftanti":
      return semiRows(left, right, keys.left, keys.right, false);
    case "rightsemi":
      return semiRows(right, left, keys.right, keys.left, true);
    case "rightanti":
      return semiRows(right, left, keys.right, keys.left, false);
    default:
      return assertNever(kind, "join kind");
  }
}

/** Rows of `kept` that have (semi) or lack (anti) a match in `other`; only `kept`'s columns. */
function semiRows(kept: Table, other: Table, keptKeys: readonly number[], otherKeys: readonly number[], wantMatch: boolean): Table {
  const present = indexByKey(other, otherKeys);
  const rows = kept.rows.filter((row) => (present.get(row, keptKeys) !== undefined) === wantMatch);
  return { columns: kept.columns, rows };
}

/** The inner/outer join body: every left × right pair with equal keys, plus unmatched rows padded with empty values. */
function matchRows(left: Table, right: Table, keys: JoinKeys, outer: { leftUnmatched: boolean; rightUnmatched: boolean }, limit: RowLimit): Table {
  const columns = [...left.columns, ...renameRightColumns(left.columns, right.columns)];
  const index = indexByKey(right, keys.right);
  const leftPad = left.columns.map((c) => emptyOf(c.type));
  const rightPad = right.columns.map((c) => emptyOf(c.type));
  const rightMatched = outer.rightUnmatched ? new Uint8Array(right.rows.length) : undefined;
  const rows: Row[] = [];
  for (const row of left.rows) {
    const matches = index.get(row, keys.left);
    if (!matches) {
      if (outer.leftUnmatched) rows.push([...row, ...rightPad]);
      continue;
    }
    if (rows.length + matches.length > limit.maxRows) limit.overflow();
    for (const r of matches) {
      rows.push([...row, ...(right.rows[r] as Row)]);
      if (rightMatched) rightMatched[r] = 1;
    }
  }
  if (rightMatched) {
    right.rows.forEach((row, r) => {
      if (!rightMatched[r]) rows.push([...leftPad, ...row]);
    });
  }
  return { columns, rows };
}

/** Kusto's `lookup`: a left/inner join whose output keeps the right key columns out (the left ones carry the key). */
export function lookupTables(left: Table, right: Table, keys: JoinKeys, kind: "leftouter" | "inner", limit: RowLimit = NO_LIMIT): Table {
  const skip = new Set(keys.right);
  const keptRight = right.columns.map((_, i) => i).filter((i) => !skip.has(i));
  const columns = [...left.columns, ...renameRightColumns(left.columns, right.columns, skip)];
  const index = indexByKey(right, keys.right);
  const pad = keptRight.map((i) => emptyOf((right.columns[i] as Column).type));
  const rows: Row[] = [];
  for (const row of left.rows) {
    const matches = index.get(row, keys.left);
    if (!matches) {
      if (kind === "leftouter") rows.push([...row, ...pad]);
      continue;
    }
    if (rows.length + matches.length > limit.maxRows) limit.overflow();
    for (const r of matches) {
      const other = right.rows[r] as Row;
      rows.push([...row, ...keptRight.map((i) => other[i] as Value)]);
    }
  }
  return { columns, rows };
}
