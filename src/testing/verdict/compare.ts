import { columnIndex, type ResultTable } from "./result-table.ts";
import { renderTableDiff, type DiffLine } from "./table-diff.ts";
import { cellMatches, toCell, type Cell } from "../spec/values.ts";

/** The outcome of comparing expected rows with a result: ok, or a message and a readable table diff. */
export type RowComparison = { ok: true } | { ok: false; message: string; diff?: string };

/**
 * Compares expected rows with a result on the columns the expected rows name (others are ignored). The
 * expected rows must be exactly the result's rows: as a multiset by default, in order when `ordered`.
 */
export function compareRows(expected: readonly Record<string, unknown>[], actual: ResultTable, ordered: boolean): RowComparison {
  const columns = [...new Set(expected.flatMap((row) => Object.keys(row)))];
  const missing = columns.filter((c) => columnIndex(actual, c) < 0);
  if (missing.length > 0) {
    const have = actual.columns.map((c) => c.name).join(", ") || "none";
    return { ok: false, message: `expected column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} not in the result (its columns: ${have})` };
  }
  const indexes = columns.map((c) => columnIndex(actual, c));
  const want = expected.map((row) => columns.map((c) => (c in row ? toCell(row[c]) : undefined)));
  const got = actual.rows.map((row) => indexes.map((i) => row[i] ?? null));
  const lines = ordered ? orderedLines(want, got) : unorderedLines(want, got);
  if (lines.every((l) => l.mark === "=")) return { ok: true };
  const bad = lines.filter((l) => l.mark !== "=").length;
  const how = ordered ? "in order" : "as a set, ignoring order";
  const message = `result rows differ from the expected values (${expected.length} expected, ${actual.rows.length} actual, ${bad} line${bad > 1 ? "s" : ""} differ; compared ${how} on ${columns.join(", ")})`;
  return { ok: false, message, diff: renderTableDiff(columns, lines.map((l) => fillUnnamed(l))) };
}

/** A row of expected cells where `undefined` means the row does not name that column (matches anything). */
type Wanted = (Cell | undefined)[];

function rowMatches(want: Wanted, got: Cell[]): boolean {
  return want.every((cell, i) => cell === undefined || cellMatches(cell, got[i] ?? null));
}

function fillUnnamed(line: { mark: DiffLine["mark"]; expected?: Wanted; actual?: Cell[] }): DiffLine {
  const out: DiffLine = { mark: line.mark };
  if (line.expected) out.expected = line.expected.map((c) => (c === undefined ? "*" : c));
  if (line.actual) out.actual = line.actual;
  return out;
}

function orderedLines(want: Wanted[], got: Cell[][]): { mark: DiffLine["mark"]; expected?: Wanted; actual?: Cell[] }[] {
  const lines: { mark: DiffLine["mark"]; expected?: Wanted; actual?: Cell[] }[] = [];
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const w = want[i];
    const g = got[i];
    if (w && g) lines.push({ mark: rowMatches(w, g) ? "=" : "~", expected: w, actual: g });
    else if (w) lines.push({ mark: "-", expected: w });
    else if (g) lines.push({ mark: "+", actual: g });
  }
  return lines;
}

/** Pairs expected with actual rows by maximum bipartite matching, so tolerant comparisons never pair badly. */
function unorderedLines(want: Wanted[], got: Cell[][]): { mark: DiffLine["mark"]; expected?: Wanted; actual?: Cell[] }[] {
  const matchOfActual = new Array<number>(got.length).fill(-1);
  const edges = want.map((w) => got.flatMap((g, j) => (rowMatches(w, g) ? [j] : [])));
  const augment = (i: number, seen: boolean[]): boolean => {
    for (const j of edges[i] ?? []) {
      if (seen[j]) continue;
      seen[j] = true;
      const other = matchOfActual[j] ?? -1;
      if (other < 0 || augment(other, seen)) {
        matchOfActual[j] = i;
        return true;
      }
    }
    return false;
  };
  want.forEach((_, i) => augment(i, new Array<boolean>(got.length).fill(false)));
  const matchOfWanted = new Array<number>(want.length).fill(-1);
  matchOfActual.forEach((i, j) => {
    if (i >= 0) matchOfWanted[i] = j;
  });
  const lines: { mark: DiffLine["mark"]; expected?: Wanted; actual?: Cell[] }[] = [];
  want.forEach((w, i) => {
    const j = matchOfWanted[i] ?? -1;
    lines.push(j >= 0 ? { mark: "=", expected: w, actual: got[j] as Cell[] } : { mark: "-", expected: w });
  });
  got.forEach((g, j) => {
    if ((matchOfActual[j] ?? -1) < 0) lines.push({ mark: "+", actual: g });
  });
  return lines;
}
