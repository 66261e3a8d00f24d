import { formatCell, type Cell } from "../spec/values.ts";

/** One line of a side-by-side diff: `=` same, `~` differs, `-` expected only, `+` actual only. */
export interface DiffLine {
  mark: "=" | "~" | "-" | "+";
  expected?: Cell[];
  actual?: Cell[];
}

const MAX_CELL_WIDTH = 40;

function clip(text: string): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > MAX_CELL_WIDTH ? `${flat.slice(0, MAX_CELL_WIDTH - 1)}…` : flat;
}

/** Renders expected rows beside actual rows as aligned text columns, one marked line per row pair. */
export function renderTableDiff(columns: readonly string[], lines: readonly DiffLine[]): string {
  const side = (cells: Cell[] | undefined): string[] => (cells ? cells.map((c) => clip(formatCell(c))) : columns.map(() => ""));
  const texts = lines.map((line) => ({ mark: line.mark, left: side(line.expected), right: side(line.actual) }));
  const widths = columns.map((name, i) => Math.max(name.length, ...texts.flatMap((t) => [t.left[i]?.length ?? 0, t.right[i]?.length ?? 0])));
  const cellsText = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  const half = cellsText(columns.map(() => "")).length;
  const header = `  ${"expected".padEnd(half)} │ actual`;
  const names = `  ${cellsText([...columns])} │ ${cellsText([...columns])}`;
  const body = texts.map((t) => `${t.mark} ${cellsText(t.left)} │ ${cellsText(t.right)}`.trimEnd());
  return [header, names.trimEnd(), ...body].join("\n");
}

/** Renders result rows (all columns) as an aligned text table, at most `limit` rows, for failures about counts. */
export function renderRows(columns: readonly string[], rows: readonly Cell[][], limit = 20): string {
  const shown = rows.slice(0, limit).map((row) => columns.map((_, i) => clip(formatCell(row[i] ?? null))));
  const widths = columns.map((name, i) => Math.max(name.length, ...shown.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ")}`.trimEnd();
  const more = rows.length > limit ? [`  … ${rows.length - limit} more row${rows.length - limit > 1 ? "s" : ""}`] : [];
  return ["actual rows:", line(columns), ...shown.map(line), ...more].join("\n");
}
